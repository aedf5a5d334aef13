import Foundation
import Journal

/// Who a digest is for. `self` sees everything; `manager` (a skip-level) sees team aggregates
/// and per-person cadence; `team` sees the health index, its trend and team-visible recognition.
/// Private entries and private recognition are left out before anything is computed for the
/// last two, so no number they see can depend on them.
public enum Audience: String, Sendable, CaseIterable {
    case `self`, manager, team
}

/// A team-health digest: a plain value, computed once, rendered as Markdown, HTML or JSON.
/// Sections an audience may not see are nil or empty here, not hidden by the renderers.
public struct DigestReport: Sendable {
    public let period: Period
    /// The last day the digest counts (the period's end, or today when that is earlier).
    public let asOf: LocalDay
    public let audience: Audience
    /// The commit the digest was built from; nil for a journal with no commit.
    public let commit: String?
    public let journalName: String
    public let health: Health
    /// Health of this and the 11 periods before it, oldest first.
    public let trend: [TrendPoint]
    /// Per person; nil for the team audience.
    public let people: [PersonRow]?
    public let signals: [Signal]
    /// One sentence per signal, most urgent first.
    public let suggestions: [String]
    /// Self only.
    public let keyPoints: [KeyPoints]
    public let recognition: [RecognitionItem]
    /// nil for the team audience, and for a manager digest over fewer than 3 people.
    public let actionItems: ActionItemCounts?
    /// One-on-ones per person per week over the trend's span (self and manager).
    public let cadenceStrip: CadenceStrip?
    /// Files that could not be read, so the numbers may be incomplete (self only: for the other
    /// audiences the count of encrypted files would itself say something).
    public let unreadable: [FileProblem]
    /// Every file the digest had to leave out, whatever the audience, for a warning to the person
    /// running it (never rendered into the digest).
    public let skipped: [FileProblem]
    /// Work-tree files in the folders the digest read that differ from its commit, so are not in it.
    public let uncommitted: [String]
    /// The sentence shown instead of numbers withheld by the small-group rule.
    public static let tooFew = "too few people to show"
}

/// The health index and its parts, each in [0, 1]; nil when there is no data or when the
/// small-group rule withholds it.
public struct Health: Sendable, Equatable {
    public struct Components: Sendable, Equatable {
        /// Always nil for the manager and team audiences, who see `bands` instead.
        public var mood: Double?
        public var energy: Double?
        public var cadence: Double?
        public var recognition: Double?
    }

    /// Mood and energy as the manager and team audiences see them; nil when there is no data or
    /// when the small-group rule withholds them.
    public struct Bands: Sendable, Equatable {
        public var mood: Band?
        public var energy: Band?
    }

    public let score: Int?
    public let previous: Int?
    public let components: Components
    /// nil for the self audience, which sees the exact components.
    public let bands: Bands?
    /// Active people on the as-of day.
    public let activePeople: Int
    /// Components withheld by the small-group rule, by name.
    public let withheld: [String]
    /// The journal's weights, which the digest states beside the score.
    public var weights = JournalConfig.HealthWeights()
}

/// Where a group's mean mood or energy lies on the 1-5 scale: below 3, the scale's middle ("okay"),
/// is low; 4 ("good") and up is high; between is steady. The manager and team audiences see these
/// instead of numbers, because the difference of two exact means, times the group's size, gives
/// back the score of the one person who met in between; a band moves only when the whole group's
/// mean crosses 3 or 4.
public enum Band: String, Sendable {
    case low, steady, high

    /// The band of the mean of `values` (1-5 each, at least one), compared in whole numbers so
    /// that a mean of exactly 3 or 4 falls on the same side on every machine.
    init(of values: [Int]) {
        let sum = values.reduce(0, +)
        self = sum < 3 * values.count ? .low : sum < 4 * values.count ? .steady : .high
    }
}

public struct TrendPoint: Sendable, Equatable {
    public let period: Period
    public let score: Int?
}

/// One active person's numbers. Wellbeing fields are nil both when there is no data and when the
/// audience may not see them; `showsWellbeing` tells which.
public struct PersonRow: Sendable {
    public let slug: Slug
    public let name: String
    public let cadence: Cadence
    public let oneOnOnes: Int
    public let daysSinceLast: Int?
    public let overdue: Bool
    public let lastOneOnOne: EntryID?
    public let showsWellbeing: Bool
    public let mood: Int?
    public let energy: Int?
    public let workload: Int?
    public let recognized30d: Int?
    /// Mood and energy from the person's one-on-ones over the trend's span, oldest first (self only).
    public let moodSeries: [Int]
    public let energySeries: [Int]
}

public struct Signal: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case watchWord = "watch_word", overload, moodDrop = "mood_drop", energyDrop = "energy_drop", overdue,
             actionOverdue = "action_overdue", recognitionGap = "recognition_gap"
    }

    /// `new` the first period a signal is true; `still` when it was true at the previous
    /// period's end too and is reported again for new evidence or because it escalated.
    public enum Status: String, Sendable { case new, still }

    public let kind: Kind
    public let person: Slug
    /// A plain sentence that says what was seen.
    public let detail: String
    /// Entries behind the signal.
    public let evidence: [EntryID]
    /// Larger is more urgent within a kind (days overdue, size of a drop).
    public let weight: Double
    public internal(set) var status = Status.new
    /// Rises when the signal escalates: an overdue or gap doubling, a deeper drop.
    let level: Int
    /// What counts as new evidence: the evidence's ids, or for late action items their references.
    let marks: [String]

    init(kind: Kind, person: Slug, detail: String, evidence: [EntryID], weight: Double, level: Int = 0, marks: [String]? = nil) {
        self.kind = kind
        self.person = person
        self.detail = detail
        self.evidence = evidence
        self.weight = weight
        self.level = level
        self.marks = marks ?? evidence.map(\.value)
    }
}

public struct KeyPoints: Sendable {
    public struct Sentence: Sendable, Equatable {
        public let text: String
        public let entry: EntryID
        public let watchWord: String?
    }

    public let person: Slug
    public let name: String
    public let sentences: [Sentence]
}

public struct RecognitionItem: Sendable {
    public let id: EntryID
    public let date: LocalDay
    public let people: [Slug]
    /// The people's names as their profiles give them (the slug for someone with no profile).
    public let names: [String]
    public let category: String?
    public let visibility: Entry.Visibility
    public let text: String
}

/// Action items in one-on-ones and recognitions of the 90 days up to as-of, split by owner:
/// `me` (the author) and `report` (a person).
public struct ActionItemCounts: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var open = 0
        public var overdue = 0
        public var opened = 0
        public var closed = 0
    }

    public var me = Counts()
    public var report = Counts()
    public var total: Counts {
        Counts(open: me.open + report.open, overdue: me.overdue + report.overdue, opened: me.opened + report.opened,
               closed: me.closed + report.closed)
    }
}

/// One-on-ones per person per week, for the cadence chart.
public struct CadenceStrip: Sendable {
    /// The first day of each week, oldest first.
    public let weeks: [LocalDay]
    public let rows: [(slug: Slug, name: String, counts: [Int])]
}
