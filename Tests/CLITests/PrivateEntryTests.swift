import Foundation
import Testing
import TestSupport

/// Private and encrypted entries, end to end through the binary and the real `age` and `git` CLIs.
@Suite struct PrivateEntryTests {
    /// A journal with alice and bob and an identity made by `rapport keys init`; its recipient.
    static func keyedJournal(_ label: String = #function) -> (CLI, recipient: String, identity: String) {
        let cli = CLI(label).makeJournal()
        let made = cli("keys", "init")
        #expect(made.status == 0, "\(made)")
        let recipient = cli("keys", "show").stdout.trimmingCharacters(in: .newlines)
        return (cli, recipient, cli.home + "/.config/rapport/identity.txt")
    }

    /// The id in a "Recorded ... ID ..." line.
    static func id(_ result: ProcessResult) -> String { entryID(in: result.stdout) ?? "?" }

    /// Encrypted entry paths name only the day and the id.
    static func isEncryptedEntryPath(_ path: String) -> Bool {
        path.range(of: #"^entries/\d{4}/\d{2}/\d{4}-\d{2}-\d{2}-[0-9A-Z]{6}\.md\.age$"#, options: .regularExpression) != nil
    }

    @Test func privateTextNeverReachesAGitObjectACommitMessageOrAPath() throws {
        let (cli, _, identity) = PrivateEntryTests.keyedJournal()
        let runtime = cli.scratch.appending("run")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        cli.extraEnvironment["XDG_RUNTIME_DIR"] = runtime
        let markers = ["ZEBRAFLUTE", "QUOKKAHARP", "NARWHALOBOE", "WOMBATLUTE", "AXOLOTLDRUM", "PANGOLINSAX", "TAPIRCELLO"]

        // --private on 1on1, with an action item, then the item closed (re-encrypted in place).
        let first = cli("1on1", "alice", "--private", "--mood", "2", "--note", "Worried about \(markers[0]).",
                        "--action", "@alice ask about \(markers[1]) due:2026-12-05")
        #expect(first.status == 0, "\(first)")
        let firstID = PrivateEntryTests.id(first)
        #expect(cli("done", firstID + ".1").status == 0)
        // --private on kudos.
        #expect(cli("kudos", "bob", "Quietly fixed \(markers[2])", "--private").status == 0)
        // private: true in the editor's draft.
        let editor = cli.script("private-draft", "sed -i 's/^mood:.*/mood: 3/; s/^## Notes.*/## Notes\\n\(markers[3]) came up./' \"$1\"")
        let drafted = cli("1on1", "bob", "--private", environment: ["EDITOR": editor])
        #expect(drafted.status == 0, "\(drafted)")
        // private: true written by hand, then `rapport commit`: never committed in the clear.
        cli.scratch.write("""
            ---
            kind: one-on-one
            id: HANDW1
            date: 2026-11-27T10:00:00+01:00
            person: alice
            private: true
            ---
            Talked about \(markers[4]).

            """, to: "journal/entries/2026/11/2026-11-27-one-on-one-alice-HANDW1.md")
        let committed = cli("commit")
        #expect(committed.status == 0 && committed.stdout.contains("Encrypted entries/2026/11/2026-11-27-one-on-one-alice-HANDW1.md as entries/2026/11/2026-11-27-HANDW1.md.age"), "\(committed)")
        #expect(!FileManager.default.fileExists(atPath: cli.journal + "/entries/2026/11/2026-11-27-one-on-one-alice-HANDW1.md"))
        // An edit of an encrypted entry.
        let appender = cli.script("append", "printf '%s\\n' '\(markers[5]) later.' >> \"$1\"")
        #expect(cli("edit", "HANDW1", environment: ["EDITOR": appender]).status == 0)
        // A self digest saved to git leaves private entries out; printed, it has them.
        #expect(cli("digest", "--week", "--save").status == 0)
        #expect(cli("digest", "--week").stdout.contains(markers[0]))
        // A plain entry for contrast: the check below must be able to find a marker.
        #expect(cli("1on1", "alice", "--note", "Shared \(markers[6]).").status == 0)

        // Every object in the repository, loose or packed, reachable or not.
        let dump = cli.scratch.appending("objects.bin")
        let objects = run("sh", ["-c", "git cat-file --batch-all-objects --batch > \"$1\"", "sh", dump], in: cli.journal)
        #expect(objects.status == 0, "\(objects)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dump))
        #expect(bytes.count > 10_000)
        #expect(bytes.range(of: Data(markers[6].utf8)) != nil, "the control marker must be found")
        for marker in markers.dropLast() {
            #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) is in a git object")
        }
        let messages = git(["log", "--format=%B"], in: cli.journal).stdout
        let paths = git(["log", "--format=", "--name-only", "--diff-filter=AMR"], in: cli.journal).stdout
        for marker in markers.dropLast() { #expect(!messages.contains(marker) && !paths.contains(marker)) }
        // Encrypted entries' paths and commit messages say nothing but the day and the id.
        let encrypted = cli.entryFiles.filter { $0.hasSuffix(".age") }
        #expect(encrypted.count == 4, "\(cli.entryFiles)")
        #expect(encrypted.allSatisfy(PrivateEntryTests.isEncryptedEntryPath), "\(encrypted)")
        for path in encrypted {
            let subjects = git(["log", "--format=%s", "--", path], in: cli.journal).stdout
            #expect(!subjects.contains("alice") && !subjects.contains("bob"), "\(subjects)")
        }
        // No plaintext left on disk by the editor sessions, in the journal or the runtime folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: runtime).isEmpty)
        let leftovers = run("grep", ["-rl", "-e", markers[3], "-e", markers[5], "."], in: cli.journal)
        #expect(leftovers.stdout.isEmpty, "\(leftovers)")

        // What the identity reads back: rapport transparently, and the age CLI byte for byte.
        let shown = cli("show", firstID)
        #expect(shown.stdout.contains("Worried about \(markers[0]).") && shown.stdout.contains("- [x] @alice ask about"))
        let firstPath = encrypted.first { $0.contains(firstID) }!
        let opened = run("age", ["-d", "-i", identity, firstPath], in: cli.journal)
        #expect(opened.status == 0 && opened.stdout == shown.stdout, "\(opened)")
        let listed = cli("list")
        for marker in [markers[0], markers[2], markers[4]] { #expect(listed.stdout.contains(marker), "\(listed)") }
        let found = cli("search", markers[5])
        #expect(found.status == 0 && found.stdout.contains("HANDW1"), "\(found)")
        #expect(cli("actions", "--done").stdout.contains(markers[1]))
        #expect(cli("prep", "bob").stdout.contains(markers[3]))
        #expect(cli("check").status == 0)
        cli.expectConsistent()
    }

    @Test func withoutTheIdentityShowFailsAndReadersSayWhatTheySkipped() throws {
        let (cli, _, identity) = PrivateEntryTests.keyedJournal()
        let secret = cli("1on1", "alice", "--private", "--mood", "2", "--note", "Private words.")
        #expect(cli("kudos", "alice", "Private praise", "--private").status == 0)
        #expect(cli("1on1", "alice", "--mood", "4", "--note", "Open words.").status == 0)
        #expect(cli("1on1", "bob", "--note", "Bob's words.").status == 0)
        let secretID = PrivateEntryTests.id(secret)

        for (label, environment) in [("missing", ["RAPPORT_IDENTITY": cli.scratch.appending("nowhere.txt")]),
                                     ("wrong", ["RAPPORT_IDENTITY": cli.scratch.appending("other.txt")])] {
            if label == "wrong" { #expect(run("age-keygen", ["-o", cli.scratch.appending("other.txt")], in: cli.scratch.path).status == 0) }
            let shown = cli("show", secretID, environment: environment)
            #expect(shown.status == 1 && shown.stdout.isEmpty, "\(shown)")
            #expect(shown.stderr.split(separator: "\n").count == 1, "\(shown)")
            #expect(shown.stderr.contains(label == "missing" ? "there is no age identity at" : "encrypted to other keys than the age identity"), "\(shown)")
            let listed = cli("list", environment: environment)
            #expect(listed.status == 0 && listed.stdout.contains("Open words.") && !listed.stdout.contains("Private words."), "\(listed)")
            #expect(listed.stderr.contains("2 entries could not be read"), "\(listed)")
            for command in [["search", "words"], ["actions"], ["prep", "alice"]] {
                let result = cli.run(command, environment: environment)
                #expect(result.status == 0 && result.stderr.contains("2 entries could not be read"), "\(command): \(result)")
            }
            for audience in ["self", "manager", "team"] {
                let digest = cli("digest", "--week", "--audience", audience, "--format", "json", environment: environment)
                #expect(digest.status == 0 && json(digest) != nil, "\(digest)")
                #expect(digest.stderr.contains("2 entries could not be read") && digest.stderr.contains("the digest leaves them out"), "\(digest)")
            }
            let digest = json(cli("digest", "--week", "--format", "json", environment: environment)) as? [String: Any]
            #expect(digest?["unreadable_files"] as? Int == 2)
            let alice = (digest?["people"] as? [[String: Any]])?.first { $0["slug"] as? String == "alice" }
            #expect(alice?["one_on_ones"] as? Int == 1, "only the readable one-on-one counts")
            let checked = cli("check", environment: environment)
            #expect(checked.status == 0 && checked.stderr.contains("2 entries not checked"), "\(checked)")
        }

        // Writing a private entry needs the identity: refused, and nothing changes.
        let commits = cli.commitCount
        let refused = cli("1on1", "alice", "--private", "--note", "More.", environment: ["RAPPORT_IDENTITY": cli.scratch.appending("nowhere.txt")])
        #expect(refused.status == 1 && refused.stderr.contains("rapport keys init") && refused.stderr.contains("Nothing was recorded"), "\(refused)")
        #expect(cli.commitCount == commits)
        // With the identity back, the same digest counts everything.
        let full = json(cli("digest", "--week", "--format", "json")) as? [String: Any]
        #expect(full?["unreadable_files"] as? Int == 0)
        #expect(FileManager.default.fileExists(atPath: identity))
        cli.expectConsistent()
    }

    @Test func filesTheAgeCLIWroteAreReadAndEditedLikeAnyEntry() throws {
        let (cli, recipient, identity) = PrivateEntryTests.keyedJournal()
        let markdown = """
            ---
            kind: one-on-one
            id: AGECX1
            date: 2026-11-26T09:00:00+01:00
            person: alice
            mood: 4
            private: true
            ---
            Written with the age CLI.

            ## Action items
            - [ ] @me send the notes

            """
        cli.scratch.write(markdown, to: "one.md")
        cli.scratch.write(markdown.replacingOccurrences(of: "AGECX1", with: "AGECX2").replacingOccurrences(of: "private: true", with: "private: false")
                          .replacingOccurrences(of: "with the age CLI", with: "to every recipient"), to: "two.md")
        let folder = cli.journal + "/entries/2026/11/"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(run("age", ["-r", recipient, "-o", folder + "2026-11-26-AGECX1.md.age", cli.scratch.appending("one.md")], in: cli.journal).status == 0)
        #expect(run("age", ["-R", cli.journal + "/.rapport/recipients", "-o", folder + "2026-11-26-AGECX2.md.age", cli.scratch.appending("two.md")],
                    in: cli.journal).status == 0)
        let committed = cli("commit")
        #expect(committed.status == 0, "\(committed)")
        #expect(cli("show", "AGECX1").stdout == markdown)
        #expect(cli("list").stdout.contains("to every recipient"))
        #expect(cli("actions").stdout.contains("AGECX1.1"))
        // Ticking the item re-encrypts the file; the age CLI reads the new version.
        #expect(cli("done", "AGECX1.1").status == 0)
        let reopened = run("age", ["-d", "-i", identity, folder + "2026-11-26-AGECX1.md.age"], in: cli.journal)
        #expect(reopened.stdout == markdown.replacingOccurrences(of: "- [ ]", with: "- [x]"), "\(reopened)")
        // In a journal that encrypts private entries only, an entry encrypted without `private: true`
        // is still kept out of what goes to git in the clear and of manager digests.
        #expect(cli("digest", "--week").stdout.contains("to every recipient"))
        #expect(cli("digest", "--week", "--save").status == 0)
        #expect(!run("git", ["show", "HEAD:digests/2026/2026-W48.md"], in: cli.journal).stdout.contains("to every recipient"))
        let manager = json(cli("digest", "--week", "--audience", "manager", "--format", "json")) as? [String: Any]
        let alice = (manager?["people"] as? [[String: Any]])?.first { $0["slug"] as? String == "alice" }
        #expect(alice?["one_on_ones"] as? Int == 0, "\(String(describing: manager))")
        cli.expectConsistent()
    }

    @Test func anEncryptAllJournalEncryptsEveryEntryToEveryRecipient() throws {
        let (cli, _, identity) = PrivateEntryTests.keyedJournal()
        let colleague = cli.scratch.appending("colleague.txt")
        #expect(run("age-keygen", ["-o", colleague], in: cli.scratch.path).status == 0)
        let colleagueRecipient = run("age-keygen", ["-y", colleague], in: cli.scratch.path).stdout.trimmingCharacters(in: .newlines)
        cli.scratch.write(cli.file(".rapport/recipients") + colleagueRecipient + "\n", to: "journal/.rapport/recipients")
        cli.scratch.write(cli.file(".rapport/journal.yml").replacingOccurrences(of: "encrypt: private", with: "encrypt: all"),
                          to: "journal/.rapport/journal.yml")
        #expect(cli("commit").status == 0)

        let shared = cli("1on1", "alice", "--mood", "4", "--energy", "3", "--note", "Shared with the other managers.")
        let mine = cli("1on1", "bob", "--private", "--note", "Mine alone.")
        let praise = cli("kudos", "alice", "bob", "Shipped the release", "--category", "shipping")
        #expect(shared.status == 0 && mine.status == 0 && praise.status == 0)
        #expect(cli.entryFiles.count == 3 && cli.entryFiles.allSatisfy(PrivateEntryTests.isEncryptedEntryPath), "\(cli.entryFiles)")
        let subjects = git(["log", "--format=%s", "--", "entries"], in: cli.journal).stdout
        #expect(!subjects.contains("alice") && !subjects.contains("bob") && subjects.contains("Record entry \(PrivateEntryTests.id(shared)) (encrypted)"), "\(subjects)")

        func path(_ result: ProcessResult) -> String { cli.entryFiles.first { $0.contains(PrivateEntryTests.id(result)) }! }
        // Every journal recipient opens a shared entry; a private one only its author.
        #expect(run("age", ["-d", "-i", colleague, path(shared)], in: cli.journal).stdout.contains("Shared with the other managers."))
        #expect(run("age", ["-d", "-i", identity, path(shared)], in: cli.journal).status == 0)
        #expect(run("age", ["-d", "-i", colleague, path(mine)], in: cli.journal).status != 0)
        #expect(run("age", ["-d", "-i", identity, path(mine)], in: cli.journal).stdout.contains("Mine alone."))

        // The digest reads everything; manager digests count the shared entries, not the private one.
        let manager = json(cli("digest", "--week", "--audience", "manager", "--format", "json")) as? [String: Any]
        let people = (manager?["people"] as? [[String: Any]]) ?? []
        #expect(people.first { $0["slug"] as? String == "alice" }?["one_on_ones"] as? Int == 1)
        #expect(people.first { $0["slug"] as? String == "bob" }?["one_on_ones"] as? Int == 0)
        // A saved digest is encrypted too, to every recipient.
        let saved = cli("digest", "--week", "--save")
        #expect(saved.status == 0 && saved.stdout == "Saved digests/2026/2026-W48.md.age.\n", "\(saved)")
        let digest = run("age", ["-d", "-i", colleague, cli.journal + "/digests/2026/2026-W48.md.age"], in: cli.journal)
        #expect(digest.stdout.contains("Shared with the other managers") && !digest.stdout.contains("Mine alone"), "\(digest)")
        cli.expectConsistent()
    }

    @Test func withEncryptNoneAPrivateEntryStaysPlainAndSaysSo() throws {
        let cli = CLI().makeJournal()
        cli.scratch.write(cli.file(".rapport/journal.yml").replacingOccurrences(of: "encrypt: private", with: "encrypt: none"),
                          to: "journal/.rapport/journal.yml")
        // Lowering encryption takes this clone's own say-so, not only the shared file.
        #expect(cli("config", "encrypt", "none").status == 0)
        #expect(cli("commit").status == 0)
        let recorded = cli("1on1", "alice", "--private", "--note", "Kept plain on purpose.")
        #expect(recorded.status == 0 && recorded.stderr.contains("stored in plain text"), "\(recorded)")
        #expect(cli.entryFiles.count == 1 && cli.entryFiles[0].hasSuffix("-one-on-one-alice-\(PrivateEntryTests.id(recorded)).md"))
        #expect(cli.file(cli.entryFiles[0]).contains("private: true"))
        cli.expectConsistent()
    }

    @Test func makingACommittedEntryPrivateEncryptsItAndWarnsAboutHistory() throws {
        let (cli, _, _) = PrivateEntryTests.keyedJournal()
        let recorded = cli("1on1", "alice", "--note", "Was shared.")
        let id = PrivateEntryTests.id(recorded)
        let editor = cli.script("make-private", "sed -i 's/^private: false/private: true/' \"$1\"")
        let edited = cli("edit", id, environment: ["EDITOR": editor])
        #expect(edited.status == 0 && edited.stderr.contains("git history keeps the earlier versions"), "\(edited)")
        #expect(cli.entryFiles == ["entries/2026/11/2026-11-28-\(id).md.age"])
        #expect(cli("show", id).stdout.contains("Was shared."))
        cli.expectConsistent()
    }

    @Test func editingAnEncryptedEntryLeavesNoPlaintextBehindWhateverHappens() throws {
        let (cli, _, identity) = PrivateEntryTests.keyedJournal()
        let runtime = cli.scratch.appending("run")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        cli.extraEnvironment["XDG_RUNTIME_DIR"] = runtime
        let recorded = cli("1on1", "alice", "--private", "--note", "Original KESTRELNOTE.")
        let id = PrivateEntryTests.id(recorded)
        let log = cli.scratch.appending("editor.log")
        func logging(_ name: String, _ then: String) -> String {
            cli.script(name, "stat -c '%a %n' \"$1\" >> \(log); stat -c '%a' \"$(dirname \"$1\")\" >> \(log)\n" + then)
        }
        func runtimeIsEmpty() -> Bool { ((try? FileManager.default.contentsOfDirectory(atPath: runtime)) ?? ["?"]).isEmpty }

        // Saved: the draft was 0600 in a 0700 folder of its own under XDG_RUNTIME_DIR, gone afterwards.
        let saving = logging("save", "sed -i 's/KESTRELNOTE/KESTRELEDIT/' \"$1\"")
        let saved = cli("edit", id, environment: ["EDITOR": saving])
        #expect(saved.status == 0, "\(saved)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("600 \(runtime)/rapport-edit-") && lines[1] == "700", "\(lines)")
        #expect(runtimeIsEmpty())
        #expect(cli("show", id).stdout.contains("Original KESTRELEDIT."))
        let commits = cli.commitCount

        // The editor fails: nothing recorded, nothing left.
        let failing = logging("fail", "echo 'Half-typed FALCONNOTE' >> \"$1\"; exit 3")
        let failed = cli("edit", id, environment: ["EDITOR": failing])
        #expect(failed.status == 1 && runtimeIsEmpty() && cli.commitCount == commits, "\(failed)")
        #expect(failed.stderr.contains("kept, encrypted, in"), "\(failed)")

        // Invalid text saved twice: the session gives up; the text is kept only encrypted.
        let breaking = logging("break", "sed -i 's/^id: .*/id: nonsense/' \"$1\"; grep -q OSPREYNOTE \"$1\" || echo 'Unsaved OSPREYNOTE' >> \"$1\"")
        let gaveUp = cli("edit", id, environment: ["EDITOR": breaking])
        #expect(gaveUp.status == 65 && runtimeIsEmpty() && cli.commitCount == commits, "\(gaveUp)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/.git/rapport/drafts").filter { $0.hasSuffix(".md.age") }
        #expect(kept.count == 2, "\(kept)")
        for name in kept {
            let path = cli.journal + "/.git/rapport/drafts/" + name
            #expect(((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let opened = run("age", ["-d", "-i", identity, path], in: cli.journal)
            #expect(opened.stdout.contains("FALCONNOTE") || opened.stdout.contains("OSPREYNOTE"), "\(opened)")
        }
        let plaintext = run("grep", ["-rl", "-e", "FALCONNOTE", "-e", "OSPREYNOTE", cli.journal, runtime], in: cli.scratch.path)
        #expect(plaintext.stdout.isEmpty, "\(plaintext)")

        // rapport stopped by SIGTERM while the editor is open: the draft goes with it.
        // The shell may have exec'd this script (then rapport is its parent) or not (then its grandparent).
        let stopping = logging("stop", "p=$PPID; [ \"$(ps -o comm= -p $p)\" = rapport ] || p=$(ps -o ppid= -p $p); kill -TERM $p; sleep 1")
        let stopped = cli("edit", id, environment: ["EDITOR": stopping])
        #expect(stopped.status == 143 && runtimeIsEmpty() && cli.commitCount == commits, "\(stopped)")
        cli.expectConsistent()
    }

    @Test func nothingPrivateIsCommittedInTheClearEvenByForceOrByAnEditorsSwapFile() throws {
        let (cli, _, _) = PrivateEntryTests.keyedJournal()
        let commits = cli.commitCount
        // Malformed, and private: refused even with --force; the file stays for fixing.
        let path = "entries/2026/11/2026-11-27-one-on-one-alice-BADM00.md"
        cli.scratch.write("---\nkind: one-on-one\nid: BADM00\ndate: 2026-11-27T10:00:00+01:00\nperson: alice\nmood: 9\nprivate: true\n---\nSECRETIBIS\n",
                          to: "journal/" + path)
        let forced = cli("commit", "--force")
        #expect(forced.status == 65 && forced.stderr.contains("must be encrypted"), "\(forced)")
        #expect(cli.commitCount == commits && FileManager.default.fileExists(atPath: cli.journal + "/" + path))
        try FileManager.default.removeItem(atPath: cli.journal + "/" + path)
        // An editor's swap file under entries/ is never committed.
        cli.scratch.write("SECRETHERON in a swap file", to: "journal/entries/2026/11/.2026-11-27-one-on-one-alice-SWAP00.md.swp")
        cli.scratch.write("SECRETHERON in a backup", to: "journal/entries/2026/11/notes.txt")
        let committed = cli("commit")
        #expect(committed.status == 0 && committed.stderr.contains("never committed") && cli.commitCount == commits, "\(committed)")
        #expect(!git(["log", "--all", "--format=", "--name-only"], in: cli.journal).stdout.contains("SWAP00"))
        // Two hand-written private files with one id would land on one .md.age: refused.
        for person in ["alice", "bob"] {
            cli.scratch.write("---\nkind: one-on-one\nid: TWIN00\ndate: 2026-11-27T10:00:00+01:00\nperson: \(person)\nprivate: true\n---\nTwin.\n",
                              to: "journal/entries/2026/11/2026-11-27-one-on-one-\(person)-TWIN00.md")
        }
        #expect(cli("commit", "--force").status == 65)
        #expect(cli.commitCount == commits)
    }

    @Test func anEntryThatShouldBeEncryptedIsMovedNotCopiedWhenTouched() throws {
        let (cli, _, _) = PrivateEntryTests.keyedJournal()
        cli.scratch.write(cli.file(".rapport/journal.yml").replacingOccurrences(of: "encrypt: private", with: "encrypt: none"),
                          to: "journal/.rapport/journal.yml")
        // Lowering encryption takes this clone's own say-so, not only the shared file.
        #expect(cli("config", "encrypt", "none").status == 0)
        #expect(cli("commit").status == 0)
        let recorded = cli("1on1", "alice", "--private", "--note", "Plain for now.", "--action", "@alice one thing")
        let id = PrivateEntryTests.id(recorded)
        cli.scratch.write(cli.file(".rapport/journal.yml").replacingOccurrences(of: "encrypt: none", with: "encrypt: private"),
                          to: "journal/.rapport/journal.yml")
        #expect(cli("commit").status == 0)
        let done = cli("done", id + ".1")
        #expect(done.status == 0 && done.stderr.contains("git history keeps the earlier versions"), "\(done)")
        #expect(cli.entryFiles == ["entries/2026/11/2026-11-28-\(id).md.age"], "\(cli.entryFiles)")
        #expect(cli("show", id).stdout.contains("- [x] @alice one thing"))
        cli.expectConsistent()
    }

    @Test func aDigestCountsAnUnreadableEntryFoundWhileLookingBackForSomeone() throws {
        let (cli, _, _) = PrivateEntryTests.keyedJournal()
        #expect(cli("person", "add", "carol", "--name", "Carol Diaz", "--started", "2025-01-06").status == 0)
        // carol's only one-on-one is private and months old: the digest looks back for it.
        #expect(cli("1on1", "carol", "--private", "--note", "Long ago.", "--date", "2026-05-04").status == 0)
        #expect(cli("1on1", "alice", "--note", "Now.").status == 0)
        #expect(cli("1on1", "bob", "--note", "Now.").status == 0)
        let missing = ["RAPPORT_IDENTITY": cli.scratch.appending("nowhere.txt")]
        let digest = cli("digest", "--week", "--format", "json", environment: missing)
        #expect(digest.status == 0 && digest.stderr.contains("1 entry could not be read"), "\(digest)")
        #expect((json(digest) as? [String: Any])?["unreadable_files"] as? Int == 1)
        // With the identity it is found, and counts as her last one-on-one.
        let people = (json(cli("digest", "--week", "--format", "json")) as? [String: Any])?["people"] as? [[String: Any]]
        #expect(people?.first { $0["slug"] as? String == "carol" }?["days_since_last"] as? Int == 208, "\(String(describing: people))")
    }

    /// `demo --encrypt-to` writes an `encrypt: all` journal whose entries only that key opens.
    @Test func anEncryptedDemoIsReadableWithItsKeyOnly() throws {
        let cli = CLI()
        let key = cli.scratch.appending("key.txt")
        #expect(run("age-keygen", ["-o", key], in: cli.scratch.path).status == 0)
        let recipient = run("age-keygen", ["-y", key], in: cli.scratch.path).stdout.trimmingCharacters(in: .newlines)
        let demo = cli.scratch.appending("demo")
        #expect(cli("demo", demo, "--people", "3", "--weeks", "3", "--end", "2026-11-27", "--encrypt-to", recipient, in: cli.scratch.path).status == 0)
        let files = git(["ls-files", "entries"], in: demo).stdout.split(separator: "\n").map(String.init)
        #expect(!files.isEmpty && files.allSatisfy(PrivateEntryTests.isEncryptedEntryPath), "\(files)")
        let listed = cli("--journal", demo, "list", environment: ["RAPPORT_IDENTITY": key], in: cli.scratch.path)
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == files.count && listed.stderr.isEmpty, "\(listed)")
        let locked = cli("--journal", demo, "list", environment: ["RAPPORT_IDENTITY": cli.scratch.appending("none.txt")], in: cli.scratch.path)
        #expect(locked.stderr.contains("\(files.count) entries could not be read"), "\(locked)")
        #expect(fsckProblems(demo) == "")
    }
}

