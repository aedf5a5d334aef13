import Digest
import Foundation
import Journal

/// How the weekly digests of one or more worlds did against their episodes (docs/Evaluation.md):
/// recall per episode kind, false alarms per 20 active person-weeks, and precision. Scores of
/// several worlds add up with `+`.
public struct Score: Sendable {
    /// Episodes of one kind, and how many of them were flagged in time.
    public struct Tally: Sendable, Equatable {
        public var flagged = 0
        public var total = 0
        /// 1 when there were none to flag.
        public var rate: Double { total == 0 ? 1 : Double(flagged) / Double(total) }
    }

    /// An episode no digest flagged in time, for tuning.
    public struct Miss: Sendable {
        public let seed: UInt64
        public let episode: Episode
    }

    /// An alarm no episode explains, with the signal that raised it, for tuning.
    public struct FalseAlarm: Sendable {
        public let seed: UInt64
        public let alarm: Alarm
        public let signal: Signal
        /// A stretch the generator did not inject meets the wording of the episode's definition
        /// there (docs/Evaluation.md): a yardstick read off the facts would have excused it.
        public let meetsDefinition: Bool
    }

    /// The episode reported in the most weeks.
    public struct Repeated: Sendable {
        public let seed: UInt64
        public let episode: Episode
        public let weeks: Int
    }

    /// The longest run of consecutive weeks with an alarm no episode explains, of one person and kind.
    public struct FalseRun: Sendable {
        public let seed: UInt64
        public let person: Slug
        public let kind: Signal.Kind
        public let firstWeek: Int
        public let weeks: Int
    }

    /// An episode is flagged when its signal is reported for the person in the week holding the
    /// day it becomes observable or in one of the next `recallWeeks`.
    public static let recallWeeks = 2
    /// Signals lag by design (baselines, windows), so an episode still explains an alarm this
    /// many days after it ends.
    public static let explanationTail = 14

    public var worlds = 0
    /// Injected episodes only, by kind.
    public var recallByKind: [Episode.Kind: Tally] = [:]
    /// Every (person, week, kind) reported, of the judged kinds.
    public var alarms = 0
    public var explainedAlarms = 0
    public var activePersonWeeks = 0
    /// The manager's lapses in the worlds: vacations, those left out of `away:`, moved one-on-ones.
    public var vacations = 0
    public var unrecordedVacations = 0
    public var slippedMeetings = 0
    public var falseAlarmsByKind: [Signal.Kind: Int] = [:]
    /// Of the explained alarms, those only an episode the noise made explains (no injected one):
    /// the part of precision that holds because the signal's rule and the definition agree.
    public var explainedByNoiseByKind: [Signal.Kind: Int] = [:]
    /// Of the false alarms, those at a stretch that meets the definition's wording without being
    /// injected (a gap next to a forgotten vacation, a rarely recognized person's long interval).
    public var falseMeetingDefinitionByKind: [Signal.Kind: Int] = [:]
    /// Alarms whose signals are all `still` (true at the previous week's end too, reported again
    /// for new evidence or because they escalated).
    public var stillAlarms = 0
    /// The most weeks any one explaining episode was reported in (weeks with an alarm it explains).
    public var mostRepeated: Repeated?
    public var longestFalseRun: FalseRun?
    public var misses: [Miss] = []
    public var falseAlarms: [FalseAlarm] = []

    public init() {}

    /// Scores the alarms of one world's weekly digests against its episodes.
    public init(world: World, alarms: [Alarm: Signal]) {
        let options = world.options
        worlds = 1
        for kind in Episode.Kind.allCases { recallByKind[kind] = Tally() }
        for kind in Evaluator.judgedKinds { falseAlarmsByKind[kind] = 0 }
        // Owed a flag: the injected episodes (issue 17's target is about those) that become
        // observable in the evaluated year. One the noise made still explains alarms below.
        for episode in world.episodes where episode.injected {
            let first = options.week(of: episode.observable)
            guard (0..<options.evaluatedWeeks).contains(first) else { continue }
            let flagged = (first...(first + Score.recallWeeks)).contains {
                alarms[Alarm(person: episode.person, week: $0, kind: episode.kind.signal)] != nil
            }
            recallByKind[episode.kind, default: Tally()].total += 1
            if flagged {
                recallByKind[episode.kind, default: Tally()].flagged += 1
            } else {
                misses.append(Miss(seed: options.seed, episode: episode))
            }
        }
        let episodesByPerson = Dictionary(grouping: world.episodes, by: \.person)
        let ordered = alarms.sorted { ($0.key.week, $0.key.person, $0.key.kind.rawValue) < ($1.key.week, $1.key.person, $1.key.kind.rawValue) }
        for (alarm, signal) in ordered {
            self.alarms += 1
            let start = options.weekStart(alarm.week)
            let end = options.weekEnd(alarm.week)
            let covering = (episodesByPerson[alarm.person] ?? []).filter {
                $0.kind.signal == alarm.kind && $0.observable <= end && $0.end.adding(days: Score.explanationTail) >= start
            }
            if covering.contains(where: \.explainsAlarms) {
                explainedAlarms += 1
                if !covering.contains(where: \.injected) { explainedByNoiseByKind[alarm.kind, default: 0] += 1 }
            } else {
                falseAlarmsByKind[alarm.kind, default: 0] += 1
                if !covering.isEmpty { falseMeetingDefinitionByKind[alarm.kind, default: 0] += 1 }
                falseAlarms.append(FalseAlarm(seed: options.seed, alarm: alarm, signal: signal, meetsDefinition: !covering.isEmpty))
            }
        }
        activePersonWeeks = (0..<options.evaluatedWeeks).reduce(0) { $0 + world.activePeople(in: $1).count }
        // Repetition: how often the list says the same thing again.
        stillAlarms = alarms.values.filter { $0.status == .still }.count
        for episode in world.episodes where episode.explainsAlarms {
            let weeks = (0..<options.evaluatedWeeks).filter { week in
                alarms[Alarm(person: episode.person, week: week, kind: episode.kind.signal)] != nil
                    && episode.observable <= options.weekEnd(week)
                    && episode.end.adding(days: Score.explanationTail) >= options.weekStart(week)
            }.count
            if weeks > (mostRepeated?.weeks ?? 0) { mostRepeated = Repeated(seed: options.seed, episode: episode, weeks: weeks) }
        }
        let falseWeeks = Dictionary(grouping: falseAlarms.map(\.alarm), by: { "\($0.person.value) \($0.kind.rawValue)" })
        for (_, list) in falseWeeks.sorted(by: { $0.key < $1.key }) {
            let weeks = list.map(\.week).sorted()
            var first = 0
            for index in weeks.indices {
                if index > 0, weeks[index] != weeks[index - 1] + 1 { first = index }
                let length = index - first + 1
                if length > (longestFalseRun?.weeks ?? 0) {
                    longestFalseRun = FalseRun(seed: options.seed, person: list[0].person, kind: list[0].kind, firstWeek: weeks[first],
                                               weeks: length)
                }
            }
        }
        vacations = world.people.reduce(0) { $0 + $1.vacations.count }
        unrecordedVacations = vacations - world.people.reduce(0) { $0 + $1.recordedVacations.count }
        slippedMeetings = world.people.reduce(0) { $0 + $1.slippedMeetings.count }
    }

    public var flagged: Int { recallByKind.values.reduce(0) { $0 + $1.flagged } }
    public var episodes: Int { recallByKind.values.reduce(0) { $0 + $1.total } }
    public var falseAlarmCount: Int { alarms - explainedAlarms }

    /// Flagged episodes over all episodes, every kind together.
    public var recall: Double { episodes == 0 ? 1 : Double(flagged) / Double(episodes) }
    public var falseAlarmsPer20PersonWeeks: Double {
        activePersonWeeks == 0 ? 0 : 20 * Double(falseAlarmCount) / Double(activePersonWeeks)
    }
    /// Explained alarms over all alarms: the share of "Needs attention" lines worth reading.
    public var precision: Double { alarms == 0 ? 1 : Double(explainedAlarms) / Double(alarms) }

    public static func + (lhs: Score, rhs: Score) -> Score {
        var sum = lhs
        sum.worlds += rhs.worlds
        for (kind, tally) in rhs.recallByKind {
            sum.recallByKind[kind, default: Tally()].flagged += tally.flagged
            sum.recallByKind[kind, default: Tally()].total += tally.total
        }
        sum.alarms += rhs.alarms
        sum.explainedAlarms += rhs.explainedAlarms
        sum.activePersonWeeks += rhs.activePersonWeeks
        sum.vacations += rhs.vacations
        sum.unrecordedVacations += rhs.unrecordedVacations
        sum.slippedMeetings += rhs.slippedMeetings
        for (kind, count) in rhs.falseAlarmsByKind { sum.falseAlarmsByKind[kind, default: 0] += count }
        for (kind, count) in rhs.explainedByNoiseByKind { sum.explainedByNoiseByKind[kind, default: 0] += count }
        for (kind, count) in rhs.falseMeetingDefinitionByKind { sum.falseMeetingDefinitionByKind[kind, default: 0] += count }
        sum.stillAlarms += rhs.stillAlarms
        if (rhs.mostRepeated?.weeks ?? 0) > (sum.mostRepeated?.weeks ?? 0) { sum.mostRepeated = rhs.mostRepeated }
        if (rhs.longestFalseRun?.weeks ?? 0) > (sum.longestFalseRun?.weeks ?? 0) { sum.longestFalseRun = rhs.longestFalseRun }
        sum.misses += rhs.misses
        sum.falseAlarms += rhs.falseAlarms
        return sum
    }
}
