import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal
import JournalDemo

/// The small-group rule across digests: no two manager or team digests, differenced, may give
/// one person's mood or energy. The attack: when one person met between two weekly digests, the
/// change of an exact mean, times 4 (the 1-5 scale over [0, 1]) and the group's size, is that
/// person's change of score.
@Suite struct DifferencingTests {
    /// The JSON of a digest without the commit it names, keys sorted: two journals that differ only
    /// in their commits give the same text exactly when every number and word they publish agrees.
    static func published(_ report: DigestReport, without dropped: [String] = []) -> String {
        guard var object = try? JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any] else { return "" }
        object["commit"] = nil
        var health = object["health"] as? [String: Any]
        for key in dropped { health?[key] = nil }
        object["health"] = health
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The attack on an exact mood component (the old manager digest, and self today): the recovered
    /// change of score of the one person who met, when `people` people have a mood in both digests.
    static func recoveredChange(from before: Double?, to after: Double?, people: Int) -> Int? {
        guard let before, let after else { return nil }
        return Int((4 * Double(people) * (after - before)).rounded())
    }

    @Test func twoWeeklyDigestsOfThreePeopleDoNotGiveAwayTheOneWhoMet() throws {
        // Alice, Bob and Carol met in 2026-W46 (moods 2, 4, 5); in 2026-W47 only Alice did (5).
        let team = try TeamJournal(scratch: Scratch())
        for slug in ["alice", "bob", "carol"] { try team.person(slug) }
        for (slug, mood) in [("alice", 2), ("bob", 4), ("carol", 5)] {
            try team.oneOnOne(slug, "2026-11-10T10:00:00", mood: mood, energy: 3)
        }
        let latest = try team.oneOnOne("alice", "2026-11-17T10:00:00", mood: 5, energy: 3)
        let (w46, w47) = (team.week("2026-W46"), team.week("2026-W47"))
        let now = "2026-11-28T12:00:00"
        // Self still sees the exact mean, so there the attack works: 4 x 3 x (11/12 - 8/12) = 3 = 5 - 2.
        let ownBefore = try team.digest(w46, .self, now: now), ownAfter = try team.digest(w47, .self, now: now)
        #expect(DifferencingTests.recoveredChange(from: ownBefore.health.components.mood, to: ownAfter.health.components.mood,
                                                  people: 3) == 3)
        var published: [String] = []
        for audience in [Audience.manager, .team] {
            let before = try team.digest(w46, audience, now: now), after = try team.digest(w47, audience, now: now)
            // No mean to difference: the old manager digests published 0.6667 and 0.9167 here.
            #expect(DifferencingTests.recoveredChange(from: before.health.components.mood, to: after.health.components.mood,
                                                      people: 3) == nil)
            #expect(before.health.components.mood == nil && after.health.components.energy == nil)
            // The means 11/3 and 14/3: steady, then high. The score is cadence and recognition only, and
            // nobody was recognized: all three met in 2026-W46, round(100 x (0.25 x 1 + 0.25 x 0) / 0.5) = 50;
            // in 2026-W47 Bob and Carol are overdue, round(100 x 0.25 x 1/3 / 0.5) = 17.
            #expect(before.health.bands == Health.Bands(mood: .steady, energy: .steady))
            #expect(after.health.bands == Health.Bands(mood: .high, energy: .steady))
            #expect(after.health.score == 17 && after.health.previous == 50 && after.health.withheld.isEmpty)
            published += [DifferencingTests.published(before), DifferencingTests.published(after)]
        }
        // Whatever Alice said in 2026-W47, as long as the band holds (4 + 4 + 5 is high too), the manager
        // and team digests of both weeks are the same documents: no number in them depends on her mood.
        let text = try String(contentsOfFile: team.journal.root + "/" + latest.path, encoding: .utf8)
        try team.handWritten(latest.path, text.replacingOccurrences(of: "mood: 5", with: "mood: 4"), at: "2026-11-25T10:00:00")
        var twin: [String] = []
        for audience in [Audience.manager, .team] {
            twin += try [w46, w47].map { DifferencingTests.published(try team.digest($0, audience, now: now)) }
        }
        #expect(twin == published)
        #expect(try team.digest(w47, .self, now: now).health.components.mood != ownAfter.health.components.mood)
    }

    /// A generated year: every weekly manager and team digest is the same document, bands aside,
    /// after every mood, energy and workload in the journal is replaced by another value; on the
    /// exact means (the self digest, and what manager digests published before) consecutive weeks
    /// give scores away.
    @Test func noPairOfWeeklyDigestsInAGeneratedYearGivesAwayAScore() throws {
        let scratch = Scratch()
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        var options = DemoOptions()
        options.people = 4
        options.weeks = 52
        options.seed = 11
        options.end = LocalDay("2026-11-27")
        options.timeZone = berlin
        let generatedAt = try #require(Timestamp(parsing: "2026-11-30T09:00:00+01:00", defaultZone: berlin)).date
        _ = try DemoJournal.generate(at: scratch.appending("demo"), options: options, now: generatedAt)
        let journal = try Journal.open(at: scratch.appending("demo"))
        let end = try #require(options.end)
        let firstMonday = end.adding(days: -end.weekdayFromMonday - 7 * (options.weeks - 1))
        let weeks = (0..<options.weeks).map {
            Period.week(containing: firstMonday.adding(days: 7 * $0), weekStart: journal.config.weekStart)
        }
        func digests(_ audience: Audience, of periods: [Period] = weeks) throws -> [DigestReport] {
            try periods.map { try Digest.build(journal: journal, period: $0, audience: audience, now: $0.end.adding(days: 1).start(in: berlin)) }
        }

        // The attack on the exact means: pairs of weeks where one person's latest mood (or energy)
        // changed and the group with a value stayed the same give that change exactly.
        let own = try digests(.self)
        var exposed = 0
        for (before, after) in zip(own, own.dropFirst()) {
            for (component, value) in [(\Health.Components.mood, \PersonRow.mood), (\Health.Components.energy, \PersonRow.energy)] {
                let old = Dictionary(uniqueKeysWithValues: (before.people ?? []).compactMap { row in row[keyPath: value].map { (row.slug, $0) } })
                let new = Dictionary(uniqueKeysWithValues: (after.people ?? []).compactMap { row in row[keyPath: value].map { (row.slug, $0) } })
                let changed = new.filter { old[$0.key] != $0.value }
                guard Set(old.keys) == Set(new.keys), old.count >= 3, changed.count == 1, let (slug, score) = changed.first else { continue }
                let recovered = DifferencingTests.recoveredChange(from: before.health.components[keyPath: component],
                                                                  to: after.health.components[keyPath: component], people: new.count)
                #expect(recovered == score - old[slug]!)
                exposed += 1
            }
        }
        print("Exact means give away one person's change of mood or energy in \(exposed) of \(2 * (weeks.count - 1)) pairs of weeks")
        #expect(exposed >= 5, "the year should hold weeks where one person's score is exposed by exact means")

        let managers = try digests(.manager), teams = try digests(.team)
        for report in managers + teams {
            #expect(report.health.components.mood == nil && report.health.components.energy == nil)
        }
        #expect(managers.contains { $0.health.bands?.mood != nil }, "the bands should be shown in some weeks")

        // Every 1-5 value moved one step round (1 -> 2 ... 5 -> 1), so each one changes.
        var replaced = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: journal.root + "/entries") where path.hasSuffix(".md") {
            let file = journal.root + "/entries/" + path
            let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n").map { line in
                for key in ["mood", "energy", "workload"] {
                    if line.hasPrefix(key + ": "), let value = Int(line.dropFirst(key.count + 2)) {
                        replaced += 1
                        return "\(key): \(value % 5 + 1)"
                    }
                }
                return line
            }
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
        #expect(replaced > 300)
        // After the history, so the commit is in no period's "closed" window.
        journal.now = generatedAt
        #expect(try !journal.recorder.commitHandEdits().committed.isEmpty)

        // The replacement moves the exact means (a sample of weeks is enough to see it).
        let sample = stride(from: 4, to: weeks.count, by: 8).map { weeks[$0] }
        let moved = zip(own.filter { sample.contains($0.period) }, try digests(.self, of: sample))
        #expect(moved.allSatisfy { $0.health.components.mood != $1.health.components.mood })
        for (original, replacedValues) in zip(managers + teams, try digests(.manager) + digests(.team)) {
            #expect(DifferencingTests.published(original, without: ["bands"])
                    == DifferencingTests.published(replacedValues, without: ["bands"]),
                    "\(original.audience) \(original.period.label)")
        }
    }
}
