import Foundation
import Testing
import TestSupport

/// Each bad input gets one line on stderr, the README's exit code, no new commit and no stray file.
@Suite struct BadInputTests {
    static let cases: [(arguments: [String], status: Int32, message: String)] = [
        (["1on1", "alce", "--note", "x"], 64, "error: No person 'alce'. Did you mean 'alice'? See `rapport person list`."),
        (["kudos", "bobb", "Nice work"], 64, "Did you mean 'bob'?"),
        (["person", "add", "../x", "--name", "X"], 64, "'../x' is not a valid slug"),
        (["person", "add", "Alice", "--name", "X"], 64, "Did you mean 'alice'?"),
        (["person", "add", String(repeating: "a", count: 41), "--name", "X"], 64, "It has 41 characters; the most is 40."),
        (["person", "add", "alice", "--name", "Again"], 64, "'alice' already exists."),
        (["person", "add", "carol", "--name", ""], 64, "The name is empty."),
        (["person", "add", "carol", "--name", "C", "--cadence", "sometimes"], 64, "'sometimes' is not a cadence"),
        (["1on1", "../x", "--note", "x"], 64, "'../x' is not a valid slug"),
        (["1on1", "", "--note", "x"], 64, "'' is not a valid slug"),
        (["1on1", "alice", "--mood", "0", "--note", "x"], 64, "--mood must be a whole number from 1 to 5, not 0."),
        (["1on1", "alice", "--mood", "6", "--note", "x"], 64, "--mood must be a whole number from 1 to 5, not 6."),
        (["1on1", "alice", "--workload", "6", "--note", "x"], 64, "--workload must be a whole number from 1 to 5, not 6."),
        (["1on1", "alice", "--mood", "high", "--note", "x"], 64, "The value 'high' is invalid for '--mood <1-5>'"),
        (["1on1", "alice", "--date", "2026-02-30", "--note", "x"], 64, "'2026-02-30' is not a date"),
        (["1on1", "alice", "--date", "2027-01-01", "--note", "x"], 64, "2027-01-01 is in the future"),
        (["1on1", "alice", "--note", ""], 64, "The note is empty."),
        (["1on1", "alice", "--note", "x", "--action", "@nobody do it"], 64, "No person 'nobody'."),
        (["1on1", "alice", "--note", "x", "--action", "@alice do it due:2026-13-01"], 64, "'due:2026-13-01' is not a real day"),
        (["1on1", "alice", "--mood", "3"], 64, "Give --note TEXT"),
        (["kudos", "bob"], 64, "The recognition has no text: rapport kudos bob \"what they did\""),
        (["kudos", "bob", "alice"], 64, "The recognition has no text (\"alice\" is a person)"),
        (["kudos", "bob", "   "], 64, "The recognition has no text"),
        (["kudos", "bob", "Great", "--category", "shiping"], 64, "'shiping' is not a category. Did you mean 'shipping'?"),
        (["kudos"], 64, "Name at least one person and the text"),
        (["1on1", "bob", "--note", "--help"], 64, "--note needs a value, but the next argument is the option '--help'."),
        // The root takes its global options first, wherever they stand (docs/Development.md), so
        // --action is left with no value: refused all the same, in ArgumentParser's words.
        (["1on1", "bob", "--note", "hi", "--action", "--no-color"], 64, "Missing value for '--action <text>'"),
        (["1on1", "bob", "--note", "hi", "--action", "--verbose"], 64, "--action needs a value, but the next argument is the option '--verbose'."),
        (["list", "--since", "--until", "2026-01-01"], 64, "--since needs a value, but the next argument is the option '--until'."),
        (["person", "add", "carol", "--name", "C", "--started", "--cadence", "weekly"], 64, "--started needs a value"),
        (["kudos", "alice", "bobb"], 64, "'bobb' looks like a mistyped person (did you mean 'bob'?)"),
        (["1on1", "alice", "--note", "x", "--action", "@Bob send it"], 64, "'@Bob' is not a person's slug; slugs are lower case, such as @bob."),
        (["1on1", "alice", "--date", "0026-11-28", "--note", "x"], 64, "'0026-11-28' is not a date"),
        (["1on1", "alice", "--date", "2026\n11-28", "--note", "x"], 64, "'2026\\n11-28' is not a date"),
        (["show", "AB\nCD"], 64, "'AB\\nCD' is not an entry id"),
        (["person", "add", "x\ny", "--name", "X"], 64, "'x\\ny' is not a valid slug"),
        (["demo", "later", "--end", "2099-01-01"], 64, "error: --end 2099-01-01 is in the future; the demo records a past."),
        // The library reports these as JournalError.Reason cases; the CLI words them with its flags.
        (["demo", "later", "--people", "0"], 64, "error: --people must be from 1 to 2000."),
        (["demo", "later", "--weeks", "0"], 64, "error: --weeks must be from 1 to 1040."),
        (["demo", "later", "--weeks", "1040", "--end", "1980-01-01"], 64,
         "error: The demo would start before 1971; give a later --end or fewer --weeks."),
        (["1on1", "alice", "--note", "x", "--action", "two\nlines"], 64,
         "error: An --action must be one line of text, such as --action \"@alice send the RFC due:2026-12-05\"."),
        (["1on1", "zed", "--note", "x"], 64,
         "error: No person 'zed'. See `rapport person list`, or add them with `rapport person add`."),
        (["person", "add", "alice", "--name", "Again"], 64, "error: 'alice' already exists. See `rapport person show alice`."),
        (["list", "--since", "2026-11-20", "--until", "2026-11-01"], 64, "error: --since is after --until; nothing can match."),
        (["done", "ABCD12.9"], 64, "error: Entry ABCD12 has no action item 9. See `rapport actions --all`."),
        (["show", "ZZZZ"], 64, "No entry with id 'ZZZZ'. See `rapport list`."),
        (["show", "AB"], 64, "Give at least 4 characters of the id"),
        (["show", "ABCD"], 64, "Id 'ABCD' is ambiguous: it matches ABCD12, ABCD34. Give more characters."),
        (["show", "not/an/id"], 64, "is not an entry id"),
        (["done", "ABCD12"], 64, "is not an action item reference"),
        (["done", "ABCD12.9"], 64, "Entry ABCD12 has no action item 9."),
        (["edit", "QQQQ"], 64, "No entry with id 'QQQQ'."),
        (["list", "--person", "zed"], 64, "No person 'zed'."),
        (["list", "--kind", "meeting"], 64, "'meeting' is not a kind"),
        (["list", "--since", "2026-11-20", "--until", "2026-11-01"], 64, "--since is after --until"),
        (["list", "--since", "last tuesday"], 64, "'last tuesday' is not a date"),
        (["search", ""], 64, "Give something to search for"),
        (["person", "show", "nobody"], 64, "No person 'nobody'."),
        (["person", "leave", "nobody"], 64, "No person 'nobody'."),
        (["actions", "--open", "--done"], 64, "Use only one of --open, --done and --all."),
        (["frobnicate"], 64, "Unexpected argument 'frobnicate'"),
        (["--journal", "/tmp", "list"], 64, "'/tmp' is not a rapport journal (no .rapport/ folder). Create one with `rapport init /tmp`."),
        (["init", "."], 1, "is already a rapport journal."),
    ]

    @Test func badInputChangesNothing() throws {
        let cli = CLI().makeJournal()
        // Two hand-made entries whose ids share a 4-character prefix.
        for id in ["ABCD12", "ABCD34"] {
            cli.scratch.write("---\nkind: recognition\nid: \(id)\ndate: 2026-11-01T10:00:00+01:00\npeople: [bob]\n---\nHand made.\n",
                              to: "journal/entries/2026/11/2026-11-01-recognition-bob-\(id).md")
        }
        #expect(cli("commit").status == 0)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        let files = git(["ls-files", "--others", "--cached"], in: cli.journal).stdout

        for (arguments, status, message) in Self.cases {
            let result = cli.run(arguments)
            #expect(result.status == status, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
            #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head, "\(arguments) made a commit")
            #expect(git(["ls-files", "--others", "--cached"], in: cli.journal).stdout == files, "\(arguments) left a file")
        }
        cli.expectConsistent()
    }

    @Test func initDoesNotHalfHappen() throws {
        let cli = CLI()
        let existing = cli.scratch.appending("existing")
        #expect(git(["init", "-q", "-b", "main", existing], in: cli.scratch.path).status == 0)
        #expect(git(["remote", "add", "origin", "/elsewhere"], in: existing).status == 0)
        let refused = cli("init", existing, "--author", "Dana Lee <dana@example.com>", "--remote", "/shared")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("already has a remote named origin"))
        #expect(!FileManager.default.fileExists(atPath: existing + "/.rapport"))
        #expect(git(["rev-parse", "--verify", "-q", "HEAD"], in: existing).status != 0)
        #expect(cli("init", existing, "--author", "Dana Lee <dana@example.com>").status == 0)
        // A failed init removes every folder it made, not just the last.
        #expect(cli("init", cli.scratch.appending("a/b/c")).status == 64)
        #expect(!FileManager.default.fileExists(atPath: cli.scratch.appending("a")))
        #expect(!FileManager.default.fileExists(atPath: cli.scratch.appending("later")))
    }

    @Test func noAuthorAnywhereIsAClearErrorAndCreatesNothing() throws {
        let cli = CLI()
        let result = cli("init", cli.journal)
        #expect(result.status == 64)
        #expect(result.stderr.contains("No author for commits. Add 'author: Your Name <you@example.com>' to .rapport/journal.yml"))
        #expect(!FileManager.default.fileExists(atPath: cli.journal))

        // git's own configuration is the fallback.
        #expect(git(["config", "--global", "user.name", "Dana Lee"], in: cli.scratch.path, home: cli.home).status == 0)
        #expect(git(["config", "--global", "user.email", "dana@example.com"], in: cli.scratch.path, home: cli.home).status == 0)
        #expect(cli("init", cli.journal).status == 0)
        #expect(!cli.file(".rapport/journal.yml").contains("author:"))
        #expect(cli("person", "add", "alice", "--name", "Alice").status == 0)
        cli.expectConsistent()
    }

    @Test func noJournalFoundSaysHowToMakeOne() {
        let cli = CLI()
        let result = cli("list")
        #expect(result.status == 64)
        #expect(result.stderr == "error: No journal here or at \(cli.home)/.local/share/rapport/journal. Create one with `rapport init`, or point at one with --journal PATH.\n")
        let viaEnvironment = cli("list", environment: ["RAPPORT_JOURNAL": cli.scratch.path])
        #expect(viaEnvironment.status == 64)
        #expect(viaEnvironment.stderr.contains("is not a rapport journal"))
        // The default location is used when nothing else is given.
        #expect(cli("init", "--author", "Dana Lee <dana@example.com>").status == 0)
        #expect(cli("list").stdout == "No entries match.\n")
    }

    @Test func aHeldLockIsWaitedForThenReported() throws {
        let cli = CLI().makeJournal()
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        // Another process holds rapport's write lock.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [cli.journal + "/.git/rapport.lock", "sleep", "3"]
        try holder.run()
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        let blocked = cli("kudos", "bob", "Nice.", environment: ["RAPPORT_LOCK_TIMEOUT": "0.5"])
        #expect(blocked.status == 75, "\(blocked)")
        #expect(blocked.stderr == "error: Another rapport process is writing to this journal (lock \(cli.journal)/.git/rapport.lock). Try again in a moment.\n")
        #expect(Date().timeIntervalSince(started) >= 0.5)
        holder.waitUntilExit()
        // A git process's index.lock is waited for, never removed.
        _ = FileManager.default.createFile(atPath: cli.journal + "/.git/index.lock", contents: Data())
        let gitBusy = cli("kudos", "bob", "Nice.", environment: ["RAPPORT_LOCK_TIMEOUT": "0.3"])
        #expect(gitBusy.status == 75)
        #expect(gitBusy.stderr.contains("if no git process is running, delete \(cli.journal)/.git/index.lock and try again."))
        #expect(FileManager.default.fileExists(atPath: cli.journal + "/.git/index.lock"))
        try FileManager.default.removeItem(atPath: cli.journal + "/.git/index.lock")
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        #expect(cli("kudos", "bob", "Nice.").status == 0)
        cli.expectConsistent()
    }
}
