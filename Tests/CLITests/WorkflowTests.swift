import Foundation
import Testing
import TestSupport

@Suite struct WorkflowTests {
    @Test func initPeopleAndEveryWriteIsOneCommit() throws {
        let cli = CLI()
        let created = cli("init", cli.journal, "--author", "Dana Lee <dana@example.com>", "--timezone", "Europe/Berlin",
                          "--remote", "file:///tmp/shared.git")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.hasPrefix("Created journal 'journal' in \(cli.journal) (time zone Europe/Berlin)."))
        #expect(cli.commitCount == 1)
        #expect(cli.file(".rapport/journal.yml").contains("timezone: Europe/Berlin\nauthor: Dana Lee <dana@example.com>\n"))
        #expect(cli.file(".gitattributes").contains("*.age binary"))
        #expect(git(["remote", "get-url", "origin"], in: cli.journal).stdout == "file:///tmp/shared.git\n")
        cli.expectConsistent()

        let added = cli("person", "add", "alice", "--name", "Alice Chen", "--role", "ML Engineer", "--team", "platform",
                        "--cadence", "weekly", "--started", "2024-03-01")
        #expect(added.stdout == "Added Alice Chen (alice): people/alice.md\n")
        #expect(cli.commitCount == 2)
        #expect(cli.file("people/alice.md").hasPrefix("""
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
            ## Context
            """))
        #expect(cli("person", "add", "zoe", "--name", "Zoë Ångström", "--cadence", "10d").status == 0)
        #expect(cli.commitCount == 3)
        cli.expectConsistent()

        let list = cli("person", "list")
        #expect(list.stdout == """
            SLUG   NAME          ROLE         TEAM      CADENCE  STATUS
            alice  Alice Chen    ML Engineer  platform  weekly   active
            zoe    Zoë Ångström  -            -         10d      active

            """)
        let people = try #require(json(cli("person", "list", "--json")) as? [[String: Any]])
        #expect(people.map { $0["slug"] as? String } == ["alice", "zoe"])
        #expect(people[1]["name"] as? String == "Zoë Ångström")
        #expect(people[1]["cadence_days"] as? Int == 10)

        let left = cli("person", "leave", "zoe", "--date", "2026-11-20")
        #expect(left.stdout == "Marked Zoë Ångström (zoe) as left on 2026-11-20.\n")
        #expect(cli.file("people/zoe.md").contains("status: left\nleft: 2026-11-20\n"))
        #expect(cli.commitCount == 4)
        #expect(cli("person", "list", "--active").stdout.contains("zoe") == false)
        cli.expectConsistent()
        #expect(git(["log", "--format=%s"], in: cli.journal).stdout
                == "Mark zoe as left\nAdd person zoe\nAdd person alice\nStart journal journal\n")
    }

    @Test func oneOnOneWithFlagsAndStandardInput() throws {
        let cli = CLI().makeJournal()
        let before = cli.commitCount
        let recorded = cli("1on1", "alice", "--mood", "4", "--energy", "3", "--workload", "4", "--tag", "career",
                           "--tag", "rfc", "--note", "Free Markdown notes.", "--action", "@alice draft the RFC due:2026-12-05",
                           "--action", "@me intro to the platform team", "--date", "2026-11-28T14:30:00+01:00")
        #expect(recorded.status == 0, "\(recorded)")
        #expect(cli.commitCount == before + 1)
        let path = try #require(cli.entryFiles.first)
        let id = String(path.dropLast(3).suffix(6))
        #expect(path == "entries/2026/11/2026-11-28-one-on-one-alice-\(id).md")
        #expect(recorded.stdout == "Recorded one-on-one \(id) with Alice Chen: \(path)\n")
        #expect(cli.file(path) == """
            ---
            kind: one-on-one
            id: \(id)
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
            - [ ] @me intro to the platform team

            """)
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "One-on-one with alice (\(id))\n")
        cli.expectConsistent()

        let piped = cli("1on1", "bob", "--note", "-", "--date", "yesterday", stdin: "Line one.\nLine two with ümlauts.\n")
        #expect(piped.status == 0, "\(piped)")
        let bobPath = try #require(cli.entryFiles.first { $0.contains("-bob-") })
        #expect(bobPath.hasPrefix("entries/2026/11/2026-11-27-one-on-one-bob-"))
        #expect(cli.file(bobPath).contains("date: 2026-11-27T12:00:00+01:00\n"))
        #expect(cli.file(bobPath).hasSuffix("---\nLine one.\nLine two with ümlauts.\n"))
        #expect(cli.commitCount == before + 2)
        cli.expectConsistent()
    }

    @Test func kudosListShowSearch() throws {
        let cli = CLI().makeJournal()
        #expect(cli("person", "add", "zoe", "--name", "Zoë Ångström").status == 0)
        let kudos = cli("kudos", "bob", "alice", "Reported the negative result in detail; saved two weeks.", "--category", "learning")
        #expect(kudos.status == 0, "\(kudos)")
        #expect(kudos.stdout.hasPrefix("Recorded recognition "))
        let path = try #require(cli.entryFiles.first)
        #expect(path.contains("-recognition-bob-"))
        #expect(cli.file(path).contains("people: [bob, alice]\nauthor: Dana Lee <dana@example.com>\ncategory: learning\nvisibility: team\ntags: []\n---\nReported the negative result"))
        #expect(cli("1on1", "alice", "--note", "Zoë joined the call. Exhausted after the launch.", "--mood", "2", "--tag", "wellbeing",
                    "--date", "2026-11-01").status == 0)
        #expect(cli("1on1", "zoe", "--note", "Planning.", "--date", "2026-10-15").status == 0)
        cli.expectConsistent()

        let all = cli("list")
        #expect(all.status == 0)
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("2026-10-15") && lines[0].contains("1on1") && lines[0].contains("zoe"))
        #expect(lines[1].contains("alice") && lines[1].contains("mood 2 · Zoë joined the call."))
        #expect(lines[2].contains("kudos") && lines[2].contains("bob,alice") && lines[2].contains("learning · Reported"))

        #expect(cli("list", "--person", "alice").stdout.split(separator: "\n").count == 2)
        #expect(cli("list", "--kind", "kudos").stdout.split(separator: "\n").count == 1)
        #expect(cli("list", "--since", "2026-11-01", "--until", "2026-11-01").stdout.split(separator: "\n").count == 1)
        #expect(cli("list", "--tag", "WELLBEING").stdout.split(separator: "\n").count == 1)
        #expect(cli("list", "-n", "1").stdout.contains("kudos"))
        let listed = try #require(json(cli("list", "--json", "--person", "alice")) as? [[String: Any]])
        #expect(listed.count == 2)
        #expect(listed[0]["mood"] as? Int == 2)
        #expect(listed[0]["tags"] as? [String] == ["wellbeing"])
        #expect(listed[1]["category"] as? String == "learning")
        #expect((listed[1]["mood"]) == nil)

        let id = String(path.dropLast(3).suffix(6))
        let shown = cli("show", String(id.prefix(4)).lowercased())
        #expect(shown.stdout == cli.file(path))
        let shownJSON = try #require(json(cli("show", id, "--json")) as? [String: Any])
        #expect(shownJSON["people"] as? [String] == ["bob", "alice"])
        #expect(shownJSON["path"] as? String == path)

        let found = cli("search", "zoe")
        #expect(found.stdout.contains("  11: Zoë joined the call. Exhausted after the launch."))
        #expect(!found.stdout.contains("Planning"))
        let foundJSON = try #require(json(cli("search", "EXHAUSTED", "--json")) as? [[String: Any]])
        #expect(foundJSON.count == 1)
        #expect((foundJSON[0]["matches"] as? [[String: Any]])?.first?["line"] as? Int == 11)
        #expect(cli("search", "wellbeing").stdout.contains("tags: wellbeing"))
        #expect(cli("search", "nothing like this").stdout == "No entries contain 'nothing like this'.\n")
    }

    @Test func actionsDoneAndDue() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Plans.", "--action", "@alice draft the RFC due:2026-11-20",
                    "--action", "book the room", "--date", "2026-11-18").status == 0)
        let id = String(try #require(cli.entryFiles.first).dropLast(3).suffix(6))
        let open = cli("actions")
        #expect(open.stdout.contains("\(id).1  [ ]  alice  @alice  due 2026-11-20 (overdue)  @alice draft the RFC due:2026-11-20"))
        #expect(open.stdout.contains("\(id).2  [ ]  alice  @me     -                         book the room"))
        let openJSON = try #require(json(cli("actions", "--json", "--person", "alice")) as? [[String: Any]])
        #expect(openJSON.map { $0["ref"] as? String } == ["\(id).1", "\(id).2"])
        #expect(openJSON[1]["owner"] as? String == "me")

        let before = cli.commitCount
        let done = cli("done", "\(id.lowercased()).1")
        #expect(done.stdout == "Closed \(id).1: @alice draft the RFC due:2026-11-20\n")
        #expect(cli.commitCount == before + 1)
        #expect(cli.file(try #require(cli.entryFiles.first)).contains("- [x] @alice draft the RFC due:2026-11-20\n- [ ] book the room\n"))
        #expect(cli("done", "\(id).1").stdout == "\(id).1 is already done: @alice draft the RFC due:2026-11-20\n")
        #expect(cli.commitCount == before + 1)
        #expect(cli("actions", "--done").stdout.contains("\(id).1  [x]"))
        #expect(cli("actions", "--all").stdout.split(separator: "\n").count == 2)
        #expect(cli("done", "\(id).1", "--undo").stdout.hasPrefix("Reopened \(id).1"))
        #expect(cli.commitCount == before + 2)
        cli.expectConsistent()

        // alice: last one-on-one 2026-11-18, weekly, 10 days ago; bob never met.
        let due = cli("due")
        #expect(due.status == 3)
        #expect(due.stdout == """
            bob    Bob Smith   biweekly  never met                     overdue
            alice  Alice Chen  weekly    last 2026-11-18, 10 days ago  overdue by 3 days

            """)
        let dueJSON = try #require(json(cli("due", "--json")) as? [[String: Any]])
        #expect(dueJSON.map { $0["slug"] as? String } == ["bob", "alice"])
        #expect(dueJSON[1]["days_since_last"] as? Int == 10)
        #expect(dueJSON[0]["days_since_last"] is NSNull)
        #expect(cli("1on1", "bob", "--note", "First.").status == 0)
        #expect(cli("1on1", "alice", "--note", "Catch-up.", "--date", "2026-11-21").status == 0)
        let dueToday = cli("due")
        #expect(dueToday.status == 0, "\(dueToday)")
        #expect(dueToday.stdout == "alice  Alice Chen  weekly  last 2026-11-21, 7 days ago  due today\n")
        #expect(cli("due", "--all").stdout.contains("bob    Bob Smith   biweekly  last 2026-11-28, today"))
    }

    @Test func checkCommitAndMalformedFiles() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Fine.").status == 0)
        #expect(cli("check").stdout == "ok: 2 people, 1 entry, 0 open action items\n")
        #expect(cli("commit").stdout == "Nothing to commit: the journal matches its last commit.\n")

        let path = try #require(cli.entryFiles.first)
        let original = cli.file(path)
        cli.scratch.write(original.replacingOccurrences(of: "person: alice\n", with: "person: alice\nmood: [4\n"), to: "journal/" + path)
        let checked = cli("check")
        #expect(checked.status == 65)
        #expect(checked.stdout == "\(path):6: 'mood' is not valid YAML: did not find expected ',' or ']'\n")
        let listed = cli("list")
        #expect(listed.status == 0)
        #expect(listed.stdout == "No entries match.\n")
        #expect(listed.stderr.hasPrefix("warning: skipped \(path):6: 'mood' is not valid YAML"))
        let before = cli.commitCount
        let refused = cli("commit")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("\(path):6:"))
        #expect(cli.commitCount == before)

        cli.scratch.write(original.replacingOccurrences(of: "Fine.", with: "Fine, edited by hand."), to: "journal/" + path)
        cli.scratch.write("Loose notes\n", to: "journal/notes/ideas.txt")
        let committed = cli("commit")
        #expect(committed.stdout == "Committed 1 hand-edited file:\n  \(path)\n")
        // A file outside the journal's folders is the user's to commit with git.
        #expect(committed.stderr.contains("skipped notes/ideas.txt: outside the journal's folders"), "\(committed)")
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "Commit hand edits (1 file)\n")
        #expect(cli.commitCount == before + 1)
        try FileManager.default.removeItem(atPath: cli.journal + "/notes")
        cli.expectConsistent()
    }

    @Test func demoWritesAJournalThatPassesCheck() throws {
        let cli = CLI()
        let result = cli("demo", "demo", "--people", "6", "--weeks", "12", "--seed", "3", "--end", "2026-11-27",
                         "--timezone", "Europe/Berlin")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Wrote a demo journal to \(cli.scratch.appending("demo")): 6 people,"))
        let demo = cli.scratch.appending("demo")
        #expect(fsckProblems(demo) == "")
        #expect(git(["status", "--porcelain"], in: demo).stdout == "")
        #expect(cli("--journal", demo, "check").status == 0)
        #expect(cli("check", in: demo).stdout.hasPrefix("ok: 6 people,"))
        let again = cli("demo", "demo2", "--people", "6", "--weeks", "12", "--seed", "3", "--end", "2026-11-27",
                        "--timezone", "Europe/Berlin")
        #expect(again.status == 0)
        #expect(git(["rev-parse", "HEAD"], in: demo).stdout == git(["rev-parse", "HEAD"], in: cli.scratch.appending("demo2")).stdout)
        #expect(cli("demo", "demo").status == 64)
    }

    @Test func aCloneMadeByGitReadsTheSame() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Notes.", "--action", "@alice write it up").status == 0)
        #expect(cli("kudos", "bob", "Fixed the flaky test.").status == 0)
        let clone = cli.scratch.appending("clone")
        #expect(git(["clone", "--quiet", cli.journal, clone], in: cli.scratch.path).status == 0)
        let original = cli("list", "--json")
        let cloned = cli("--journal", clone, "list", "--json", in: cli.scratch.path)
        #expect(original.stdout == cloned.stdout)
        #expect(cli("--journal", clone, "actions", in: cli.scratch.path).stdout == cli("actions").stdout)
        #expect(cli("check", in: clone).status == 0)
        #expect(cli("1on1", "bob", "--note", "In the clone.", in: clone).status == 0)
        #expect(fsckProblems(clone) == "")
        #expect(git(["log", "-1", "--format=%s"], in: clone).stdout.hasPrefix("One-on-one with bob"))
    }
}
