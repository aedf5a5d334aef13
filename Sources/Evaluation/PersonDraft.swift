import Foundation
import Journal

/// One person while the world is being generated: their fixed traits, the days reserved for the
/// episodes already planned, and the schedules built from those plans. `finished` freezes it.
struct PersonDraft {
    let slug: Slug
    let name: String
    let cadence: Cadence
    /// Days between planned one-on-ones: a monthly person meets every four weeks, inside the
    /// cadence's 31 days, so only a vacation or a missed stretch makes them late.
    let step: Int
    /// 0 = Monday ... 4 = Friday: the day of the week they meet.
    let weekday: Int
    /// Which week of their rhythm the history starts in.
    let phase: Int
    let started: LocalDay
    let left: LocalDay?
    let usual: Scores
    let recognizedRarely: Bool
    /// Their usual days between recognitions, for everyone not recognized rarely.
    let recognitionInterval: Int

    var vacations: [DayRange] = []
    /// The vacations left out of `away:` (the manager forgot them).
    var unrecorded: Set<DayRange> = []
    /// The days of one-on-ones moved later than their rhythm.
    var slips: [LocalDay] = []
    /// Each planned episode's days with a margin on both sides, so two never touch.
    var reserved: [DayRange] = []
    var missedStretches: [(after: LocalDay, length: Int)] = []
    var recognitionGaps: [(after: LocalDay, length: Int)] = []
    var meetingDays: [(day: LocalDay, hour: Int)] = []
    /// Meeting index -> the score an injected slump or overload sets.
    var moodOverrides: [Int: Int] = [:]
    var energyOverrides: [Int: Int] = [:]
    var workloadOverrides: [Int: Int] = [:]
    var recognitions: [LocalDay] = []
    var injections: [Injection] = []

    /// The last day they can have a one-on-one or a recognition: the day before leaving, or the history's end.
    func lastActiveDay(_ options: WorldOptions) -> LocalDay {
        left.map { min($0.adding(days: -1), options.lastDay) } ?? options.lastDay
    }

    func isFree(_ range: DayRange) -> Bool {
        !reserved.contains { $0.overlaps(range) }
    }

    func isAway(during range: DayRange) -> Bool {
        vacations.contains { $0.overlaps(range) }
    }

    /// The vacations in the profile's `away:`.
    var recordedVacations: [DayRange] { vacations.filter { !unrecorded.contains($0) } }

    // MARK: - Vacations

    /// 1-3 whole weeks off in the evaluated year, and now and then one in the warm-up; never in
    /// a joiner's first six weeks or a leaver's last two, and four weeks apart at least. Each is
    /// left out of `away:` with the options' share, drawn from `calendar` (the stream of the
    /// manager's lapses, so the rest of the world is drawn as without them).
    mutating func placeVacations(_ options: WorldOptions, _ random: inout SplitMix64, _ calendar: inout SplitMix64) {
        var wanted = [(Int, Int)](repeating: (0, options.evaluatedWeeks - 1), count: random.int(in: 1...3))
        if random.chance(0.3) { wanted.append((-options.warmUpWeeks + 2, -2)) }
        for (first, last) in wanted {
            for _ in 0..<30 {
                let monday = options.weekStart(random.int(in: first...last))
                let week = DayRange(from: monday, until: monday.adding(days: 6))
                guard monday >= started.adding(days: 42), week.until < lastActiveDay(options).adding(days: -14),
                      vacations.allSatisfy({ abs($0.from.days(until: monday)) >= 28 }) else { continue }
                vacations.append(week)
                break
            }
        }
        vacations.sort { $0.from < $1.from }
        for vacation in vacations where calendar.chance(options.unrecordedVacationShare) { unrecorded.insert(vacation) }
    }

    // MARK: - Planning episodes

    /// One-on-ones stop for cadence + 14 to cadence + 28 days (whole weeks, as the meeting day
    /// stays), away from any vacation, and resume well before the history ends.
    mutating func planMissedCadence(_ options: WorldOptions, _ random: inout SplitMix64) -> Bool {
        let weeks = (1...12).filter { (cadence.days + 14...cadence.days + 28).contains(7 * $0) }
        let length = 7 * random.pick(weeks)
        let earliest = max(options.firstWeek.adding(days: 7), started.adding(days: 35))
        let latest = lastActiveDay(options).adding(days: -(step + length + 35))
        guard earliest <= latest else { return false }
        let after = earliest.adding(days: random.int(in: 0...earliest.days(until: latest)))
        let window = DayRange(from: after.adding(days: -28), until: after.adding(days: step + length + 28))
        let quiet = DayRange(from: after.adding(days: -7), until: after.adding(days: step + length + 7))
        guard isFree(window), !isAway(during: quiet) else { return false }
        reserved.append(window)
        missedStretches.append((after, length))
        return true
    }

    /// No recognition for 6-10 weeks, for someone usually recognized every 2-4 weeks.
    mutating func planRecognitionGap(_ options: WorldOptions, _ random: inout SplitMix64) -> Bool {
        guard !recognizedRarely else { return false }
        let length = random.int(in: 42...70)
        let earliest = max(options.firstWeek.adding(days: 7), started.adding(days: 42))
        let latest = lastActiveDay(options).adding(days: -(length + 14))
        guard earliest <= latest else { return false }
        let after = earliest.adding(days: random.int(in: 0...earliest.days(until: latest)))
        let window = DayRange(from: after.adding(days: -35), until: after.adding(days: length + 28))
        guard isFree(window) else { return false }
        reserved.append(window)
        recognitionGaps.append((after, length))
        return true
    }

    /// 2-4 consecutive one-on-ones of a slump (the score 2 below usual, floor 1) or an overload
    /// (workload 4 or 5), after four one-on-ones of baseline and ending three weeks before the
    /// history does, so the two weeks after it becomes observable are all evaluated.
    mutating func planRun(_ kind: Episode.Kind, _ options: WorldOptions, _ random: inout SplitMix64) -> Bool {
        let length = random.int(in: 2...4)
        let candidates = meetingDays.indices.filter { index in
            index >= 4 && index + length <= meetingDays.count
                && meetingDays[index].day >= options.firstWeek.adding(days: 7)
                && meetingDays[index + length - 1].day <= options.lastDay.adding(days: -21)
        }
        guard !candidates.isEmpty else { return false }
        let first = random.pick(candidates)
        let run = first..<(first + length)
        let span = DayRange(from: meetingDays[run.lowerBound].day, until: meetingDays[run.upperBound - 1].day)
        // Four untouched one-on-ones before it (the baseline a drop is seen against, months for a
        // monthly person) and two after it, or three and four weeks, whichever is longer.
        let window = DayRange(from: min(meetingDays[first - 4].day, span.from.adding(days: -21)),
                              until: max(meetingDays[min(meetingDays.count - 1, run.upperBound + 1)].day, span.until.adding(days: 28)))
        guard isFree(window) else { return false }
        reserved.append(window)
        for index in run {
            switch kind {
            case .moodSlump: moodOverrides[index] = max(1, usual.mood - 2)
            case .energySlump: energyOverrides[index] = max(1, usual.energy - 2)
            case .overload: workloadOverrides[index] = random.int(in: 4...5)
            case .recognitionGap, .missedCadence: preconditionFailure("\(kind) is not a run of one-on-ones")
            }
        }
        injections.append(Injection(kind: kind, span: span))
        return true
    }

    // MARK: - Schedules

    /// One-on-ones on their weekday every `step` days from their first week (a joiner's start
    /// week). A vacation moves a due one-on-one to the week after; a planned missed stretch
    /// puts the next one `length` days after the first one on or after its day. Now and then
    /// (the options' rate per person-year, drawn from `calendar`) a one-on-one is moved 1-6 days
    /// later, before the next one and outside vacations, while the rhythm goes on from its
    /// planned day: never a joiner's first, nor the one a missed stretch starts or ends with.
    mutating func scheduleMeetings(_ options: WorldOptions, _ random: inout SplitMix64, _ calendar: inout SplitMix64) {
        let joiner = started > options.historyStart
        var day = joiner ? started.adding(days: weekday) : options.historyStart.adding(days: weekday + 7 * phase)
        var pending = missedStretches.sorted { $0.after < $1.after }
        let last = lastActiveDay(options)
        let slipChance = options.slipsPerPersonYear * Double(step) / 364
        var endsStretch = false
        while day <= last {
            if vacations.contains(where: { $0.contains(day) }) {
                day = day.adding(days: 7)
                continue
            }
            let hour = random.int(in: 9...16)
            let next: LocalDay
            let startsStretch: Bool
            if let stretch = pending.first, day >= stretch.after {
                pending.removeFirst()
                injections.append(Injection(kind: .missedCadence, span: DayRange(from: day, until: day.adding(days: stretch.length))))
                next = day.adding(days: stretch.length)
                startsStretch = true
            } else {
                next = day.adding(days: step)
                startsStretch = false
            }
            var held = day
            if calendar.chance(slipChance) {
                let moved = day.adding(days: calendar.int(in: 1...6))
                if !(joiner && meetingDays.isEmpty), !startsStretch, !endsStretch, moved < next, moved <= last,
                   !vacations.contains(where: { $0.contains(moved) }) {
                    held = moved
                    slips.append(moved)
                }
            }
            meetingDays.append((held, hour))
            endsStretch = startsStretch
            day = next
        }
    }

    /// Recognition on a weekday every so often: rarely recognized people every 28-40 days (so now
    /// and then past the digest's 35 without anything being wrong), others around their usual
    /// interval (never more than 35 days) unless a gap is planned. Someone who was there before
    /// the history is first recognized in its first three weeks.
    mutating func scheduleRecognitions(_ options: WorldOptions, _ random: inout SplitMix64) {
        var anchor = max(started, options.historyStart)
        var pending = recognitionGaps.sorted { $0.after < $1.after }
        var first = true
        let last = lastActiveDay(options)
        while true {
            var interval = recognizedRarely
                ? random.int(in: 28...40)
                : min(35, max(7, recognitionInterval + random.int(in: -5...5)))
            if first, started <= options.historyStart { interval = random.int(in: 0...min(interval, 21)) }
            if let gap = pending.first, anchor.adding(days: interval) >= gap.after {
                pending.removeFirst()
                interval = gap.length
                injections.append(Injection(kind: .recognitionGap, span: DayRange(from: anchor, until: anchor.adding(days: interval))))
            }
            var next = anchor.adding(days: interval)
            // Weekends move back to the Friday: a gap only ever shrinks.
            if next.weekdayFromMonday >= 5 { next = next.adding(days: 4 - next.weekdayFromMonday) }
            if next < anchor { next = anchor }
            guard next <= last else { break }
            recognitions.append(next)
            anchor = next
            first = false
        }
    }

    /// The recorded one-on-ones. Every score is first wobbled (one point off with probability
    /// `noise`, in a random direction, the other way at the scale's end), then an injected
    /// episode's value replaces the one it sets. The wobble stream makes the same number of
    /// draws whatever `noise` is, so two noise levels of one seed differ only in which scores
    /// wobble, and a higher level wobbles a superset of a lower one's.
    func meetings(noise: Double, _ wobble: inout SplitMix64) -> [Meeting] {
        meetingDays.enumerated().map { index, planned in
            var scores = Scores(mood: Self.wobbled(usual.mood, noise, &wobble), energy: Self.wobbled(usual.energy, noise, &wobble),
                                workload: Self.wobbled(usual.workload, noise, &wobble))
            if let mood = moodOverrides[index] { scores.mood = mood }
            if let energy = energyOverrides[index] { scores.energy = energy }
            if let workload = workloadOverrides[index] { scores.workload = workload }
            return Meeting(day: planned.day, hour: planned.hour, scores: scores)
        }
    }

    static func wobbled(_ usual: Int, _ noise: Double, _ wobble: inout SplitMix64) -> Int {
        let isOff = wobble.unit() < noise
        let step = wobble.chance(0.5) ? 1 : -1
        guard isOff else { return usual }
        return (1...5).contains(usual + step) ? usual + step : usual - step
    }
}
