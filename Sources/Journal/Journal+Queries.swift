import Foundation

/// Filters for `rapport list` and `rapport search`.
public struct EntryQuery: Sendable {
    public var person: Slug?
    public var kind: EntryKind?
    /// Entries at or after this instant.
    public var since: Date?
    /// Entries before this instant.
    public var until: Date?
    public var tag: String?

    public init(person: Slug? = nil, kind: EntryKind? = nil, since: Date? = nil, until: Date? = nil, tag: String? = nil) {
        self.person = person
        self.kind = kind
        self.since = since
        self.until = until
        self.tag = tag
    }

    public func matches(_ entry: Entry) -> Bool {
        if let person, !entry.people.contains(person) { return false }
        if let kind, entry.kind != kind { return false }
        if let since, entry.date.date < since { return false }
        if let until, entry.date.date >= until { return false }
        if let tag, !entry.tags.contains(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) { return false }
        return true
    }
}

/// A line of an entry that matched a search.
public struct SearchHit: Sendable {
    public let entry: Entry
    /// (1-based file line, text) of each matching line.
    public let lines: [(line: Int, text: String)]
}

/// Whether a person is due for a one-on-one, by their cadence.
public struct DueStatus: Sendable {
    public enum State: String, Sendable { case overdue, due, ok }

    public let person: Person
    public let cadence: Cadence
    public let last: Entry?
    /// Whole calendar days from the latest one-on-one to today; nil when there was none.
    public let daysSinceLast: Int?
    public let state: State

    /// Days until the next one-on-one is due (negative when overdue); nil when there was none.
    public var dueInDays: Int? { daysSinceLast.map { cadence.days - $0 } }
}

extension Journal {
    /// Turns typed filters into a query; unknown people and bad dates are usage errors.
    public func query(person: String?, kind: String?, since: String?, until: String?, tag: String?) throws -> EntryQuery {
        var query = EntryQuery()
        if let person { query.person = try self.person(person).slug }
        if let kind {
            guard let parsed = EntryKind(typed: kind) else {
                throw JournalError.usage("'\(Text.shown(kind))' is not a kind: use one-on-one (1on1) or recognition (kudos).")
            }
            query.kind = parsed
        }
        if let since { query.since = try DateInput.lowerBound(since, now: now, zone: timeZone) }
        if let until { query.until = try DateInput.upperBound(until, now: now, zone: timeZone) }
        if let since = query.since, let until = query.until, since >= until {
            throw JournalError.usage("--since is after --until; nothing can match.")
        }
        if let tag { query.tag = try Journal.tag(tag) }
        return query
    }

    /// Entries whose note or tags contain `text`, ignoring case and accents.
    public func search(_ text: String, in scan: EntryScan, query: EntryQuery = EntryQuery()) throws -> [SearchHit] {
        let needle = String(Text.trimmed(text))
        guard !needle.isEmpty else { throw JournalError.usage("Give something to search for: rapport search TEXT") }
        guard !needle.contains(where: \.isNewline) else { throw JournalError.usage("Search for one line of text.") }
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        var hits: [SearchHit] = []
        for entry in scan.entries where query.matches(entry) {
            var lines: [(Int, String)] = []
            for (index, line) in Text.lines(entry.body).enumerated()
            where line.range(of: needle, options: options) != nil {
                lines.append((entry.document.bodyLine + index, String(Text.trimmed(line))))
            }
            let tagMatch = entry.tags.contains { $0.range(of: needle, options: options) != nil }
            if !lines.isEmpty || tagMatch {
                hits.append(SearchHit(entry: entry, lines: lines))
            }
        }
        return hits
    }

    /// Active people (started by today), most urgent first: never met, then most overdue.
    public func dueStatuses(in scan: EntryScan) -> [DueStatus] {
        var latest: [Slug: Entry] = [:]
        for entry in scan.entries {
            guard let details = entry.oneOnOne else { continue }
            if let current = latest[details.person], current.date.date >= entry.date.date { continue }
            latest[details.person] = entry
        }
        let today = self.today
        let statuses = people().people.filter { $0.isActive && ($0.started.map { $0 <= today } ?? true) }.map { person in
            let cadence = person.cadence(default: config.defaultCadence)
            let last = latest[person.slug]
            let days = last.map { $0.date.day(in: timeZone).days(until: today) }
            let state: DueStatus.State
            if let days {
                state = days > cadence.days ? .overdue : (days == cadence.days ? .due : .ok)
            } else {
                state = .overdue
            }
            return DueStatus(person: person, cadence: cadence, last: last, daysSinceLast: days, state: state)
        }
        return statuses.sorted { lhs, rhs in
            (lhs.dueInDays ?? Int.min, lhs.person.slug) < (rhs.dueInDays ?? Int.min, rhs.person.slug)
        }
    }
}
