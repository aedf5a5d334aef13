import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

/// The signal definitions of docs/Digest.md, one rule at a time, on small journals whose
/// numbers can be checked by hand. Weekly digests of 2026: W41 starts on Monday 5 October.
@Suite struct SignalRuleTests {
    let scratch = Scratch()

    func signals(_ team: TeamJournal, _ week: String, _ kind: Signal.Kind, _ person: String) throws -> [Signal] {
        try team.digest(team.week(week), now: "2026-12-01T12:00:00").signals.filter { $0.kind == kind && $0.person.value == person }
    }

    /// One point below a flat baseline is noise; three in a row is a shift; two below at once is a step.
    @Test func aOnePointDipIsNoDropButAShiftOrAStepIs() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob")
        for day in ["05", "12", "19", "26"] {
            try team.oneOnOne("alice", "2026-10-\(day)T10:00:00", mood: 4)
            try team.oneOnOne("bob", "2026-10-\(day)T11:00:00", mood: 4)
        }
        for day in ["2026-11-02", "2026-11-09", "2026-11-16"] { try team.oneOnOne("alice", day + "T10:00:00", mood: 3) }
        #expect(try signals(team, "2026-W45", .moodDrop, "alice").isEmpty)
        #expect(try signals(team, "2026-W46", .moodDrop, "alice").isEmpty)  // 3 and 3: 1.0 below on average, not 1.25
        let shift = try signals(team, "2026-W47", .moodDrop, "alice")
        #expect(shift.map(\.detail) == ["Alice Test's mood fell to 3, then 3, then 3 from an average of 4; ask how things are going."])
        #expect(shift.first?.evidence.count == 7)

        try team.oneOnOne("bob", "2026-11-02T11:00:00", mood: 2)
        let step = try signals(team, "2026-W45", .moodDrop, "bob")
        #expect(step.map(\.detail) == ["Bob Test's mood fell to 2 from an average of 4; ask how things are going."])
        #expect(step.first?.status == .new)
    }

    /// A signal is said the week its evidence appears; again only with new evidence ("still") or
    /// when it escalates; never unchanged week after week.
    @Test func aSignalIsNotRepeatedUnchanged() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("carol", cadence: "biweekly")
        try team.oneOnOne("carol", "2026-10-05T10:00:00")
        // 20 days (W43, as of 25 Oct) is within 14 + 7; 27 days is the first report; then nothing
        // until the gap doubles past 21 days (42): W47, as of 22 Nov, 48 days.
        #expect(try signals(team, "2026-W43", .overdue, "carol").isEmpty)
        #expect(try signals(team, "2026-W44", .overdue, "carol").map(\.status) == [.new])
        #expect(try signals(team, "2026-W45", .overdue, "carol").isEmpty)
        #expect(try signals(team, "2026-W46", .overdue, "carol").isEmpty)
        let escalated = try signals(team, "2026-W47", .overdue, "carol")
        #expect(escalated.map(\.status) == [.still])
        #expect(escalated.first?.detail == "No one-on-one with Carol Test for 48 days (biweekly cadence).")

        // A drop that holds at the next one-on-one is new evidence: reported again, as "still".
        try team.person("bob")
        for day in ["05", "12", "19", "26"] { try team.oneOnOne("bob", "2026-10-\(day)T11:00:00", mood: 4) }
        try team.oneOnOne("bob", "2026-11-02T11:00:00", mood: 2)
        #expect(try signals(team, "2026-W46", .moodDrop, "bob").isEmpty)  // no one-on-one that week: nothing new
        try team.oneOnOne("bob", "2026-11-16T11:00:00", mood: 2)
        #expect(try signals(team, "2026-W47", .moodDrop, "bob").map(\.status) == [.still])
        let rendered = try team.digest(team.week("2026-W47"), now: "2026-12-01T12:00:00").render(.md, templates: team.journal.templates)
        #expect(rendered.contains("still: Bob Test's mood fell to 2, then 2"), "\(rendered)")
    }

    /// Away days do not count against the cadence; while away, no signal (but the watch words
    /// the manager wrote that week).
    @Test func someoneAwayIsNotSignalled() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("dan")
        try team.person("erin")
        try team.oneOnOne("dan", "2026-10-26T10:00:00")
        try team.oneOnOne("erin", "2026-10-26T11:00:00")
        team.journal.now = team.instant("2026-10-30T09:00:00")
        let (person, span) = try team.journal.recorder.away("dan", from: "2026-11-02", until: "2026-11-15")
        #expect(span == LocalDay("2026-11-02")!...LocalDay("2026-11-15")! && person.away == [span])
        #expect(throws: JournalError.self) { try team.journal.recorder.away("dan", from: "2026-11-10", until: "2026-11-20") }
        #expect(throws: JournalError.self) { try team.journal.recorder.away("dan", from: "2026-12-10", until: "2026-12-01") }

        let duringAway = try team.digest(team.week("2026-W46"), now: "2026-12-01T12:00:00")
        // The overdue field keeps the plain definition (as `due` and the score do); the signal waits.
        #expect(duringAway.people?.first { $0.slug.value == "dan" }?.overdue == true)
        #expect(duringAway.people?.first { $0.slug.value == "erin" }?.overdue == true)
        #expect(!duringAway.signals.contains { $0.person.value == "dan" })
        #expect(duringAway.signals.contains { $0.person.value == "erin" && $0.kind == .overdue })
        // Back: 27 days since, 14 of them away, so 13 count against a weekly cadence and its week of grace.
        let back = try team.digest(team.week("2026-W47"), now: "2026-12-01T12:00:00")
        #expect(back.people?.first { $0.slug.value == "dan" }?.overdue == true)
        #expect(!back.signals.contains { $0.person.value == "dan" && $0.kind == .overdue })
        let later = try team.digest(team.week("2026-W48"), now: "2026-12-01T12:00:00")
        #expect(later.signals.first { $0.person.value == "dan" && $0.kind == .overdue }?.detail
            == "No one-on-one with Dan Test for 34 days, 14 of them away (weekly cadence).")
        // A skip-level is not told how long someone was away.
        let manager = try team.digest(team.week("2026-W48"), .manager, now: "2026-12-01T12:00:00")
        #expect(manager.signals.first { $0.person.value == "dan" }?.detail == "No one-on-one with Dan Test for 34 days (weekly cadence).")
        // Overlapping spans (a hand edit) count each day once; a year-long typo is refused.
        #expect(throws: JournalError.self) { try team.journal.recorder.away("erin", from: "2026-12-01", until: "2072-12-01") }
    }

    /// A journal's first digest reports what already holds; a watch word written before someone
    /// went away is still reported; overlapping spans count each day once.
    @Test func theFirstDigestAndAnAbsenceLoseNothing() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("hana", started: "2025-01-01")
        try team.oneOnOne("hana", "2026-11-16T10:00:00", note: "She is interviewing elsewhere.")
        team.journal.now = team.instant("2026-11-18T09:00:00")
        _ = try team.journal.recorder.away("hana", from: "2026-11-20", until: "2026-11-30")
        let first = try team.digest(team.week("2026-W47"), now: "2026-12-01T12:00:00")
        // Away from Friday on, Hana raises no signal but the watch word the manager wrote on Monday.
        // The previous week ends before the journal's first entry, so whatever holds is news (and
        // the recognition gap counts from that entry, 16 November, not from started: in 2025).
        #expect(first.signals.map(\.kind) == [.watchWord])
        let profile = team.journal.root + "/people/hana.md"
        let text = try String(contentsOfFile: profile, encoding: .utf8)
            .replacingOccurrences(of: "away: [2026-11-20..2026-11-30]", with: "away: [2026-11-20..2026-11-30, 2026-11-25..2026-12-03]")
        try team.handWritten("people/hana.md", text, at: "2026-11-19T10:00:00")
        let person = try team.journal.reader.person("hana")
        #expect(person.daysAway(from: LocalDay("2026-11-01")!, through: LocalDay("2026-12-31")!) == 14)
    }

    /// The recognition gap counts from the later of started: and the last recognition, over 35 days.
    @Test func theRecognitionGapCountsFromStartedOrTheLastRecognition() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("fay", started: "2026-10-01")
        try team.person("gus")
        try team.oneOnOne("fay", "2026-10-01T10:00:00")
        try team.kudos(["gus"], "2026-10-20T10:00:00")
        func gap(_ person: String, on day: String) throws -> [Signal] {
            try team.digest(.range(from: LocalDay(day)!, through: LocalDay(day)!), now: "2026-12-31T12:00:00")
                .signals.filter { $0.kind == .recognitionGap && $0.person.value == person }
        }
        #expect(try gap("fay", on: "2026-11-05").isEmpty)  // 35 days since starting
        #expect(try gap("fay", on: "2026-11-06").map(\.detail) == ["No recognition for Fay Test yet, 36 days in."])
        #expect(try gap("gus", on: "2026-11-24").isEmpty)
        #expect(try gap("gus", on: "2026-11-25").map(\.detail) == ["No recognition for Gus Test in 36 days."])
    }

    @Test(arguments: [
        ("She is interviewing elsewhere.", "interview"), ("Feeling burned-out after the launch.", "burned out"),
        ("Burnt out, honestly.", "burned out"), ("He keeps talking about quitting.", "quit"),
        ("Two interviews next week.", "interview"), ("Stressed about the deadline.", "stressed"),
        ("Everyone felt overwhelming pressure.", "overwhelmed"), ("Thinking about leaving.", "leaving"),
    ])
    func watchWordsMatchTheirInflections(sentence: String, word: String) {
        let words = JournalConfig().watchWords
        #expect(WatchWords.first(in: sentence, of: words) == word)
    }

    @Test(arguments: ["We shipped the quiz.", "She is unblocked now? No: the blockade is gone.", "Interviewer training went well.",
                      "Quite a good week.", "The lead left early."])
    func watchWordsDoNotMatchOtherWords(sentence: String) {
        #expect(WatchWords.first(in: sentence, of: JournalConfig().watchWords) == nil)
    }
}
