import Foundation
import Journal

/// Builds digests: the definitions in docs/Digest.md over the entries a period needs, read from the
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
        var calculator = Calculator(data: data, config: journal.config, audience: audience)
        // The journal began with its first entry (the first this audience may see): what the data
        // says, where a profile's `started:` is often the day someone joined the company, or absent.
        // Before it nobody could be met or recognized, so a period that ends earlier has no score,
        // not a 0 that only says the journal did not exist yet. Read only when the loaded entries
        // start after the first period's as-of day.
        let firstDay = data.entries.first.map { $0.date.day(in: zone) }.flatMap { $0 <= moments[0].asOfDay ? $0 : nil }
            ?? source.firstEntry(filedThrough: moment.asOfDay, where: visible)?.date.day(in: zone)
        calculator.firstDay = firstDay
        let healths = moments.map { moment in
            let health = calculator.health(at: moment)
            guard firstDay.map({ moment.asOfDay < $0 }) ?? true else { return health }
            return Health(score: nil, previous: nil, components: Health.Components(), bands: health.bands.map { _ in Health.Bands() },
                          activePeople: health.activePeople, withheld: [])
        }
        let health = Health(score: healths.last!.score, previous: healths.dropLast().last?.score,
                            components: healths.last!.components, bands: healths.last!.bands,
                            activePeople: healths.last!.activePeople, withheld: healths.last!.withheld, weights: journal.config.healthWeights)
        let trend = zip(periods, healths).map { TrendPoint(period: $0, score: $1.score) }

        let states = calculator.states(at: moment)
        let previous = Moment(period: period.previous(weekStart: weekStart), now: now, zone: zone)
        let windows = calculator.itemsInWindows(at: audience == .team ? [moment] : [moment, previous])
        let windowItems = windows[0]
        var signals: [Signal] = []
        if audience != .team {
            // Before the journal's first entry nothing was reported, so everything true now is news.
            let before = firstDay.map { previous.asOfDay < $0 } ?? true ? []
                : calculator.signals(calculator.states(at: previous), at: previous, items: windows[1], watchWords: false)
            signals = calculator.reported(calculator.signals(states, at: moment, items: windowItems), since: before)
            if audience == .manager { signals = signals.filter { $0.kind == .overdue } }
        }
        signals = Signal.byPerson(signals)
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
                            names: entry.people.map { names[$0] ?? $0.value }, category: entry.recognition?.category, visibility: entry.recognition?.visibility ?? .team,
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
