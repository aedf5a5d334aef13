import Foundation
import JournalModel

/// The `--json` shapes. Keys are snake_case and always present (null when unknown), so scripts
/// can rely on them; a key that only some entries have (a one-on-one's mood) is absent from the others.
public enum JSONOutput {
    /// One pretty-printed JSON document with sorted keys and unescaped `/`, byte for byte what
    /// `JSONSerialization` wrote before: `JSONEncoder` prints numbers, escapes and empty
    /// collections the same way, and sorts by code point, which orders every key used here alike.
    public static func string(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A value JSON cannot hold (NaN) gives `null`, as before, rather than a half document.
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An optional written as `null` rather than left out, so a key of a `--json` shape is always there.
@propertyWrapper
public struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// An entry as `--json` prints it; the body is left out where a listing does not need it (search).
public struct EntryJSON: Encodable, Sendable {
    var id: String
    var kind: String
    var date: String
    var path: String
    @Nullable var author: String?
    var tags: [String]
    var people: [String]
    var actionItems: [ActionItemJSON]
    var body: String?
    // A one-on-one's keys.
    var person: String?
    var mood: Nullable<Int>?
    var energy: Nullable<Int>?
    var workload: Nullable<Int>?
    var `private`: Bool?
    // A recognition's keys.
    var category: Nullable<String>?
    var visibility: String?
}

extension Entry {
    public func json(includeBody: Bool = true) -> EntryJSON {
        var json = EntryJSON(id: id.value, kind: kind.rawValue, date: date.text, path: path, author: author, tags: tags,
                             people: people.map(\.value), actionItems: actionItems.map { $0.json(entry: self) },
                             body: includeBody ? body : nil)
        switch details {
        case .oneOnOne(let details):
            json.person = details.person.value
            json.mood = Nullable(wrappedValue: details.mood)
            json.energy = Nullable(wrappedValue: details.energy)
            json.workload = Nullable(wrappedValue: details.workload)
            json.private = details.isPrivate
        case .recognition(let details):
            json.category = Nullable(wrappedValue: details.category)
            json.visibility = details.visibility.rawValue
        }
        return json
    }
}

public struct ActionItemJSON: Encodable, Sendable {
    var ref: String
    var entry: String
    var number: Int
    var done: Bool
    var text: String
    var owner: String
    @Nullable var due: String?
    var entryDate: String
    var people: [String]
    var line: Int
    var path: String
}

extension ActionItem {
    public func json(entry: Entry) -> ActionItemJSON {
        ActionItemJSON(ref: reference, entry: entryID.value, number: number, done: isDone, text: text,
                       owner: owner.description, due: due?.description, entryDate: entry.date.text,
                       people: entry.people.map(\.value), line: line, path: entry.path)
    }
}

public struct PersonJSON: Encodable, Sendable {
    var slug: String
    var name: String
    @Nullable var role: String?
    @Nullable var team: String?
    @Nullable var started: String?
    var cadence: String
    var cadenceDays: Int
    var status: String
    @Nullable var left: String?
    var path: String
}

extension Person {
    public func json(defaultCadence: Cadence) -> PersonJSON {
        let cadence = cadence(default: defaultCadence)
        return PersonJSON(slug: slug.value, name: name, role: role, team: team, started: started?.description,
                          cadence: cadence.description, cadenceDays: cadence.days, status: status.rawValue,
                          left: left?.description, path: path)
    }
}

public struct DueStatusJSON: Encodable, Sendable {
    var slug: String
    var name: String
    var cadence: String
    var cadenceDays: Int
    @Nullable var lastOneOnOne: String?
    @Nullable var lastEntry: String?
    @Nullable var daysSinceLast: Int?
    @Nullable var dueInDays: Int?
    var status: String
}

extension DueStatus {
    public func json() -> DueStatusJSON {
        DueStatusJSON(slug: person.slug.value, name: person.name, cadence: cadence.description, cadenceDays: cadence.days,
                      lastOneOnOne: last?.date.text, lastEntry: last?.id.value, daysSinceLast: daysSinceLast,
                      dueInDays: dueInDays, status: state.rawValue)
    }
}

/// Two shapes printed as one JSON object, for a command that adds its own keys to a library shape
/// (`person show` adds counts to a person).
public struct MergedJSON<Base: Encodable, Extra: Encodable>: Encodable {
    public let base: Base
    public let extra: Extra

    public init(_ base: Base, _ extra: Extra) {
        self.base = base
        self.extra = extra
    }

    public func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        try extra.encode(to: encoder)
    }
}
