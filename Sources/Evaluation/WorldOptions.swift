import Foundation
import Journal

/// What a generated world looks like: its size, its calendar and how much its scores wobble.
/// The defaults are the world of docs/Evaluation.md.
public struct WorldOptions: Sendable {
    public var seed: UInt64
    /// The probability that a recorded score is one point off the person's usual value.
    public var noise: Double
    public var people = 12
    /// The Monday of the first evaluated week. The history starts `warmUpWeeks` earlier, so
    /// every baseline and window is full by then and no week needs leaving out.
    public var firstWeek = LocalDay(year: 2025, month: 1, day: 6)!
    public var evaluatedWeeks = 52
    public var warmUpWeeks = 13
    public var timeZone = TimeZone(identifier: "UTC")!
    /// Injected episodes per person-year, by kind (12 people: 4, 4, 4, 3 and 4).
    public var episodeRates: [Episode.Kind: Double] = [
        .moodSlump: 1.0 / 3, .energySlump: 1.0 / 3, .overload: 1.0 / 3, .recognitionGap: 1.0 / 4, .missedCadence: 1.0 / 3,
    ]

    /// The share of vacations the manager forgets to write into `away:`.
    public var unrecordedVacationShare = 1.0 / 3
    /// One-on-ones moved 1-6 days later (not an episode), per person-year.
    public var slipsPerPersonYear = 1.0

    public static let defaultNoise = 0.25

    public init(seed: UInt64, noise: Double = WorldOptions.defaultNoise) {
        self.seed = seed
        self.noise = noise
    }

    public var historyStart: LocalDay { firstWeek.adding(days: -7 * warmUpWeeks) }
    /// The Sunday that ends the last evaluated week: the history's last day.
    public var lastDay: LocalDay { firstWeek.adding(days: 7 * evaluatedWeeks - 1) }

    /// The evaluated week that holds `day` (negative in the warm-up).
    public func week(of day: LocalDay) -> Int {
        let days = firstWeek.days(until: day)
        return days >= 0 ? days / 7 : -((6 - days) / 7)
    }

    public func weekStart(_ week: Int) -> LocalDay { firstWeek.adding(days: 7 * week) }
    public func weekEnd(_ week: Int) -> LocalDay { firstWeek.adding(days: 7 * week + 6) }

    func validate() throws(EvaluationError) {
        guard (0...1).contains(noise) else { throw .options("noise must be from 0 to 1, not \(noise).") }
        guard (3...500).contains(people) else { throw .options("a world needs 3 to 500 people (a joiner, a leaver and someone else).") }
        guard evaluatedWeeks >= 40 else { throw .options("a world needs at least 40 evaluated weeks to place its joiner and leaver.") }
        guard warmUpWeeks >= 6 else { throw .options("a world needs at least 6 warm-up weeks for baselines to fill.") }
        guard firstWeek.weekdayFromMonday == 0 else { throw .options("the first evaluated week must start on a Monday.") }
        guard firstWeek.year >= 1980 else { throw .options("the history must start after 1980.") }
    }
}

/// Why an evaluation could not run.
public enum EvaluationError: Error, LocalizedError, Equatable {
    case options(String)

    public var errorDescription: String? {
        switch self {
        case .options(let message): "Evaluation options: \(message)"
        }
    }
}
