import Foundation
import Testing
import TestSupport

@Suite struct DigestCommandTests {
    /// Marker words that must never leave the self audience.
    static let noteMarker = "quokkanote"
    static let privateNoteMarker = "narwhalsecret"
    static let privateKudosMarker = "axolotlthanks"
    static let teamKudosMarker = "pangolinship"

    /// Four people, notes with markers, a private one-on-one and a private recognition written by
    /// hand (encrypted when committed, to the identity `keys init` made; the digests decrypt them).
    func leakyJournal(_ cli: CLI) {
        cli.makeJournal()
        #expect(cli("keys", "init").status == 0)
        #expect(cli("person", "add", "carol", "--name", "Carol Diaz").status == 0)
        #expect(cli("person", "add", "dan", "--name", "Dan Okafor").status == 0)
        for (slug, mood) in [("alice", "4"), ("bob", "2"), ("carol", "3")] {
            let note = "Talked about \(DigestCommandTests.noteMarker) plans for \(slug). The \(DigestCommandTests.noteMarker) rollout is close."
            #expect(cli("1on1", slug, "--mood", mood, "--energy", "3", "--workload", "5", "--note", note,
                        "--action", "@\(slug) write the \(DigestCommandTests.noteMarker) doc due:2026-11-20",
                        "--date", "2026-11-24").status == 0)
        }
        #expect(cli("kudos", "alice", "bob", "Shipped the \(DigestCommandTests.teamKudosMarker) fix.", "--date", "2026-11-25").status == 0)
        cli.scratch.write("""
            ---
            kind: one-on-one
            id: PQ7RS2
            date: 2026-11-26T10:00:00+01:00
            person: dan
            author: Dana Lee <dana@example.com>
            mood: 1
            energy: 1
            workload: 5
            tags: []
            private: true
            ---
            Dan told me about the \(DigestCommandTests.privateNoteMarker) situation at home. He is exhausted.

            """, to: "journal/entries/2026/11/2026-11-26-one-on-one-dan-PQ7RS2.md")
        cli.scratch.write("""
            ---
            kind: recognition
            id: TV8WX3
            date: 2026-11-26T11:00:00+01:00
            people: [carol]
            author: Dana Lee <dana@example.com>
            category: helping
            visibility: private
            tags: []
            ---
            Thanked Carol for the \(DigestCommandTests.privateKudosMarker) help.

            """, to: "journal/entries/2026/11/2026-11-26-recognition-carol-TV8WX3.md")
        #expect(cli("commit").status == 0)
    }

    @Test func managerAndTeamDigestsLeakNothingInAnyFormat() throws {
        let cli = CLI()
        leakyJournal(cli)
        let markers = [DigestCommandTests.noteMarker, DigestCommandTests.privateNoteMarker, DigestCommandTests.privateKudosMarker]

        // The self digest does carry them, so the test can see a leak when there is one.
        let own = cli("digest")
        #expect(own.status == 0, "\(own)")
        for marker in markers { #expect(own.stdout.contains(marker), "self digest should quote \(marker)") }

        for audience in ["manager", "team"] {
            for format in ["md", "html", "json"] {
                let result = cli("digest", "--audience", audience, "--format", format)
                #expect(result.status == 0, "\(result)")
                for marker in markers {
                    #expect(!result.stdout.contains(marker), "\(audience) \(format) digest leaks \(marker)")
                }
                #expect(!result.stdout.contains("exhausted"), "\(audience) \(format) quotes a note")
                for header in ["Mood", "Energy", "Workload", "Key points", "class=\"spark\""] {
                    #expect(!result.stdout.contains(header), "\(audience) \(format) shows \(header)")
                }
                if format == "json" {
                    let object = try #require(json(result) as? [String: Any])
                    #expect(object["schema"] as? String == "rapport.digest/v1")
                    #expect(object["key_points"] == nil)
                    for person in object["people"] as? [[String: Any]] ?? [] {
                        for key in ["mood", "energy", "workload", "recognized_30d"] { #expect(person[key] == nil) }
                    }
                    for signal in object["signals"] as? [[String: Any]] ?? [] { #expect(signal["type"] as? String == "overdue") }
                    // The manager sees no note text, recognition included; the team sees team-visible recognition.
                    let recognition = object["recognition"] as? [[String: Any]] ?? []
                    #expect(recognition.map { $0["text"] as? String }
                            == (audience == "team" ? ["Shipped the \(DigestCommandTests.teamKudosMarker) fix."] : []))
                    #expect(object["unreadable_files"] as? Int == 0)
                    if audience == "team" {
                        #expect(object["people"] == nil && object["signals"] == nil && object["action_items"] == nil)
                    }
                }
            }
        }
        cli.expectConsistent()
    }

    @Test func jsonFollowsTheSchema() throws {
        let cli = CLI()
        leakyJournal(cli)
        let result = cli("digest", "--week", "--format", "json")
        let object = try #require(json(result) as? [String: Any], "\(result)")
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["start"] as? String == "2026-11-23" && period["end"] as? String == "2026-11-29")
        #expect(period["as_of"] as? String == "2026-11-28" && period["label"] as? String == "2026-W48")
        #expect(object["audience"] as? String == "self")
        #expect(object["commit"] as? String == git(["rev-parse", "HEAD"], in: cli.journal).stdout.trimmingCharacters(in: .newlines))
        let health = try #require(object["health"] as? [String: Any])
        let components = try #require(health["components"] as? [String: Any])
        #expect(Set(components.keys) == ["mood", "energy", "cadence", "recognition"])
        #expect(health["score"] is Int && (health["trend"] as? [Any])?.count == 12)
        let people = try #require(object["people"] as? [[String: Any]])
        #expect(people.map { $0["slug"] as? String } == ["alice", "bob", "carol", "dan"])
        let dan = people[3]
        #expect(dan["mood"] as? Int == 1 && dan["workload"] as? Int == 5 && dan["days_since_last"] as? Int == 2)
        for key in ["slug", "name", "one_on_ones", "days_since_last", "overdue", "mood", "energy", "workload", "recognized_30d"] {
            #expect(people.allSatisfy { $0[key] != nil }, "people[].\(key)")
        }
        let signals = try #require(object["signals"] as? [[String: Any]])
        let types = Set(signals.compactMap { $0["type"] as? String })
        // One one-on-one each, so no overload yet (it takes two), whatever the workload; and no
        // recognition gap, which counts from the first one-on-one when there is no started: (2 days).
        #expect(types == ["watch_word", "action_overdue"])
        #expect(signals.allSatisfy { $0["status"] as? String == "new" })
        #expect(signals.allSatisfy { ($0["evidence"] as? [String]) != nil && $0["person"] is String && $0["detail"] is String })
        let items = try #require(object["action_items"] as? [String: Any])
        #expect(items["open"] as? Int == 3 && items["overdue"] as? Int == 3 && items["opened"] as? Int == 3)
        #expect(items["closed"] as? Int == 0)
        let recognition = try #require(object["recognition"] as? [[String: Any]])
        #expect(recognition.count == 2 && recognition.allSatisfy { $0["id"] is String && $0["category"] != nil })
    }

    @Test func saveCommitsTheMarkdownWithoutPrivateEntries() throws {
        let cli = CLI()
        leakyJournal(cli)
        let saved = cli("digest", "--week", "last", "--save")
        #expect(saved.status == 0, "\(saved)")
        #expect(saved.stdout == "Saved digests/2026/2026-W47.md.\n")
        let before = git(["rev-parse", "HEAD"], in: cli.journal).stdout.trimmingCharacters(in: .newlines)
        let week = cli("digest", "--save")
        #expect(week.stdout == "Saved digests/2026/2026-W48.md.\n")
        let text = cli.file("digests/2026/2026-W48.md")
        #expect(text.contains("built from commit \(before.prefix(10))"))
        #expect(text.contains(DigestCommandTests.noteMarker))
        #expect(!text.contains(DigestCommandTests.privateNoteMarker) && !text.contains(DigestCommandTests.privateKudosMarker))
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout.hasPrefix("Save digest 2026-W48 (built from "))
        let range = cli("digest", "--since", "2026-11-01", "--until", "2026-11-15", "--audience", "team", "--save")
        #expect(range.stdout == "Saved digests/2026/2026-11-01..2026-11-15-team.md.\n", "\(range)")
        #expect(!cli.file("digests/2026/2026-11-01..2026-11-15-team.md").contains(DigestCommandTests.noteMarker))
        let commits = cli.commitCount
        // The digest built now names the save commit, so saving again rewrites only that line.
        let again = cli("digest", "--save")
        #expect(again.status == 0 && cli.commitCount == commits + 1)
        cli.expectConsistent()
        #expect(git(["show", "HEAD:digests/2026/2026-W48.md"], in: cli.journal).stdout == cli.file("digests/2026/2026-W48.md"))
        // A hand edit to a saved digest is kept: saving over it is refused until it is committed.
        cli.scratch.write(cli.file("digests/2026/2026-W48.md") + "My own conclusion.\n", to: "journal/digests/2026/2026-W48.md")
        let refused = cli("digest", "--save")
        #expect(refused.status == 64 && refused.stderr.contains("has changes that are not committed"), "\(refused)")
        #expect(cli.file("digests/2026/2026-W48.md").hasSuffix("My own conclusion.\n"))
        #expect(cli("commit").status == 0 && cli("digest", "--save").status == 0)
        cli.expectConsistent()
    }

    @Test func prepShowsWhatTheNextOneOnOneNeeds() throws {
        let cli = CLI()
        leakyJournal(cli)
        #expect(cli("kudos", "bob", "Great review of the RFC.", "--date", "2026-09-15").status == 0)
        let result = cli("prep", "bob")
        #expect(result.status == 0, "\(result)")
        let text = result.stdout
        #expect(text.hasPrefix("# Prep: Bob Smith\n"))
        #expect(text.contains("4 days since the last one-on-one; cadence biweekly (14 days): due in 10 days."))
        #expect(text.contains("Talked about \(DigestCommandTests.noteMarker) plans for bob."))
        #expect(text.contains("- [ ] ") && text.contains(".1 @bob write the \(DigestCommandTests.noteMarker) doc due:2026-11-20"))
        #expect(text.contains("Yours:\n- none"))
        #expect(text.contains("- Mood:     ▂  2") && text.contains("- Workload: █  5"))
        #expect(text.contains("Shipped the \(DigestCommandTests.teamKudosMarker) fix.") && text.contains("Great review of the RFC."))
        #expect(text.contains("Bob Smith reported a workload") == false)  // one one-on-one: no overload signal yet
        #expect(text.contains("## Talking points\n- "))

        let dan = cli("prep", "dan").stdout
        #expect(dan.contains("mentions ‘exhausted’"))
        #expect(dan.contains(DigestCommandTests.privateNoteMarker))  // prep is for the author's own eyes

        let unknown = cli("prep", "bbo")
        #expect(unknown.status == 64 && unknown.stderr.contains("Did you mean 'bob'?"))

        // Broken files committed by hand in the weeks prep reads are still reported, even though
        // entries that do not name the person are not built: front matter that does not parse,
        // and a person written with a capital letter.
        cli.scratch.write("---\nkind: one-on-one\nid: BRK0N1\ndate: [oops\n---\nAbout bob.\n",
                          to: "journal/entries/2026/11/2026-11-26-one-on-one-bob-BRK0N1.md")
        cli.scratch.write("---\nkind: one-on-one\nid: CAPB0B\ndate: 2026-11-26T10:00:00+01:00\nperson: Bob\n---\nNotes.\n",
                          to: "journal/entries/2026/11/2026-11-26-one-on-one-bob-CAPB0B.md")
        #expect(git(["add", "-A"], in: cli.journal).status == 0)
        #expect(git(["-c", "user.name=Dana Lee", "-c", "user.email=dana@example.com", "commit", "-qm", "hand-written"], in: cli.journal).status == 0)
        let warned = cli("prep", "bob")
        #expect(warned.status == 0 && warned.stderr.contains("BRK0N1") && warned.stderr.contains("CAPB0B"), "\(warned)")
    }

    /// An item someone owns that was written down in another person's one-on-one is on their
    /// prep sheet, with where it was recorded: "Go through the 1 overdue action item below" has it
    /// below (issue 17).
    @Test func prepListsTheirItemsRecordedInAnotherOneOnOne() throws {
        let cli = CLI()
        cli.makeJournal()
        let bobs = cli("1on1", "bob", "--note", "Planning the migration.", "--action", "@alice send bob the load numbers due:2026-11-20",
                       "--action", "@bob draft the plan", "--date", "2026-11-16")
        let id = try #require(entryID(in: bobs.stdout))
        #expect(cli("1on1", "alice", "--note", "Catch-up.", "--action", "@alice book the venue", "--date", "2026-11-24").status == 0)
        let prep = cli("prep", "alice").stdout
        #expect(prep.contains("- Go through the 1 overdue action item below.\n"), "\(prep)")
        #expect(prep.contains("""
            Alice Chen's:
            - [ ] \(try #require(entryID(in: cli("list", "--person", "alice").stdout))).1 @alice book the venue
            - [ ] \(id).1 @alice send bob the load numbers due:2026-11-20 (in Bob Smith's one-on-one, 2026-11-16)

            """), "\(prep)")
        #expect(!prep.contains("draft the plan"))
        #expect(cli("done", "\(id).1").status == 0)
        let closed = cli("prep", "alice").stdout
        #expect(!closed.contains("load numbers") && !closed.contains("Go through"), "\(closed)")
    }

    /// Prep for someone who has left says so and when, and shows their history without cadence,
    /// overdue or talking points (issue 17).
    @Test func prepForSomeoneWhoLeftIsHistoryOnly() throws {
        let cli = CLI()
        cli.makeJournal()
        #expect(cli("1on1", "bob", "--mood", "3", "--note", "Talked about the move to Lisbon.",
                    "--action", "@bob hand over the runbook due:2026-11-10", "--date", "2026-11-02").status == 0)
        #expect(cli("person", "leave", "bob", "--date", "2026-11-13").status == 0)
        let result = cli("prep", "bob")
        #expect(result.status == 0, "\(result)")
        let prep = result.stdout
        #expect(prep.contains("2026-11-28 · Left on 2026-11-13 (15 days ago); the last one-on-one was on 2026-11-02.\n"), "\(prep)")
        #expect(prep.contains("## Talking points\n- None: Bob Smith has left; what follows is their history.\n\n"), "\(prep)")
        for advice in ["cadence", "overdue", "Go through", "due in", "No recognition", "No signals"] {
            #expect(!prep.contains(advice), "\(advice): \(prep)")
        }
        #expect(prep.contains("Talked about the move to Lisbon.") && prep.contains("@bob hand over the runbook"))
        #expect(prep.contains("- Mood:     ▄  3"))
        // Never met: still no cadence.
        #expect(cli("person", "leave", "alice", "--date", "2026-11-28").status == 0)
        #expect(cli("prep", "alice").stdout.contains("· Left on 2026-11-28 (today); no one-on-one on record.\n"))
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let cli = CLI()
        cli.makeJournal()
        let commits = cli.commitCount
        let cases: [([String], String)] = [
            (["digest", "--week", "2026-W54"], "has no ISO week 54"),
            (["digest", "--week", "48"], "is not a week"),
            (["digest", "--month", "2026-13"], "is not a month"),
            (["digest", "--week", "last", "--month", "last"], "Choose one period"),
            (["digest", "--until", "2026-11-01"], "--until needs --since"),
            (["digest", "--since", "2026-11-20", "--until", "2026-11-01"], "is after --until"),
            (["digest", "--since", "soon"], "is not a date"),
            (["digest", "--week", "2027-W02"], "has not started yet"),
            (["digest", "--week", "1900-W01"], "A digest covers 1901 and later."),
            (["digest", "--month", "1900-03"], "A digest covers 1901 and later."),
            (["digest", "--audience", "board"], "is not an audience"),
            (["digest", "--format", "pdf"], "is not a format"),
            (["digest", "--save", "--format", "html"], "--save commits the Markdown digest"),
            (["digest", "--out", "--save"], "Missing value for '--out <file>'"),
            (["digest", "--since", "--week"], "--since needs a value, but the next argument is the option '--week'"),
            (["digest", "--since", "-7d", "--until", "--format"], "--until needs a value"),
            (["digest", "--since", "-7d", "--week"], "Choose one period"),
            (["prep"], "Missing expected argument"),
            (["prep", "Alice"], "not a valid slug"),
        ]
        for (arguments, message) in cases {
            let result = cli.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        let unwritable = cli("digest", "--out", cli.scratch.appending("missing/folder/d.md"))
        #expect(unwritable.status == 1 && unwritable.stderr.contains("Cannot write"))
        #expect(cli.commitCount == commits)
        cli.expectConsistent()
    }

    @Test func aJournalMayOverrideTheTemplates() throws {
        let cli = CLI()
        leakyJournal(cli)
        cli.scratch.write("{{% CONTENT_TYPE: TEXT}}\nOur week {{period_label}}: {{health_line}}\n{{#people}}* {{name}} {{days_since_last}}\n{{/people}}",
                          to: "journal/.rapport/templates/digest.md.mustache")
        cli.scratch.write("{{% CONTENT_TYPE: TEXT}}\nPREP {{name}}: {{due_line}}\n", to: "journal/.rapport/templates/prep.md.mustache")
        #expect(cli("commit").status == 0)
        // Templates in the journal run once this clone trusts them (docs/Trust.md).
        let untrusted = cli("digest", "--audience", "manager")
        #expect(untrusted.stdout.hasPrefix("# Weekly digest") && untrusted.stderr.contains("has not trusted its current version"), "\(untrusted)")
        #expect(cli("templates", "trust").status == 64, "each template is named")
        #expect(cli("templates", "trust", "digest.md", "prep.md").status == 0)
        let digest = cli("digest", "--audience", "manager")
        #expect(digest.stdout.hasPrefix("Our week 2026-W48: "), "\(digest)")
        #expect(digest.stdout.contains("* Dan Okafor never\n"))  // the private one-on-one is not the manager's
        #expect(cli("prep", "bob").stdout == "PREP Bob Smith: 4 days since the last one-on-one; cadence biweekly (14 days): due in 10 days.\n")
        cli.scratch.write("{{#people}}unclosed", to: "journal/.rapport/templates/digest.md.mustache")
        #expect(cli("templates", "trust", "digest.md").status == 0)
        let broken = cli("digest")
        #expect(broken.status == 65 && broken.stderr.hasPrefix("error: .rapport/templates/digest.md.mustache:1: column "), "\(broken)")
        #expect(broken.stderr.hasSuffix(": a section is never closed (its {{/name}} is missing)\n"), "\(broken)")
    }

    @Test func uncommittedHandEditsAreNamedNotSilentlyLeftOut() throws {
        let cli = CLI()
        leakyJournal(cli)
        let clean = cli("digest")
        #expect(clean.status == 0 && clean.stderr.isEmpty, "\(clean)")
        let path = try #require(cli.entryFiles.first { $0.contains("one-on-one-alice") })
        cli.scratch.write(cli.file(path) + "Added by hand.\n", to: "journal/" + path)
        let edited = cli("digest")
        #expect(edited.status == 0)
        #expect(edited.stderr == "warning: 1 file changed since the last commit is not in this digest (\(path)); `rapport commit` records it.\n")
        #expect(edited.stdout == clean.stdout)
        #expect(cli("commit").status == 0)
        #expect(cli("digest").stderr.isEmpty)
    }

    /// A note, a name or a recognition reaches a saved Markdown digest escaped: committed and
    /// shared, it cannot become an HTML tag, a link or an image where the digest is read.
    @Test func savedDigestsEscapeJournalText() throws {
        let cli = CLI()
        cli.makeJournal()
        #expect(cli("person", "add", "eve", "--name", "Eve <img src=x onerror=alert(1)>").status == 0)
        #expect(cli("1on1", "eve", "--mood", "3", "--note", "She is exhausted <script>alert(1)</script>; see [this](javascript:alert(1)).",
                    "--date", "2026-11-24").status == 0)
        #expect(cli("kudos", "eve", "alice", "Shipped ![pixel](http://evil.example/p.png)", "--date", "2026-11-25").status == 0)
        for audience in ["self", "manager", "team"] {
            let saved = cli("digest", "--audience", audience, "--save")
            #expect(saved.status == 0, "\(saved)")
        }
        let own = cli.file("digests/2026/2026-W48.md"), manager = cli.file("digests/2026/2026-W48-manager.md")
        let team = cli.file("digests/2026/2026-W48-team.md")
        #expect(own.contains("exhausted \\<script\\>alert(1)\\</script\\>; see \\[this\\](javascript:alert(1))."), "\(own)")
        #expect(manager.contains("| Eve \\<img src=x onerror=alert(1)\\> |"), "\(manager)")
        #expect(team.contains("Shipped !\\[pixel\\](http://evil.example/p.png)"), "\(team)")
        for text in [own, manager, team] {
            // With every backslash escape taken out, nothing that opens markup is left.
            let bare = text.replacingOccurrences(of: #"\\."#, with: "", options: .regularExpression)
            #expect(!bare.contains { "<>[]".contains($0) }, "\(text)")
        }
        cli.expectConsistent()
    }

    /// Today's date typed alone (or `-0d`) is recorded now, not at its midday: this morning, midday
    /// is after now, and the digest and prep counted only entries up to now (issue 17).
    @Test func aMeetingRecordedThisMorningWithTodaysDateCountsAtOnce() throws {
        let cli = CLI()
        cli.extraEnvironment["RAPPORT_NOW"] = "2026-11-28T09:15:00+01:00"
        cli.makeJournal()
        for (slug, typed) in [("alice", "2026-11-28"), ("bob", "-0d")] {
            let recorded = cli("1on1", slug, "--mood", "4", "--note", "Morning catch-up.", "--date", typed)
            #expect(recorded.status == 0, "\(recorded)")
            let path = try #require(cli.entryFiles.first { $0.contains("one-on-one-\(slug)") })
            #expect(cli.file(path).contains("\ndate: 2026-11-28T09:15:00+01:00\n"), "\(cli.file(path))")
        }
        #expect(cli("kudos", "alice", "Unblocked the release.", "--date", "2026-11-28").status == 0)
        #expect(cli("kudos", "bob", "Reviewed the RFC.", "--date", "2026-11-27").status == 0)
        let kudos = cli.entryFiles.filter { $0.contains("recognition") }.map(cli.file).joined()
        #expect(kudos.contains("\ndate: 2026-11-28T09:15:00+01:00\n") && kudos.contains("\ndate: 2026-11-27T12:00:00+01:00\n"))

        let digest = cli("digest")
        #expect(digest.status == 0 && !digest.stdout.contains("No one-on-one"), "\(digest)")
        #expect(digest.stdout.contains("| Alice Chen | weekly | 1 | 0 | 4 |"), "\(digest.stdout)")
        let people = try #require((json(cli("digest", "--format", "json")) as? [String: Any])?["people"] as? [[String: Any]])
        #expect(people.map { $0["days_since_last"] as? Int } == [0, 0] && people.allSatisfy { $0["overdue"] as? Bool == false })
        let prep = cli("prep", "alice")
        #expect(prep.stdout.contains("0 days since the last one-on-one") && !prep.stdout.contains("None yet."), "\(prep)")
        #expect(cli("due").status == 0)
        cli.expectConsistent()
    }

    @Test func weekAndMonthTakeAnOptionalValue() throws {
        let cli = CLI()
        cli.makeJournal()
        let bare = cli("digest", "--week", "--format", "json")
        #expect((json(bare) as? [String: Any]).flatMap { ($0["period"] as? [String: Any])?["label"] as? String } == "2026-W48")
        let month = cli("digest", "--format", "json", "--month")
        #expect((json(month) as? [String: Any]).flatMap { ($0["period"] as? [String: Any])?["label"] as? String } == "2026-11")
        let out = cli.scratch.appending("d.html")
        let html = cli("digest", "--month", "2026-10", "--format", "html", "--out", out)
        #expect(html.status == 0 && html.stdout.isEmpty, "\(html)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("Monthly digest: 2026-10"))
        let empty = cli("digest")
        #expect(empty.status == 0 && empty.stdout.contains("Nothing this period.") == false)
    }

    /// `--out`'s extension names the format when `--format` does not; an explicit `--format` wins,
    /// as with `git archive -o` (issue 17).
    @Test func outNamesTheFormatUnlessFormatIsGiven() throws {
        let cli = CLI()
        cli.makeJournal()
        func written(_ name: String, _ extra: String...) throws -> String {
            let path = cli.scratch.appending(name)
            let result = cli.run(["digest", "--out", path] + extra)
            #expect(result.status == 0 && result.stdout.isEmpty, "\(name): \(result)")
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        for name in ["week.html", "week.HTM"] { #expect(try written(name).hasPrefix("<!DOCTYPE html>"), "\(name)") }
        #expect((try? JSONSerialization.jsonObject(with: Data(try written("week.json").utf8))) is [String: Any])
        for name in ["week.md", "week.markdown", "week.txt", "week"] {
            #expect(try written(name).hasPrefix("# Weekly digest: 2026-W48\n"), "\(name)")
        }
        #expect(try written("forced.html", "--format", "md").hasPrefix("# Weekly digest: 2026-W48\n"))
        #expect(try written("forced.md", "--format", "json").hasPrefix("{"))
        let bad = cli("digest", "--out", cli.scratch.appending("bad.html"), "--format", "pdf")
        #expect(bad.status == 64 && bad.stderr.contains("'pdf' is not a format"), "\(bad)")
        #expect(!FileManager.default.fileExists(atPath: cli.scratch.appending("bad.html")))
    }

    /// `--since` and `--until` take relative dates that start with a dash, as `list` does (issue 17).
    @Test func aRangeTakesRelativeDates() throws {
        let cli = CLI()
        cli.makeJournal()
        func label(_ arguments: String...) -> String? {
            let result = cli.run(["digest"] + arguments + ["--format", "json"])
            #expect(result.status == 0, "\(arguments): \(result)")
            return (json(result) as? [String: Any]).flatMap { ($0["period"] as? [String: Any])?["label"] as? String }
        }
        #expect(label("--since", "-7d") == "2026-11-21..2026-11-28")
        #expect(label("--since", "-14d", "--until", "-8d") == "2026-11-14..2026-11-20")
        #expect(label("--until", "-1d", "--since", "-3d") == "2026-11-25..2026-11-27")
        let markdown = cli("digest", "--since", "-7d")
        #expect(markdown.status == 0 && markdown.stdout.contains("2026-11-21 to 2026-11-28"), "\(markdown)")
    }
}
