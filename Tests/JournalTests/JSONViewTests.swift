import Foundation
import Testing
@testable import Journal

/// The `--json` shapes: a key a shape has is always there (null when unknown), a key only one kind
/// of entry has is absent from the other, and the text is what `JSONSerialization` wrote.
@Suite struct JSONViewTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func oneOnOne(mood: Int?) throws -> Entry {
        let date = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin))
        return try Entry.newOneOnOne(
            id: EntryID("K3F9X2")!, date: date, person: Slug(trusted: "alice"), author: "Dana Lee <dana@example.com>",
            mood: mood, energy: nil, workload: 4, tags: ["a/b"], body: "Notes \u{1B} and a/b.\n\n- [ ] @alice send it\n",
            zone: berlin)
    }

    @Test func aOneOnOneHasItsKeysWithNullsAndNoRecognitionKeys() throws {
        let text = JSONOutput.string(try oneOnOne(mood: nil).json())
        #expect(text.contains("\"mood\" : null,\n") && text.contains("\"energy\" : null,\n") && text.contains("\"workload\" : 4\n}"))
        #expect(!text.contains("\"category\"") && !text.contains("\"visibility\""))
        #expect(text.contains("\"tags\" : [\n    \"a/b\"\n  ]"), "slashes are not escaped: \(text)")
        #expect(text.contains("\"body\" : \"Notes \\u001b and a/b.\\n\\n- [ ] @alice send it\\n\""))
        #expect(text.contains("\"entry_date\" : \"2026-11-28T14:30:00+01:00\""), "snake_case keys inside action items")
        #expect(!JSONOutput.string(try oneOnOne(mood: 3).json(includeBody: false)).contains("\"body\""))
    }

    @Test func aRecognitionHasItsKeysAndNoOneOnOneKeys() throws {
        let date = try #require(Timestamp(parsing: "2026-11-27T10:05:00+01:00", defaultZone: berlin))
        let entry = try Entry.newRecognition(
            id: EntryID("7QH2MD")!, date: date, people: [Slug(trusted: "bob")], author: "Dana Lee <dana@example.com>",
            category: nil, visibility: .team, tags: [], body: "Thanks.\n", zone: berlin)
        let text = JSONOutput.string(entry.json())
        #expect(text.contains("\"category\" : null,\n") && text.contains("\"visibility\" : \"team\"\n"))
        for key in ["person", "mood", "energy", "workload", "private"] { #expect(!text.contains("\"\(key)\""), "\(key)") }
        #expect(text.contains("\"action_items\" : [\n\n  ],"), "an empty array as JSONSerialization printed it")
    }

    /// The whole text, compared with what JSONSerialization gives for the same object: key order,
    /// spacing, escapes and numbers.
    @Test func theTextIsWhatJSONSerializationWrote() throws {
        let person = try Person.new(slug: Slug(trusted: "alice"), name: "Alice \u{7F}\"Chen\"", role: nil, team: "platform/ml",
                                    started: LocalDay("2024-03-01"), cadence: .weekly, notes: "")
        let expected: [String: Any] = [
            "slug": "alice", "name": "Alice \u{7F}\"Chen\"", "role": NSNull(), "team": "platform/ml", "started": "2024-03-01",
            "cadence": "weekly", "cadence_days": 7, "status": "active", "left": NSNull(), "path": person.path,
        ]
        let data = try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        #expect(JSONOutput.string(person.json(defaultCadence: .biweekly)) == String(decoding: data, as: UTF8.self))
    }

    @Test func mergedShapesAreOneObject() throws {
        struct Extra: Encodable { @Nullable var lastOneOnOne: String?; let count: Int }
        let person = try Person.new(slug: Slug(trusted: "bob"), name: "Bob", role: nil, team: nil, started: nil,
                                    cadence: .monthly, notes: "")
        let object = try #require(try JSONSerialization.jsonObject(
            with: Data(JSONOutput.string(MergedJSON(person.json(defaultCadence: .weekly), Extra(lastOneOnOne: nil, count: 2))).utf8))
            as? [String: Any])
        #expect(object["slug"] as? String == "bob" && object["count"] as? Int == 2 && object["last_one_on_one"] is NSNull)
        #expect(object["cadence_days"] as? Int == 31)
    }
}
