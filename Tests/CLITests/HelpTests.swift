import Foundation
import Testing
import TestSupport

/// `--help` is the manual for people without the README: pinned, so a change to it is deliberate.
@Suite struct HelpTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func rootHelpIsPinned() throws {
        let cli = CLI()
        let help = cli("--help")
        #expect(help.status == 0)
        let pinned = try String(contentsOf: Self.fixtures.appendingPathComponent("help.txt"), encoding: .utf8)
        #expect(help.stdout == pinned)
    }

    @Test(arguments: [
        (["init"], "Create a journal"), (["person", "add"], "Add a person"), (["person", "list"], "List people"),
        (["person", "show"], "Show a person's profile"), (["person", "edit"], "Edit a profile"),
        (["person", "leave"], "Mark a person as left"), (["person", "away"], "Record a known absence"), (["1on1"], "Log a one-on-one."), (["kudos"], "Recognize one or more people"),
        (["list"], "List entries"), (["show"], "Print an entry's file"), (["edit"], "Edit an entry"),
        (["search"], "Find entries"), (["actions"], "List action items"), (["done"], "Tick an action item"),
        (["due"], "Who is due or overdue"), (["prep"], "Before the next one-on-one"),
        (["digest"], "A team-health digest"), (["remote", "add"], "Add a remote"), (["clone"], "Copy a shared journal"),
        (["pull"], "Commit stray edits, fetch and merge"), (["push"], "Push the journal's commits"),
        (["sync"], "Commit stray edits, fetch, merge and push"), (["keys", "init"], "Create an age identity"),
        (["keys", "show"], "Print your recipient"), (["check"], "Check that every file parses"),
        (["commit"], "Commit files edited"), (["demo"], "Write a realistic synthetic journal"),
        (["config"], "Show or change this clone's own settings"), (["templates", "list"], "The journal's templates"),
        (["templates", "trust"], "Trust the journal's templates you name"),
    ])
    func everyCommandExplainsItself(_ command: [String], _ abstract: String) {
        let result = CLI().run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: " + abstract), "\(result.stdout.prefix(200))")
        #expect(result.stdout.contains("USAGE: rapport " + command.joined(separator: " ")))
        #expect(result.stdout.contains("--journal <path>"))
    }

    @Test func versionAndColour() {
        let cli = CLI()
        #expect(cli("--version").stdout == "0.1.0\n")
        cli.makeJournal()
        // Not a terminal: never an escape code.
        #expect(!cli("person", "list", environment: ["NO_COLOR": ""]).stdout.contains("\u{1B}["))
        // On a terminal (`script` gives the command a pseudo-terminal): colour, unless NO_COLOR or --no-color.
        var environment = cli.environment()
        environment.removeValue(forKey: "NO_COLOR")
        func onTerminal(_ arguments: String, _ environment: [String: String]) -> String {
            run("script", ["-qec", "\(CLI.binary) \(arguments)", "/dev/null"], in: cli.journal, environment: environment).stdout
        }
        #expect(onTerminal("person list", environment).contains("\u{1B}[1mSLUG"))
        #expect(!onTerminal("person list --no-color", environment).contains("\u{1B}["))
        environment["NO_COLOR"] = "1"
        #expect(!onTerminal("person list", environment).contains("\u{1B}["))
    }

    /// The shells' completions offer what the journal knows: slugs, entry ids, open action items,
    /// categories, remotes (through `---completion`, as the generated scripts call it), and the
    /// fixed audiences and formats (issue 19, item 6).
    @Test func completionsOfferWhatTheJournalKnows() throws {
        let cli = CLI().makeJournal()
        let id = try #require(entryID(in: cli("1on1", "alice", "--note", "Weekly.", "--action", "@alice send the notes").stdout))
        #expect(cli("remote", "add", "origin", cli.scratch.appending("shared.git")).status == 0)
        func offered(_ words: [String], key: String, command: [String]? = nil) -> [String] {
            let command = command ?? [words[1]]
            let result = cli.run(["---completion"] + command + ["--", key, String(words.count - 1), String(words.last!.count)] + words)
            return result.status == 0 ? result.stdout.split(separator: "\n").map(String.init) : ["exit \(result.status): \(result.stderr)"]
        }
        #expect(offered(["rapport", "prep", ""], key: "positional@0") == ["alice", "bob"])
        #expect(offered(["rapport", "prep", "b"], key: "positional@0") == ["bob"])
        #expect(offered(["rapport", "kudos", ""], key: "positional@0") == ["alice", "bob"])
        #expect(offered(["rapport", "show", ""], key: "positional@0") == [id])
        #expect(offered(["rapport", "done", ""], key: "positional@0") == [id + ".1"])
        #expect(offered(["rapport", "list", "--person", "a"], key: "--person") == ["alice"])
        #expect(offered(["rapport", "kudos", "bob", "--category", "l"], key: "--category") == ["learning", "leadership"])
        #expect(offered(["rapport", "remote", "remove", ""], key: "positional@0", command: ["remote", "remove"]) == ["origin"])
        // A value someone with push access wrote is offered only when a shell takes it as it is:
        // bash's `compgen -W` would run `$(...)` in a member's name or a category.
        let key = run("age-keygen", [], in: cli.scratch.path).stdout.split(separator: "\n").first { $0.hasPrefix("# public key: ") }
            .map { String($0.dropFirst("# public key: ".count)) } ?? "?"
        cli.scratch.write("\(key) # $(touch${IFS}pwned)\n", to: "journal/.rapport/recipients")
        #expect(offered(["rapport", "keys", "remove", ""], key: "positional@0", command: ["keys", "remove"]) == [key])
        let bash = cli("--generate-completion-script", "bash").stdout
        #expect(bash.contains("---completion prep -- positional@0"))
        try FileManager.default.removeItem(atPath: cli.journal + "/.rapport/recipients")
        _ = git(["checkout", "--", ".rapport"], in: cli.journal)
        #expect(bash.contains("-W 'self'$'\\n''manager'$'\\n''team'") && bash.contains("-W 'md'$'\\n''html'$'\\n''json'"))
        cli.expectConsistent()
    }
}
