import Age
import Foundation
import Journal

/// Settings for a generated journal.
public struct DemoOptions: Sendable {
    public var people = 8
    public var weeks = 26
    public var seed: UInt64 = 1
    /// The last day of the history (default: today in `timeZone`).
    public var end: LocalDay?
    public var timeZone: TimeZone = .current
    public var author = "Dana Lee <dana@example.com>"
    /// When set, the journal has `encrypt: all`: these recipients are listed in
    /// `.rapport/recipients` and every entry is encrypted to them.
    public var encryptTo: [AgeRecipient] = []

    public init() {}

    /// Adds an age recipient (`age1...`) written as text; false when the text is not one, so the
    /// caller, which knows where the text came from, words the error.
    public mutating func encrypt(to recipient: String) -> Bool {
        guard let parsed = try? AgeRecipient(string: recipient) else { return false }
        encryptTo.append(parsed)
        return true
    }
}

/// What was generated.
public struct DemoSummary: Sendable {
    public let people: Int
    public let oneOnOnes: Int
    public let recognitions: Int
    public let commits: Int
    public let openItems: Int
    public let closedItems: Int
    /// The stories the generator wrote on purpose, in order of their first week.
    public let episodes: [DemoEpisode]
    public var entries: Int { oneOnOnes + recognitions }
}

/// A story the demo put into the journal on purpose: the ground truth to measure the digest's
/// signals against.
public struct DemoEpisode: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case overload, moodSlump = "mood_slump", recognitionGap = "recognition_gap", missedCadence = "missed_cadence"
    }

    public let kind: Kind
    public let person: Slug
    /// Weeks of the demo counted from 0, both included: from the week the story starts (for a
    /// recognition gap, the first week whose 30-day window holds none) to the last week it is true.
    public let firstWeek: Int
    public let lastWeek: Int
    /// The Monday of `firstWeek`.
    public let start: LocalDay
    /// The Sunday of `lastWeek`.
    public let end: LocalDay
}
