import Foundation
import Testing
import TestSupport

/// A full disk and hostile input: each command fails with one clear line and changes nothing, or
/// succeeds completely; never a crash, a half-written file or a broken repository.
@Suite struct HostileTests {
    /// The journal on a small tmpfs, filled to leave 0 to 64 KiB free: every write either commits
    /// or says the disk is full and leaves the journal as it was; freeing space, writes work again.
    @Test func aFullDiskFailsWritesCleanly() throws {
        let cli = CLI()
        let disk = cli.scratch.appending("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mounted = run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk], in: cli.scratch.path)
        #expect(mounted.status == 0, "this test mounts a small tmpfs and needs root: \(mounted)")
        guard mounted.status == 0 else { return }
        defer { run("umount", ["-l", disk], in: cli.scratch.path) }
        let journal = disk + "/journal"
        #expect(cli("init", journal, "--author", "Dana Lee <dana@example.com>", "--timezone", "Europe/Berlin", in: cli.scratch.path).status == 0)
        func rapport(_ arguments: String...) -> ProcessResult { cli.run(["--journal", journal] + arguments, in: cli.scratch.path) }
        #expect(rapport("person", "add", "alice", "--name", "Alice Chen").status == 0)
        let first = rapport("1on1", "alice", "--note", "Before the disk filled.", "--action", "@alice first thing")
        let id = entryID(in: first.stdout) ?? "?"
        let longNote = String(repeating: "A long note about the quarter. ", count: 4_000)

        var failures = 0, successes = 0
        for free in [0, 4_096, 16_384, 65_536] {
            // Fill the disk, then give back `free` bytes.
            run("sh", ["-c", "rm -f \"$1\"; head -c 8000000 /dev/zero > \"$1\" 2>/dev/null; truncate -s -\(free) \"$1\"", "sh", disk + "/filler"],
                in: cli.scratch.path)
            for arguments in [["1on1", "alice", "--note", longNote], ["kudos", "alice", "Shipped it."], ["done", id + ".1", "--undo"],
                              ["done", id + ".1"], ["person", "add", "bob", "--name", "Bob Smith"]] {
                let before = git(["rev-parse", "HEAD"], in: journal).stdout
                let result = cli.run(["--journal", journal] + arguments, in: cli.scratch.path)
                let label = arguments.prefix(2).joined(separator: " ")
                let after = git(["rev-parse", "HEAD"], in: journal).stdout
                if result.status == 0 {
                    successes += 1
                    #expect(before != after || arguments[0] == "done", "\(label) said it worked but made no commit")
                } else {
                    failures += 1
                    #expect(result.status == 1 && result.stderr.contains("disk is full"), "\(label) with \(free) bytes free: \(result.stderr)")
                    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
                    #expect(before == after, "\(label) failed but moved HEAD")
                }
                #expect(fsckProblems(journal) == "", "after \(label) with \(free) bytes free")
                // Nothing half-written: every file in the work tree is committed as it is.
                let changed = git(["diff", "--name-only", "HEAD"], in: journal).stdout
                #expect(changed.isEmpty, "\(label) with \(free) bytes free left \(changed)")
            }
        }
        #expect(failures > 0, "the disk never filled")
        try FileManager.default.removeItem(atPath: disk + "/filler")
        let after = rapport("1on1", "alice", "--note", "After freeing space.")
        #expect(after.status == 0, "\(after)")
        #expect(rapport("check").status == 0)
        #expect(fsckProblems(journal) == "")
        FileHandle.standardError.write(Data("full disk: \(failures) writes refused cleanly, \(successes) completed\n".utf8))
    }

    /// Every command, with an empty argument and with the longest one Linux allows (128 KiB; a
    /// 1 MiB text goes in through standard input): a result or one clear error, never a crash,
    /// never a broken repository.
    @Test func everyCommandSurvivesEmptyAndHugeArguments() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Base.", "--action", "@alice one").status == 0)
        let huge = String(repeating: "x", count: 131_071)
        let templates: [[String]] = [
            ["init", "$"], ["person", "add", "$", "--name", "N"], ["person", "add", "carol", "--name", "$"], ["person", "show", "$"],
            ["person", "edit", "$"], ["person", "leave", "$"], ["person", "list", "--json"],
            ["1on1", "$", "--note", "n"], ["1on1", "alice", "--note", "$"], ["1on1", "alice", "--note", "n", "--date", "$"],
            ["1on1", "alice", "--note", "n", "--tag", "$"], ["1on1", "alice", "--note", "n", "--action", "$"], ["1on1", "alice", "--mood", "$", "--note", "n"],
            ["kudos", "$", "text"], ["kudos", "alice", "$"], ["kudos", "alice", "t", "--category", "$"],
            ["list", "--person", "$"], ["list", "--since", "$"], ["list", "--kind", "$"], ["list", "--tag", "$"], ["list", "-n", "$"],
            ["show", "$"], ["edit", "$"], ["search", "$"], ["actions", "--person", "$"], ["done", "$"],
            ["digest", "--week", "$"], ["digest", "--month", "$"], ["digest", "--since", "$"], ["digest", "--audience", "$"],
            ["digest", "--format", "$"], ["digest", "--out", "$"], ["prep", "$"], ["due", "$"], ["check", "$"], ["commit", "$"],
            ["remote", "add", "$", "/nowhere"], ["remote", "add", "x", "$"], ["clone", "$"], ["pull", "--remote", "$"],
            ["push", "--remote", "$"], ["sync", "--remote", "$"], ["keys", "$"], ["demo", "$"], ["--journal", "$", "list"], ["$"],
        ]
        var runs = 0
        for template in templates {
            for value in ["", huge] {
                let arguments = template.map { $0 == "$" ? value : $0 }
                let label = template.joined(separator: " ").replacingOccurrences(of: "$", with: value.isEmpty ? "''" : "<128 KiB>")
                let result = cli.run(arguments, environment: ["EDITOR": "true"])
                runs += 1
                #expect([0, 1, 3, 64, 65, 75].contains(result.status), "\(label): exit \(result.status)")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(label) crashed")
                if result.status != 0 {
                    #expect(!result.stderr.isEmpty && result.stderr.utf8.count < 2_000, "\(label): \(result.stderr.prefix(300))")
                }
                #expect(fsckProblems(cli.journal) == "", "\(label)")
                #expect(git(["status", "--porcelain"], in: cli.journal).stdout.isEmpty, "\(label) left changes")
            }
        }
        // 1 MiB of arguments in all (eight of the longest): people that do not exist are refused;
        // eight long action items are eight action items.
        let people = cli.run(["kudos"] + Array(repeating: huge, count: 8) + ["Text."])
        #expect(people.status == 64 && people.stderr.utf8.count < 2_000, "\(people.stderr.prefix(300))")
        let actions = cli.run(["1on1", "alice", "--note", "Long actions."] + Array(repeating: ["--action", huge], count: 8).flatMap { $0 })
        #expect(actions.status == 0, "\(actions.stderr.prefix(300))")
        // 1 MiB through standard input: a long note is a note; a NUL byte is refused.
        let mebibyte = String(repeating: "A long, honest note. ", count: 50_000)
        #expect(cli("1on1", "alice", "--note", "-", stdin: mebibyte).status == 0)
        #expect(cli("kudos", "alice", "-", stdin: mebibyte).status == 0)
        let nul = cli("1on1", "alice", "--note", "-", stdin: "before\u{0}after")
        #expect(nul.status == 64 && nul.stderr.contains("NUL"), "\(nul)")
        cli.expectConsistent()
        FileHandle.standardError.write(Data("hostile arguments: \(runs) runs, no crash\n".utf8))
    }

    /// Files no editor should produce: invalid UTF-8, a NUL byte, and an entry that is a symbolic
    /// link to a file outside the journal. Readers skip them with a warning, `check` names them,
    /// and no write follows the link.
    @Test func hostileFilesAreReportedAndLinksNeverFollowed() throws {
        let cli = CLI().makeJournal()
        let base = "journal/entries/2026/11/"
        cli.scratch.write("---\nkind: one-on-one\nid: UTF8X1\ndate: 2026-11-20T10:00:00+01:00\nperson: alice\n---\nok\n", to: base + "2026-11-20-one-on-one-alice-UTF8X1.md")
        var bad = Data(cli.file("entries/2026/11/2026-11-20-one-on-one-alice-UTF8X1.md").utf8)
        bad.append(contentsOf: [0xC3, 0x28, 0xFF, 0x0A])
        try bad.write(to: URL(fileURLWithPath: cli.journal + "/entries/2026/11/2026-11-20-one-on-one-alice-UTF8X1.md"))
        cli.scratch.write("---\nkind: one-on-one\nid: NULX22\ndate: 2026-11-20T10:00:00+01:00\nperson: alice\n---\nbefore\u{0}after\n",
                          to: base + "2026-11-20-one-on-one-alice-NULX22.md")
        let outside = cli.scratch.appending("outside.md")
        let outsideText = "---\nkind: one-on-one\nid: LNKX33\ndate: 2026-11-20T10:00:00+01:00\nperson: alice\n---\n- [ ] @alice outside\n"
        cli.scratch.write(outsideText, to: "outside.md")
        try FileManager.default.createSymbolicLink(atPath: cli.journal + "/entries/2026/11/2026-11-20-one-on-one-alice-LNKX33.md",
                                                   withDestinationPath: outside)
        for command in [["list"], ["search", "ok"], ["actions"], ["due"], ["prep", "alice"], ["digest", "--week"], ["person", "show", "alice"]] {
            let result = cli.run(command)
            #expect(result.status == 0 || result.status == 3, "\(command): \(result)")
            #expect(!result.stdout.contains("outside"), "\(command) read through the link")
        }
        let checked = cli("check")
        #expect(checked.status == 65 && checked.stdout.contains("UTF8X1") && checked.stdout.contains("NULX22"), "\(checked)")
        for write in [["done", "LNKX33.1"], ["edit", "LNKX33"], ["show", "LNKX33"]] {
            let result = cli.run(write, environment: ["EDITOR": cli.script("touch-it", "echo changed >> \"$1\"")])
            #expect(result.status == 64 && result.stderr.split(separator: "\n").count == 1, "\(write): \(result)")
        }
        #expect((try? String(contentsOfFile: outside, encoding: .utf8)) == outsideText, "a write followed the link")
        let committed = cli("commit")
        #expect(committed.status == 65, "malformed files are refused: \(committed)")
        let forced = cli("commit", "--force")
        #expect(forced.status == 0 && forced.stderr.contains("symbolic link"), "\(forced)")
        #expect(!git(["ls-files"], in: cli.journal).stdout.contains("LNKX33"))
        #expect(fsckProblems(cli.journal) == "")
    }

    /// A journal the user may read but not write (run as `nobody`): reads work, and each write
    /// fails with one clear line and changes nothing.
    @Test func aJournalWithoutWritePermissionRefusesWritesClearly() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Readable.", "--action", "@alice one").status == 0)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        let home = cli.scratch.appending("nobody-home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let scratchRoot = cli.scratch.path
        #expect(run("chmod", ["755", scratchRoot], in: "/").status == 0)
        #expect(run("chown", ["-R", "nobody:nogroup", cli.journal, home], in: "/").status == 0)
        #expect(run("chmod", ["-R", "a-w", cli.journal], in: "/").status == 0)
        defer { run("chmod", ["-R", "u+w", cli.journal], in: "/"); run("chown", ["-R", "root:root", cli.journal, home], in: "/") }
        func asNobody(_ arguments: String...) -> ProcessResult {
            run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", CLI.binary] + arguments, in: cli.journal,
                environment: cli.environment(["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_CONFIG_GLOBAL": home + "/gitconfig"]))
        }
        let listed = asNobody("list")
        #expect(listed.status == 0 && listed.stdout.contains("Readable."), "\(listed)")
        for arguments in [["1on1", "alice", "--note", "Denied."], ["kudos", "alice", "Denied."], ["done", "x"], ["person", "add", "carol", "--name", "C"]] {
            var full = arguments
            if arguments[0] == "done" {
                let id = entryID(in: listed.stdout) ?? "?"
                full = ["done", id + ".1"]
            }
            let result = run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", CLI.binary] + full, in: cli.journal,
                             environment: cli.environment(["HOME": home, "XDG_CONFIG_HOME": home + "/.config"]))
            #expect(result.status == 1 && result.stderr.contains("ermission denied"), "\(full): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(full): \(result)")
        }
        run("chmod", ["-R", "u+w", cli.journal], in: "/")
        run("chown", ["-R", "root:root", cli.journal, home], in: "/")
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        #expect(fsckProblems(cli.journal) == "")
    }
}

