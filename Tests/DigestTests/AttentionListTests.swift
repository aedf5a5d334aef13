import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

/// The digest as a manager reads it: "Needs attention" grouped per person with the entries it
/// rests on and at most seven lines, overdue items collapsed per person, the score's weights and
/// points, names in the recognition list, titles and the prep's recognition lines.
@Suite struct AttentionListTests {
    let scratch = Scratch()

    @Test func needsAttentionIsGroupedCitedCollapsedAndCapped() throws {
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol", "dan"] { try team.person(slug) }
        let alice = try team.oneOnOne("alice", "2026-11-02T10:00:00", actions: [
            "@alice send the draft due:2026-11-05", "@alice book the room due:2026-11-10", "@alice ask Legal due:2026-11-12",
        ])
        // Two watch-word sentences each for Bob, Carol and Dan this week: six signals, then Alice's two.
        for slug in ["bob", "carol", "dan"] {
            try team.oneOnOne(slug, "2026-11-18T10:00:00", note: "Feeling exhausted. Thinking about quitting.")
        }
        let report = try team.digest(team.week("2026-W47"), now: "2026-12-01T12:00:00")
        #expect(report.signals.map { "\($0.kind.rawValue):\($0.person)" } == [
            "watch_word:bob", "watch_word:bob", "watch_word:carol", "watch_word:carol", "watch_word:dan", "watch_word:dan",
            "overdue:alice", "action_overdue:alice",
        ])
        // The three items were late the week before too; the oldest has now doubled past a week.
        let late = try #require(report.signals.last)
        #expect(late.evidence == [alice.id] && late.status == .still)
        #expect(late.detail == "3 overdue action items with Alice Test, oldest 17 days: \(alice.id).1, \(alice.id).2, \(alice.id).3.")
        // One day late is "1 day".
        let dayAfter = try team.digest(.range(from: LocalDay("2026-11-06")!, through: LocalDay("2026-11-06")!), now: "2026-12-01T12:00:00")
        #expect(dayAfter.signals.first { $0.kind == .actionOverdue }?.detail
            == "Action item \(alice.id).1 for Alice Test is 1 day late: @alice send the draft due:2026-11-05.")

        let markdown = try report.render(.md, templates: team.journal.templates)
        let section = try #require(markdown.components(separatedBy: "## Needs attention\n").last?.components(separatedBy: "\n## ").first)
        #expect(section.split(separator: "\n").filter { $0.hasPrefix("  - ") }.count == 7, "\(section)")
        #expect(section.hasSuffix("- and 1 more (the JSON digest lists them all)\n"), "\(section)")
        let bob = try #require(report.signals.first?.evidence.first)
        #expect(section.hasPrefix("- **Bob Test**\n  - Bob Test: “Feeling exhausted.” mentions ‘exhausted’. (\(bob))\n"), "\(section)")
        #expect(section.contains("- **Alice Test**\n  - No one-on-one with Alice Test for 20 days (weekly cadence). (\(alice.id))\n"),
                "\(section)")
        // A front end names its own way to the full list.
        let html = try report.render(.html, templates: team.journal.templates, moreHint: "see --format json")
        #expect(html.contains("<span class=\"id\">(\(alice.id))</span>") && html.contains("and 1 more (see --format json)"))
        // JSON keeps every signal, with its status.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let signals = try #require(json["signals"] as? [[String: Any]])
        #expect(signals.map { $0["status"] as? String } == Array(repeating: "new", count: 7) + ["still"])
    }

    @Test func theScoreStatesItsWeightsAndPointsThatAddUp() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob")
        try team.oneOnOne("alice", "2026-11-17T10:00:00", mood: 4, energy: 3)
        try team.oneOnOne("bob", "2026-11-18T10:00:00", mood: 2, energy: 5)
        try team.kudos(["alice"], "2026-11-19T10:00:00")
        let report = try team.digest(team.week("2026-W47"), now: "2026-12-01T12:00:00")
        let points = report.weightRows.compactMap(\.points)
        #expect(points.count == 4)
        #expect(Int(points.reduce(0, +).rounded()) == report.health.score)
        let markdown = try report.render(.md, templates: team.journal.templates)
        #expect(markdown.contains("weights: mood 0.3, energy 0.2, cadence 0.25, recognition 0.25."))
        #expect(markdown.contains("| Component | Value | Weight | Points |"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let health = try #require(json["health"] as? [String: Any])
        #expect((health["weights"] as? [String: Double])?["mood"] == 0.3)
        #expect((health["points"] as? [String: Double])?.count == 4)
    }

    @Test func recognitionShowsNamesAndARangeHasNoTeamTitle() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.person("bob")
        try team.kudos(["bob", "alice"], "2026-11-19T10:00:00")
        let range = try team.digest(.range(from: LocalDay("2026-11-16")!, through: LocalDay("2026-11-22")!), now: "2026-12-01T12:00:00")
        let markdown = try range.render(.md, templates: team.journal.templates)
        #expect(markdown.hasPrefix("# Digest: 2026-11-16..2026-11-22\n"), "\(markdown.prefix(80))")
        #expect(markdown.contains("- 2026-11-19 · Bob Test, Alice Test · shipping: Shipped it."), "\(markdown)")
    }

    @Test func aPrivateKudosWithoutACategoryIsNotCalledRecognition() throws {
        let team = try TeamJournal(scratch: scratch)
        try team.person("alice")
        try team.handWritten("entries/2026/11/2026-11-19-recognition-alice-PK1D0S.md", """
            ---
            kind: recognition
            id: PK1D0S
            date: 2026-11-19T10:00:00+01:00
            people: [alice]
            author: Dana Lee <dana@example.com>
            visibility: private
            ---
            Covered for me while I was out.

            """, at: "2026-11-19T10:00:00")
        let sheet = try PrepSheet.build(journal: team.journal, person: "alice", now: team.instant("2026-11-20T09:00:00"))
        let text = try sheet.render(templates: team.journal.templates)
        #expect(text.contains("- 2026-11-19 · private: Covered for me while I was out. (PK1D0S)"), "\(text)")
        #expect(!text.contains("· recognition:"))
    }
}
