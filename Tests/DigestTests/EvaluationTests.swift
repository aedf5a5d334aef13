import Digest
import Evaluation
import Foundation
import Journal
import Testing
import TestSupport

/// The signals against generated ground truth (docs/Evaluation.md): issue 17's targets on three
/// fixed seeds, and checks that the yardstick itself is sound and repeatable.
@Suite struct EvaluationTests {
    static let seeds: [UInt64] = [1, 2, 3]

    /// The targets the signal definitions must reach, against injected episodes only: an overdue
    /// or recognition_gap alarm at a gap nobody injected (a forgotten vacation, a rarely
    /// recognized person's long interval) counts against them.
    @Test func signalsMeetTheTargetsOnThreeSeeds() throws {
        let score = try SignalEvaluation.score(seeds: Self.seeds, noise: WorldOptions.defaultNoise, jobs: 2)
        let summary = ScoreTable.summary(score)
        #expect(score.recall >= 0.95, "\(summary)")
        #expect(score.falseAlarmsPer20PersonWeeks <= 1.0, "\(summary)")
    }

    @Test(arguments: seeds) func groundTruthIsSane(seed: UInt64) throws {
        let world = try WorldGenerator.generate(WorldOptions(seed: seed))
        let options = world.options
        #expect(world.people.count == 12)
        for kind in Episode.Kind.allCases {
            #expect(world.episodes.contains { $0.kind == kind && $0.injected }, "no injected \(kind.rawValue)")
        }
        #expect(world.episodes.allSatisfy { $0.observable <= $0.end })
        // Injected episodes become observable in the evaluated year, with two weeks of digests left.
        for episode in world.episodes where episode.injected {
            #expect(options.firstWeek <= episode.observable && episode.observable <= options.lastDay.adding(days: -14))
        }
        // Slumps only for people whose usual score leaves room for one.
        for episode in world.episodes where episode.kind == .moodSlump || episode.kind == .energySlump {
            let person = try #require(world.people.first { $0.slug == episode.person })
            #expect((episode.kind == .moodSlump ? person.usual.mood : person.usual.energy) >= 3)
        }

        // The manager's lapses are there: forgotten vacations and moved one-on-ones.
        let vacations = world.people.reduce(0) { $0 + $1.vacations.count }
        let forgotten = vacations - world.people.reduce(0) { $0 + $1.recordedVacations.count }
        #expect(forgotten > 0 && forgotten < vacations, "\(forgotten) of \(vacations) vacations unrecorded")
        #expect(world.people.contains { !$0.slippedMeetings.isEmpty })
        // An injected stop is a stretch without one-on-ones that ends with one.
        for episode in world.episodes where episode.kind == .missedCadence && episode.injected {
            let person = try #require(world.people.first { $0.slug == episode.person })
            #expect(person.meetings.contains { $0.day == episode.end })
            #expect(!person.meetings.contains { episode.observable <= $0.day && $0.day < episode.end })
        }

        let joiners = world.people.filter { $0.started > options.historyStart }
        #expect(joiners.count == 1)
        for joiner in joiners {
            #expect(joiner.started >= options.firstWeek)
            #expect(joiner.meetings.first.map { joiner.started.days(until: $0.day) < 7 } == true)
            #expect(joiner.meetings.allSatisfy { $0.day >= joiner.started })
            #expect(joiner.recognitions.allSatisfy { $0 >= joiner.started })
        }
        let leavers = world.people.filter { $0.left != nil }
        #expect(leavers.count == 1)
        for leaver in leavers {
            let left = try #require(leaver.left)
            #expect(options.firstWeek < left && left < options.lastDay)
            #expect(leaver.meetings.allSatisfy { $0.day < left })
            #expect(leaver.recognitions.allSatisfy { $0 < left })
        }
        for person in world.people {
            let inYear = person.vacations.filter { options.firstWeek <= $0.from && $0.until <= options.lastDay }
            #expect((1...3).contains(inYear.count), "\(person.slug): \(inYear.count) vacations")
            #expect(person.vacations.allSatisfy { $0.from.weekdayFromMonday == 0 && $0.from.days(until: $0.until) == 6 })
            #expect(person.meetings.allSatisfy { meeting in !person.vacations.contains { $0.contains(meeting.day) } })
            #expect(Set(person.recordedVacations).isSubset(of: person.vacations))
            #expect(Set(person.slippedMeetings).isSubset(of: person.meetings.map(\.day)))
            #expect(zip(person.meetings, person.meetings.dropFirst()).allSatisfy { $0.day < $1.day })
            #expect(person.meetings.allSatisfy { [$0.scores.mood, $0.scores.energy, $0.scores.workload].allSatisfy((1...5).contains) })
        }
    }

    /// A noise level changes which scores wobble and nothing else, and a higher level wobbles
    /// every score a lower one does: the levels of one seed compare like for like.
    @Test func noiseLevelsShareTheirWorld() throws {
        let low = try WorldGenerator.generate(WorldOptions(seed: 5, noise: 0.20))
        let high = try WorldGenerator.generate(WorldOptions(seed: 5, noise: 0.33))
        for (quiet, noisy) in zip(low.people, high.people) {
            #expect(quiet.meetings.map(\.day) == noisy.meetings.map(\.day))
            #expect(quiet.recognitions == noisy.recognitions)
            #expect(quiet.vacations == noisy.vacations)
            for (calm, wobbly) in zip(quiet.meetings, noisy.meetings) where calm.scores != wobbly.scores {
                // Only where the lower level kept a usual value may the higher one differ.
                #expect(calm.scores.mood == quiet.usual.mood || calm.scores.mood == wobbly.scores.mood)
                #expect(calm.scores.energy == quiet.usual.energy || calm.scores.energy == wobbly.scores.energy)
            }
        }
        #expect(Set(low.episodes.filter(\.injected)) == Set(high.episodes.filter(\.injected)))
    }

    @Test func theJournalHoldsTheWorld() throws {
        let scratch = Scratch()
        let world = try WorldGenerator.generate(WorldOptions(seed: 2))
        let written = try JournalWriter.write(world, at: scratch.appending("journal"))
        let journal = try Journal.open(at: written.root)
        let (people, problems) = try journal.committed().people()
        #expect(problems.isEmpty)
        #expect(people.map(\.slug) == world.people.map(\.slug).sorted())
        for simulated in world.people {
            let person = try #require(people.first { $0.slug == simulated.slug })
            #expect(person.started == simulated.started)
            #expect(person.cadence == simulated.cadence)
            #expect(person.left == simulated.left)
            #expect(person.status == (simulated.left == nil ? .active : .left))
            let away = simulated.recordedVacations.map(\.description)
            #expect(away.isEmpty ? person.document["away"] == nil : person.document["away"] == .list(away))
        }
        let meetings = world.people.reduce(0) { $0 + $1.meetings.count }
        let recognitions = world.people.reduce(0) { $0 + $1.recognitions.count }
        #expect(written.entries == meetings + recognitions)
        #expect(written.commits == world.options.warmUpWeeks + world.options.evaluatedWeeks + 1)
    }

    @Test func sameSeedGivesByteIdenticalJournals() throws {
        let scratch = Scratch()
        let first = try JournalWriter.write(try WorldGenerator.generate(WorldOptions(seed: 3)), at: scratch.appending("first"))
        let second = try JournalWriter.write(try WorldGenerator.generate(WorldOptions(seed: 3)), at: scratch.appending("second"))
        #expect(first.head == second.head)
        let files = try Self.files(under: first.root)
        #expect(files.count > 500)
        #expect(files == (try Self.files(under: second.root)))
    }

    /// Every file of a work tree but the git folder, by relative path.
    static func files(under root: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = URL(fileURLWithPath: root)
        let walker = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker {
            if url.lastPathComponent == ".git" {
                walker.skipDescendants()
                continue
            }
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            result[String(url.path.dropFirst(base.path.count))] = try Data(contentsOf: url)
        }
        return result
    }
}
