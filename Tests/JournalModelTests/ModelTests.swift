import Foundation
import Testing
@testable import JournalModel

@Suite struct ModelTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func oneOnOneIsWrittenExactlyAsDesignShows() throws {
        let date = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin))
        let entry = try Entry.newOneOnOne(
            id: EntryID("K3F9X2")!, date: date, person: Slug(validating: "alice"), author: "Dana Lee <dana@example.com>",
            mood: 4, energy: 3, workload: 4, tags: ["career", "rfc"],
            body: "Free Markdown notes.\n\n## Action items\n- [ ] @alice draft the RFC due:2026-12-05\n- [x] @me intro to the platform team\n",
            zone: berlin)
        #expect(entry.path == "entries/2026/11/2026-11-28-one-on-one-alice-K3F9X2.md")
        #expect(entry.document.rendered() == """
            ---
            kind: one-on-one
            id: K3F9X2
            date: 2026-11-28T14:30:00+01:00
            person: alice
            author: Dana Lee <dana@example.com>
            mood: 4
            energy: 3
            workload: 4
            tags: [career, rfc]
            private: false
            ---
            Free Markdown notes.

            ## Action items
            - [ ] @alice draft the RFC due:2026-12-05
            - [x] @me intro to the platform team

            """)
        let items = entry.actionItems
        #expect(items.map(\.reference) == ["K3F9X2.1", "K3F9X2.2"])
        #expect(items[0].owner == .person(Slug(trusted: "alice")))
        #expect(items[0].due == LocalDay("2026-12-05"))
        #expect(items[0].isDone == false)
        #expect(items[1].owner == .me)
        #expect(items[1].isDone)
        #expect(items[0].line == 16)
    }

    @Test func recognitionAndPersonAreWrittenExactlyAsDesignShows() throws {
        let date = try #require(Timestamp(parsing: "2026-11-27T10:05:00+01:00", defaultZone: berlin))
        let entry = try Entry.newRecognition(
            id: EntryID("7QH2MD")!, date: date, people: [Slug(trusted: "bob"), Slug(trusted: "carol")],
            author: "Dana Lee <dana@example.com>", category: "learning", visibility: .team, tags: [],
            body: "Reported the negative result.\n", zone: berlin)
        #expect(entry.path == "entries/2026/11/2026-11-27-recognition-bob-7QH2MD.md")
        #expect(entry.document.rendered() == """
            ---
            kind: recognition
            id: 7QH2MD
            date: 2026-11-27T10:05:00+01:00
            people: [bob, carol]
            author: Dana Lee <dana@example.com>
            category: learning
            visibility: team
            tags: []
            ---
            Reported the negative result.

            """)
        let person = try Person.new(slug: Slug(trusted: "alice"), name: "Alice Chen", role: "ML Engineer", team: "platform",
                                    started: LocalDay("2024-03-01"), cadence: .weekly, notes: "Career goals.\n")
        #expect(person.document.rendered() == """
            ---
            kind: person
            slug: alice
            name: Alice Chen
            role: ML Engineer
            team: platform
            started: 2024-03-01
            cadence: weekly
            status: active
            ---
            Career goals.

            """)
    }

    @Test func handEditedEntriesAreReadAndTickedWithoutLosingAnything() throws {
        let text = "---\r\nperson: alice\r\nid: K3F9X2\r\nkind: one-on-one\r\nmood: \"4\"\r\nreviewed-by: Zoë Ångström\r\n"
            + "date: 2026-11-28T14:30:00+01:00\r\nprivate: false\r\ncustom:\r\n  nested: yes\r\n---\r\n"
            + "Notes by Zoë.\r\n```\r\n- [ ] not a task inside a code block\r\n```\r\n* [ ] first\r\n- [X] second due:2026-02-30\r\n"
        let path = "entries/2026/11/2026-11-28-one-on-one-alice-K3F9X2.md"
        let entry = try Entry(data: Data(text.utf8), path: path, zone: berlin)
        #expect(entry.oneOnOne?.mood == 4)
        #expect(entry.author == nil)
        #expect(entry.tags == [])
        #expect(entry.actionItems.map(\.text) == ["first", "second due:2026-02-30"])
        #expect(entry.actionItems.map(\.number) == [1, 2])
        #expect(entry.actionItems[1].invalidDue == "2026-02-30")
        #expect(entry.expectedPath == path)

        let body = try #require(ActionItem.setting(1, done: true, in: entry.body))
        let ticked = try entry.withBody(body, zone: berlin)
        #expect(ticked.document.rendered() == text.replacingOccurrences(of: "* [ ] first", with: "* [x] first"))
        #expect(ActionItem.setting(3, done: true, in: entry.body) == nil)
    }

    @Test(arguments: [
        ("mood: 6", "mood", "'mood' must be a whole number from 1 to 5, not '6'"),
        ("mood: high", "mood", "not 'high'"),
        ("person: Alice", "person", "'person' is not a valid slug"),
        ("date: 2026-02-30T10:00:00Z", "date", "'date' must be an ISO 8601 time"),
        ("kind: meeting", "kind", "'kind' must be one-on-one or recognition"),
        ("id: K3F9X", "id", "'id' must be 6 characters"),
        ("private: maybe", "private", "'private' must be true or false"),
    ])
    func badValuesAreProblemsOnTheirLine(_ replacement: String, _ key: String, _ message: String) throws {
        var lines = ["---", "kind: one-on-one", "id: K3F9X2", "date: 2026-11-28T14:30:00+01:00", "person: alice", "---", "x"]
        let index = try #require(lines.firstIndex { $0.hasPrefix(key + ":") } ?? Optional(5))
        if lines[index].hasPrefix(key + ":") { lines[index] = replacement } else { lines.insert(replacement, at: 5) }
        let expectedLine = (lines.firstIndex(of: replacement) ?? 0) + 1
        #expect {
            _ = try Entry(data: Data(lines.joined(separator: "\n").utf8), path: "e.md", zone: berlin)
        } throws: { error in
            guard let problem = error as? FileProblem else { return false }
            return problem.line == expectedLine && problem.message.contains(message)
        }
    }

    @Test func entryIDsAndSlugs() throws {
        #expect(EntryID("k3f9x2")?.value == "K3F9X2")
        #expect(EntryID("K3F9XO")?.value == "K3F9X0")
        #expect(EntryID("K3F9XU") == nil)
        #expect(EntryID("K3F9X") == nil)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = EntryID.random(using: &generator)
            #expect(id.value.count == 6 && id.value.allSatisfy { EntryID.alphabet.contains($0) })
        }
        #expect(Entry.id(fromFileName: "2026-11-28-one-on-one-alice-K3F9X2.md")?.value == "K3F9X2")
        #expect(Entry.id(fromFileName: "2026-11-28-K3F9X2.md.age")?.value == "K3F9X2")
        #expect(Entry.id(fromFileName: "notes.md") == nil)

        for valid in ["alice", "a", "bob-k", "x1", String(repeating: "a", count: 40)] { #expect(Slug.isValid(valid)) }
        for invalid in ["", "Alice", "../x", "-bob", "a b", "zoë", String(repeating: "a", count: 41), "a/b"] {
            #expect(!Slug.isValid(invalid), "\(invalid)")
            #expect(throws: JournalError.self) { try Slug(validating: invalid) }
        }
        #expect(Suggestion.nearest(to: "alce", in: ["alice", "bob"]) == "alice")
        #expect(Suggestion.nearest(to: "zzzz", in: ["alice", "bob"]) == nil)
    }

    @Test func cadencesAndConfig() throws {
        #expect(Cadence("weekly")?.days == 7)
        #expect(Cadence("biweekly")?.days == 14)
        #expect(Cadence("monthly")?.days == 31)
        #expect(Cadence("10d")?.days == 10)
        #expect(Cadence("0d") == nil)
        #expect(Cadence("often") == nil)

        let defaults = try JournalConfig.parse(Data(JournalConfig.initialText(name: "team", timeZone: berlin,
                                                                              author: "Dana Lee <dana@example.com>").utf8))
        #expect(defaults.name == "team")
        #expect(defaults.timeZone.identifier == "Europe/Berlin")
        #expect(defaults.author == "Dana Lee <dana@example.com>")
        #expect(defaults.categories.count == 7)
        #expect(defaults.watchWords.contains("burned out"))
        #expect(defaults.encrypt == .private)
        #expect(defaults.weekStart == 2)

        let custom = try JournalConfig.parse(Data("week_start: sunday\ndefault_cadence: 10d\nsync:\n  auto: true\nunknown: kept\n".utf8))
        #expect(custom.weekStart == 1)
        #expect(custom.defaultCadence == .days(10))
        // A local setting in the shared file is reported and has no effect.
        #expect(custom.ignoredLocalKeys == [JournalConfig.IgnoredKey(key: "sync.auto", line: 4)])
        let pushed = try JournalConfig.parse(Data("identity: .rapport/team.key\nsync:\n  auto: false\n  allow_insecure: yes\n".utf8))
        #expect(pushed.ignoredLocalKeys.map(\.key) == ["identity", "sync.allow_insecure"])
        // Weights that are not finite numbers are bad data, reported on their line.
        for weight in ["inf", "1e309", "-1e309", "nan", "-0.5", "infinity"] {
            #expect(throws: FileProblem.self, "\(weight)") {
                _ = try JournalConfig.parse(Data("name: x\nhealth_weights:\n  mood: \(weight)\n".utf8))
            }
        }
        #expect(throws: FileProblem(path: ".rapport/journal.yml", line: 2,
                                    message: "'timezone' must be an IANA time zone such as Europe/Berlin, not 'Mars/Olympus'")) {
            _ = try JournalConfig.parse(Data("name: x\ntimezone: Mars/Olympus\n".utf8))
        }
    }
}

@Suite struct ProfileNotesTests {
    static func person(_ body: String) throws -> Person {
        try Person(data: Data("---\nkind: person\nslug: bob\nname: Bob\n---\n\(body)".utf8), path: "people/bob.md")
    }

    /// The profile template's headings with nothing under them are no notes at all (issue 19).
    @Test func headingsWithNothingUnderThemAreDropped() throws {
        #expect(try Self.person("## Context\n\n\n## Career goals\n\n\n## How Bob likes feedback\n").writtenNotes == "")
        #expect(try Self.person("").writtenNotes == "")
        #expect(try Self.person("## Context\n\n## Career goals\nStaff by 2028.\n\n## Feedback\n\n").writtenNotes
                == "## Career goals\nStaff by 2028.")
        // A heading whose text is in a sub-section stays; text before any heading stays.
        #expect(try Self.person("Met at KubeCon.\n\n## Goals\n### Short term\nShip the RFC.\n### Long term\n\n").writtenNotes
                == "Met at KubeCon.\n\n## Goals\n### Short term\nShip the RFC.")
        // Any number of headings, as a pushed profile may hold: one pass, and only the last is kept.
        #expect(try Self.person(String(repeating: "## Empty\n\n", count: 20_000) + "## Goals\nShip.\n").writtenNotes == "## Goals\nShip.")
        // "#tag" is text, not a heading.
        #expect(try Self.person("## Notes\n#oncall rotation\n").writtenNotes == "## Notes\n#oncall rotation")
    }
}

@Suite struct EveryProblemTests {
    static let zone = TimeZone(identifier: "Europe/Berlin")!

    /// A read stops at the first problem; `problems(in:)` finds each bad key on its line, in order,
    /// and the first is the one the read throws (issue 19).
    @Test func everyBadKeyOfAnEntryIsReported() throws {
        let text = "---\nkind: one-on-one\nid: K3F9X2\ndate: yesterday\nperson: alice\nmood: 9\nenergy: lots\nvisibility: secret\n---\nNote.\n"
        let path = "entries/2026/11/2026-11-28-one-on-one-alice-K3F9X2.md"
        let problems = Entry.problems(in: Data(text.utf8), path: path, zone: Self.zone)
        #expect(problems.map(\.line) == [4, 8, 6, 7], "\(problems)")
        #expect(throws: problems[0]) { try Entry(data: Data(text.utf8), path: path, zone: Self.zone) }
        let good = text.replacingOccurrences(of: "yesterday", with: "2026-11-28T10:00:00+01:00")
            .replacingOccurrences(of: "mood: 9\nenergy: lots\nvisibility: secret\n", with: "mood: 3\n")
        #expect(Entry.problems(in: Data(good.utf8), path: path, zone: Self.zone).isEmpty)
        #expect(try Entry(data: Data(good.utf8), path: path, zone: Self.zone).oneOnOne?.mood == 3)
    }

    @Test func everyBadKeyOfAProfileIsReported() throws {
        let text = "---\nkind: person\nslug: bob\nname: Bob\ncadence: often\nstarted: someday\nstatus: gone\naway: [soon]\n---\n"
        let problems = Person.problems(in: Data(text.utf8), path: "people/bob.md")
        #expect(problems.map(\.line).sorted() == [5, 6, 7, 8], "\(problems)")
        #expect(throws: problems[0]) { try Person(data: Data(text.utf8), path: "people/bob.md") }
        #expect(Person.problems(in: Data("---\nkind: person\nslug: bob\nname: Bob\n---\n".utf8), path: "people/bob.md").isEmpty)
    }
}
