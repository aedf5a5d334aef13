import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

/// A small journal built through the library, with the clock moved before each write so commit
/// times (which decide "closed in the period") follow the story.
final class TeamJournal {
    let scratch: Scratch
    let journal: Journal
    let zone: TimeZone

    init(scratch: Scratch, zone: String = "Europe/Berlin") throws {
        self.scratch = scratch
        self.zone = TimeZone(identifier: zone)!
        // These tests are about the numbers and the audience filters, not encryption: private
        // entries stay plain text here (encrypt: none), so no age identity is needed.
        let created = try Journal.create(at: scratch.appending("j"), name: "team", author: "Dana Lee <dana@example.com>",
                                         timeZone: self.zone, remote: nil, now: Timestamp(parsing: "2024-01-01T08:00:00", defaultZone: self.zone)!.date,
                                         encrypt: .none)
        journal = try Journal.open(at: created.root)
        journal.now = instant("2024-01-01T09:00:00")
    }

    /// A local time in the journal's zone, or a full ISO 8601 time with its offset.
    func instant(_ text: String) -> Date {
        Timestamp(parsing: text, defaultZone: zone)!.date
    }

    func person(_ slug: String, cadence: String = "weekly", started: String = "2024-01-01") throws {
        try journal.recorder.addPerson(slug: slug, name: slug.prefix(1).uppercased() + slug.dropFirst() + " Test", cadence: cadence,
                              started: started)
    }

    @discardableResult
    func oneOnOne(_ slug: String, _ date: String, mood: Int? = nil, energy: Int? = nil, workload: Int? = nil,
                  note: String = "Weekly catch-up.", actions: [String] = []) throws -> Entry {
        journal.now = instant(date)
        return try journal.recorder.record(OneOnOneInput(person: slug, mood: mood, energy: energy, workload: workload,
                                                        note: note, actions: actions, date: date))
    }

    @discardableResult
    func kudos(_ people: [String], _ date: String, text: String = "Shipped it.") throws -> Entry {
        journal.now = instant(date)
        return try journal.recorder.recognize(people: people, text: text, category: "shipping", date: date)
    }

    /// A file written by hand (for `private:` and `visibility: private`), committed at `date`.
    func handWritten(_ path: String, _ text: String, at date: String) throws {
        journal.now = instant(date)
        scratch.write(text, to: "j/" + path)
        _ = try journal.recorder.commitHandEdits()
    }

    func digest(_ period: Period, _ audience: Audience = .self, now: String) throws -> DigestReport {
        try Digest.build(journal: journal, period: period, audience: audience, now: instant(now))
    }

    func week(_ label: String) -> Period {
        try! Period.parseWeek(label, today: LocalDay("2030-01-01")!, weekStart: 2)
    }
}

@Suite struct DigestNumbersTests {
    let scratch = Scratch()

    /// The main worked example; every number below is computed by hand in the comments.
    func exampleTeam() throws -> TeamJournal {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob", cadence: "biweekly")
        try team.person("carol")
        try team.person("dan", started: "2026-11-19")  // starts in the middle of 2026-W47
        try team.person("erin")
        // Alice: 4, 4, 5, 4 then 2: a mood drop (2 <= 4.25 - 1), energy 4, 4, 4, 3 then 2 (2 <= 3.75 - 1),
        // workload 4 and 4 in the two latest: overload. The first two straddle the DST change of 25 October.
        // Everything is recorded in date order, as a manager would.
        try team.oneOnOne("alice", "2026-10-20T10:00:00", mood: 4, energy: 4, workload: 3)
        try team.kudos(["bob"], "2026-10-23T10:00:00")  // 31 days before 22 Nov: outside the 30 days
        try team.kudos(["alice"], "2026-10-25T10:00:00")
        try team.oneOnOne("alice", "2026-10-27T10:00:00", mood: 4, energy: 4, workload: 3)
        try team.oneOnOne("erin", "2026-11-02T10:00:00", mood: 3, energy: 3)
        try team.oneOnOne("alice", "2026-11-03T10:00:00", mood: 5, energy: 4, workload: 3)
        try team.oneOnOne("bob", "2026-11-08T10:00:00", mood: 3, energy: 3, workload: 3)  // 14 days before 22 Nov
        let nov10 = try team.oneOnOne("alice", "2026-11-10T10:00:00", mood: 4, energy: 3, workload: 4,
                                      actions: ["@alice send the draft due:2026-11-15", "@me book the room"])
        try team.oneOnOne("carol", "2026-11-14T10:00:00")  // no scores; 8 days before 22 Nov: overdue
        try team.oneOnOne("erin", "2026-11-16T10:00:00", mood: 1, energy: 1, note: "Erin is exhausted.")
        try team.oneOnOne("alice", "2026-11-17T10:00:00", mood: 2, energy: 2, workload: 4,
                          note: "Alice is exhausted after the launch. We talked about the offsite.",
                          actions: ["@me follow up with HR"])
        team.journal.now = team.instant("2026-11-18T09:00:00")
        try team.journal.recorder.leave("erin", on: "2026-11-18")
        team.journal.now = team.instant("2026-11-19T09:00:00")
        try team.journal.recorder.setDone("\(nov10.id).2")
        try team.handWritten("entries/2026/11/2026-11-20-recognition-carol-PR1V4T.md", """
            ---
            kind: recognition
            id: PR1V4T
            date: 2026-11-20T10:00:00+01:00
            people: [carol]
            author: Dana Lee <dana@example.com>
            category: helping
            visibility: private
            tags: []
            ---
            Helped quietly.

            """, at: "2026-11-20T10:00:00")
        return team
    }

    @Test func selfDigestOfTheWorkedExample() throws {
        let team = try exampleTeam()
        let report = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        #expect(report.period.start == LocalDay("2026-11-16") && report.period.end == LocalDay("2026-11-22"))
        #expect(report.asOf == LocalDay("2026-11-22"))
        // Active: alice, bob, carol, dan (started 19 Nov); erin left on 18 Nov.
        #expect(report.health.activePeople == 4)
        let rows = Dictionary(uniqueKeysWithValues: try #require(report.people).map { ($0.slug.value, $0) })
        #expect(rows.keys.sorted() == ["alice", "bob", "carol", "dan"])
        #expect(rows["alice"]?.daysSinceLast == 5 && rows["alice"]?.overdue == false && rows["alice"]?.oneOnOnes == 1)
        #expect(rows["bob"]?.daysSinceLast == 14 && rows["bob"]?.overdue == false)  // exactly at the cadence
        #expect(rows["carol"]?.daysSinceLast == 8 && rows["carol"]?.overdue == true)
        #expect(rows["dan"]?.daysSinceLast == nil && rows["dan"]?.overdue == true)
        #expect(rows["alice"]?.mood == 2 && rows["alice"]?.energy == 2 && rows["alice"]?.workload == 4)
        #expect(rows["carol"]?.mood == nil)
        #expect(rows["alice"]?.recognized30d == 1 && rows["bob"]?.recognized30d == 0)
        #expect(rows["carol"]?.recognized30d == 1 && rows["dan"]?.recognized30d == 0)

        // mood: alice (2-1)/4 = 0.25, bob (3-1)/4 = 0.5 -> 0.375; energy the same; cadence 2/4; recognition 2/4.
        // score = round(100 x (0.3 x 0.375 + 0.2 x 0.375 + 0.25 x 0.5 + 0.25 x 0.5)) = round(43.75) = 44.
        #expect(report.health.components == Health.Components(mood: 0.375, energy: 0.375, cadence: 0.5, recognition: 0.5))
        #expect(report.health.score == 44)
        // 2026-W46, as of 15 Nov: alice 4/3, bob 3/3, erin 3/3 (still there), carol no scores.
        // mood (0.75 + 0.5 + 0.5)/3, energy 0.5, cadence 3/4 (erin 13 days), recognition 2/4 (alice, bob).
        // round(100 x (0.3 x 0.58333 + 0.2 x 0.5 + 0.25 x 0.75 + 0.25 x 0.5)) = round(58.75) = 59.
        #expect(report.health.previous == 59)
        #expect(report.trend.count == 12 && report.trend.last?.score == 44 && report.trend[10].score == 59)
        // The journal's first entry is on 20 October (2026-W43): the seven weeks before have no score.
        #expect(report.trend.map { $0.score == nil } == Array(repeating: true, count: 7) + Array(repeating: false, count: 5))

        // Carol is overdue (8 days, weekly) but within the signal's grace of a week; Bob's 14 days and
        // Dan's 3 since starting are no recognition gap (35 days).
        let kinds = report.signals.map { "\($0.kind.rawValue):\($0.person)" }
        // Dan, never met, started 3 days ago: within the cadence and its week of grace.
        #expect(kinds == [
            "watch_word:alice", "overload:alice", "mood_drop:alice", "energy_drop:alice", "action_overdue:alice",
        ])
        #expect(report.signals.allSatisfy { $0.status == .new })
        let drop = try #require(report.signals.first { $0.kind == .moodDrop })
        #expect(drop.detail == "Alice Test's mood fell to 2 from an average of 4.3; ask how things are going.")
        #expect(drop.evidence.count == 5)
        #expect(!report.suggestions.contains { $0.contains("Carol") })
        #expect(!report.suggestions.contains { $0.contains("Dan") })

        // Items: "send the draft" (alice's, open, due 15 Nov), "book the room" (mine, closed on 19 Nov),
        // "follow up with HR" (mine, opened 17 Nov).
        let items = try #require(report.actionItems)
        #expect(items.report == ActionItemCounts.Counts(open: 1, overdue: 1, opened: 0, closed: 0))
        #expect(items.me == ActionItemCounts.Counts(open: 1, overdue: 0, opened: 1, closed: 1))

        #expect(report.recognition.map(\.visibility) == [.private])
        #expect(report.keyPoints.map(\.person.value) == ["alice", "erin"])
        #expect(report.keyPoints[0].sentences.contains { $0.watchWord == "exhausted" })
    }

    @Test func managerAndTeamLeaveOutPrivateEntriesAndSmallAggregates() throws {
        let team = try exampleTeam()
        let manager = try team.digest(team.week("2026-W47"), .manager, now: "2026-11-28T12:00:00")
        // Without carol's private recognition: recognition 1/4. Mood and energy rest on two people: withheld.
        // round(100 x (0.25 x 0.5 + 0.25 x 0.25) / 0.5) = round(37.5) = 38.
        #expect(manager.health.components == Health.Components(mood: nil, energy: nil, cadence: 0.5, recognition: 0.25))
        #expect(manager.health.withheld == ["mood", "energy"])
        #expect(manager.health.bands == Health.Bands(mood: nil, energy: nil))
        // 2026-W46 for the manager is cadence and recognition only: round(100 x (0.25 x 3/4 + 0.25 x 2/4) / 0.5) = 63.
        #expect(manager.health.score == 38 && manager.health.previous == 63)
        #expect(manager.signals.isEmpty)  // nobody past the cadence's grace yet; self has five kinds
        // A week later Carol is 15 days past a weekly one-on-one: the manager sees that, and only that kind.
        let later = try team.digest(team.week("2026-W48"), .manager, now: "2026-12-01T12:00:00")
        #expect(later.signals.map { "\($0.kind.rawValue):\($0.person)" } == ["overdue:carol"])
        #expect(manager.people?.allSatisfy { !$0.showsWellbeing && $0.mood == nil && $0.recognized30d == nil } == true)
        #expect(manager.keyPoints.isEmpty && manager.recognition.isEmpty)
        #expect(manager.actionItems != nil)

        let teamReport = try team.digest(team.week("2026-W47"), .team, now: "2026-11-28T12:00:00")
        #expect(teamReport.health.score == 38 && teamReport.people == nil && teamReport.signals.isEmpty)
        #expect(teamReport.actionItems == nil && teamReport.cadenceStrip == nil)
    }

    @Test func fewerThanThreePeopleShowNoAggregateOutsideSelf() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob")
        try team.oneOnOne("alice", "2026-11-17T10:00:00", mood: 4, energy: 4)
        try team.oneOnOne("bob", "2026-11-18T10:00:00", mood: 2, energy: 3)
        let period = team.week("2026-W47")
        let own = try team.digest(period, now: "2026-11-28T12:00:00")
        // mood (0.75 + 0.25)/2 = 0.5, energy (0.75 + 0.5)/2 = 0.625, cadence 1, recognition 0.
        // round(100 x (0.15 + 0.125 + 0.25 + 0)) = round(52.5) = 53.
        #expect(own.health.score == 53)
        for audience in [Audience.manager, .team] {
            let report = try team.digest(period, audience, now: "2026-11-28T12:00:00")
            #expect(report.health.score == nil)
            #expect(report.health.components == Health.Components())
            #expect(report.trend.allSatisfy { $0.score == nil })
            #expect(report.actionItems == nil)
            let markdown = try report.render(.md, templates: team.journal.templates)
            #expect(markdown.contains("## Team health: too few people to show"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
            let health = try #require(json["health"] as? [String: Any])
            #expect(health["score"] is NSNull && health["active_people"] is NSNull)
        }
    }

    @Test func nobodyHasMoodData() throws {
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol"] { try team.person(slug) }
        try team.oneOnOne("alice", "2026-11-17T10:00:00")
        try team.oneOnOne("bob", "2026-11-18T10:00:00")
        try team.kudos(["carol"], "2026-11-19T10:00:00")
        let report = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        // mood and energy drop out: cadence 2/3, recognition 1/3, weights 0.25 + 0.25 re-weighted to 1/2 each.
        // round(100 x (0.25 x 2/3 + 0.25 x 1/3) / 0.5) = 50.
        #expect(report.health.components.mood == nil && report.health.components.energy == nil)
        #expect(report.health.score == 50)
        #expect(!report.signals.contains { $0.kind == .moodDrop || $0.kind == .energyDrop || $0.kind == .overload })
        let markdown = try report.render(.md, templates: team.journal.templates)
        #expect(markdown.contains("| mood | no data |"))
    }

    /// Periods that end before the journal's first entry have no score, not 0 (everyone "overdue",
    /// no one recognized), also for profiles without `started:` (issue 17).
    @Test func periodsBeforeTheFirstEntryHaveNoScore() throws {
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol"] { try team.journal.recorder.addPerson(slug: slug, name: slug.capitalized + " Test") }
        try team.handWritten("entries/2026/11/2026-11-03-one-on-one-carol-PR1V8T.md", """
            ---
            kind: one-on-one
            id: PR1V8T
            date: 2026-11-03T10:00:00+01:00
            person: carol
            author: Dana Lee <dana@example.com>
            private: true
            ---
            Private.

            """, at: "2026-11-03T10:00:00")
        for slug in ["alice", "bob", "carol"] { try team.oneOnOne(slug, "2026-11-10T10:00:00", mood: 4, energy: 4) }
        try team.kudos(["alice", "bob", "carol"], "2026-11-11T10:00:00")
        try team.oneOnOne("alice", "2026-11-18T10:00:00", mood: 4, energy: 4)

        let own = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        // The private one-on-one of 3 November (2026-W45) is the first entry for yourself.
        #expect(own.trend.map(\.score).prefix(9).allSatisfy { $0 == nil })
        // 2026-W45, as of 8 November: carol met on the 3rd, alice and bob never; no recognition, no mood.
        // round(100 x (0.25 x 1/3 + 0.25 x 0) / 0.5) = round(16.67) = 17.
        #expect(own.trend[9].score == 17 && own.trend[10].score != nil && own.trend[11].score != nil, "\(own.trend.map(\.score))")
        // For the manager it is not there: the first entry they may see is of 10 November (2026-W46).
        let manager = try team.digest(team.week("2026-W47"), .manager, now: "2026-11-28T12:00:00")
        #expect(manager.trend.map { $0.score == nil } == Array(repeating: true, count: 10) + [false, false], "\(manager.trend.map(\.score))")
        let markdown = try manager.render(.md, templates: team.journal.templates)
        #expect(markdown.contains("Trend: 2026-W36 – · 2026-W37 – · "), "\(markdown)")
        let json = try #require((JSONSerialization.jsonObject(with: Data(manager.json().utf8)) as? [String: Any])?["health"] as? [String: Any])
        #expect((json["trend"] as? [[String: Any]])?.first?["score"] is NSNull)
        let html = try own.render(.html, templates: team.journal.templates)
        #expect(html.components(separatedBy: "r=\"3.5\"><title>").count - 1 == 3, "three points in the health chart")

        // A period wholly before the first entry: no score and no component, only "no data yet".
        let before = try team.digest(team.week("2026-W44"), now: "2026-11-28T12:00:00")
        #expect(before.health.score == nil && before.health.components == Health.Components() && before.health.previous == nil)
        #expect(try before.render(.md, templates: team.journal.templates).contains("## Team health: no data yet\n"))
        #expect(before.people?.count == 3)
        // Backfilled entries count from their own date, whenever they were recorded.
        try team.oneOnOne("bob", "2026-09-01T10:00:00", mood: 3)
        let backfilled = try team.digest(team.week("2026-W47"), .manager, now: "2026-11-28T12:00:00")
        #expect(backfilled.trend.allSatisfy { $0.score != nil }, "\(backfilled.trend.map(\.score))")
    }

    @Test func aHalfRoundsUpEvenWhenFloatingPointSaysOtherwise() throws {
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol"] { try team.person(slug) }
        for slug in ["alice", "bob", "carol"] { try team.oneOnOne(slug, "2026-11-10T10:00:00", mood: 2, energy: 2) }
        try team.oneOnOne("alice", "2026-11-20T10:00:00", mood: 2, energy: 2)
        try team.oneOnOne("bob", "2026-11-20T10:00:00", mood: 2, energy: 2)
        try team.kudos(["alice"], "2026-11-21T10:00:00")
        // mood 0.25, energy 0.25, cadence 2/3, recognition 1/3: exactly 37.5, which doubles compute
        // as 37.49999999999999; docs/Digest.md's round() gives 38.
        let report = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        #expect(report.health.score == 38)
    }

    @Test func theCadenceBoundaryIsNotOverdueAndTheDayAfterIs() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("bob", cadence: "biweekly")
        try team.oneOnOne("bob", "2026-11-08T23:30:00")
        let onTheDay = try team.digest(.range(from: LocalDay("2026-11-16")!, through: LocalDay("2026-11-22")!),
                                       now: "2026-12-01T12:00:00")
        #expect(onTheDay.people?.first?.daysSinceLast == 14 && onTheDay.people?.first?.overdue == false)
        let dayAfter = try team.digest(.range(from: LocalDay("2026-11-17")!, through: LocalDay("2026-11-23")!),
                                       now: "2026-12-01T12:00:00")
        #expect(dayAfter.people?.first?.daysSinceLast == 15 && dayAfter.people?.first?.overdue == true)
        // The signal waits a week past the cadence: 21 days is within the grace, 22 is not.
        #expect(dayAfter.signals.isEmpty)
        let lastGraceDay = try team.digest(.range(from: LocalDay("2026-11-23")!, through: LocalDay("2026-11-29")!),
                                           now: "2026-12-01T12:00:00")
        #expect(lastGraceDay.people?.first?.daysSinceLast == 21 && lastGraceDay.signals.isEmpty)
        let pastGrace = try team.digest(.range(from: LocalDay("2026-11-24")!, through: LocalDay("2026-11-30")!),
                                        now: "2026-12-01T12:00:00")
        #expect(pastGrace.signals.map(\.detail) == ["No one-on-one with Bob Test for 22 days (biweekly cadence)."])
    }

    @Test func aWeekAcrossTheYearEnd() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        // 2026 has 53 ISO weeks: 2026-W53 runs from Monday 28 December 2026 to Sunday 3 January 2027.
        let w53 = try #require(Period.week(year: 2026, week: 53, weekStart: 2))
        #expect(w53.start == LocalDay("2026-12-28") && w53.end == LocalDay("2027-01-03") && w53.label == "2026-W53")
        #expect(Period.week(year: 2025, week: 53, weekStart: 2) == nil)
        #expect(Period.week(containing: LocalDay("2027-01-02")!, weekStart: 2) == w53)
        #expect(team.week("2027-W01").previous(weekStart: 2) == w53)
        #expect(throws: JournalError.self) { try Period.parseWeek("2025-W53", today: LocalDay("2026-06-01")!, weekStart: 2) }

        try team.oneOnOne("alice", "2026-12-27T23:59:00", mood: 4)  // Sunday of 2026-W52
        try team.oneOnOne("alice", "2026-12-31T10:00:00", mood: 4)
        try team.oneOnOne("alice", "2027-01-03T23:59:00", mood: 3)  // in entries/2027/01, still 2026-W53
        try team.oneOnOne("alice", "2027-01-04T00:00:00", mood: 3)  // 2027-W01
        let report = try team.digest(w53, now: "2027-01-15T12:00:00")
        #expect(report.asOf == LocalDay("2027-01-03"))
        #expect(report.people?.first?.oneOnOnes == 2 && report.people?.first?.daysSinceLast == 0)
        #expect(report.people?.first?.mood == 3)
        #expect(report.trend.map(\.period.label).suffix(3) == ["2026-W51", "2026-W52", "2026-W53"])
        let next = try team.digest(team.week("2027-W01"), now: "2027-01-15T12:00:00")
        #expect(next.people?.first?.oneOnOnes == 1)
    }

    @Test func aWeekWithTheDSTChange() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        // Berlin leaves summer time at 03:00 on Sunday 25 October 2026: 2026-W43 lasts 169 hours.
        try team.oneOnOne("alice", "2026-10-18T23:59:59+02:00")  // W42
        try team.oneOnOne("alice", "2026-10-19T00:00:00+02:00")  // first second of W43
        try team.oneOnOne("alice", "2026-10-25T02:30:00+02:00")  // the hour that happens twice, first time
        try team.oneOnOne("alice", "2026-10-25T23:59:59+01:00")  // last second of W43
        try team.oneOnOne("alice", "2026-10-26T00:00:00+01:00")  // W44
        let w43 = team.week("2026-W43")
        let report = try team.digest(w43, now: "2026-11-28T12:00:00")
        #expect(report.people?.first?.oneOnOnes == 3)
        #expect(report.people?.first?.daysSinceLast == 0)
        let w44 = try team.digest(team.week("2026-W44"), now: "2026-11-28T12:00:00")
        #expect(w44.people?.first?.oneOnOnes == 1)
        // Whole calendar days across the change: 24 October to 1 November is 8 days, not 8 x 24 hours.
        let across = try TeamJournal(scratch: Scratch("dst-days"))
        try across.person("bob")
        try across.oneOnOne("bob", "2026-10-24T10:00:00")
        let later = try across.digest(.range(from: LocalDay("2026-10-26")!, through: LocalDay("2026-11-01")!),
                                      now: "2026-11-28T12:00:00")
        #expect(later.people?.first?.daysSinceLast == 8 && later.people?.first?.overdue == true)
    }

    @Test func aPersonWhoLeftDropsOutFromTheirLeavingDay() throws {
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol"] { try team.person(slug) }
        for slug in ["alice", "bob", "carol"] { try team.oneOnOne(slug, "2026-11-10T10:00:00", mood: 5) }
        try team.oneOnOne("carol", "2026-11-17T10:00:00", note: "Handed over the pipeline to bob. The handover notes are in the wiki.")
        try team.oneOnOne("carol", "2026-11-20T08:00:00", note: "Exit interview: she is quitting for a startup.")
        team.journal.now = team.instant("2026-11-20T09:00:00")
        try team.journal.recorder.leave("carol", on: "2026-11-20")
        let before = try team.digest(team.week("2026-W46"), now: "2026-11-28T12:00:00")
        #expect(before.health.activePeople == 3)
        let after = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        #expect(after.health.activePeople == 2)
        #expect(after.people?.map(\.slug.value) == ["alice", "bob"])
        #expect(!after.signals.contains { $0.person.value == "carol" })
        // Her notes up to the day before she left are key points; the leaving day's are not (issue 17).
        let carol = try #require(after.keyPoints.first { $0.person.value == "carol" })
        #expect(carol.sentences.map(\.text) == ["Handed over the pipeline to bob.", "The handover notes are in the wiki."])
    }

    @Test func periodsParseAndRefuseClearly() throws {
        let today = LocalDay("2026-11-28")!
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let now = Date()
        func parse(week: String? = nil, month: String? = nil, since: String? = nil, until: String? = nil) throws -> Period {
            try Period.parse(week: week, month: month, since: since, until: until, today: today, now: now, zone: zone,
                             weekStart: 2)
        }
        #expect(try parse().label == "2026-W48")
        #expect(try parse(week: "last").label == "2026-W47")
        #expect(try parse(week: "2026-w10").start == LocalDay("2026-03-02"))
        #expect(try parse(month: "").label == "2026-11")
        #expect(try parse(month: "last") == Period.month(year: 2026, month: 10))
        #expect(try parse(month: "2024-02").end == LocalDay("2024-02-29"))
        #expect(try parse(since: "2026-11-01").end == today)
        for bad in [{ try parse(week: "48") }, { try parse(week: "2026-W54") }, { try parse(month: "2026-13") },
                    { try parse(until: "2026-11-01") }, { try parse(since: "2026-11-10", until: "2026-11-01") },
                    { try parse(week: "2027-W10") }, { try parse(week: "last", month: "last") }] {
            #expect(throws: JournalError.self) { try bad() }
        }
        // A Sunday-start week is named after the ISO week that begins the next day.
        let sunday = Period.week(containing: LocalDay("2026-11-29")!, weekStart: 1)
        #expect(sunday.start == LocalDay("2026-11-29") && sunday.label == "2026-W49")
    }
}
