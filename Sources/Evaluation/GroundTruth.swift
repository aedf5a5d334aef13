import Foundation
import Journal

/// The episodes of a simulated person (docs/Evaluation.md). Each one owed a flag is what the
/// generator injected, with its days taken from the plan, not from a rule applied to the journal
/// (a rule the signals could share). Beside them, as `injected: false`: runs of scores the noise
/// alone made that meet a score definition (they explain alarms; only workload can, two wobbles
/// up in a row), and stretches without recognition or one-on-ones that meet a gap definition's
/// wording without being injected (they explain none; the score counts the alarms they cover).
enum GroundTruth {
    /// Days without recognition before a gap is one (the 36th day makes it observable).
    static let recognitionDays = 35
    /// An injected stretch without one-on-ones lasts cadence + 14 to + 28 days; it is observable
    /// once days-since-last exceeds cadence + 7.
    static let observableMargin = 7

    static func episodes(of person: SimulatedPerson, options: WorldOptions) -> [Episode] {
        var found: [Episode] = []
        let lastActive = person.left.map { min($0.adding(days: -1), options.lastDay) } ?? options.lastDay

        // Slumps and overloads: the injected runs of one-on-ones (2-4, each set 2 below usual or
        // to workload 4-5), a slump seen at its first one-on-one, an overload at its second.
        for kind in [Episode.Kind.moodSlump, .energySlump, .overload] {
            let spans = person.injections.filter { $0.kind == kind }.map(\.span)
            let seenAt = kind == .overload ? 1 : 0
            for span in spans {
                let run = person.meetings.filter { span.contains($0.day) }
                guard let last = run.last else { continue }
                found.append(Episode(kind: kind, person: person.slug, observable: run[min(seenAt, run.count - 1)].day, end: last.day,
                                     injected: true))
            }
            // Runs of untouched one-on-ones the noise alone put past the definition: a score two
            // below a usual of 3 or more (a wobble is one point, so never), or workload 4 or more
            // twice in a row (two wobbles up from a usual 3). One next to an injected run does not
            // count: the noise made only one of its one-on-ones.
            let test: (Meeting) -> Bool = switch kind {
            case .moodSlump: { person.usual.mood >= 3 && $0.scores.mood <= person.usual.mood - 2 }
            case .energySlump: { person.usual.energy >= 3 && $0.scores.energy <= person.usual.energy - 2 }
            default: { $0.scores.workload >= 4 }
            }
            for run in runs(of: person.meetings, where: { meeting in test(meeting) && !spans.contains { $0.contains(meeting.day) } })
            where run.count > seenAt {
                found.append(Episode(kind: kind, person: person.slug, observable: run[seenAt].day, end: run[run.count - 1].day,
                                     injected: false))
            }
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
