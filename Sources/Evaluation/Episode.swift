import Foundation
import Digest
import Journal

/// Something a manager should hear about, as the generated journal's facts define it
/// (docs/Evaluation.md): the ground truth the digest's signals are measured against.
public struct Episode: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case moodSlump = "mood_slump", energySlump = "energy_slump", overload, recognitionGap = "recognition_gap",
             missedCadence = "missed_cadence"

        /// The signal that should report an episode of this kind.
        public var signal: Signal.Kind {
            switch self {
            case .moodSlump: .moodDrop
            case .energySlump: .energyDrop
            case .overload: .overload
            case .recognitionGap: .recognitionGap
            case .missedCadence: .overdue
            }
        }

        /// Whether an episode of this kind that the generator did not inject explains alarms: a run
        /// of scores its noise made does (the journal holds it, whoever put it there); a gap it did
        /// not inject does not (a rarely recognized person's 38 days, a moved one-on-one after a
        /// forgotten vacation), since the only rule that says when one begins is the signal's own.
        public var explainsWhenNotInjected: Bool {
            switch self {
            case .moodSlump, .energySlump, .overload: true
            case .recognitionGap, .missedCadence: false
            }
        }

        /// Words for the printed table.
        public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let kind: Kind
    public let person: Slug
    /// The first day the journal shows it: a slump's first low one-on-one, an overload's second
    /// heavy one, the 36th day without recognition, the day days-since-last exceeds cadence + 7.
    public let observable: LocalDay
    /// The last day it is true: the last low or heavy one-on-one, the day of the next recognition
    /// or one-on-one (or the person's last day in the history).
    public let end: LocalDay
    /// Put there by the generator on purpose; false for one the noise made (two one-point-high
    /// workloads in a row meet the overload definition as well as an injected one).
    public let injected: Bool

    /// Whether it explains alarms (docs/Evaluation.md): every injected episode, and of the others
    /// only the kinds whose `explainsWhenNotInjected` says so.
    public var explainsAlarms: Bool { injected || kind.explainsWhenNotInjected }

    public init(kind: Kind, person: Slug, observable: LocalDay, end: LocalDay, injected: Bool) {
        self.kind = kind
        self.person = person
        self.observable = observable
        self.end = end
        self.injected = injected
    }
}
