import Foundation
import Journal

/// The digest's definitions (docs/Digest.md), applied to a dataset at a moment.
struct Calculator {
    let data: Dataset
    let config: JournalConfig
    let audience: Audience
    /// The journal's first entry, when known: nobody could be met or recognized before it.
    var firstDay: LocalDay?

    var zone: TimeZone { data.zone }

    /// Status active (or left after the as-of day) and started on or before it.
    func isActive(_ person: Person, on day: LocalDay) -> Bool {
        if let started = person.started, started > day { return false }
        switch person.status {
        case .active: return true
        case .left: return person.left.map { day < $0 } ?? false
        }
    }

    /// `forSignals` false leaves out what only signals use (drops, overload): the health score of
    /// the trend's twelve periods needs none of it.
    func states(at moment: Moment, forSignals: Bool = true) -> [PersonState] {
        data.people.filter { isActive($0, on: moment.asOfDay) }.map { state(of: $0, at: moment, forSignals: forSignals) }
    }

    func state(of person: Person, at moment: Moment, forSignals: Bool = true) -> PersonState {
        let cadence = person.cadence(default: config.defaultCadence)
        let meetings = (data.oneOnOnes[person.slug] ?? []).filter { $0.date.date < moment.cutoff }
        let last = meetings.last ?? data.earlier[person.slug]
        let days = last.map { $0.date.day(in: zone).days(until: moment.asOfDay) }
        func latest(_ value: (Entry.OneOnOne) -> Int?) -> (value: Int, entry: Entry)? {
            for entry in meetings.reversed() where moment.within(days: 28, entry) {
                if let number = entry.oneOnOne.flatMap(value) { return (number, entry) }
            }
            return nil
        }
        /// Only with a value in the last 28 days (`latest`): an old drop is no news.
        func drop(_ value: (Entry.OneOnOne) -> Int?, recent: Bool) -> PersonState.Drop? {
            guard forSignals, recent else { return nil }
            let scored = meetings.filter { moment.within(days: Digest.lookbackDays, $0) }
                .compactMap { entry in entry.oneOnOne.flatMap(value).map { (value: $0, entry: entry) } }
            return Calculator.drop(in: scored)
        }
        let mood = latest(\.mood)
        let energy = latest(\.energy)
        let workloads = !forSignals ? [] : meetings.filter { $0.oneOnOne?.workload != nil && moment.within(days: Digest.lookbackDays, $0) }.suffix(2)
        let overload = workloads.count == 2 && workloads.allSatisfy { ($0.oneOnOne?.workload ?? 0) >= 4 }
            ? Array(workloads.reversed()) : nil
        let recognitions = (data.recognitions[person.slug] ?? []).filter { $0.date.date < moment.cutoff }
        let recognized = recognitions.filter { moment.within(days: 30, $0) }
        let away = person.isAway(on: moment.asOfDay)
        let missed = last.map { last in
            let day = last.date.day(in: zone)
            return day.days(until: moment.asOfDay) - person.daysAway(from: day.adding(days: 1), through: moment.asOfDay)
        }
        // Known since: the later of started: and the journal's first entry (nobody could be met
        // or recognized before either). The gap counts from the last recognition when the digest
        // read one, else from then, but never from before what it read: an older recognition
        // would not be seen, so the count is a lower bound ("at least").
        let since = [person.started, firstDay].compactMap { $0 }.max()
        let gapStart = recognitions.last?.date.day(in: zone) ?? since.map { max($0, data.boundary) }
        return PersonState(
            person: person, cadence: cadence, inPeriod: meetings.filter(moment.inPeriod), last: last, daysSinceLast: days,
            overdue: days.map { $0 > cadence.days } ?? true, mood: mood, energy: energy, workload: latest(\.workload),
            moodDrop: drop(\.mood, recent: mood != nil), energyDrop: drop(\.energy, recent: energy != nil), overload: overload,
            recognized30d: recognized, away: away, daysMissed: missed,
            daysUnrecognized: gapStart.map { $0.days(until: moment.asOfDay) }, lastRecognition: recognitions.last,
            gapIsLowerBound: recognitions.isEmpty && since.map { $0 < data.boundary } ?? false,
            daysKnown: since.map { $0.days(until: moment.asOfDay) - person.daysAway(from: $0, through: moment.asOfDay) })
    }

    /// The drop rule (docs/Digest.md), on one person's scores in the lookback window, oldest
    /// first. A score wobbles a point now and then, so one point below a steady baseline is not a
    /// drop; it takes one large step (the latest 1.5 or more below the mean of up to four before
    /// it), or a shift that holds (the two latest averaging 1.25 below the four before them, or
    /// the three latest each 1.0 below). The baseline needs two scores at least.
    static func drop(in scored: [(value: Int, entry: Entry)]) -> PersonState.Drop? {
        // Of the rules that hold, the largest fall describes the drop best: "fell to 2, then 2
        // from 4" over "fell to 2 from 3.5" (a baseline that already holds the first 2).
        var best: PersonState.Drop?
        for (count, below, each) in [(3, 1.0, true), (2, 1.25, false), (1, 1.5, false)] {
            guard scored.count >= count + 2 else { continue }
            let latest = scored.suffix(count)
            let earlier = scored.dropLast(count).suffix(4)
            let mean = Double(earlier.reduce(0) { $0 + $1.value }) / Double(earlier.count)
            let values = latest.map(\.value)
            let fell = each ? values.allSatisfy { Double($0) <= mean - below }
                : Double(values.reduce(0, +)) / Double(count) <= mean - below
            let drop = PersonState.Drop(latest: values, baseline: mean,
                                        evidence: latest.reversed().map(\.entry) + earlier.reversed().map(\.entry))
            if fell, drop.size > (best?.size ?? 0) { best = drop }
        }
        return best
    }

    // MARK: - Health

    /// For the manager and team audiences mood and energy are bands, not components, so they
    /// drop out of the score like a component with no data: cadence and recognition, re-weighted.
    func health(at moment: Moment) -> Health {
        let states = states(at: moment, forSignals: false)
        let smallGroupRule = audience != .self
        var withheld: [String] = []
        // nil with nobody behind it, and for manager and team with fewer than 3 people (then named in `withheld`).
        func shown<Value>(_ name: String, over people: Int, _ value: () -> Value) -> Value? {
            guard people > 0 else { return nil }
            if smallGroupRule, people < 3 {
                withheld.append(name)
                return nil
            }
            return value()
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let moods = states.compactMap(\.mood?.value)
        let energies = states.compactMap(\.energy?.value)
        var components = Health.Components()
        var bands: Health.Bands?
        if audience == .self {
            components.mood = shown("mood", over: moods.count) { mean(moods.map { Double($0 - 1) / 4 }) }
            components.energy = shown("energy", over: energies.count) { mean(energies.map { Double($0 - 1) / 4 }) }
        } else {
            bands = Health.Bands(mood: shown("mood", over: moods.count) { Band(of: moods) },
                                 energy: shown("energy", over: energies.count) { Band(of: energies) })
        }
        components.cadence = shown("cadence", over: states.count) { mean(states.map { $0.overdue ? 0 : 1 }) }
        components.recognition = shown("recognition", over: states.count) { mean(states.map { $0.recognized30d.isEmpty ? 0 : 1 }) }
        let weights = config.healthWeights
        let score = Health.score([
            (components.mood, weights.mood), (components.energy, weights.energy),
            (components.cadence, weights.cadence), (components.recognition, weights.recognition),
        ])
        return Health(score: score, previous: nil, components: components, bands: bands, activePeople: states.count,
                      withheld: withheld)
    }

    // MARK: - Signals

    /// Days past the cadence before "overdue" becomes a signal: a one-week holiday nobody wrote
    /// down should not raise one (the `overdue` field and `due` count from the cadence itself).
    static let overdueGrace = 7

    /// Every signal true at `moment` (docs/Digest.md), before `reported` keeps the new ones.
    /// `items`: the action items of the lookback window (`itemsInWindow`), parsed once per digest.
    /// `watchWords` false leaves those out (the previous period's, which `reported` never needs:
    /// a watch word is its sentence, and each period has its own).
    func signals(_ states: [PersonState], at moment: Moment, items: [(ActionItem, Entry)], watchWords: Bool = true) -> [Signal] {
        var signals: [Signal] = []
        for state in states where !state.away {
            let name = state.person.name
            let slug = state.person.slug
            let threshold = state.cadence.days + Calculator.overdueGrace
            if let missed = state.daysMissed, let days = state.daysSinceLast, let last = state.last {
                if missed > threshold {
                    // How long someone was away is theirs and their manager's, not a skip-level's.
                    let away = days > missed && audience == .self ? ", \(days - missed) of them away" : ""
                    signals.append(Signal(
                        kind: .overdue, person: slug, detail: "No one-on-one with \(name) for \(days) days\(away) (\(state.cadence) cadence).",
                        evidence: [last.id], weight: Double(missed - state.cadence.days),
                        level: Calculator.doublings(Double(missed), over: Double(state.cadence.days + Calculator.overdueGrace))))
                }
            } else if state.last == nil {
                // Never met: the same grace, counted from started: (or the journal's first entry).
                let known = state.daysKnown ?? threshold + 1
                if known > threshold {
                    signals.append(Signal(kind: .overdue, person: slug,
                                          detail: "No one-on-one with \(name) on record (\(state.cadence) cadence).",
                                          evidence: [], weight: 10_000, level: Calculator.doublings(Double(known), over: Double(threshold))))
                }
            }
            for (drop, kind, what, advice) in [(state.moodDrop, Signal.Kind.moodDrop, "mood", "; ask how things are going."),
                                               (state.energyDrop, .energyDrop, "energy", ".")] {
                guard let drop else { continue }
                let values = drop.latest.map(String.init).joined(separator: ", then ")
                signals.append(Signal(
                    kind: kind, person: slug,
                    detail: "\(name)'s \(what) fell to \(values) from an average of \(Format.decimal(drop.baseline))\(advice)",
                    evidence: drop.evidence.map(\.id), weight: drop.size, level: Int(drop.size * 2)))
            }
            if let overload = state.overload {
                let values = overload.compactMap { $0.oneOnOne?.workload }
                signals.append(Signal(
                    kind: .overload, person: slug,
                    detail: "\(name) reported a workload of \(values.map(String.init).joined(separator: " and ")) in the last two one-on-ones; look at what can move.",
                    evidence: overload.map(\.id), weight: Double(values.reduce(0, +)), level: values.reduce(0, +)))
            }
            if let days = state.daysUnrecognized, days > config.recognitionGapDays {
                let since = state.lastRecognition != nil ? "No recognition for \(name) in \(days) days"
                    : state.gapIsLowerBound ? "No recognition for \(name) in at least \(days) days"
                    : "No recognition for \(name) yet, \(days) days in"
                signals.append(Signal(
                    kind: .recognitionGap, person: slug, detail: "\(since).",
                    evidence: state.lastRecognition.map { [$0.id] } ?? [], weight: Double(days),
                    level: Calculator.doublings(Double(days), over: Double(config.recognitionGapDays))))
            }
        }
        let names = Dictionary(data.people.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        let active = Set(states.filter { !$0.away }.map(\.person.slug))
        let watch = WatchWords(config.watchWords)
        // A watch word is what the manager wrote this period: said even if the person is away now.
        let present = Set(states.map(\.person.slug))
        for entry in data.entries where watchWords && entry.kind == .oneOnOne && moment.inPeriod(entry) {
            let person = entry.people[0]
            guard present.contains(person) else { continue }
            for sentence in Sentences.split(entry.body) {
                guard let word = watch.first(in: sentence) else { continue }
                signals.append(Signal(
                    kind: .watchWord, person: person,
                    detail: "\(names[person] ?? person.value): “\(sentence)” mentions ‘\(word)’.",
                    evidence: [entry.id], weight: 0))
            }
        }
        // Overdue action items: one signal per person, the oldest first.
        var late: [Slug: [(item: ActionItem, entry: Entry, days: Int)]] = [:]
        for (item, entry) in items where !item.isDone {
            guard let due = item.due, due < moment.asOfDay else { continue }
            let person: Slug
            if case .person(let owner) = item.owner { person = owner } else { person = entry.people[0] }
            // Items of people who have left are history, not something to chase.
            guard active.contains(person) else { continue }
            late[person, default: []].append((item, entry, due.days(until: moment.asOfDay)))
        }
        for (person, list) in late {
            let sorted = list.sorted { ($0.days, $1.item.reference) > ($1.days, $0.item.reference) }
            let oldest = sorted[0]
            let detail: String
            if sorted.count == 1 {
                let owner = oldest.item.owner == .me ? "you" : (names[person] ?? person.value)
                detail = "Action item \(oldest.item.reference) for \(owner) is \(Format.days(oldest.days)) late: \(Plain.text(oldest.item.text))."
            } else {
                detail = "\(sorted.count) overdue action items with \(names[person] ?? person.value), oldest \(Format.days(oldest.days)): "
                    + sorted.prefix(3).map(\.item.reference).joined(separator: ", ") + (sorted.count > 3 ? ", …" : ".")
            }
            var evidence: [EntryID] = []
            for entry in sorted.map(\.entry.id) where !evidence.contains(entry) { evidence.append(entry) }
            signals.append(Signal(kind: .actionOverdue, person: person, detail: detail, evidence: evidence,
                                  weight: Double(oldest.days), level: Calculator.doublings(Double(oldest.days), over: 7),
                                  marks: sorted.map(\.item.reference)))
        }
        return signals
    }

    /// How many times `value` has doubled past `threshold`: 0 from the threshold, 1 from twice it...
    static func doublings(_ value: Double, over threshold: Double) -> Int {
        guard threshold > 0, value >= threshold else { return 0 }
        return Int(log2(value / threshold).rounded(.down))
    }

    /// The signals a digest reports: those that were not true at the previous period's end, and
    /// those still true with new evidence (a new one-on-one that holds the drop, a newly late
    /// item) or that escalated (an overdue or gap that doubled, a deeper drop), marked "still". A
    /// signal unchanged since the previous period is not repeated: a list that says the same
    /// thing for weeks stops being read.
    func reported(_ current: [Signal], since previous: [Signal]) -> [Signal] {
        let before = Dictionary(previous.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return current.compactMap { signal in
            guard let earlier = before[signal.key] else { return signal }
            guard !Set(signal.marks).isSubset(of: earlier.marks) || signal.level > earlier.level else { return nil }
            var still = signal
            still.status = .still
            return still
        }
    }

    // MARK: - Action items

    /// Items in entries of the lookback window up to as-of.
    func itemsInWindow(at moment: Moment) -> [(ActionItem, Entry)] { itemsInWindows(at: [moment])[0] }

    /// The same for several moments, parsing each entry's items once (a digest needs its own
    /// period's and the previous one's, whose windows overlap).
    func itemsInWindows(at moments: [Moment]) -> [[(ActionItem, Entry)]] {
        let parsed = data.entries.filter { entry in moments.contains { $0.within(days: Digest.lookbackDays, entry) } }
            .map { (entry: $0, items: $0.actionItems) }
        return moments.map { moment in
            parsed.filter { moment.within(days: Digest.lookbackDays, $0.entry) }.flatMap { entry, items in items.map { ($0, entry) } }
        }
    }

    func actionItems(at moment: Moment, items: [(ActionItem, Entry)], closed: [Journal.TrackedItem]) -> ActionItemCounts {
        var counts = ActionItemCounts()
        func add(_ item: ActionItem, _ change: (inout ActionItemCounts.Counts) -> Void) {
            if item.owner == .me { change(&counts.me) } else { change(&counts.report) }
        }
        for (item, _) in items where !item.isDone {
            add(item) { $0.open += 1 }
            if let due = item.due, due < moment.asOfDay { add(item) { $0.overdue += 1 } }
        }
        for entry in data.entries where moment.inPeriod(entry) {
            for item in entry.actionItems { add(item) { $0.opened += 1 } }
        }
        for tracked in closed { add(tracked.item) { $0.closed += 1 } }
        return counts
    }

    // MARK: - Cadence strip

    /// One-on-ones per active person in each of the 12 weeks that end with the as-of day's week.
    func cadenceStrip(_ states: [PersonState], at moment: Moment) -> CadenceStrip {
        let lastWeek = Period.week(containing: moment.asOfDay, weekStart: config.weekStart)
        let weeks = (0..<12).reversed().map { lastWeek.start.adding(days: -7 * $0) }
        let first = weeks[0]
        let rows = states.map { state in
            var counts = Array(repeating: 0, count: weeks.count)
            for entry in data.oneOnOnes[state.person.slug] ?? [] where entry.date.date < moment.cutoff {
                let offset = first.days(until: entry.date.day(in: zone))
                guard offset >= 0, offset / 7 < counts.count else { continue }
                counts[offset / 7] += 1
            }
            return (slug: state.person.slug, name: state.person.name, counts: counts)
        }
        return CadenceStrip(weeks: weeks, rows: rows)
    }
}

extension Health {
    /// round(100 x the weighted mean) of the components that have a value, or nil when none has or
    /// their weights are all zero. The weights are divided by the largest first, so no sum of them
    /// overflows whatever finite weights the journal sets (1e308 twice is infinity).
    static func score(_ parts: [(value: Double?, weight: Double)]) -> Int? {
        let present = parts.compactMap { part in part.value.map { (value: $0, weight: part.weight) } }
        guard let largest = present.map(\.weight).max(), largest > 0 else { return nil }
        let weights = present.map { $0.weight / largest }
        let mean = zip(present, weights).reduce(0) { $0 + $1.0.value * $1.1 } / weights.reduce(0, +)
        // A weight the settings should have refused (infinite, NaN) gives no score rather than a trap in Int().
        guard mean.isFinite else { return nil }
        // Snapped to 1e-9 before rounding, so 37.5 computed as 37.4999999 still rounds up.
        return Int(((100 * mean * 1e9).rounded() / 1e9).rounded())
    }
}

extension Signal {
    /// Most urgent first: words that call for a conversation, then load and mood, then cadence,
    /// late items and recognition; a new signal before a continuing one of its kind; within a kind
    /// the larger weight, then the person and the text, so the order never depends on hashing.
    static func moreUrgent(_ lhs: Signal, _ rhs: Signal) -> Bool {
        let order = Signal.Kind.allCases
        let left = order.firstIndex(of: lhs.kind)!
        let right = order.firstIndex(of: rhs.kind)!
        if left != right { return left < right }
        if lhs.status != rhs.status { return lhs.status == .new }
        if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
        return (lhs.person, lhs.detail) < (rhs.person, rhs.detail)
    }

    /// Grouped per person, the person with the most urgent signal first, each person's signals
    /// most urgent first.
    static func byPerson(_ signals: [Signal]) -> [Signal] {
        let sorted = signals.sorted(by: moreUrgent)
        var order: [Slug] = []
        var groups: [Slug: [Signal]] = [:]
        for signal in sorted {
            if groups[signal.person] == nil { order.append(signal.person) }
            groups[signal.person, default: []].append(signal)
        }
        return order.flatMap { groups[$0]! }
    }

    /// What makes two digests' signals the same one: a watch word is its sentence, every other
    /// signal its kind and person.
    var key: String { kind == .watchWord ? "\(kind.rawValue) \(person.value) \(detail)" : "\(kind.rawValue) \(person.value)" }
}

enum Format {
    /// "1 day", "17 days".
    static func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }
    /// A weight as written: 0.3, 0.25, 2.
    static func decimal2(_ value: Double) -> String { String(format: "%g", value) }

    /// One decimal, trailing zero dropped: 3.75 -> "3.8", 4.0 -> "4".
    static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(format: "%.1f", Double(tenths) / 10)
    }
}
