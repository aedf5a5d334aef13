import Foundation
import Journal

extension DigestReport {
    public static let schema = "rapport.digest/v1"

    public func json() -> String { JSONOutput.string(DigestJSON(self)) }
}

/// The `--format json` document, `rapport.digest/v1`. Keys an audience may not see are absent;
/// keys it may see are always present, `null` when there is no data. The manager and team
/// audiences get `health.bands` beside the components, whose mood and energy stay `null` for
/// them (the schema only grows: a number field never becomes a string).
public struct DigestJSON: Encodable, Sendable {
    var schema = DigestReport.schema
    var journal: String
    @Nullable var commit: String?
    var audience: String
    var period: PeriodJSON
    var health: HealthJSON
    var unreadableFiles: Int
    /// Not for the manager.
    var recognition: [RecognitionJSON]?
    /// Not for the team.
    var people: [PersonRowJSON]?
    var signals: [SignalJSON]?
    var suggestions: [String]?
    /// Self only.
    var keyPoints: [KeyPointsJSON]?
    /// Not for the team; `null` when the small-group rule withholds the counts.
    var actionItems: Nullable<ActionItemsJSON>?

    public init(_ report: DigestReport) {
        let audience = report.audience
        journal = report.journalName
        commit = report.commit
        self.audience = audience.rawValue
        period = PeriodJSON(kind: report.period.kind.rawValue, label: report.period.label, start: report.period.start.description,
                            end: report.period.end.description, asOf: report.asOf.description)
        health = HealthJSON(report)
        unreadableFiles = report.unreadable.count
        if audience != .manager {
            recognition = report.recognition.map { item in
                RecognitionJSON(id: item.id.value, date: item.date.description, people: item.people.map(\.value), names: item.names,
                                category: item.category, text: item.text,
                                visibility: audience == .self ? item.visibility.rawValue : nil)
            }
        }
        people = report.people?.map(PersonRowJSON.init)
        if audience != .team {
            signals = report.signals.map {
                SignalJSON(type: $0.kind.rawValue, person: $0.person.value, detail: $0.detail, evidence: $0.evidence.map(\.value),
                           status: $0.status.rawValue)
            }
            suggestions = report.suggestions
            actionItems = Nullable(wrappedValue: report.actionItems.map(ActionItemsJSON.init))
        }
        if audience == .self {
            keyPoints = report.keyPoints.map { points in
                KeyPointsJSON(person: points.person.value, name: points.name, sentences: points.sentences.map {
                    KeyPointsJSON.Sentence(text: $0.text, entry: $0.entry.value, watchWord: $0.watchWord)
                })
            }
        }
    }
}

struct PeriodJSON: Encodable, Sendable {
    var kind: String
    var label: String
    var start: String
    var end: String
    var asOf: String
}

struct HealthJSON: Encodable, Sendable {
    @Nullable var score: Int?
    @Nullable var previous: Int?
    /// Withheld (`null`) below three active people, except for yourself.
    @Nullable var activePeople: Int?
    var components: ComponentsJSON
    var withheld: [String]
    var weights: ComponentsJSON
    var points: ComponentsJSON
    var trend: [TrendJSON]
    /// Not for yourself, who sees the exact components.
    var bands: BandsJSON?

    init(_ report: DigestReport) {
        let health = report.health
        score = health.score
        previous = health.previous
        activePeople = report.audience == .self || health.activePeople >= 3 ? health.activePeople : nil
        let components = health.components
        self.components = ComponentsJSON(mood: components.mood.map(JSON.rounded), energy: components.energy.map(JSON.rounded),
                                         cadence: components.cadence.map(JSON.rounded),
                                         recognition: components.recognition.map(JSON.rounded))
        withheld = health.withheld
        weights = ComponentsJSON(mood: health.weights.mood, energy: health.weights.energy, cadence: health.weights.cadence,
                                 recognition: health.weights.recognition)
        let points = Dictionary(uniqueKeysWithValues: report.weightRows.map { ($0.name, $0.points.map(JSON.rounded)) })
        self.points = ComponentsJSON(mood: points["mood"] ?? nil, energy: points["energy"] ?? nil,
                                     cadence: points["cadence"] ?? nil, recognition: points["recognition"] ?? nil)
        trend = report.trend.map {
            TrendJSON(period: $0.period.label, start: $0.period.start.description, end: $0.period.end.description, score: $0.score)
        }
        bands = health.bands.map { BandsJSON(mood: $0.mood?.rawValue, energy: $0.energy?.rawValue) }
    }
}

/// The four parts of the health index: their values, weights or points.
struct ComponentsJSON: Encodable, Sendable {
    @Nullable var mood: Double?
    @Nullable var energy: Double?
    @Nullable var cadence: Double?
    @Nullable var recognition: Double?
}

struct BandsJSON: Encodable, Sendable {
    @Nullable var mood: String?
    @Nullable var energy: String?
}

struct TrendJSON: Encodable, Sendable {
    var period: String
    var start: String
    var end: String
    @Nullable var score: Int?
}

struct RecognitionJSON: Encodable, Sendable {
    var id: String
    var date: String
    var people: [String]
    var names: [String]
    @Nullable var category: String?
    var text: String
    /// Self only.
    var visibility: String?
}

struct PersonRowJSON: Encodable, Sendable {
    var slug: String
    var name: String
    var cadence: String
    var oneOnOnes: Int
    @Nullable var daysSinceLast: Int?
    var overdue: Bool
    /// Only where the row shows wellbeing.
    var wellbeing: Wellbeing?

    struct Wellbeing: Encodable, Sendable {
        @Nullable var mood: Int?
        @Nullable var energy: Int?
        @Nullable var workload: Int?
        @Nullable var recognized30d: Int?
        @Nullable var lastOneOnOne: String?

        enum CodingKeys: String, CodingKey {
            case mood, energy, workload, lastOneOnOne
            // The key strategy puts no underscore before a digit.
            case recognized30d = "recognized_30d"
        }
    }

    init(_ row: PersonRow) {
        slug = row.slug.value
        name = row.name
        cadence = row.cadence.description
        oneOnOnes = row.oneOnOnes
        daysSinceLast = row.daysSinceLast
        overdue = row.overdue
        if row.showsWellbeing {
            wellbeing = Wellbeing(mood: row.mood, energy: row.energy, workload: row.workload, recognized30d: row.recognized30d,
                                  lastOneOnOne: row.lastOneOnOne?.value)
        }
    }

    enum CodingKeys: String, CodingKey { case slug, name, cadence, oneOnOnes, daysSinceLast, overdue }

    /// The wellbeing keys sit beside the others, not in an object of their own.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slug, forKey: .slug)
        try container.encode(name, forKey: .name)
        try container.encode(cadence, forKey: .cadence)
        try container.encode(oneOnOnes, forKey: .oneOnOnes)
        try container.encode(_daysSinceLast, forKey: .daysSinceLast)
        try container.encode(overdue, forKey: .overdue)
        try wellbeing?.encode(to: encoder)
    }
}

struct SignalJSON: Encodable, Sendable {
    var type: String
    var person: String
    var detail: String
    var evidence: [String]
    var status: String
}

struct KeyPointsJSON: Encodable, Sendable {
    var person: String
    var name: String
    var sentences: [Sentence]

    struct Sentence: Encodable, Sendable {
        var text: String
        var entry: String
        @Nullable var watchWord: String?
    }
}

struct ActionItemsJSON: Encodable, Sendable {
    var open: Int
    var overdue: Int
    var opened: Int
    var closed: Int
    var byOwner: ByOwner

    struct Counts: Encodable, Sendable {
        var open: Int
        var overdue: Int
        var opened: Int
        var closed: Int

        init(_ counts: ActionItemCounts.Counts) {
            (open, overdue, opened, closed) = (counts.open, counts.overdue, counts.opened, counts.closed)
        }
    }

    struct ByOwner: Encodable, Sendable {
        var me: Counts
        var report: Counts
    }

    init(_ counts: ActionItemCounts) {
        let total = Counts(counts.total)
        (open, overdue, opened, closed) = (total.open, total.overdue, total.opened, total.closed)
        byOwner = ByOwner(me: Counts(counts.me), report: Counts(counts.report))
    }
}

enum JSON {
    /// Four decimals: enough to recompute the score, without binary noise such as 0.30000000000000004.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
