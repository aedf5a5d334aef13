import Foundation
import Journal

/// A simulated team over the whole history: who they are, when they met and were recognized,
/// when they were away, and the episodes those facts contain. Plain data: `JournalWriter`
/// turns it into journal files, `GroundTruth` read the episodes off it.
public struct World: Sendable {
    public let options: WorldOptions
    public let people: [SimulatedPerson]
    /// Every episode, ordered by the day it becomes observable.
    public let episodes: [Episode]

    /// People active during evaluated week `week`: started by its end and not left by then (the
    /// digest's own rule on its as-of day).
    public func activePeople(in week: Int) -> [SimulatedPerson] {
        let end = options.weekEnd(week)
        return people.filter { $0.isActive(on: end) }
    }
}

/// One report in the simulated team.
public struct SimulatedPerson: Sendable {
    public let slug: Slug
    public let name: String
    public let cadence: Cadence
    public let started: LocalDay
    /// The day they left (status left from then on), for the world's one leaver.
    public let left: LocalDay?
    /// The values their scores sit at when nothing is going on.
    public let usual: Scores
    /// Recognized every 28-40 days rather than every 2-4 weeks; never given an injected gap.
    public let recognizedRarely: Bool
    /// Whole weeks, Monday to Sunday, with no one-on-one, recorded or not.
    public let vacations: [DayRange]
    /// The vacations the manager wrote into the profile's `away:`; about a third are forgotten.
    public let recordedVacations: [DayRange]
    /// One-on-ones moved 1-6 days later than their rhythm (a rescheduled meeting, not an episode).
    public let slippedMeetings: [LocalDay]
    public let meetings: [Meeting]
    public let recognitions: [LocalDay]
    /// What the generator put there on purpose, to tell injected episodes from ones noise made.
    public let injections: [Injection]

    public func isActive(on day: LocalDay) -> Bool {
        started <= day && (left.map { day < $0 } ?? true)
    }

    /// Joined during the history (`started:` after its first day).
    public func joined(after day: LocalDay) -> Bool { started > day }
}

/// Mood, energy and workload, each 1-5.
public struct Scores: Sendable, Equatable {
    public var mood: Int
    public var energy: Int
    public var workload: Int
}

public struct Meeting: Sendable, Equatable {
    public let day: LocalDay
    public let hour: Int
    public let scores: Scores
}

/// Days from `from` to `until`, both included: how `away:` writes them (`FROM..UNTIL`).
public struct DayRange: Sendable, Hashable, CustomStringConvertible {
    public let from: LocalDay
    public let until: LocalDay

    public func contains(_ day: LocalDay) -> Bool { from <= day && day <= until }
    public func overlaps(_ other: DayRange) -> Bool { from <= other.until && other.from <= until }
    public var description: String { "\(from)..\(until)" }
}

/// An episode the generator planned: its kind and the days it covers, from its first affected
/// day to its last.
public struct Injection: Sendable, Equatable {
    public let kind: Episode.Kind
    public let span: DayRange
}
