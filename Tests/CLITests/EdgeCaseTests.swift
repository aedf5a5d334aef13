import Foundation
import Testing
import TestSupport

/// Inputs that look like options, days given relatively, and edits that race other writers.
@Suite struct EdgeCaseTests {
    @Test func valuesThatStartWithADash() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "- talked about the RFC\n- and the launch", "--action", "- [ ] tidy", "--date", "-3d").status == 0)
        let path = try #require(cli.entryFiles.first)
        #expect(path.hasPrefix("entries/2026/11/2026-11-25-one-on-one-alice-"))
        #expect(cli.file(path).hasSuffix("---\n- talked about the RFC\n- and the launch\n\n## Action items\n- [ ] - [ ] tidy\n"))
        #expect(cli("kudos", "bob", "--", "-great work on the release").status == 0)
        #expect(cli("list", "--since", "-30d").stdout.split(separator: "\n").count == 2)
        #expect(cli("list", "--since", "-2d").stdout.split(separator: "\n").count == 1)
        // "today" is the whole day, not the instant.
        #expect(cli("1on1", "bob", "--note", "Morning.", "--date", "2026-11-28T08:00:00+01:00").status == 0)
        #expect(cli("list", "--since", "today").stdout.split(separator: "\n").count == 2)
        #expect(cli("list", "--until", "yesterday").stdout.split(separator: "\n").count == 1)
        #expect(cli("list", "--journal", cli.journal, "--kind", "1on1").stdout.split(separator: "\n").count == 2)
        #expect(cli("--journal", cli.journal, "--no-color", "list", "--kind", "kudos").stdout.split(separator: "\n").count == 1)
    }

    /// The root command parses --journal and --no-color wherever they stand (no argv rewrite);
    /// after `--` they are text like any other.
    @Test func globalOptionsStandBeforeOrAfterTheCommand() throws {
        let cli = CLI().makeJournal()
        #expect(cli("kudos", "bob", "Shipped the release.").status == 0)
        let elsewhere = cli.scratch.appending("home")
        for arguments in [["--journal", cli.journal, "list"], ["--journal=\(cli.journal)", "list"],
                          ["list", "--journal", cli.journal], ["--no-color", "list", "--journal=\(cli.journal)"],
                          ["list", "--no-color", "--kind", "kudos", "--journal", cli.journal]] {
            let result = cli.run(arguments, in: elsewhere)
            #expect(result.status == 0, "\(arguments): \(result)")
            #expect(result.stdout.split(separator: "\n").count == 1, "\(arguments): \(result.stdout)")
        }
        #expect(cli.run(["list"], in: elsewhere).status != 0)
        let recorded = cli.run(["--journal", cli.journal, "kudos", "alice", "--", "--journal"], in: elsewhere)
        #expect(recorded.status == 0, "\(recorded)")
        let found = cli("search", "--", "--journal")
        #expect(found.status == 0)
        #expect(found.stdout.contains("--journal"), "\(found.stdout)")
        // A period option alone, or before another option, means the current period.
        #expect(cli("digest", "--format", "json", "--week").status == 0)
        #expect(cli("digest", "--week", "--audience", "self").stdout == cli("digest").stdout)
        cli.expectConsistent()
    }

    @Test func anEditNeverUndoesAChangeMadeWhileTheEditorWasOpen() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Original.", "--action", "@alice one").status == 0)
        let path = try #require(cli.entryFiles.first)
        let id = String(path.dropLast(3).suffix(6))
        // While the editor is open, another command ticks the item; then the editor saves.
        let racing = cli.script("race.sh", "\"\(CLI.binary)\" done \(id).1 >/dev/null && sed -i 's/Original./Edited./' \"$1\"")
        let before = cli.commitCount
        let result = cli("edit", id, environment: ["EDITOR": racing])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("\(path) changed while you were editing it"))
        #expect(result.stderr.contains("Your text is kept in \(cli.journal)/.git/rapport/drafts/edit-\(id)"))
        #expect(cli.commitCount == before + 1)
        #expect(cli.file(path).contains("- [x] @alice one"))
        #expect(cli.file(path).contains("Original."))
        cli.expectConsistent()

        // The same for a profile.
        let leaving = cli.script("leave.sh", "\"\(CLI.binary)\" person leave bob >/dev/null && sed -i 's/^name: Bob Smith$/name: Robert Smith/' \"$1\"")
        #expect(cli("person", "edit", "bob", environment: ["EDITOR": leaving]).status == 1)
        #expect(cli.file("people/bob.md").contains("name: Bob Smith\n"))
        #expect(cli.file("people/bob.md").contains("status: left\n"))
        // A later session never overwrites the kept draft.
        let drafts = try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/.git/rapport/drafts").sorted()
        #expect(drafts == ["edit-\(id).md", "person-bob.md"])
        #expect(cli("edit", id, environment: ["EDITOR": cli.script("edit.sh", "sed -i 's/Original./Again./' \"$1\"")]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/.git/rapport/drafts").sorted() == drafts)
    }

    @Test func unchangedHandEditedFilesAreNotRewritten() throws {
        let cli = CLI().makeJournal()
        let mixed = "---\r\nkind: one-on-one\nid: M1XED2\r\ndate: 2026-11-25T10:00:00+01:00\nperson: alice\r\n---\nLF line\r\nCRLF line\rlone CR\n- [ ] @me one\r\n"
        let path = "entries/2026/11/2026-11-25-one-on-one-alice-M1XED2.md"
        cli.scratch.write(mixed, to: "journal/" + path)
        #expect(cli("commit").status == 0)
        let before = cli.commitCount
        #expect(cli("edit", "M1XED2", environment: ["EDITOR": "true"]).stdout == "No changes to M1XED2.\n")
        #expect(cli.commitCount == before)
        #expect(cli("done", "M1XED2.1").status == 0)
        #expect(cli.file(path) == mixed.replacingOccurrences(of: "- [ ] @me one", with: "- [x] @me one"))
        let found = try #require(json(cli("search", "lone", "--json")) as? [[String: Any]])
        let match = try #require((found.first?["matches"] as? [[String: Any]])?.first)
        #expect(match["line"] as? Int == 8)
        #expect(match["text"] as? String == "CRLF line\rlone CR")
        cli.expectConsistent()
    }

    @Test func pipedCRLFNotesAreStoredWithOneKindOfLineEnding() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "bob", "--note", "-", "--action", "@me x", stdin: "line a\r\nline b\r\n").status == 0)
        let path = try #require(cli.entryFiles.first)
        #expect(!cli.file(path).contains("\r"))
        #expect(cli.file(path).hasSuffix("---\nline a\nline b\n\n## Action items\n- [ ] @me x\n"))
    }

    @Test func itemsWithCommentMarkersDoNotBreakTheTemplate() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "bob", "--note", "x", "--action", "@bob migrate A --> B", "--action", "@me other").status == 0)
        let earlier = try #require(cli.entryFiles.first)
        let earlierID = String(earlier.dropLast(3).suffix(6))
        let tick = cli.script("tick.sh", "sed -i -e 's/^- \\[ \\] \(earlierID).2/- [x] \(earlierID).2/' -e 's/^## Notes$/## Notes\\nDone./' \"$1\"")
        let result = cli("1on1", "bob", environment: ["EDITOR": tick])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Closed \(earlierID).2."))
        let newPath = try #require(cli.entryFiles.first { $0 != earlier })
        #expect(!cli.file(newPath).contains("-->"))
        #expect(!cli.file(newPath).contains(earlierID))
        #expect(cli.file(earlier).contains("- [ ] @bob migrate A --> B\n- [x] @me other\n"))
    }

    @Test func anEditorThatSavesCRLFLeavesTheErrorLoop() throws {
        let cli = CLI().makeJournal()
        let path = "entries/2026/11/2026-11-25-one-on-one-alice-CR1F00.md"
        cli.scratch.write("---\r\nkind: one-on-one\r\nid: CR1F00\r\ndate: 2026-11-25T10:00:00+01:00\r\nperson: alice\r\n---\r\nNotes\r\n",
                          to: "journal/" + path)
        #expect(cli("commit").status == 0)
        // Round 1 sets an invalid mood; round 2 fixes it. The editor saves every line with CRLF.
        let editor = cli.script("crlf.sh", #"""
            n=$(cat "$(dirname "$0")/n" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$(dirname "$0")/n"
            if [ $n -eq 1 ]; then sed -i 's/^person: alice\r$/person: alice\r\nmood: 9\r/' "$1"; else sed -i 's/^mood: 9\r$/mood: 4\r/' "$1"; fi
            sed -i 's/\r*$/\r/' "$1"
            """#)
        let result = cli("edit", "CR1F00", environment: ["EDITOR": editor])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.components(separatedBy: "Reopening").count == 2)
        #expect(cli.file(path) == "---\r\nkind: one-on-one\r\nid: CR1F00\r\ndate: 2026-11-25T10:00:00+01:00\r\nperson: alice\r\nmood: 4\r\n---\r\nNotes\r\n")
        cli.expectConsistent()
    }

    @Test func draftErrorsNameTheLineTheEditorShows() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "x", "--action", "@alice one", "--date", "2026-11-20").status == 0)
        let editor = cli.script("zed.sh", #"""
            grep -q '@zed' "$1" || sed -i 's/^## Action items$/## Action items\n- [ ] @zed ask/' "$1"
            [ -f "$(dirname "$0")/line" ] || grep -n '@zed' "$1" | cut -d: -f1 > "$(dirname "$0")/line"
            """#)
        let result = cli("1on1", "alice", environment: ["EDITOR": editor])
        #expect(result.status == 65, "\(result)")
        let line = try String(contentsOfFile: cli.scratch.appending("bin/line"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(result.stderr.contains("warning: line \(line): no person '@zed'"), "\(result.stderr)")
    }

    @Test func commitSkipsNestedRepositoriesAndLinks() throws {
        let cli = CLI().makeJournal()
        #expect(git(["init", "-q", cli.journal + "/nested"], in: cli.scratch.path).status == 0)
        cli.scratch.write("x\n", to: "journal/nested/file.txt")
        try FileManager.default.createSymbolicLink(atPath: cli.journal + "/people/link.md", withDestinationPath: "/etc/hostname")
        #expect(git(["init", "-q", cli.journal + "/digests/nested"], in: cli.scratch.path).status == 0)
        cli.scratch.write("x\n", to: "journal/digests/nested/file.txt")
        cli.scratch.write("# notes\n", to: "journal/digests/notes.md")
        cli.scratch.write("notes\n", to: "journal/notes.txt")
        let result = cli("commit")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Committed 1 hand-edited file:\n  digests/notes.md\n")
        #expect(result.stderr.contains("warning: skipped people/link.md: a symbolic link"), "\(result)")
        #expect(result.stderr.contains("warning: skipped digests/nested/: a nested git repository"))
        #expect(result.stderr.contains("warning: skipped notes.txt: outside the journal's folders"))
        #expect(result.stderr.contains("warning: skipped nested/: outside the journal's folders"))

        // A staged file deleted again before the commit: nothing to commit, and it says so.
        cli.scratch.write("ghost\n", to: "journal/digests/ghost.txt")
        #expect(git(["add", "digests/ghost.txt"], in: cli.journal).status == 0)
        try FileManager.default.removeItem(atPath: cli.journal + "/digests/ghost.txt")
        let before = cli.commitCount
        #expect(cli("commit").stdout == "Nothing to commit besides the skipped files.\n")
        #expect(cli.commitCount == before)
    }
}
