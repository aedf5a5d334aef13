import Foundation

/// What an entry records.
public enum EntryKind: String, Sendable {
    case oneOnOne = "one-on-one"
    case recognition

    /// Accepts the written names and the command names people type (`1on1`, `kudos`).
    public init?(typed text: String) {
        switch text.lowercased() {
        case "one-on-one", "1on1", "1:1", "one-on-ones", "1on1s": self = .oneOnOne
        case "recognition", "kudos", "recognitions": self = .recognition
        default: return nil
        }
    }
}

/// A journal entry: a one-on-one or a recognition, read from `entries/YYYY/MM/...md`.
public struct Entry: Sendable, Equatable {
    public struct OneOnOne: Sendable, Equatable {
        public let person: Slug
        public let mood: Int?
        public let energy: Int?
        public let workload: Int?
        public let isPrivate: Bool
    }

    public enum Visibility: String, Sendable { case team, `private` }

    public struct Recognition: Sendable, Equatable {
        public let people: [Slug]
        public let category: String?
        public let visibility: Visibility
    }

    public enum Details: Sendable, Equatable {
        case oneOnOne(OneOnOne)
        case recognition(Recognition)
    }

    public let id: EntryID
    public let date: Timestamp
    public let author: String?
    public let tags: [String]
    public let details: Details
    public let path: String
    public let document: FrontMatterDocument

    public var kind: EntryKind {
        switch details {
        case .oneOnOne: .oneOnOne
        case .recognition: .recognition
        }
    }

    public var body: String { document.body }

    /// The people the entry is about.
    public var people: [Slug] {
        switch details {
        case .oneOnOne(let details): [details.person]
        case .recognition(let details): details.people
        }
    }

    public var oneOnOne: OneOnOne? {
        if case .oneOnOne(let details) = details { return details }
        return nil
    }

    public var recognition: Recognition? {
        if case .recognition(let details) = details { return details }
        return nil
    }

    public var actionItems: [ActionItem] { ActionItem.parse(document, entryID: id) }

    /// `entries/YYYY/MM/<YYYY-MM-DD>-<kind>-<slug>-<id>.md`, dated by the day as written.
    public static func path(kind: EntryKind, date: Timestamp, subject: Slug, id: EntryID) -> String {
        let day = date.localDay
        return "\(day.entryFolder)/\(day)-\(kind.rawValue)-\(subject.value)-\(id.value).md"
    }

    /// `entries/YYYY/MM/<YYYY-MM-DD>-<id>.md.age`: an encrypted entry's path names neither its
    /// kind nor its people.
    public static func encryptedPath(date: Timestamp, id: EntryID) -> String {
        let day = date.localDay
        return "\(day.entryFolder)/\(day)-\(id.value).md.age"
    }

    /// The path this entry's front matter says it should have, encrypted or not as it is stored now.
    public var expectedPath: String { expectedPath(encrypted: isEncrypted) }

    public func expectedPath(encrypted: Bool) -> String {
        encrypted ? Entry.encryptedPath(date: date, id: id) : Entry.path(kind: kind, date: date, subject: people[0], id: id)
    }

    /// Stored as `.md.age`: read through the manager's age identity.
    public var isEncrypted: Bool { path.hasSuffix(".md.age") }

    /// `private: true` or `visibility: private`, on any kind of entry: the manager's eyes only.
    public var isMarkedPrivate: Bool { oneOnOne?.isPrivate == true || recognition?.visibility == .private }

    /// A problem when the file's name does not match its front matter (a date, person or id
    /// edited by hand); nil when it matches.
    public var fileNameProblem: FileProblem? {
        guard path != expectedPath else { return nil }
        return FileProblem(path: path, line: document.line(of: "id") ?? 1,
                           message: "the file name does not match the front matter (expected \(expectedPath))")
    }

    /// The id in an entry file name or path (`...-<id>.md` or `...-<id>.md.age`), without reading the file.
    public static func id(fromFileName name: String) -> EntryID? {
        var bytes = Substring(name).utf8
        if name.hasSuffix(".md.age") { bytes = bytes.dropLast(7) } else if name.hasSuffix(".md") { bytes = bytes.dropLast(3) } else {
            return nil
        }
        let tail = Array(bytes.suffix(EntryID.length + 1))
        guard tail.count == EntryID.length + 1, tail[0] == UInt8(ascii: "-"),
              tail.dropFirst().allSatisfy(EntryID.isCanonicalByte) else { return nil }
        return EntryID(trusted: String(decoding: tail.dropFirst(), as: UTF8.self))
    }

    // MARK: - Reading

    public init(data: Data, path: String, zone: TimeZone) throws(FileProblem) {
        let document: FrontMatterDocument
        do {
            document = try FrontMatterDocument.parse(data)
        } catch {
            throw error.problem(in: path)
        }
        try self.init(document: document, path: path, zone: zone)
    }

    public init(document: FrontMatterDocument, path: String, zone: TimeZone) throws(FileProblem) {
        var collector = ProblemCollector()
        guard let fields = Entry.fields(of: document, path: path, zone: zone, into: &collector), collector.problems.isEmpty else {
            throw collector.problems[0]
        }
        (id, date, author, tags, details) = fields
        self.path = path
        self.document = document
    }

    /// Every problem in an entry file, each on its key's line, not only the first one a read
    /// stops at: what `check` reports.
    public static func problems(in data: Data, path: String, zone: TimeZone) -> [FileProblem] {
        ProblemCollector.problems(in: data, path: path) { document, collector in _ = fields(of: document, path: path, zone: zone, into: &collector) }
    }

    /// The front matter's values; a bad or missing one adds its problem and reading goes on.
    private static func fields(
        of document: FrontMatterDocument, path: String, zone: TimeZone, into collector: inout ProblemCollector
    ) -> (EntryID, Timestamp, String?, [String], Details)? {
        let reader = FieldReader(document: document, path: path)
        let kind = collector.field { () throws(FileProblem) -> EntryKind in
            let text = try reader.requiredString("kind")
            guard let kind = EntryKind(rawValue: text) else {
                throw reader.problem("kind", "'kind' must be one-on-one or recognition, not '\(Text.shown(text))'")
            }
            return kind
        }
        let id = collector.field { () throws(FileProblem) -> EntryID in
            let text = try reader.requiredString("id")
            guard let id = EntryID(text), id.value == text else {
                throw reader.problem("id", "'id' must be 6 characters of Crockford base32 such as K3F9X2, not '\(Text.shown(text))'")
            }
            return id
        }
        let date = collector.field { () throws(FileProblem) in try reader.timestamp("date", zone: zone) }
        let author = collector.field { () throws(FileProblem) in try reader.string("author") }
        let tags = collector.field { () throws(FileProblem) in try reader.list("tags") }
        // Either spelling makes any entry private: one a hand-written file uses on the "wrong" kind
        // must not leave it in plain text or in a team digest (docs/Trust.md).
        let flagged = collector.field { () throws(FileProblem) in try reader.bool("private", default: false) }
        let visibility = collector.field { () throws(FileProblem) in try reader.oneOf("visibility", ["team", "private"], default: "team") }
        let isPrivate = flagged == true || visibility == "private"
        var details: Details?
        switch kind {
        case .oneOnOne?:
            let person = collector.field { () throws(FileProblem) in try reader.slug("person") }
            let mood = collector.field { () throws(FileProblem) in try reader.scale("mood") }
            let energy = collector.field { () throws(FileProblem) in try reader.scale("energy") }
            let workload = collector.field { () throws(FileProblem) in try reader.scale("workload") }
            if let person, let mood, let energy, let workload {
                details = .oneOnOne(OneOnOne(person: person, mood: mood, energy: energy, workload: workload, isPrivate: isPrivate))
            }
        case .recognition?:
            let people = collector.field { () throws(FileProblem) in try reader.slugs("people") }
            let category = collector.field { () throws(FileProblem) in try reader.string("category") }
            if let people, let category {
                details = .recognition(Recognition(people: people, category: category, visibility: isPrivate ? .private : .team))
            }
        case nil:
            break
        }
        guard let id, let date, let author, let tags, let details, flagged != nil, visibility != nil else { return nil }
        return (id, date, author, tags, details)
    }

    // MARK: - Writing

    /// A new one-on-one with the keys in docs/FileFormat.md's order; absent scores are left out.
    public static func newOneOnOne(
        id: EntryID, date: Timestamp, person: Slug, author: String, mood: Int?, energy: Int?, workload: Int?,
        tags: [String], body: String, isPrivate: Bool = false, zone: TimeZone
    ) throws(FileProblem) -> Entry {
        var fields: [(String, YAMLValue)] = [
            ("kind", .scalar(EntryKind.oneOnOne.rawValue)), ("id", .scalar(id.value)), ("date", .scalar(date.text)),
            ("person", .scalar(person.value)), ("author", .scalar(author)),
        ]
        if let mood { fields.append(("mood", .scalar(String(mood)))) }
        if let energy { fields.append(("energy", .scalar(String(energy)))) }
        if let workload { fields.append(("workload", .scalar(String(workload)))) }
        fields.append(("tags", .list(tags)))
        fields.append(("private", .boolean(isPrivate)))
        let document = FrontMatterDocument(fields: fields, body: body)
        return try Entry(document: document, path: path(kind: .oneOnOne, date: date, subject: person, id: id), zone: zone)
    }

    /// A new recognition with the keys in docs/FileFormat.md's order.
    public static func newRecognition(
        id: EntryID, date: Timestamp, people: [Slug], author: String, category: String?, visibility: Visibility,
        tags: [String], body: String, zone: TimeZone
    ) throws(FileProblem) -> Entry {
        var fields: [(String, YAMLValue)] = [
            ("kind", .scalar(EntryKind.recognition.rawValue)), ("id", .scalar(id.value)), ("date", .scalar(date.text)),
            ("people", .list(people.map(\.value))), ("author", .scalar(author)),
        ]
        if let category { fields.append(("category", .scalar(category))) }
        fields.append(("visibility", .scalar(visibility.rawValue)))
        fields.append(("tags", .list(tags)))
        let document = FrontMatterDocument(fields: fields, body: body)
        return try Entry(document: document, path: path(kind: .recognition, date: date, subject: people[0], id: id),
                         zone: zone)
    }

    /// This entry with its body replaced; the front matter stays byte for byte.
    public func withBody(_ body: String, zone: TimeZone) throws(FileProblem) -> Entry {
        var document = self.document
        document.body = body
        return try Entry(document: document, path: path, zone: zone)
    }
}
