import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

@Suite struct KeyPointTests {
    let scratch = Scratch()

    /// The ranker sorts its input itself, so the order entries arrive in changes nothing; and a
    /// person whose first one-on-one of the period has no sentence (a heading, only action items)
    /// gets one section, not one per such meeting.
    @Test func keyPointsDependOnTheEntriesNotOnTheirOrder() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob")
        try team.oneOnOne("alice", "2026-11-16T10:00:00", note: "## Agenda")
        try team.oneOnOne("alice", "2026-11-17T10:00:00",
                          note: "The launch plan slipped again. We talked about the launch plan and the hiring plan. Lunch was good.")
        try team.oneOnOne("bob", "2026-11-17T10:00:00", note: "The launch plan needs a second reviewer. Bob is exhausted.")
        try team.oneOnOne("alice", "2026-11-18T10:00:00", note: "The hiring plan is late. The launch plan is on track now.")
        let report = try team.digest(team.week("2026-W47"), now: "2026-11-28T12:00:00")
        #expect(report.keyPoints.map(\.person.value) == ["alice", "bob"])

        let entries = team.journal.reader.scanEntries().entries.filter { $0.kind == .oneOnOne }
        let names: [Slug: String] = Dictionary(uniqueKeysWithValues: team.journal.reader.people().people.map { ($0.slug, $0.name) })
        let forwards = KeyPointRanker.rank(entries, names: names, watchWords: ["exhausted"])
        let backwards = KeyPointRanker.rank(entries.reversed(), names: names, watchWords: ["exhausted"])
        #expect(forwards.map(\.sentences) == backwards.map(\.sentences))
        #expect(forwards.map(\.sentences) == report.keyPoints.map(\.sentences))
        #expect(forwards[1].sentences.contains { $0.watchWord == "exhausted" })
    }
}
