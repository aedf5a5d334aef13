import Digest
import Foundation
import Journal

/// The whole measurement in one call: generate a world, write it as a journal in a temporary
/// folder, run its weekly digests, score them, remove the folder.
public enum SignalEvaluation {
    /// One world's run: what was generated, what the digests said, and the score.
    public struct Run: Sendable {
        public let world: World
        public let alarms: [Alarm: Signal]
        public let score: Score
    }

    /// Evaluates the world of `options`. The journal is written in `folder` (a fresh temporary
    /// folder when nil), which is removed afterwards unless `keep` is set or it existed before.
    public static func run(_ options: WorldOptions, in folder: String? = nil, keep: Bool = false) throws -> Run {
        let world = try WorldGenerator.generate(options)
        let directory = folder ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-eval-\(options.seed)-\(UUID().uuidString.prefix(8))").path
        let existed = FileManager.default.fileExists(atPath: directory)
        defer { if !keep, !existed { try? FileManager.default.removeItem(atPath: directory) } }
        let written = try JournalWriter.write(world, at: directory)
        let journal = try Journal.open(at: written.root)
        let alarms = try Evaluator.alarms(in: journal, options: options)
        return Run(world: world, alarms: alarms, score: Score(world: world, alarms: alarms))
    }

    /// The summed score of `seeds` at `noise`, from worlds otherwise as `base` says. `jobs`
    /// worlds are evaluated at once, each with its own journal; the sum is the same whatever
    /// `jobs` is.
    public static func score(seeds: [UInt64], noise: Double, base: WorldOptions = WorldOptions(seed: 0), jobs: Int = 1) throws -> Score {
        let worlds = seeds.map { seed in
            var options = base
            options.seed = seed
            options.noise = noise
            return options
        }
        let results = Results(count: worlds.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, worlds.count))) { _ in
            while let index = results.take() {
                results.store(index, Result { try run(worlds[index]).score })
            }
        }
        return try results.scores().reduce(Score(), +)
    }

    /// The hand-out of world indices to workers and the collection of their scores.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var slots: [Result<Score, any Error>?]

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
        }

        func take() -> Int? {
            lock.withLock {
                // After a failure the remaining worlds are not started.
                guard next < slots.count, !slots.contains(where: { if case .failure = $0 { true } else { false } }) else { return nil }
                next += 1
                return next - 1
            }
        }

        func store(_ index: Int, _ result: Result<Score, any Error>) {
            lock.withLock { slots[index] = result }
        }

        /// In seed order, or the first failure.
        func scores() throws -> [Score] {
            try lock.withLock { try slots.compactMap { try $0?.get() } }
        }
    }
}
