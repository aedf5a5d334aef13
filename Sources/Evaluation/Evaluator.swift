import Digest
import Foundation
import Journal

/// One "Needs attention" line as the evaluation counts it: a kind reported for a person in an
/// evaluated week's digest, however many signals of that kind the digest holds for them.
public struct Alarm: Sendable, Hashable {
    public let person: Slug
    /// The evaluated week, from 0.
    public let week: Int
    public let kind: Signal.Kind

    public init(person: Slug, week: Int, kind: Signal.Kind) {
        self.person = person
        self.week = week
        self.kind = kind
    }
}

/// Runs the digest the way a manager reads it: every week, the self digest of that week as of
/// its last moment.
public enum Evaluator {
    /// The signals that judge the facts. Watch words and overdue action items are not judged:
    /// they repeat what the manager wrote (a word in a note, a due date on an item), so they are
    /// neither caught nor false, and the evaluation leaves them out.
    public static let judgedKinds: [Signal.Kind] = [.moodDrop, .energyDrop, .overload, .recognitionGap, .overdue]

    /// The alarms of the 52 weekly digests of `journal`, each with the first signal that raised
    /// it, or the first `new` one when there is one (an alarm is `still` only when all its are).
    public static func alarms(in journal: Journal, options: WorldOptions) throws -> [Alarm: Signal] {
        var found: [Alarm: Signal] = [:]
        for week in 0..<options.evaluatedWeeks {
            let period = Period.week(containing: options.weekStart(week), weekStart: journal.config.weekStart)
            let now = period.end.adding(days: 1).start(in: journal.timeZone)
            let report = try Digest.build(journal: journal, period: period, audience: .self, now: now)
            for signal in report.signals where judgedKinds.contains(signal.kind) {
                let alarm = Alarm(person: signal.person, week: week, kind: signal.kind)
                if found[alarm] == nil || (found[alarm]?.status == .still && signal.status == .new) { found[alarm] = signal }
            }
        }
        return found
    }
}
