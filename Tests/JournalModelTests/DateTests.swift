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

    /// Written in a zone away from UTC and read back, an instant is itself with its offset, on
    /// every side of a DST change (Berlin, New York, and Lord Howe's half-hour one) and every minute
    /// of the hours around it.
    @Test func timestampsRoundTripInNonUTCZonesAcrossDST() throws {
        let changes: [(zone: String, local: String, before: String, after: String)] = [
            ("Europe/Berlin", "2026-03-29T01:59:00+01:00", "+01:00", "+02:00"),
            ("Europe/Berlin", "2026-10-25T02:59:00+02:00", "+02:00", "+01:00"),
            ("America/New_York", "2026-03-08T01:59:00-05:00", "-05:00", "-04:00"),
            ("America/New_York", "2026-11-01T01:59:00-04:00", "-04:00", "-05:00"),
            ("Australia/Lord_Howe", "2026-04-05T01:59:00+11:00", "+11:00", "+10:30"),
            ("Asia/Kolkata", "2026-06-01T01:59:00+05:30", "+05:30", "+05:30"),
        ]
        for change in changes {
            let zone = try #require(TimeZone(identifier: change.zone))
            let last = try #require(Timestamp(parsing: change.local, defaultZone: zone))
            #expect(Timestamp(last.date, in: zone).text == change.local, "\(change.zone)")
            let next = Timestamp(last.date.addingTimeInterval(60), in: zone)
            #expect(next.text.hasSuffix(change.after) && last.text.hasSuffix(change.before), "\(next.text)")
            for minute in -180...180 {
                let written = Timestamp(last.date.addingTimeInterval(TimeInterval(minute * 60 + 7)), in: zone)
                let read = try #require(Timestamp(parsing: written.text, defaultZone: .gmt), "\(written.text)")
                #expect(read.date == written.date && read.utcOffset == written.utcOffset && read.text == written.text)
                #expect(read.canonical.text == written.text && read.localDay == written.day(in: zone), "\(written.text)")
            }
        }
        // In the hour that happens twice, the earlier instant; its second pass is written with the new offset.
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let twice = try #require(Timestamp(parsing: "2026-10-25T02:30:00", defaultZone: berlin))
        #expect(twice.text == "2026-10-25T02:30:00+02:00")
        #expect(Timestamp(twice.date.addingTimeInterval(3600), in: berlin).text == "2026-10-25T02:30:00+01:00")
    }

    /// Days and weeks as Foundation's ISO 8601 style writes them, over four centuries of days.
    @Test func daysAndWeeksAreWrittenInISO8601() {
        #expect(LocalDay("1900-01-01")!.description == "1900-01-01" && LocalDay("9999-12-31")!.description == "9999-12-31")
        #expect(LocalDay("2026-11-28")!.entryFolder == "entries/2026/11")
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = .gmt
        for days in stride(from: LocalDay("1900-01-01")!.daysSinceEpoch, to: LocalDay("2300-01-01")!.daysSinceEpoch, by: 13) {
            let day = LocalDay(daysSinceEpoch: days)
            let parts = calendar.dateComponents([.year, .month, .day, .yearForWeekOfYear, .weekOfYear], from: day.start(in: .gmt))
            #expect(day.description == String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
            #expect(day.isoWeekLabel == String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!))
            #expect(day.isoWeek == (parts.yearForWeekOfYear!, parts.weekOfYear!))
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
