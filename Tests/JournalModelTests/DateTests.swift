import Foundation
import Testing
@testable import JournalModel

@Suite struct DateTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func daysAreRealDays() {
        #expect(LocalDay("2024-02-29") != nil)
        #expect(LocalDay("2026-02-29") == nil)
        #expect(LocalDay("2026-02-30") == nil)
        #expect(LocalDay("2026-13-01") == nil)
        #expect(LocalDay("2026-1-01") == nil)
        #expect(LocalDay("2000-02-29") != nil)
        #expect(LocalDay("1900-02-29") == nil)
        let day = LocalDay("2026-11-28")!
        #expect(LocalDay(daysSinceEpoch: day.daysSinceEpoch) == day)
        #expect(day.adding(days: 4).description == "2026-12-02")
        #expect(LocalDay("2026-12-31")!.days(until: LocalDay("2027-01-01")!) == 1)
        #expect(LocalDay("2026-11-30")!.weekdayFromMonday == 0)
        #expect(LocalDay("2026-12-31")!.isoWeekLabel == "2026-W53")
        #expect(LocalDay("2027-01-03")!.isoWeekLabel == "2026-W53")
        #expect(LocalDay("2027-01-04")!.isoWeekLabel == "2027-W01")
        #expect(LocalDay("2026-01-01")!.isoWeekLabel == "2026-W01")
    }

    @Test func timestampsKeepTheirOffsetAndFollowDST() throws {
        let winter = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin))
        #expect(winter.date.timeIntervalSince1970 == 1_795_872_600)
        #expect(winter.localDay.description == "2026-11-28")
        #expect(Timestamp(winter.date, in: berlin).text == "2026-11-28T14:30:00+01:00")
        let summer = Timestamp(Date(timeIntervalSince1970: 1_782_000_000), in: berlin)
        #expect(summer.text.hasSuffix("+02:00"))
        let zulu = try #require(Timestamp(parsing: "2026-11-28T13:30Z", defaultZone: berlin))
        #expect(zulu.date == winter.date)
        #expect(zulu.canonical.text == "2026-11-28T13:30:00+00:00")
        let local = try #require(Timestamp(parsing: "2026-07-01T09:00", defaultZone: berlin))
        #expect(local.text == "2026-07-01T09:00:00+02:00")
        // 02:30 does not exist in Berlin on 2026-03-29; the later side of the gap is taken.
        let gap = try #require(Timestamp(parsing: "2026-03-29T02:30:00", defaultZone: berlin))
        #expect(gap.text == "2026-03-29T03:30:00+02:00")
        for bad in ["2026-02-30T10:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T10:60Z", "2026-11-28", "2026-11-28T10:00:00+25:00", "soon"] {
            #expect(Timestamp(parsing: bad, defaultZone: berlin) == nil, "\(bad)")
        }
    }

    @Test func typedDates() throws {
        let now = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin)).date
        #expect(try DateInput.parse("yesterday", now: now, zone: berlin) == .day(LocalDay("2026-11-27")!))
        #expect(try DateInput.parse("-3d", now: now, zone: berlin) == .day(LocalDay("2026-11-25")!))
        #expect(try DateInput.parse("2026-10-01", now: now, zone: berlin) == .day(LocalDay("2026-10-01")!))
        #expect(try DateInput.entryTimestamp("today", now: now, zone: berlin).text == "2026-11-28T14:30:00+01:00")
        #expect(try DateInput.entryTimestamp("2026-07-01", now: now, zone: berlin).text == "2026-07-01T12:00:00+02:00")
        // Today typed as a day is now, not its midday (which, in the morning, is after now).
        let morning = try #require(Timestamp(parsing: "2026-11-28T09:15:00+01:00", defaultZone: berlin)).date
        for today in ["2026-11-28", "-0d", "TODAY", "now"] {
            #expect(try DateInput.entryTimestamp(today, now: morning, zone: berlin).text == "2026-11-28T09:15:00+01:00", "\(today)")
        }
        #expect(try DateInput.entryTimestamp("yesterday", now: morning, zone: berlin).text == "2026-11-27T12:00:00+01:00")
        #expect(try DateInput.entryTimestamp(nil, now: now, zone: berlin).text == "2026-11-28T14:30:00+01:00")
        #expect(try DateInput.lowerBound("2026-11-01", now: now, zone: berlin) == LocalDay("2026-11-01")!.start(in: berlin))
        #expect(try DateInput.upperBound("2026-11-01", now: now, zone: berlin) == LocalDay("2026-11-02")!.start(in: berlin))
        for bad in ["2026-02-30", "tomorrowish", "", "-d", "31/12/2026"] {
            #expect(throws: JournalError.self, "\(bad)") { try DateInput.parse(bad, now: now, zone: berlin) }
        }
    }

    /// The same instant written in two offsets: different timestamps, and ordered, so exactly one
    /// of <, == and > holds for any two (Comparable's law), and sorting is stable across runs.
    @Test func timestampsAreTotallyOrdered() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let a = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin))
        let b = try #require(Timestamp(parsing: "2026-11-28T13:30:00Z", defaultZone: berlin))
        let c = try #require(Timestamp(parsing: "2026-11-28T14:31:00+01:00", defaultZone: berlin))
        #expect(a.date == b.date && a != b)
        for (x, y) in [(a, b), (b, a), (a, c), (c, b), (a, a)] {
            #expect([x < y, x == y, y < x].filter { $0 }.count == 1, "\(x) \(y)")
        }
        #expect([c, a, b].sorted() == [b, a, c])
    }
}
