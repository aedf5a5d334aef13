import Foundation
import Testing
import TestSupport

/// What a new user ran into (issue 19, item 7), each fixed and pinned here.
@Suite struct EverydayFixesTests {
    /// A profile that does not parse is one problem on its own line, not one "missing person" per
    /// entry that names them.
    @Test func aBrokenProfileIsOneProblemNotAMissingPersonPerEntry() throws {
        let cli = CLI().makeJournal()
        for day in ["2026-11-02", "2026-11-09", "2026-11-16"] {
            #expect(cli("1on1", "alice", "--note", "Weekly.", "--action", "@alice send the notes", "--date", day).status == 0)
        }
        #expect(cli("kudos", "alice", "bob", "Shipped it.").status == 0)
        let profile = cli.file("people/alice.md")
        #expect(profile.contains("cadence: weekly\n"))
        try profile.replacing(/cadence: [a-z0-9]+\n/, with: "cadence: fortnightlyish\n")
            .write(toFile: cli.journal + "/people/alice.md", atomically: true, encoding: .utf8)

        let checked = cli("check")
        #expect(checked.status == 65, "\(checked)")
        let lines = checked.stdout.split(separator: "\n").filter { $0.contains(": ") && $0.contains("/") }
        #expect(lines.count == 1, "\(checked)")
        #expect(lines.first?.hasPrefix("people/alice.md:") == true && lines.first?.contains("fortnightlyish") == true, "\(checked)")
        #expect(!checked.stdout.contains("no person"), "\(checked)")
        // A person with no profile at all is still reported, once per entry that names them.
        try FileManager.default.removeItem(atPath: cli.journal + "/people/bob.md")
        #expect(cli("check").stdout.components(separatedBy: "no person 'bob'").count == 2)
    }

    /// Someone whose start date is still to come is not "active" yet.
    @Test func someoneWhoStartsLaterIsShownAsStarting() throws {
        let cli = CLI().makeJournal()
        #expect(cli("person", "add", "carol", "--name", "Carol Diaz", "--started", "2027-01-11").status == 0)
        let list = cli("person", "list")
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.map { $0.first.map(String.init) } == ["SLUG", "alice", "bob", "carol"], "\(list)")
        #expect(list.stdout.contains("starts 2027-01-11"), "\(list)")
        #expect(!cli("person", "list", "--active").stdout.contains("carol"))
        let shown = cli("person", "show", "carol").stdout
        #expect(shown.contains("weekly one-on-ones · starts 2027-01-11\n") && !shown.contains("active"), "\(shown)")
        // A talk before they join is recorded, with a warning naming the day.
        let early = cli("kudos", "carol", "Prepared the onboarding doc before day one.")
        #expect(early.status == 0 && early.stderr.contains("warning: Carol Diaz (carol) starts on 2027-01-11"), "\(early)")
    }

    /// A one-on-one and a recognition dated after someone left are refused alike (exit 64, nothing
    /// written), whether typed, from the editor or for several people; before that day both work.
    @Test func entriesAfterSomeoneLeftAreRefusedAlike() throws {
        let cli = CLI().makeJournal()
        #expect(cli("person", "leave", "bob", "--date", "2026-11-20").status == 0)
        let before = cli.commitCount
        let editor = cli.script("note", "printf 'We talked.\\n' >> \"$1\"")
        let message = "Bob Smith (bob) left on 2026-11-20, so nothing was recorded for 2026-11-28. "
            + "For something from before they left, give --date 2026-11-20 or earlier.\n"
        for arguments in [["1on1", "bob", "--note", "Late."], ["kudos", "bob", "Thanks."], ["kudos", "alice", "bob", "Thanks."],
                          ["1on1", "bob"]] {
            let refused = cli.run(arguments, environment: ["EDITOR": editor])
            #expect(refused.status == 64, "\(arguments): \(refused)")
            #expect(refused.stderr == "error: " + message, "\(arguments): \(refused)")
        }
        // Nor by changing the person in the editor.
        let switcher = cli.script("switch", "sed -i 's/^person: alice$/person: bob/' \"$1\"; printf 'We talked.\\n' >> \"$1\"")
        let switched = cli.run(["1on1", "alice"], environment: ["EDITOR": switcher])
        #expect(switched.status != 0 && switched.stderr.contains("Bob Smith (bob) left on 2026-11-20"), "\(switched)")
        #expect(cli.commitCount == before)
        #expect(cli.entryFiles.isEmpty)
        #expect(cli("1on1", "bob", "--note", "Exit talk.", "--date", "2026-11-20").status == 0)
        #expect(cli("kudos", "bob", "Handed over the runbook.", "--date", "2026-11-19").status == 0)
        #expect(cli.commitCount == before + 2)
        cli.expectConsistent()
    }

    /// A new profile's empty template headings are not shown as notes by `person show` or `prep`.
    @Test func emptyTemplateHeadingsAreNotNotes() throws {
        let cli = CLI().makeJournal()
        #expect(cli.file("people/bob.md").contains("## Career goals\n"))
        let shown = cli("person", "show", "bob").stdout
        #expect(!shown.contains("##"), "\(shown)")
        let prep = cli("prep", "bob").stdout
        #expect(prep.hasSuffix("## Profile notes\nNone yet: `rapport person edit bob` adds some.\n"), "\(prep)")
        let editor = cli.script("goals", "sed -i 's/^## Career goals$/## Career goals\\nStaff engineer by 2028./' \"$1\"")
        #expect(cli("person", "edit", "bob", environment: ["EDITOR": editor]).status == 0)
        #expect(cli("person", "show", "bob").stdout.hasSuffix("\n## Career goals\nStaff engineer by 2028.\n"))
        #expect(cli("prep", "bob").stdout.hasSuffix("## Profile notes\n## Career goals\nStaff engineer by 2028.\n"))
    }

    /// A clone that cannot reach its remote says nothing was created, not that commits are safe.
    @Test func aFailedCloneSaysNothingWasCreated() throws {
        let cli = CLI()
        let target = cli.scratch.appending("copy")
        let failed = cli.run(["clone", "ssh://127.0.0.1:1/journal.git", target])
        #expect(failed.status == 75, "\(failed)")
        #expect(failed.stderr.hasPrefix("error: Cannot reach ssh://127.0.0.1:1/journal.git to clone ("), "\(failed)")
        #expect(failed.stderr.hasSuffix("); nothing was created here. Check the URL or path, then run `rapport clone` again.\n"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// `check` lists every problem in a file, not only the first one a read stops at.
    @Test func checkReportsEveryProblemInAFile() throws {
        let cli = CLI().makeJournal()
        let id = try #require(entryID(in: cli("1on1", "alice", "--mood", "3", "--note", "Weekly.").stdout))
        let path = try #require(cli.entryFiles.first { $0.contains(id) })
        let entry = cli.file(path)
        try entry.replacingOccurrences(of: "mood: 3\n", with: "mood: 9\nenergy: lots\n")
            .replacing(/date: [^\n]+\n/, with: "date: yesterday\n")
            .write(toFile: cli.journal + "/" + path, atomically: true, encoding: .utf8)
        let profile = cli.file("people/bob.md")
        try profile.replacing(/cadence: [a-z0-9]+\n/, with: "cadence: often\nstarted: someday\n")
            .write(toFile: cli.journal + "/people/bob.md", atomically: true, encoding: .utf8)
        let checked = cli("check")
        #expect(checked.status == 65)
        for expected in ["'date' must be an ISO 8601 time", "'mood' must be a whole number from 1 to 5, not '9'",
                         "'energy' must be a whole number from 1 to 5, not 'lots'"] {
            #expect(checked.stdout.contains(path + ":") && checked.stdout.contains(expected), "\(expected): \(checked)")
        }
        #expect(checked.stdout.contains("people/bob.md:") && checked.stdout.contains("'cadence' must be")
                && checked.stdout.contains("'started' must be a real day"), "\(checked)")
        #expect(checked.stderr.hasSuffix("5 problems found.\n"), "\(checked)")
    }

    /// A draft an editor session kept is reopened with `1on1 SLUG --resume` and recorded; the kept
    /// file goes. Kept in plain text without an identity, encrypted with one.
    @Test(arguments: [false, true])
    func aKeptDraftIsResumedAndRecorded(withIdentity: Bool) throws {
        let cli = CLI().makeJournal()
        if withIdentity { #expect(cli("keys", "init").status == 0) }
        let bad = cli.script("bad", "sed -i 's/^mood:.*/mood: 9/' \"$1\"; printf 'Talked about the roadmap.\\n' >> \"$1\"")
        let fix = cli.script("fix", "sed -i 's/^mood:.*/mood: 4/' \"$1\"")
        let before = cli.commitCount
        let failed = cli("1on1", "alice", environment: ["EDITOR": bad])
        #expect(failed.status != 0 && failed.stderr.contains("Reopen it with `rapport 1on1 alice --resume`."), "\(failed)")
        let drafts = cli.journal + "/.git/rapport/drafts"
        let kept = try FileManager.default.contentsOfDirectory(atPath: drafts)
        #expect(kept.count == 1 && kept[0].hasSuffix(withIdentity ? ".md.age" : ".md"), "\(kept)")
        #expect(cli.commitCount == before)

        #expect(cli("1on1", "bob", "--resume").status == 64)  // someone else's draft is not offered
        #expect(cli("1on1", "alice", "--resume", "--mood", "3").status == 64)
        let resumed = cli("1on1", "alice", "--resume", environment: ["EDITOR": fix])
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stdout.hasPrefix("Recorded one-on-one "), "\(resumed)")
        #expect(cli.commitCount == before + 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: drafts).isEmpty)
        #expect(cli("list").stdout.contains("mood 4 · Talked about the roadmap."))
        let again = cli("1on1", "alice", "--resume")
        #expect(again.status == 64 && again.stderr.hasPrefix("error: No kept draft for alice;"), "\(again)")
        cli.expectConsistent()
    }

    /// A remote that is a path with nothing there (moved, unmounted) says so, for every transfer.
    @Test func aLocalRemoteThatIsGoneSaysSo() throws {
        let cli = CLI().makeJournal()
        let gone = cli.scratch.appending("moved-away.git")
        #expect(cli("remote", "add", "origin", gone).status == 0)
        let before = cli.commitCount
        for command in ["push", "pull", "sync"] {
            let failed = cli(command)
            #expect(failed.status == 75, "\(command): \(failed)")
            #expect(failed.stderr.contains("(nothing at \(gone))") && !failed.stderr.contains("unsupported URL protocol"), "\(command): \(failed)")
        }
        let cloned = cli.run(["clone", gone, cli.scratch.appending("copy")])
        #expect(cloned.status == 75 && cloned.stderr.contains("(nothing at \(gone))"), "\(cloned)")
        #expect(cli.commitCount == before)
        cli.expectConsistent()
    }

    /// A broken template is one line with file:line, not a Swift dump; `check` validates every
    /// template in the journal, trusted or not, and names files there that are no template.
    @Test func aBrokenTemplateIsOneLineAndCheckFindsIt() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Weekly.").status == 0)
        let folder = cli.journal + "/.rapport/templates"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "# Prep {{name}}\n{{#talking_points}}\n- {{.}}\n{{/points}}\n".write(toFile: folder + "/prep.md.mustache", atomically: true, encoding: .utf8)
        try "# Prep\n".write(toFile: folder + "/prep.md", atomically: true, encoding: .utf8)
        let problem = ".rapport/templates/prep.md.mustache:4: column 4: a section is closed with another name than the one it opened with"
        let checked = cli("check")
        #expect(checked.status == 65)
        #expect(checked.stdout.contains(problem + "\n"), "\(checked)")
        #expect(checked.stdout.contains(".rapport/templates/prep.md:1: not a template rapport uses, so it is ignored"), "\(checked)")
        // Untrusted, the built-in runs; trusted, the error is one line and nothing is printed.
        #expect(cli("prep", "alice").status == 0)
        #expect(cli("templates", "trust", "prep.md").status == 0)
        let prep = cli("prep", "alice")
        #expect(prep.status == 65 && prep.stdout.isEmpty, "\(prep)")
        #expect(prep.stderr == "error: " + problem + "\n", "\(prep)")
    }
}
