import Foundation
import Testing
import TestSupport

/// Every command, run in order against one journal: each write adds exactly one commit and each
/// read adds none, and after every one `git fsck --strict` is clean and `git status` is empty.
@Suite struct EveryCommandTests {
    @Test func eachWriteIsOneCommitAndEachReadNone() throws {
        let cli = CLI().makeJournal()
        let tick = cli.script("tick.sh", "sed -i 's/^## Notes$/## Notes\\nFrom the editor./' \"$1\"")
        let append = cli.script("append.sh", "printf 'Appended by the editor.\\n' >> \"$1\"")
        var firstID = ""
        let steps: [(arguments: [String], commits: Int, environment: [String: String])] = [
            (["person", "add", "carol", "--name", "Carol Diaz", "--cadence", "monthly"], 1, [:]),
            (["person", "list"], 0, [:]),
            (["person", "show", "carol"], 0, [:]),
            (["person", "edit", "carol"], 1, ["EDITOR": append]),
            (["person", "away", "carol", "--from", "2026-12-21", "--until", "2027-01-03"], 1, [:]),
            (["1on1", "alice", "--note", "Flags.", "--action", "@alice follow up", "--mood", "3"], 1, [:]),
            (["1on1", "bob", "--note", "-"], 1, [:]),
            (["1on1", "carol"], 1, ["EDITOR": tick]),
            (["kudos", "alice", "bob", "Shipped it.", "--category", "shipping"], 1, [:]),
            (["list"], 0, [:]), (["list", "--json"], 0, [:]),
            (["show", "FIRST"], 0, [:]), (["show", "FIRST", "--json"], 0, [:]),
            (["edit", "FIRST"], 1, ["EDITOR": append]),
            (["search", "flags"], 0, [:]), (["search", "flags", "--json"], 0, [:]),
            (["actions"], 0, [:]), (["actions", "--json"], 0, [:]),
            (["done", "FIRST.1"], 1, [:]),
            (["due"], 0, [:]), (["due", "--json"], 0, [:]),
            (["prep", "alice"], 0, [:]),
            (["digest"], 0, [:]), (["digest", "--format", "json"], 0, [:]), (["digest", "--format", "html"], 0, [:]),
            (["digest", "--audience", "manager", "--month"], 0, [:]),
            (["digest", "--save"], 1, [:]),
            (["check"], 0, [:]),
            (["commit"], 0, [:]),
            (["person", "leave", "carol"], 1, [:]),
        ]
        for step in steps {
            let before = cli.commitCount
            let arguments = step.arguments.map { $0.replacingOccurrences(of: "FIRST", with: firstID) }
            let result = cli.run(arguments, stdin: "From standard input.\n", environment: step.environment)
            #expect(result.status == 0 || (arguments == ["due"] && result.status == 3), "\(arguments): \(result)")
            #expect(cli.commitCount == before + step.commits, "\(arguments)")
            cli.expectConsistent()
            if firstID.isEmpty, let path = cli.entryFiles.first { firstID = String(path.dropLast(3).suffix(6)) }
        }
        #expect(cli.entryFiles.count == 4)
        #expect(cli.file("people/carol.md").hasSuffix("Appended by the editor.\n"))
        #expect(cli.file("people/carol.md").contains("away: [2026-12-21..2027-01-03]\n"))
    }

    /// A tired manager's mistakes with `person away`: one line, the right exit code, no commit.
    @Test func personAwayRefusesWhatMakesNoSense() throws {
        let cli = CLI().makeJournal()
        #expect(cli("person", "away", "alice", "--from", "2026-12-21", "--until", "2026-12-31").status == 0)
        let before = cli.commitCount
        for (arguments, status, message) in [
            (["person", "away", "alice", "--from", "2027-01-05", "--until", "2027-01-01"], 64, "ends (2027-01-01) before it starts"),
            (["person", "away", "alice", "--from", "2026-12-30", "--until", "2027-01-02"], 64, "already away during part of"),
            (["person", "away", "alcie", "--from", "2027-02-01", "--until", "2027-02-02"], 64, "No person 'alcie'"),
            (["person", "away", "alice", "--from", "someday", "--until", "2027-02-02"], 64, "someday"),
            (["person", "away", "alice", "--from", "2027-02-01"], 64, "--until"),
        ] {
            let result = cli.run(arguments)
            #expect(result.status == Int32(status) && result.stderr.contains(message), "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count <= 3, "\(result.stderr)")
        }
        #expect(cli.commitCount == before)
        cli.expectConsistent()
    }
}
