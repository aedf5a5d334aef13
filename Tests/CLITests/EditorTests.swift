import Foundation
import Testing
import TestSupport

@Suite struct EditorTests {
    @Test func newOneOnOneInTheEditorClosesTickedItems() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Earlier.", "--action", "@alice send the deck due:2026-11-30",
                    "--action", "@me book the room", "--date", "2026-11-20").status == 0)
        let earlier = try #require(cli.entryFiles.first)
        let earlierID = String(earlier.dropLast(3).suffix(6))
        // The editor sees the template, records what it saw, ticks the first earlier item and writes notes.
        let editor = cli.script("edit.sh", """
            cp "$1" "$(dirname "$0")/seen.md"
            sed -i -e 's/^- \\[ \\] \\(\(earlierID).1\\)/- [x] \\1/' -e 's/^mood:$/mood: 4/' \
                -e 's/^## Notes$/## Notes\\nShe finished the deck. Feeling stressed about the launch./' \
                -e 's/^## Action items$/## Action items\\n- [ ] @alice plan the launch due:2026-12-10/' "$1"
            """)
        let before = cli.commitCount
        let result = cli("1on1", "alice", environment: ["EDITOR": editor])
        #expect(result.status == 0, "\(result)")
        #expect(cli.commitCount == before + 1)
        let seen = try String(contentsOfFile: cli.scratch.appending("bin/seen.md"), encoding: .utf8)
        #expect(seen.contains("person: alice\nauthor: Dana Lee <dana@example.com>\nmood:\nenergy:\nworkload:\ntags: []\nprivate: false\n---\n"))
        #expect(seen.contains("<!-- rapport: one-on-one with Alice Chen (alice)."))
        #expect(seen.contains("- [ ] \(earlierID).1 @alice send the deck due:2026-11-30\n- [ ] \(earlierID).2 @me book the room\n"))

        let newPath = try #require(cli.entryFiles.first { $0 != earlier })
        let newID = String(newPath.dropLast(3).suffix(6))
        #expect(result.stdout == "Closed \(earlierID).1.\nRecorded one-on-one \(newID) with Alice Chen: \(newPath)\n")
        #expect(cli.file(newPath) == """
            ---
            kind: one-on-one
            id: \(newID)
            date: 2026-11-28T14:30:00+01:00
            person: alice
            author: Dana Lee <dana@example.com>
            mood: 4
            tags: []
            private: false
            ---
            ## Notes
            She finished the deck. Feeling stressed about the launch.


            ## Action items
            - [ ] @alice plan the launch due:2026-12-10

            """)
        #expect(cli.file(earlier).contains("- [x] @alice send the deck due:2026-11-30\n- [ ] @me book the room\n"))
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "One-on-one with alice (\(newID)); close \(earlierID).1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/.git/rapport/drafts").isEmpty)
        cli.expectConsistent()
    }

    @Test func unchangedOrEmptyNotesRecordNothing() throws {
        let cli = CLI().makeJournal()
        let before = cli.commitCount
        let unchanged = cli("1on1", "alice", environment: ["EDITOR": "true"])
        #expect(unchanged.status == 1)
        #expect(unchanged.stderr == "error: Aborting: the note was not changed, so nothing was recorded.\n")
        let emptied = cli("1on1", "alice", environment: ["EDITOR": cli.script("empty.sh", ": > \"$1\"")])
        #expect(emptied.status == 1)
        #expect(emptied.stderr == "error: Aborting: the note is empty, so nothing was recorded.\n")
        let skeleton = cli("1on1", "alice", environment: ["EDITOR": cli.script("touch.sh", "echo >> \"$1\"")])
        #expect(skeleton.status == 1)
        #expect(skeleton.stderr.contains("the note is empty"))
        let failing = cli("1on1", "alice", environment: ["EDITOR": cli.script("fail.sh", "exit 3")])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("exited with status 3"))
        #expect(cli.commitCount == before)
        #expect(cli.entryFiles.isEmpty)
        cli.expectConsistent()
        let noEditor = cli("1on1", "alice", environment: ["EDITOR": "", "VISUAL": ""])
        #expect(noEditor.status == 64)
        #expect(noEditor.stderr == "error: No editor: set $EDITOR (or $VISUAL), or give the text on the command line.\n")
    }

    @Test func anInvalidDraftIsReopenedWithTheError() throws {
        let cli = CLI().makeJournal()
        // First save: mood 9. Second save: fixed.
        let editor = cli.script("twice.sh", """
            count_file="$(dirname "$0")/count"; n=$(cat "$count_file" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$count_file"
            cp "$1" "$(dirname "$0")/round$n.md"
            if [ $n -eq 1 ]; then sed -i -e 's/^mood:$/mood: 9/' -e 's/^## Notes$/## Notes\\nGood talk./' "$1"; else sed -i 's/^mood: 9$/mood: 5/' "$1"; fi
            """)
        let result = cli("1on1", "alice", environment: ["EDITOR": editor])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("warning: line 7: 'mood' must be a whole number from 1 to 5, not '9'. Reopening the editor."))
        let second = try String(contentsOfFile: cli.scratch.appending("bin/round2.md"), encoding: .utf8)
        #expect(second.hasPrefix("<!-- rapport: error: line 7: 'mood' must be a whole number from 1 to 5, not '9'."))
        let path = try #require(cli.entryFiles.first)
        #expect(cli.file(path).contains("mood: 5\n"))
        #expect(!cli.file(path).contains("rapport: error"))
        cli.expectConsistent()

        // Saving the same invalid text again gives up, keeps the draft, records nothing.
        let stubborn = cli.script("stubborn.sh", "sed -i 's/^mood:$/mood: 0/;s/^## Notes$/## Notes: x/' \"$1\"")
        let before = cli.commitCount
        let gaveUp = cli("1on1", "bob", environment: ["EDITOR": stubborn])
        #expect(gaveUp.status == 65)
        #expect(gaveUp.stderr.contains("Nothing was recorded. Your text is kept in \(cli.journal)/.git/rapport/drafts/one-on-one-"))
        #expect(cli.commitCount == before)
        let drafts = try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/.git/rapport/drafts")
        #expect(drafts.count == 1)
        cli.expectConsistent()
    }

    @Test func editAndPersonEditGoThroughTheEditor() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Original note.", "--date", "2026-11-20").status == 0)
        let path = try #require(cli.entryFiles.first)
        let id = String(path.dropLast(3).suffix(6))
        let before = cli.commitCount

        let noChange = cli("edit", id, environment: ["EDITOR": "true"])
        #expect(noChange.stdout == "No changes to \(id).\n")
        #expect(cli.commitCount == before)

        let rewrite = cli.script("rewrite.sh", "sed -i 's/Original note./Rewritten note./' \"$1\"")
        #expect(cli("edit", id, environment: ["EDITOR": rewrite]).stdout == "Updated \(id): \(path)\n")
        #expect(cli.file(path).contains("Rewritten note."))
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "Edit entry \(id)\n")

        let move = cli.script("move.sh", "sed -i -e 's/^date: 2026-11-20T12:00:00+01:00$/date: 2026-10-02T09:00:00+02:00/' -e 's/^person: alice$/person: bob/' \"$1\"")
        let moved = cli("edit", id, environment: ["EDITOR": move])
        let newPath = "entries/2026/10/2026-10-02-one-on-one-bob-\(id).md"
        #expect(moved.stdout == "Updated \(id): \(newPath)\n", "\(moved)")
        #expect(cli.entryFiles == [newPath])
        #expect(cli.commitCount == before + 2)
        cli.expectConsistent()

        let changeID = cli.script("id.sh", "sed -i 's/^id: .*/id: ZZZZZZ/' \"$1\"")
        let refused = cli("edit", id, environment: ["EDITOR": changeID])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("the id cannot change"))
        #expect(cli.commitCount == before + 2)

        let profile = cli.script("profile.sh", "sed -i 's/^role: ML Engineer$/role: Staff ML Engineer\\npronouns: she\\/her/' \"$1\"")
        #expect(cli("person", "edit", "alice", environment: ["EDITOR": profile]).stdout == "Updated Alice Chen (alice): people/alice.md\n")
        #expect(cli.file("people/alice.md").contains("role: Staff ML Engineer\npronouns: she/her\nteam: platform\n"))
        let renameSlug = cli.script("slug.sh", "sed -i 's/^slug: alice$/slug: alicia/' \"$1\"")
        #expect(cli("person", "edit", "alice", environment: ["EDITOR": renameSlug]).status == 65)
        #expect(cli.commitCount == before + 3)
        cli.expectConsistent()
    }

    /// A terminal editor must own the terminal: in rapport's process group (the terminal's
    /// foreground group), with no signal ignored or blocked that rapport ignores itself.
    @Test func theEditorRunsInTheForegroundWithDefaultSignals() throws {
        let cli = CLI().makeJournal()
        let report = cli.scratch.appending("editor.txt")
        // grep reads its own status, inherited from the shell as it started (a shell waiting for a
        // child blocks signals for a moment, so reading the shell's own would race).
        let editor = cli.script("probe", "grep -E '^Sig(Ign|Blk)' /proc/self/status > \(report).sig; ps -o pgid=,tpgid= -p $$ > \(report); cat \(report).sig >> \(report); exit 1")
        let command = "EDITOR=\(editor) \(CLI.binary) 1on1 alice"
        let environment = cli.environment()
        _ = run("script", ["-qec", command, "/dev/null"], in: cli.journal, environment: environment)
        let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n")
        let groups = lines.first?.split(separator: " ") ?? []
        #expect(groups.count == 2 && groups[0] == groups[1], "the editor is not in the terminal's foreground group: \(lines)")
        // SIGPIPE (rapport ignores it) and SIGINT/SIGQUIT (ignored while the editor runs) are not inherited.
        let ignored = lines.first { $0.hasPrefix("SigIgn:") }.map { UInt64($0.split(separator: "\t").last ?? "", radix: 16) ?? 0 } ?? 1
        #expect(ignored & 0b1_0000_0000_0110 == 0, "\(lines)")
        #expect(lines.contains("SigBlk:\t0000000000000000"), "\(lines)")
    }
}

