import Foundation
import Journal

/// The entries a digest reads, indexed by person, with private ones already removed for the
/// manager and team audiences.
struct Dataset {
    let people: [Person]
    let entries: [Entry]
    let oneOnOnes: [Slug: [Entry]]
    let recognitions: [Slug: [Entry]]
    /// Each person's latest one-on-one before the loaded span.
    let earlier: [Slug: Entry]
    /// The first day loaded: nothing older is known but `earlier`.
    let boundary: LocalDay
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
        return Dataset(people: people, entries: entries, oneOnOnes: oneOnOnes, recognitions: recognitions, earlier: earlier, boundary: boundary,
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
    /// On a known absence (`away:`) on the as-of day: not overdue, and no signal names them.
    let away: Bool
    /// Days since the last one-on-one, less the days away since then: what the overdue signal
    /// weighs against the cadence and its grace.
    let daysMissed: Int?
    /// Days since the later of `started:` and the last recognition (else the first one-on-one
    /// the digest knows of); nil when there is nothing to count from.
    let daysUnrecognized: Int?
    let lastRecognition: Entry?
    /// No recognition was read, and the journal goes back further than the digest read.
    let gapIsLowerBound: Bool
    /// Days since the later of started: and the journal's first entry, less days away: how long
    /// someone never met has been waiting.
    let daysKnown: Int?

    struct Drop {
        /// The latest values, oldest first: one for a large step, two or three for a shift.
        let latest: [Int]
        let baseline: Double
        let evidence: [Entry]
        /// How far below the baseline the latest values sit, on average.
        var size: Double { baseline - Double(latest.reduce(0, +)) / Double(latest.count) }
    }
}
