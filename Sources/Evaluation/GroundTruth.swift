import Foundation
import Journal

/// Reads the episodes off a simulated person's facts, by the definitions in docs/Evaluation.md,
/// rather than trusting the generator's plans: whatever the noise or the schedule did, an
/// episode is there exactly when the facts meet its definition. The plans only say which were
/// injected.
enum GroundTruth {
    /// Days without recognition before a gap is one (the 36th day makes it observable).
    static let recognitionDays = 35
    /// An injected stretch without one-on-ones lasts cadence + 14 to + 28 days; it is observable
    /// once days-since-last exceeds cadence + 7.
    static let observableMargin = 7

    static func episodes(of person: SimulatedPerson, options: WorldOptions) -> [Episode] {
        var found: [Episode] = []
        func add(_ kind: Episode.Kind, _ observable: LocalDay, _ end: LocalDay) {
            let injected = person.injections.contains { $0.kind == kind && $0.span.from <= end && observable <= $0.span.until }
            found.append(Episode(kind: kind, person: person.slug, observable: observable, end: end, injected: injected))
        }
        let lastActive = person.left.map { min($0.adding(days: -1), options.lastDay) } ?? options.lastDay

        // Slumps: consecutive one-on-ones two or more below a usual of 3 or more.
        for (kind, score) in [(Episode.Kind.moodSlump, \Scores.mood), (.energySlump, \Scores.energy)] {
            let usual = person.usual[keyPath: score]
            guard usual >= 3 else { continue }
            for run in runs(of: person.meetings, where: { $0.scores[keyPath: score] <= usual - 2 }) {
                add(kind, run[0].day, run[run.count - 1].day)
            }
        }
        // Overload: two or more consecutive one-on-ones at workload 4 or 5, seen at the second.
        for run in runs(of: person.meetings, where: { $0.scores.workload >= 4 }) where run.count >= 2 {
            add(.overload, run[1].day, run[run.count - 1].day)
        }
        // Recognition gaps: the ones the generator injected (6-10 weeks from a recognition),
        // observable on the 36th day, ending at the next recognition (a weekend's moves it to the
        // Friday before, so it is up to two days short of the plan) or the person's last day.
        let gaps = person.injections.filter { $0.kind == .recognitionGap }.map(\.span)
        for gap in gaps {
            let next = person.recognitions.first { $0 > gap.from } ?? lastActive
            found.append(Episode(kind: .recognitionGap, person: person.slug, observable: gap.from.adding(days: recognitionDays + 1),
                                 end: min(next, lastActive), injected: true))
        }
        // Other stretches of more than 35 days, counted from the later of started and the last
        // recognition (the history's first day for someone who was there before it): a rarely
        // recognized person's long interval. They explain no alarm; the score counts the alarms
        // they would have excused.
        var anchor = max(person.started, options.historyStart)
        for next in person.recognitions + [lastActive.adding(days: 1)] {
            if anchor.days(until: next) > recognitionDays + 1, !gaps.contains(where: { $0.from == anchor }) {
                found.append(Episode(kind: .recognitionGap, person: person.slug, observable: anchor.adding(days: recognitionDays + 1),
                                     end: min(next, lastActive), injected: false))
            }
            anchor = next
        }
        // Missed cadence: the stops the generator injected (cadence + 14 to + 28 days without a
        // one-on-one), observable once days since the last exceed cadence + 7, ending at the next.
        let cadence = person.cadence.days
        let stops = person.injections.filter { $0.kind == .missedCadence }.map(\.span)
        for stop in stops {
            found.append(Episode(kind: .missedCadence, person: person.slug, observable: stop.from.adding(days: cadence + observableMargin + 1),
                                 end: stop.until, injected: true))
        }
        // Other stretches with more than cadence + 7 days since the last one-on-one on some day
        // before the next and no recorded absence between (a forgotten vacation next to a moved
        // one-on-one): they meet the wording of the definition but were not injected, so they
        // explain no alarm; the score counts the alarms they would have excused.
        let days = person.meetings.map(\.day)
        for (last, next) in zip(days, days.dropFirst() + [lastActive.adding(days: 1)])
        where last.days(until: next) > cadence + observableMargin + 1 && !stops.contains(where: { $0.from == last }) {
            let between = DayRange(from: last.adding(days: 1), until: next.adding(days: -1))
            guard !person.recordedVacations.contains(where: { $0.overlaps(between) }) else { continue }
            found.append(Episode(kind: .missedCadence, person: person.slug, observable: last.adding(days: cadence + observableMargin + 1),
                                 end: min(next, lastActive), injected: false))
        }
        return found
    }

    /// The maximal runs of consecutive meetings that satisfy `test`.
    static func runs(of meetings: [Meeting], where test: (Meeting) -> Bool) -> [[Meeting]] {
        var result: [[Meeting]] = []
        var current: [Meeting] = []
        for meeting in meetings {
            if test(meeting) {
                current.append(meeting)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
