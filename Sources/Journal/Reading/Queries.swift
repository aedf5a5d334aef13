import Foundation
import JournalModel

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

extension Journal.Reader {
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
        if let since { query.since = try DateInput.lowerBound(since, now: journal.now, zone: journal.timeZone) }
        if let until { query.until = try DateInput.upperBound(until, now: journal.now, zone: journal.timeZone) }
        if let since = query.since, let until = query.until, since >= until {
            throw JournalError(.sinceAfterUntil)
        }
        if let tag { query.tag = try Journal.tag(tag) }
        return query
    }

    /// The work tree's entries a query can match: with `--since` or `--until`, only the month
    /// folders around those days are read (two days' margin each side, as folders are named by the
    /// day as written in the entry's own offset, up to two days from the journal's).
    public func scanEntries(for query: EntryQuery) -> EntryScan {
        journal.scanEntries(months: monthRange(for: query))
    }

    /// The month folders (year × 12 + month) that can hold entries in the query's dates; nil when
    /// it has none. Offsets run from -12:00 to +14:00, so a day as written can be two days from
    /// the day in the journal's zone.
    private func monthRange(for query: EntryQuery) -> ClosedRange<Int>? {
        guard query.since != nil || query.until != nil else { return nil }
        func key(_ instant: Date, _ days: Int) -> Int {
            let day = Timestamp(instant, in: journal.timeZone).day(in: journal.timeZone).adding(days: days)
            return day.year * 12 + day.month
        }
        let low = query.since.map { key($0, -2) } ?? Int.min
        let high = query.until.map { key($0, 2) } ?? Int.max
        return low...max(low, high)
    }

    /// The latest `limit` entries that match `query`, oldest first: month folders are read newest
    /// first, two months, then in widening steps, and reading stops once enough entries match in
    /// folders above the oldest one read. A folder is named by the day as written (up to two days
    /// from the journal's), so the calendar month below those folders must be read too before the
    /// answer is final; an entry two months further down is weeks older than all of them.
    public func latestEntries(matching query: EntryQuery, limit: Int) -> EntryScan {
        let range = monthRange(for: query)
        let months = journal.workTreeMonths().filter { range?.contains($0) ?? true }
        guard limit > 0, let newest = months.last else {
            let scan = scanEntries(for: query)
            return EntryScan(entries: Array(scan.entries.filter(query.matches).suffix(limit)), problems: scan.problems)
        }
        var found: [String: Entry] = [:]
        var problems: [String: FileProblem] = [:]
        var upper = newest
        var width = 2
        while true {
            let lower = max(months[0], upper - width + 1)
            // Files outside the `YYYY/MM` layout come with every step; keyed by path, they count once.
            let scan = journal.scanEntries(months: lower...upper)
            for entry in scan.entries where query.matches(entry) { found[entry.path] = entry }
            for problem in scan.problems { problems[problem.path] = problem }
            upper = lower - 1
            if upper < months[0] { break }
            // Only files in month folders count: one outside them could be of any date.
            let above = found.keys.count { Self.monthFolder(of: $0).map { $0 > lower } ?? false }
            if above >= limit { break }
            // Enough in the folders read, but some in the lowest: the month below it decides.
            width = found.keys.count(where: { Self.monthFolder(of: $0) != nil }) >= limit ? 1 : width * 2
        }
        let entries = found.values.sorted { ($0.date.date, $0.id) < ($1.date.date, $1.id) }
        return EntryScan(entries: Array(entries.suffix(limit)), problems: problems.values.sorted { $0.path < $1.path })
    }

    /// The month folder (year × 12 + month) of a relative path `entries/YYYY/MM/...`; nil for one
    /// outside that layout.
    private static func monthFolder(of path: String) -> Int? {
        let parts = path.split(separator: "/", maxSplits: 3)
        guard parts.count == 4, parts[1].utf8.count == 4, parts[2].utf8.count == 2,
              let year = Digits.value(parts[1].utf8), let month = Digits.value(parts[2].utf8) else { return nil }
        return year * 12 + month
    }

    /// The work tree's entries that could contain `text` (see `search`), for a search of the whole
    /// journal: a file, or its cached record, that is plain ASCII and does not hold the text in
    /// any case is skipped without being parsed. Anything with other characters is parsed and
    /// left to `search`'s own comparison, which also ignores accents.
    public func scanEntries(containing text: String) -> EntryScan {
        let needle = String(Text.trimmed(text))
        guard !needle.isEmpty, needle.utf8.allSatisfy({ $0 < 0x80 }) else { return scanEntries() }
        let lower = Array(needle.lowercased().utf8)
        return journal.scanEntries(months: nil, wanted: { haystack, isASCII in
            !isASCII || Bytes.containsIgnoringASCIICase(lower, in: haystack)
        })
    }

    /// Entries whose note or tags contain `text`, ignoring case and accents.
    public func search(_ text: String, in scan: EntryScan, query: EntryQuery = EntryQuery()) throws -> [SearchHit] {
        let needle = String(Text.trimmed(text))
        guard !needle.isEmpty else { throw JournalError(.emptySearch) }
        guard !needle.contains(where: \.isNewline) else { throw JournalError.usage("Search for one line of text.") }
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        // An ASCII line is compared byte by byte with an ASCII needle (the same answer: no accents,
        // simple case); anything else goes through Foundation's comparison.
        let asciiNeedle = needle.utf8.allSatisfy { $0 < 0x80 } ? Array(needle.lowercased().utf8) : nil
        @Sendable func matches(_ line: Substring) -> Bool {
            if let asciiNeedle, let answer = line.utf8.withContiguousStorageIfAvailable({ bytes -> Bool? in
                let raw = UnsafeRawBufferPointer(bytes)
                return Bytes.isASCII(raw) ? Bytes.containsIgnoringASCIICase(asciiNeedle, in: raw) : nil
            }), let answer {
                return answer
            }
            return line.range(of: needle, options: options) != nil
        }
        // On every core; the hits keep the entries' order. Entries are reached by position, not
        // copied: copying one retains each of its strings, scattered through memory, which for
        // thousands of hits cost more than the search itself.
        let entries = scan.entries
        let candidates = entries.withUnsafeBufferPointer { buffer in buffer.indices.filter { query.matches(buffer[$0]) } }
        return Concurrently.map(candidates) { position -> SearchHit? in
            var lines: [(Int, String)] = []
            let firstLine = entries[position].document.bodyLine
            var body = entries[position].body
            // An ASCII body is searched whole, and only the lines around each match are cut out.
            let searchedWhole = asciiNeedle.map { needle in
                body.withUTF8 { bytes in
                    Journal.matchingLines(of: UnsafeRawBufferPointer(bytes), lower: needle) { number, line in
                        lines.append((firstLine + number, String(Text.trimmed(line))))
                    }
                }
            } ?? false
            if !searchedWhole {
                for (index, line) in Text.lines(body).enumerated() where matches(line) {
                    lines.append((firstLine + index, String(Text.trimmed(line))))
                }
            }
            let tagMatch = entries[position].tags.contains { matches($0[...]) }
            return !lines.isEmpty || tagMatch ? SearchHit(entry: entries[position], lines: lines) : nil
        }.compactMap { $0 }
    }

}

extension Journal {
    /// Calls `found` with the number (from 0) and text of each line of an all-ASCII `text` that
    /// contains `lower` in any case, in order, as splitting at `\n` and comparing every line would;
    /// false, without calling it, when `text` is not all ASCII.
    static func matchingLines(of text: UnsafeRawBufferPointer, lower: [UInt8], _ found: (Int, Substring) -> Void) -> Bool {
        guard Bytes.isASCII(text) else { return false }
        func nextNewline(from start: Int, before end: Int) -> Int? { Bytes.firstIndex(of: 0x0a, in: text, from: start, before: end) }
        var lineStart = 0, lineNumber = 0
        while lineStart < text.count,
              let hit = Bytes.firstIndexIgnoringASCIICase(lower, in: UnsafeRawBufferPointer(rebasing: text[lineStart...])) {
            // The needle holds no line break, so a match lies inside one line.
            let at = lineStart + hit
            while let newline = nextNewline(from: lineStart, before: at) {
                lineNumber += 1
                lineStart = newline + 1
            }
            let lineEnd = nextNewline(from: at, before: text.count) ?? text.count
            found(lineNumber, Substring(decoding: UnsafeRawBufferPointer(rebasing: text[lineStart..<lineEnd]), as: UTF8.self))
            lineNumber += 1
            lineStart = lineEnd + 1
        }
        return true
    }

}

extension Journal.Reader {
    /// Active people (started by today), most urgent first: never met, then most overdue.
    public func dueStatuses(in scan: EntryScan) -> [DueStatus] {
        journal.dueStatuses(latest: Journal.latestOneOnOnes(in: scan.entries))
    }

    /// The same from the work tree, reading month folders newest first (three, then one at a
    /// time) and stopping once every active person's latest one-on-one lies above the oldest
    /// folder read: the cost follows how long ago people were last met, not the journal's age
    /// (someone never met costs a read of every month). The folder below can hold nothing newer
    /// (see `latestEntries`). An entry filed under another month than its date says is reported
    /// by `check`, and not looked for here. Returns the files in the months read that could not be read.
    public func dueStatuses() -> (statuses: [DueStatus], problems: [FileProblem]) {
        let people = journal.duePeople().map(\.slug)
        let months = journal.workTreeMonths()
        var latest: [Slug: Entry] = [:]
        var problems: [String: FileProblem] = [:]
        var end = months.count
        var step = 3
        while end > 0 {
            let start = max(0, end - step)
            let scan = journal.scanEntries(months: months[start]...months[end - 1])
            for problem in scan.problems { problems[problem.path] = problem }
            for (person, entry) in Journal.latestOneOnOnes(in: scan.entries) where latest[person].map({ $0.date.date < entry.date.date }) ?? true {
                latest[person] = entry
            }
            end = start
            let oldest = months[start]
            if people.allSatisfy({ person in latest[person].flatMap { Self.monthFolder(of: $0.path) }.map { $0 > oldest } ?? false }) {
                break
            }
            step = 1
        }
        return (journal.dueStatuses(latest: latest), problems.values.sorted { $0.path < $1.path })
    }

}

extension Journal {
    static func latestOneOnOnes(in entries: [Entry]) -> [Slug: Entry] {
        var latest: [Slug: Entry] = [:]
        for entry in entries {
            guard let details = entry.oneOnOne else { continue }
            if let current = latest[details.person], current.date.date >= entry.date.date { continue }
            latest[details.person] = entry
        }
        return latest
    }

    /// The people `due` is about: active, and started by today.
    func duePeople() -> [Person] {
        let today = self.today
        return reader.people().people.filter { $0.isActive && ($0.started.map { $0 <= today } ?? true) }
    }

    func dueStatuses(latest: [Slug: Entry]) -> [DueStatus] {
        let today = self.today
        let statuses = duePeople().map { person in
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
