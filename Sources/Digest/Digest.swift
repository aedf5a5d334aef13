import Foundation
import Journal

/// Builds digests: DESIGN.md's definitions over the entries a period needs, read from the
/// journal's HEAD commit month by month, never from its whole history.
public enum Digest {
    /// How far back mood baselines and action items reach from the as-of day.
    public static let lookbackDays = 90
    /// Periods in the health trend, this one included.
    public static let trendLength = 12

    /// The digest of `period` for `audience`, as of the period's end or `now`, whichever is earlier.
    /// With `includePrivate` false, a self digest leaves private entries out too (for `--save`, which
    /// commits the text: a private note must never reach a git object in the clear).
    public static func build(journal: Journal, period: Period, audience: Audience, now: Date,
                             includePrivate: Bool = true) throws -> DigestReport {
        let source = try journal.committed()
        let zone = journal.timeZone
        let weekStart = journal.config.weekStart
        var periods = [period]
        while periods.count < trendLength { periods.append(periods.last!.previous(weekStart: weekStart)) }
        periods.reverse()
        // The trend's scores look back 30 days from each period's end; the signals of this period
        // look back 90 days from its as-of day. Nothing older is read but each person's latest
        // one-on-one, found by file name.
        let moments = periods.map { Moment(period: $0, now: now, zone: zone) }
        let moment = moments.last!
        let boundaryDay = min(periods[0].start.adding(days: -31), moment.asOfDay.adding(days: -(lookbackDays + 1)))
        let data = Dataset.load(from: source, boundary: boundaryDay, through: moment.asOfDay, trendStart: periods[0].start,
                                firstCutoff: moments[0].cutoff, keepPrivate: audience == .self && includePrivate)

        let encryptsAll = journal.config.encrypt == .all
        let visible: (Entry) -> Bool = { (audience == .self && includePrivate) || !Dataset.isPrivate($0, encryptsAll: encryptsAll) }
        let calculator = Calculator(data: data, config: journal.config, audience: audience)
        // The journal began with its first entry (the first this audience may see): what the data
        // says, where a profile's `started:` is often the day someone joined the company, or absent.
        // Before it nobody could be met or recognized, so a period that ends earlier has no score,
        // not a 0 that only says the journal did not exist yet. Read only when the loaded entries
        // start after the first period's as-of day.
        let firstDay = data.entries.first.map { $0.date.day(in: zone) }.flatMap { $0 <= moments[0].asOfDay ? $0 : nil }
            ?? source.firstEntry(filedThrough: moment.asOfDay, where: visible)?.date.day(in: zone)
        let healths = moments.map { moment in
            let health = calculator.health(at: moment)
            guard firstDay.map({ moment.asOfDay < $0 }) ?? true else { return health }
            return Health(score: nil, previous: nil, components: Health.Components(), bands: health.bands.map { _ in Health.Bands() },
                          activePeople: health.activePeople, withheld: [])
        }
        let health = Health(score: healths.last!.score, previous: healths.dropLast().last?.score,
                            components: healths.last!.components, bands: healths.last!.bands,
                            activePeople: healths.last!.activePeople, withheld: healths.last!.withheld)
        let trend = zip(periods, healths).map { TrendPoint(period: $0, score: $1.score) }

        let states = calculator.states(at: moment)
        let windowItems = calculator.itemsInWindow(at: moment)
        var signals: [Signal] = []
        if audience != .team {
            signals = calculator.signals(states, at: moment, items: windowItems)
            if audience == .manager { signals = signals.filter { $0.kind == .overdue } }
        }
        signals.sort(by: Signal.moreUrgent)
        let names = Dictionary(data.people.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        let trendStart = periods[0].start.start(in: zone)
        let people: [PersonRow]? = audience == .team ? nil : states.map { state in
            let wellbeing = audience == .self
            let series = wellbeing ? (data.oneOnOnes[state.person.slug] ?? []).filter {
                $0.date.date >= trendStart && $0.date.date < moment.cutoff
            } : []
            return PersonRow(
                slug: state.person.slug, name: state.person.name, cadence: state.cadence, oneOnOnes: state.inPeriod.count,
                daysSinceLast: state.daysSinceLast, overdue: state.overdue, lastOneOnOne: state.last?.id,
                showsWellbeing: wellbeing, mood: wellbeing ? state.mood?.value : nil,
                energy: wellbeing ? state.energy?.value : nil, workload: wellbeing ? state.workload?.value : nil,
                recognized30d: wellbeing ? state.recognized30d.count : nil,
                moodSeries: series.compactMap { $0.oneOnOne?.mood }, energySeries: series.compactMap { $0.oneOnOne?.energy })
        }
        // The manager audience sees no note text, and a recognition is one; the team sees team-visible ones.
        let recognition = audience == .manager ? [] : data.entries.filter { $0.kind == .recognition && moment.inPeriod($0) }.map { entry in
            RecognitionItem(id: entry.id, date: entry.date.day(in: zone), people: entry.people,
                            category: entry.recognition?.category, visibility: entry.recognition?.visibility ?? .team,
                            text: Plain.text(entry.body))
        }
        let keyPoints = audience == .self
            ? KeyPointRanker.rank(data.entries.filter { $0.kind == .oneOnOne && moment.inPeriod($0) && data.wasThere($0) },
                                  names: names, watchWords: journal.config.watchWords)
            : []
        var actionItems: ActionItemCounts?
        if audience == .self || (audience == .manager && health.activePeople >= 3) {
            let closed = source.itemsClosed(from: moment.start, until: moment.cutoff).filter { visible($0.entry) }
            actionItems = calculator.actionItems(at: moment, items: windowItems, closed: closed)
        }
        let strip = audience == .team ? nil : calculator.cadenceStrip(states, at: moment)
        return DigestReport(
            period: period, asOf: moment.asOfDay, audience: audience, commit: source.commitID,
            journalName: journal.config.name, health: health, trend: trend, people: people, signals: signals,
            suggestions: signals.map(\.detail), keyPoints: keyPoints, recognition: recognition, actionItems: actionItems,
            cadenceStrip: strip, unreadable: audience == .self ? data.problems : [], skipped: data.problems,
            uncommitted: source.uncommittedChanges(filedFrom: boundaryDay.adding(days: -1), through: moment.asOfDay.adding(days: 1)))
    }

    /// The first instant a digest of `period` does not count: the start of the day after its end,
    /// or one second after `now` when that is earlier.
    static func cutoff(of period: Period, now: Date, zone: TimeZone) -> Date {
        min(period.end.adding(days: 1).start(in: zone), now.addingTimeInterval(1))
    }
}

/// A period and the instants that bound it: entries from `start` (included) to `cutoff`
/// (excluded) are in it; day windows end on `asOfDay`.
struct Moment {
    let period: Period
    let start: Date
    let cutoff: Date
    let asOfDay: LocalDay
    let zone: TimeZone

    init(period: Period, now: Date, zone: TimeZone) {
        self.period = period
        self.zone = zone
        start = period.start.start(in: zone)
        cutoff = Digest.cutoff(of: period, now: now, zone: zone)
        asOfDay = min(period.end, Timestamp(cutoff.addingTimeInterval(-1), in: zone).day(in: zone))
    }

    func inPeriod(_ entry: Entry) -> Bool { entry.date.date >= start && entry.date.date < cutoff }

    /// Whether `entry` is on one of the `days` days ending with the as-of day, and not after as-of.
    func within(days: Int, _ entry: Entry) -> Bool {
        entry.date.date < cutoff && entry.date.day(in: zone) >= asOfDay.adding(days: -(days - 1))
    }
}

/// The entries a digest reads, indexed by person, with private ones already removed for the
/// manager and team audiences.
struct Dataset {
    let people: [Person]
    let entries: [Entry]
    let oneOnOnes: [Slug: [Entry]]
    let recognitions: [Slug: [Entry]]
    /// Each person's latest one-on-one before the loaded span.
    let earlier: [Slug: Entry]
    let problems: [FileProblem]
    let zone: TimeZone

    /// Whether the one-on-one's person had not left on its day: someone who left is in nothing from
    /// their leaving day on, as in `Calculator.isActive`.
    func wasThere(_ oneOnOne: Entry) -> Bool {
        guard let person = people.first(where: { $0.slug == oneOnOne.people[0] }) else { return true }
        return !person.hasLeft(by: oneOnOne.date.day(in: zone))
    }

    /// Marked private, or encrypted in a journal that encrypts only private entries (an entry
    /// encrypted by hand, or before the journal stopped encrypting everything): never shown to
    /// others, never saved in the clear.
    static func isPrivate(_ entry: Entry, encryptsAll: Bool) -> Bool {
        entry.isMarkedPrivate || (entry.isEncrypted && !encryptsAll)
    }

    /// `firstCutoff` is the end of the earliest period that will be asked about: a person whose
    /// first loaded one-on-one comes after it needs their latest earlier one, found by file name.
    /// People who left before `trendStart` are in no number, so that search skips them, and
    /// `only` limits it to one person (for `prep`).
    static func load(from source: CommittedJournal, boundary: LocalDay, through last: LocalDay, trendStart: LocalDay,
                     firstCutoff: Date, only: Slug? = nil, keepPrivate: Bool) -> Dataset {
        let zone = source.timeZone
        let (people, peopleProblems) = source.people()
        let boundaryInstant = boundary.start(in: zone)
        // For one person (prep), entries that do not name them cannot bear on them: not parsed.
        let scan = source.entries(filedFrom: boundary.adding(days: -1), through: last.adding(days: 1), mentioning: only.map { [$0] })
        let encryptsAll = source.config.encrypt == .all
        let keep: (Entry) -> Bool = { keepPrivate || !isPrivate($0, encryptsAll: encryptsAll) }
        let entries = scan.entries.filter { $0.date.date >= boundaryInstant && keep($0) }
        var oneOnOnes: [Slug: [Entry]] = [:]
        var recognitions: [Slug: [Entry]] = [:]
        for entry in entries {
            switch entry.details {
            case .oneOnOne(let details): oneOnOnes[details.person, default: []].append(entry)
            case .recognition(let details): for person in Set(details.people) { recognitions[person, default: []].append(entry) }
            }
        }
        let unseen = people.filter { person in
            guard only == nil || person.slug == only else { return false }
            guard person.status == .active || (person.left.map { $0 > trendStart } ?? false) else { return false }
            // Someone who started after the boundary has no earlier one-on-one to find.
            if let started = person.started, started > boundary { return false }
            return (oneOnOnes[person.slug]?.first?.date.date ?? .distantFuture) >= firstCutoff
        }.map(\.slug)
        let (earlier, earlierProblems) = unseen.isEmpty ? ([:], []) : source.latestOneOnOnes(before: boundaryInstant, for: Set(unseen), where: keep)
        let known = Set(scan.problems.map(\.path))
        return Dataset(people: people, entries: entries, oneOnOnes: oneOnOnes, recognitions: recognitions, earlier: earlier,
                       problems: peopleProblems + scan.problems + earlierProblems.filter { !known.contains($0.path) }, zone: zone)
    }
}

/// One active person's state on an as-of day.
struct PersonState {
    let person: Person
    let cadence: Cadence
    let inPeriod: [Entry]
    let last: Entry?
    let daysSinceLast: Int?
    let overdue: Bool
    let mood: (value: Int, entry: Entry)?
    let energy: (value: Int, entry: Entry)?
    let workload: (value: Int, entry: Entry)?
    let moodDrop: Drop?
    let energyDrop: Drop?
    /// The two latest one-on-ones that recorded a workload, when both say 4 or more.
    let overload: [Entry]?
    let recognized30d: [Entry]

    struct Drop {
        let latest: Int
        let baseline: Double
        let evidence: [Entry]
    }
}

/// DESIGN.md's definitions, applied to a dataset at a moment.
struct Calculator {
    let data: Dataset
    let config: JournalConfig
    let audience: Audience

    var zone: TimeZone { data.zone }

    /// Status active (or left after the as-of day) and started on or before it.
    func isActive(_ person: Person, on day: LocalDay) -> Bool {
        if let started = person.started, started > day { return false }
        switch person.status {
        case .active: return true
        case .left: return person.left.map { day < $0 } ?? false
        }
    }

    func states(at moment: Moment) -> [PersonState] {
        data.people.filter { isActive($0, on: moment.asOfDay) }.map { state(of: $0, at: moment) }
    }

    func state(of person: Person, at moment: Moment) -> PersonState {
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
        func drop(_ value: (Entry.OneOnOne) -> Int?, latest: (value: Int, entry: Entry)?) -> PersonState.Drop? {
            guard let latest else { return nil }
            let earlier = meetings.filter {
                $0.date.date < latest.entry.date.date && moment.within(days: Digest.lookbackDays, $0)
                    && $0.oneOnOne.flatMap(value) != nil
            }.suffix(4)
            guard !earlier.isEmpty else { return nil }
            let mean = Double(earlier.reduce(0) { $0 + ($1.oneOnOne.flatMap(value) ?? 0) }) / Double(earlier.count)
            guard Double(latest.value) <= mean - 1.0 else { return nil }
            return PersonState.Drop(latest: latest.value, baseline: mean, evidence: [latest.entry] + earlier.reversed())
        }
        let mood = latest(\.mood)
        let energy = latest(\.energy)
        let workloads = meetings.filter { $0.oneOnOne?.workload != nil && moment.within(days: Digest.lookbackDays, $0) }.suffix(2)
        let overload = workloads.count == 2 && workloads.allSatisfy { ($0.oneOnOne?.workload ?? 0) >= 4 }
            ? Array(workloads.reversed()) : nil
        let recognized = (data.recognitions[person.slug] ?? []).filter { moment.within(days: 30, $0) }
        return PersonState(
            person: person, cadence: cadence, inPeriod: meetings.filter(moment.inPeriod), last: last, daysSinceLast: days,
            overdue: days.map { $0 > cadence.days } ?? true, mood: mood, energy: energy, workload: latest(\.workload),
            moodDrop: drop(\.mood, latest: mood), energyDrop: drop(\.energy, latest: energy), overload: overload,
            recognized30d: recognized)
    }

    // MARK: - Health

    /// For the manager and team audiences mood and energy are bands, not components, so they
    /// drop out of the score like a component with no data: cadence and recognition, re-weighted.
    func health(at moment: Moment) -> Health {
        let states = states(at: moment)
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

    /// `items`: the action items of the lookback window (`itemsInWindow`), parsed once per digest.
    func signals(_ states: [PersonState], at moment: Moment, items: [(ActionItem, Entry)]) -> [Signal] {
        var signals: [Signal] = []
        for state in states {
            let name = state.person.name
            let slug = state.person.slug
            if state.overdue {
                if let days = state.daysSinceLast, let last = state.last {
                    signals.append(Signal(
                        kind: .overdue, person: slug,
                        detail: "No one-on-one with \(name) for \(days) days (\(state.cadence) cadence).",
                        evidence: [last.id], weight: Double(days - state.cadence.days)))
                } else {
                    signals.append(Signal(kind: .overdue, person: slug,
                                          detail: "No one-on-one with \(name) on record (\(state.cadence) cadence).",
                                          evidence: [], weight: 10_000))
                }
            }
            if let drop = state.moodDrop {
                signals.append(Signal(
                    kind: .moodDrop, person: slug,
                    detail: "\(name)'s mood fell to \(drop.latest) from an average of \(Format.decimal(drop.baseline)); ask how things are going.",
                    evidence: drop.evidence.map(\.id), weight: drop.baseline - Double(drop.latest)))
            }
            if let drop = state.energyDrop {
                signals.append(Signal(
                    kind: .energyDrop, person: slug,
                    detail: "\(name)'s energy fell to \(drop.latest) from an average of \(Format.decimal(drop.baseline)).",
                    evidence: drop.evidence.map(\.id), weight: drop.baseline - Double(drop.latest)))
            }
            if let overload = state.overload {
                let values = overload.compactMap { $0.oneOnOne?.workload }.map(String.init).joined(separator: " and ")
                signals.append(Signal(
                    kind: .overload, person: slug,
                    detail: "\(name) reported a workload of \(values) in the last two one-on-ones; look at what can move.",
                    evidence: overload.map(\.id), weight: Double(overload.compactMap { $0.oneOnOne?.workload }.reduce(0, +))))
            }
            if state.recognized30d.isEmpty {
                let lastRecognition = (data.recognitions[slug] ?? []).last { $0.date.date < moment.cutoff }
                signals.append(Signal(
                    kind: .recognitionGap, person: slug, detail: "No recognition for \(name) in the last 30 days.",
                    evidence: lastRecognition.map { [$0.id] } ?? [], weight: 0))
            }
        }
        let names = Dictionary(data.people.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        let active = Set(states.map(\.person.slug))
        for entry in data.entries where entry.kind == .oneOnOne && moment.inPeriod(entry) {
            let person = entry.people[0]
            guard active.contains(person) else { continue }
            for sentence in Sentences.split(entry.body) {
                guard let word = WatchWords.first(in: sentence, of: config.watchWords) else { continue }
                signals.append(Signal(
                    kind: .watchWord, person: person,
                    detail: "\(names[person] ?? person.value) (\(entry.id)): “\(sentence)” mentions ‘\(word)’.",
                    evidence: [entry.id], weight: 0))
            }
        }
        for (item, entry) in items where !item.isDone {
            guard let due = item.due, due < moment.asOfDay else { continue }
            let person: Slug
            if case .person(let owner) = item.owner { person = owner } else { person = entry.people[0] }
            // Items of people who have left are history, not something to chase.
            guard active.contains(person) else { continue }
            let owner = item.owner == .me ? "you" : (names[person] ?? person.value)
            signals.append(Signal(
                kind: .actionOverdue, person: person,
                detail: "Action item \(item.reference) for \(owner) was due \(due): \(Plain.text(item.text)).",
                evidence: [entry.id], weight: Double(due.days(until: moment.asOfDay))))
        }
        return signals
    }

    // MARK: - Action items

    /// Items in entries of the lookback window up to as-of.
    func itemsInWindow(at moment: Moment) -> [(ActionItem, Entry)] {
        data.entries.filter { moment.within(days: Digest.lookbackDays, $0) }.flatMap { entry in
            entry.actionItems.map { ($0, entry) }
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
    /// late items and recognition; within a kind the larger weight, then the person.
    static func moreUrgent(_ lhs: Signal, _ rhs: Signal) -> Bool {
        let order = Signal.Kind.allCases
        let left = order.firstIndex(of: lhs.kind)!
        let right = order.firstIndex(of: rhs.kind)!
        if left != right { return left < right }
        if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
        return (lhs.person, lhs.detail) < (rhs.person, rhs.detail)
    }
}

enum Format {
    /// One decimal, trailing zero dropped: 3.75 -> "3.8", 4.0 -> "4".
    static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(format: "%.1f", Double(tenths) / 10)
    }
}
