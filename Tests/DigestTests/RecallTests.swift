import Digest
import Foundation
import Journal
import Testing
import TestSupport

/// Runs the weekly digests over a demo year whose stories are known (the episodes the generator
/// injects) and measures how many the signals catch, and how often they fire outside any story.
@Suite struct RecallTests {
    let scratch = Scratch()
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// The signal that should notice each kind of episode.
    static let family: [DemoEpisode.Kind: Signal.Kind] = [
        .overload: .overload, .moodSlump: .moodDrop, .recognitionGap: .recognitionGap, .missedCadence: .overdue,
    ]
    /// The signals that count as false alarms when they fire outside every episode.
    static let alarms: Set<Signal.Kind> = [.overload, .moodDrop, .energyDrop, .recognitionGap, .overdue]
    /// Signals lag their cause by design (a baseline of earlier one-on-ones, a 30-day window), so
    /// an episode still explains them this many weeks after it ends.
    static let tail = 2
    /// The journal holds nothing before its first week, so until the 30-day windows lie inside the
    /// history everyone not yet recognized or met shows a gap or is overdue: weeks 0-3.
    static let warmUp = 4

    @Test func weeklyDigestsCatchTheDemoEpisodes() throws {
        var options = DemoOptions()
        options.people = 10
        options.weeks = 52
        options.seed = 2026
        options.end = LocalDay("2026-11-27")
        options.timeZone = berlin
        let generatedAt = try #require(Timestamp(parsing: "2026-11-30T09:00:00+01:00", defaultZone: berlin)).date
        let summary = try DemoJournal.generate(at: scratch.appending("demo"), options: options, now: generatedAt)
        let episodes = summary.episodes
        #expect(Set(episodes.map(\.kind)) == Set(DemoEpisode.Kind.allCases))
        #expect(episodes.allSatisfy { $0.firstWeek <= $0.lastWeek && $0.start < $0.end })

        let journal = try Journal.open(at: scratch.appending("demo"))
        let end = try #require(options.end)
        let firstMonday = end.adding(days: -end.weekdayFromMonday - 7 * (options.weeks - 1))
        var signals: [[Signal]] = []
        for week in 0..<options.weeks {
            let period = Period.week(containing: firstMonday.adding(days: 7 * week), weekStart: journal.config.weekStart)
            let report = try Digest.build(journal: journal, period: period, audience: .self,
                                          now: period.end.adding(days: 1).start(in: berlin))
            signals.append(report.signals)
        }
        func fired(_ kind: Signal.Kind, for person: Slug, in week: Int) -> Bool {
            week < signals.count && signals[week].contains { $0.kind == kind && $0.person == person }
        }

        // Recall: an episode counts when its signal shows in its first week or the week after.
        var caught: [DemoEpisode.Kind: (flagged: Int, total: Int)] = [:]
        for episode in episodes {
            let signal = Self.family[episode.kind]!
            let flagged = fired(signal, for: episode.person, in: episode.firstWeek)
                || fired(signal, for: episode.person, in: episode.firstWeek + 1)
            caught[episode.kind, default: (0, 0)].total += 1
            if flagged { caught[episode.kind, default: (0, 0)].flagged += 1 }
            if !flagged { print("Missed: \(episode.kind.rawValue) \(episode.person) weeks \(episode.firstWeek)-\(episode.lastWeek)") }
        }
        let flagged = caught.values.reduce(0) { $0 + $1.flagged }
        let recall = Double(flagged) / Double(episodes.count)

        // False alarms: person-weeks with an alarm signal and no episode of that person running.
        var alarmWeeks = 0
        var falseAlarms = 0
        var warmUpAlarms = 0
        var falseByKind: [Signal.Kind: Int] = [:]
        for (week, weekSignals) in signals.enumerated() {
            let byPerson = Dictionary(grouping: weekSignals.filter { Self.alarms.contains($0.kind) }, by: \.person)
            for (person, personSignals) in byPerson {
                guard week >= Self.warmUp else {
                    warmUpAlarms += 1
                    continue
                }
                alarmWeeks += 1
                let explained = episodes.contains {
                    $0.person == person && ($0.firstWeek...($0.lastWeek + Self.tail)).contains(week)
                }
                guard !explained else { continue }
                falseAlarms += 1
                for kind in Set(personSignals.map(\.kind)) { falseByKind[kind, default: 0] += 1 }
            }
        }
        let falseRate = alarmWeeks == 0 ? 0 : Double(falseAlarms) / Double(alarmWeeks)

        func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
        print("Recall: \(flagged)/\(episodes.count) episodes flagged within two weeks (\(percent(recall)))")
        for kind in DemoEpisode.Kind.allCases {
            let (hit, total) = caught[kind] ?? (0, 0)
            print("  \(kind.rawValue): \(hit)/\(total)")
        }
        print("False alarms (weeks \(Self.warmUp)-\(options.weeks - 1)): \(falseAlarms) of \(alarmWeeks) person-weeks "
              + "with a signal (\(percent(falseRate))); warm-up weeks 0-\(Self.warmUp - 1): \(warmUpAlarms) person-weeks")
        print("  by signal: " + falseByKind.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))

        #expect(recall >= 0.9)
    }
}
