import Foundation

/// A report's profile, `people/<slug>.md`.
public struct Person: Sendable, Equatable {
    public enum Status: String, Sendable { case active, left }

    public let slug: Slug
    public let name: String
    public let role: String?
    public let team: String?
    public let started: LocalDay?
    /// nil when the profile sets none: the journal's default cadence applies.
    public let cadence: Cadence?
    public let status: Status
    /// The day `rapport person leave` recorded, when it did.
    public let left: LocalDay?
    /// Known absences (`away: [2026-07-06..2026-07-12]`, both days included), oldest first:
    /// someone away is not overdue, and the days away do not count against their cadence.
    public let away: [ClosedRange<LocalDay>]
    public let path: String
    public internal(set) var document: FrontMatterDocument

    public var notes: String { document.body }

    /// The notes without the headings nothing was written under (the profile template's
    /// "## Career goals" left empty), trimmed; empty when no one wrote anything.
    public var writtenNotes: String {
        func headingLevel(_ line: Substring) -> Int? {
            let hashes = line.prefix { $0 == "#" }.count
            return (1...6).contains(hashes) && (line.dropFirst(hashes).first.map { $0 == " " || $0 == "\t" } ?? true) ? hashes : nil
        }
        // One pass from the end: `written[level]` says whether text stands below the last heading
        // seen of that level or deeper, up to the next heading of that level or higher. Linear,
        // since a profile comes from whoever can push and may hold any number of headings.
        var written = [Bool](repeating: false, count: 7)
        var kept: [Substring] = []
        for line in notes.split(separator: "\n", omittingEmptySubsequences: false).reversed() {
            if let level = headingLevel(line) {
                if written[level] { kept.append(line) }
                for deeper in level...6 { written[deeper] = false }
            } else {
                if !Text.trimmed(line, newlines: true).isEmpty { for level in 1...6 { written[level] = true } }
                kept.append(line)
            }
        }
        kept.reverse()
        return Text.trimmed(kept.joined(separator: "\n").replacing(/\n{3,}/, with: "\n\n"), newlines: true)
    }
    public var isActive: Bool { status == .active }

    /// Whether they had left by `day`: from their `left:` day on, and always with `status: left`
    /// and no day: the digest counts neither as active.
    public func hasLeft(by day: LocalDay) -> Bool {
        status == .left && (left.map { $0 <= day } ?? true)
    }

    /// Where someone stands on a given day, as `person list` and `person show` print it.
    public enum Standing: Equatable, Sendable {
        /// Their `started:` day is still to come.
        case starts(LocalDay)
        case active
        /// Left, on this day when it is known.
        case left(LocalDay?)
    }

    /// Their standing on `day`: left from their `left:` day on (see `hasLeft`), not yet started
    /// before their `started:` day, active otherwise.
    public func standing(on day: LocalDay) -> Standing {
        if hasLeft(by: day) { return .left(left) }
        if let started, started > day { return .starts(started) }
        return .active
    }

    public static func path(for slug: Slug) -> String { "people/\(slug.value).md" }

    /// A new profile with the keys in docs/FileFormat.md's order.
    public static func new(
        slug: Slug, name: String, role: String?, team: String?, started: LocalDay?, cadence: Cadence, notes: String
    ) throws(FileProblem) -> Person {
        var fields: [(String, YAMLValue)] = [("kind", .scalar("person")), ("slug", .scalar(slug.value)),
                                             ("name", .scalar(name))]
        if let role { fields.append(("role", .scalar(role))) }
        if let team { fields.append(("team", .scalar(team))) }
        if let started { fields.append(("started", .scalar(started.description))) }
        fields.append(("cadence", .scalar(cadence.description)))
        fields.append(("status", .scalar(Status.active.rawValue)))
        let document = FrontMatterDocument(fields: fields, body: notes)
        return try Person(document: document, path: path(for: slug))
    }

    /// Reads a profile; every bad value is a problem on its line.
    public init(document: FrontMatterDocument, path: String) throws(FileProblem) {
        var collector = ProblemCollector()
        guard let fields = Person.fields(of: document, path: path, into: &collector), collector.problems.isEmpty else {
            throw collector.problems[0]
        }
        (slug, name, role, team, started, cadence, status, left, away) = fields
        self.path = path
        self.document = document
    }

    /// Every problem in a profile, each on its key's line, not only the first: what `check` reports.
    public static func problems(in data: Data, path: String) -> [FileProblem] {
        ProblemCollector.problems(in: data, path: path) { document, collector in _ = fields(of: document, path: path, into: &collector) }
    }

    /// The front matter's values; a bad or missing one adds its problem and reading goes on.
    private static func fields(of document: FrontMatterDocument, path: String, into collector: inout ProblemCollector)
        -> (Slug, String, String?, String?, LocalDay?, Cadence?, Status, LocalDay?, [ClosedRange<LocalDay>])? {
        let reader = FieldReader(document: document, path: path)
        let kind = collector.field { () throws(FileProblem) in
            let kind = try reader.string("kind")
            guard kind == nil || kind == "person" else { throw reader.problem("kind", "a profile must have 'kind: person'") }
        }
        let slug = collector.field { () throws(FileProblem) -> Slug in
            let slug = try reader.slug("slug")
            let expected = Person.path(for: slug)
            guard path == expected else {
                throw reader.problem("slug", "slug '\(slug)' does not match the file name (expected \(expected))")
            }
            return slug
        }
        // Shown on one line everywhere: a line break in them could forge a line of output.
        func oneLine(_ key: String, required: Bool = false) -> String?? {
            collector.field { () throws(FileProblem) -> String? in
                let value = required ? try reader.requiredString(key) : try reader.string(key)
                if value?.contains(where: \.isNewline) == true { throw reader.problem(key, "'\(key)' must be one line") }
                return value
            }
        }
        let name = oneLine("name", required: true), role = oneLine("role"), team = oneLine("team")
        let started = collector.field { () throws(FileProblem) in try reader.day("started") }
        let cadence = collector.field { () throws(FileProblem) -> Cadence? in
            guard let text = try reader.string("cadence") else { return nil }
            guard let cadence = Cadence(text) else {
                throw reader.problem("cadence", "'cadence' must be weekly, biweekly, monthly or <n>d, not '\(Text.shown(text))'")
            }
            return cadence
        }
        let status = collector.field { () throws(FileProblem) in
            Status(rawValue: try reader.oneOf("status", ["active", "left"], default: "active"))!
        }
        let left = collector.field { () throws(FileProblem) in try reader.day("left") }
        let away = collector.field { () throws(FileProblem) in
            try reader.list("away").map { (text) throws(FileProblem) -> ClosedRange<LocalDay> in
                guard let range = Person.awayRange(text) else {
                    throw reader.problem("away", "'away' takes spans such as 2026-07-06..2026-07-12 (first day..last day), not '\(Text.shown(text))'")
                }
                return range
            }.sorted { $0.lowerBound < $1.lowerBound }
        }
        guard kind != nil, let slug, let name = name ?? nil, let role, let team, let started, let cadence, let status, let left, let away
        else { return nil }
        return (slug, name, role, team, started, cadence, status, left, away)
    }

    public init(data: Data, path: String) throws(FileProblem) {
        let document: FrontMatterDocument
        do {
            document = try FrontMatterDocument.parse(data)
        } catch {
            throw error.problem(in: path)
        }
        try self.init(document: document, path: path)
    }

    /// The profile marked as left on `day`; every other key and the notes stay as they are.
    public func leaving(on day: LocalDay) throws(FileProblem) -> Person {
        var document = self.document
        document.set("status", .scalar(Status.left.rawValue), after: "cadence")
        document.set("left", .scalar(day.description), after: "status")
        return try Person(document: document, path: path)
    }

    /// The profile with one more absence, `from` through `until`.
    public func adding(awayFrom from: LocalDay, until: LocalDay) throws(FileProblem) -> Person {
        var document = self.document
        let spans = (away + [from...until]).sorted { $0.lowerBound < $1.lowerBound }
        document.set("away", .list(spans.map { "\($0.lowerBound)..\($0.upperBound)" }), after: left == nil ? "status" : "left")
        return try Person(document: document, path: path)
    }

    /// Whether `day` falls in a known absence.
    public func isAway(on day: LocalDay) -> Bool { away.contains { $0.contains(day) } }

    /// Days away from `start` to `end`, both included; a day in two overlapping spans (a hand
    /// edit, a merge) counts once.
    public func daysAway(from start: LocalDay, through end: LocalDay) -> Int {
        guard start <= end else { return 0 }
        var merged: [ClosedRange<LocalDay>] = []
        for span in away {
            if let last = merged.last, span.lowerBound <= last.upperBound.adding(days: 1) {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, span.upperBound)
            } else {
                merged.append(span)
            }
        }
        return merged.reduce(0) { total, span in
            let first = max(span.lowerBound, start), last = min(span.upperBound, end)
            return first <= last ? total + first.days(until: last) + 1 : total
        }
    }

    static func awayRange(_ text: String) -> ClosedRange<LocalDay>? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = LocalDay(parts[0].trimmingCharacters(in: .whitespaces)),
              let until = LocalDay(parts[1].trimmingCharacters(in: .whitespaces)), from <= until else { return nil }
        return from...until
    }

    public func cadence(default fallback: Cadence) -> Cadence { cadence ?? fallback }
}
