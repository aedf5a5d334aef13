import Foundation
import Testing
import TestSupport

/// `remote add`, `clone`, `pull`, `push` and `sync` end to end, against bare repositories on disk
/// and the git CLI as the other peer.
@Suite struct SyncCommandTests {
    /// A journal pushed to a bare remote, and a second clone of it in `other`.
    func shared(_ cli: CLI) -> (remote: String, other: String) {
        cli.makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        let pushed = cli("sync")
        #expect(pushed.status == 0 && pushed.stdout == "Origin was empty; pushed.\n", "\(pushed)")
        let other = cli.scratch.appending("other")
        let cloned = cli("clone", remote, other)
        #expect(cloned.status == 0, "\(cloned)")
        return (remote, other)
    }

    @Test func aConflictingEditKeepsBothVersionsVerbatim() throws {
        let cli = CLI()
        let (remote, other) = shared(cli)
        let original = cli.file("people/alice.md")
        let mine = original + "Prefers written feedback. (mine)\n"
        let theirs = original.replacingOccurrences(of: "role: ML Engineer", with: "role: Staff ML Engineer") + "Theirs.\r\n"
        cli.scratch.write(theirs, to: "other/people/alice.md")
        #expect(cli("sync", in: other).status == 0)
        cli.scratch.write(mine, to: "journal/people/alice.md")
        let merged = cli("sync")
        #expect(merged.status == 0, "\(merged)")
        #expect(merged.stdout == "Committed 1 hand-edited file; merged origin; pushed.\n")
        let copies = try FileManager.default.contentsOfDirectory(atPath: cli.journal + "/people").filter { $0.contains(".conflict-") }
        #expect(copies.count == 1)
        let copy = "people/" + copies[0]
        #expect(merged.stderr.contains("both sides changed people/alice.md: yours is kept there, theirs in \(copy)"))
        #expect(cli.file("people/alice.md") == mine && cli.file(copy) == theirs)
        // The copy is named after the other side's commit.
        let theirCommit = git(["rev-parse", "--short=7", "origin/main^2"], in: cli.journal).stdout.trimmingCharacters(in: .newlines)
        #expect(copy == "people/alice.conflict-\(theirCommit).md")

        let check = cli("check")
        #expect(check.status == 65 && check.stdout.contains("\(copy):1: unresolved sync conflict with people/alice.md"), "\(check)")
        #expect(cli("person", "list").stdout.components(separatedBy: "alice").count == 2)  // the copy is not a person
        cli.expectConsistent()
        #expect(fsckProblems(remote) == "")

        // The other clone gets both versions too; resolving is deleting the copy and committing.
        #expect(cli("sync", in: other).status == 0)
        #expect(cli.file("../other/" + copy) == theirs)
        try FileManager.default.removeItem(atPath: cli.journal + "/" + copy)
        #expect(cli("commit").status == 0 && cli("check").status == 0)
        #expect(cli("sync").status == 0)
    }

    @Test func twoSyncsRacingBothLand() throws {
        let cli = CLI()
        let (remote, other) = shared(cli)
        #expect(cli("1on1", "alice", "--note", "Mine.").status == 0)
        #expect(cli("1on1", "bob", "--note", "Theirs.", in: other).status == 0)
        let results = try awaitBoth(
            { cli.run(["sync"], in: cli.journal) },
            { cli.run(["sync"], in: other) })
        for result in results { #expect(result.status == 0, "\(result)") }
        // Whoever pushed second merged; one more sync brings the first up to date.
        #expect(cli("sync").status == 0 && cli("sync", in: other).status == 0)
        let entries = git(["ls-tree", "-r", "--name-only", "main", "entries"], in: remote).stdout
        #expect(entries.split(separator: "\n").count == 2)
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == git(["rev-parse", "main"], in: remote).stdout)
        #expect(git(["rev-parse", "HEAD"], in: other).stdout == git(["rev-parse", "main"], in: remote).stdout)
        for path in [remote, cli.journal, other] { #expect(fsckProblems(path) == "") }
    }

    @Test func theGitCLIIsAPeer() throws {
        let cli = CLI()
        let (remote, _) = shared(cli)
        // Another clone made by git: it adds an entry and pushes.
        let peer = cli.scratch.appending("peer")
        #expect(git(["clone", "-q", "-b", "main", remote, peer], in: cli.scratch.path).status == 0)
        let entry = "entries/2026/11/2026-11-25-recognition-bob-G1TPR2.md"
        cli.scratch.write("""
            ---
            kind: recognition
            id: G1TPR2
            date: 2026-11-25T10:00:00+01:00
            people: [bob]
            author: Sam Git <sam@example.com>
            category: helping
            visibility: team
            tags: []
            ---
            Written with the git CLI.

            """, to: "peer/" + entry)
        #expect(git(["add", "."], in: peer).status == 0)
        #expect(git(["-c", "user.name=Sam Git", "-c", "user.email=sam@example.com", "commit", "-q", "-m", "From git"], in: peer).status == 0)
        #expect(git(["push", "-q", "origin", "main"], in: peer).status == 0)

        let pulled = cli("pull")
        #expect(pulled.status == 0 && pulled.stdout == "Fast-forwarded to origin.\n", "\(pulled)")
        #expect(cli("show", "G1TP").stdout.contains("Written with the git CLI."))
        #expect(cli("check").status == 0)

        // And git reads what rapport pushes.
        #expect(cli("1on1", "alice", "--note", "From rapport.").status == 0)
        #expect(cli("push").status == 0)
        let reader = cli.scratch.appending("reader")
        #expect(git(["clone", "-q", "-b", "main", remote, reader], in: cli.scratch.path).status == 0)
        let files = git(["ls-files", "entries"], in: reader).stdout.split(separator: "\n")
        #expect(files.count == 2)
        #expect(git(["log", "-1", "--format=%s"], in: reader).stdout.hasPrefix("One-on-one with alice"))
        #expect(fsckProblems(reader) == "" && fsckProblems(remote) == "")
        #expect(cli("pull", in: reader).status == 0)  // a git clone of a journal is a journal
    }

    @Test func offlineRecordingWorksAndSyncSaysTryLater() throws {
        let cli = CLI()
        let (remote, _) = shared(cli)
        try FileManager.default.moveItem(atPath: remote, toPath: remote + ".away")
        #expect(cli("1on1", "alice", "--note", "On a plane.").status == 0)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        let sync = cli("sync")
        #expect(sync.status == 75, "\(sync)")
        #expect(sync.stderr.hasPrefix("error: Cannot reach origin to fetch") && sync.stderr.contains("nothing was fetched or pushed, and your commits are safe here"))
        #expect(sync.stderr.split(separator: "\n").count == 1)
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        cli.expectConsistent()
        // Back online, the entry goes out.
        try FileManager.default.moveItem(atPath: remote + ".away", toPath: remote)
        #expect(cli("sync").stdout == "Origin had nothing new; pushed.\n")
    }

    @Test func autoSyncPushesEachWriteAndOnlyWarnsOffline() throws {
        let cli = CLI()
        let (remote, _) = shared(cli)
        // Pushing after each write is this clone's own choice, kept in its git config.
        let set = cli("config", "sync.auto", "true")
        #expect(set.status == 0 && set.stderr.isEmpty, "\(set)")
        #expect(git(["config", "rapport.autoSync"], in: cli.journal).stdout == "true\n")
        #expect(cli("1on1", "alice", "--note", "Shared at once.").status == 0)
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: cli.journal).stdout)

        try FileManager.default.moveItem(atPath: remote, toPath: remote + ".away")
        let offline = cli("kudos", "bob", "Recorded on a plane.")
        #expect(offline.status == 0, "\(offline)")
        #expect(offline.stderr.hasPrefix("warning: auto-sync: Cannot reach origin") && offline.stderr.contains("Your change is committed here."))
        #expect(cli("list").stdout.contains("kudos"))
        cli.expectConsistent()
        try FileManager.default.moveItem(atPath: remote + ".away", toPath: remote)
        #expect(cli("sync").stdout == "Origin had nothing new; pushed.\n")
    }

    @Test func progressOnATerminalOnly() throws {
        let cli = CLI()
        let (remote, _) = shared(cli)
        for index in 0..<30 { #expect(cli("kudos", "alice", "Thanks \(index).").status == 0) }
        #expect(cli("push").status == 0)
        let quiet = cli("clone", remote, cli.scratch.appending("quiet"))
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
        let terminal = run("script", ["-qec", "\(CLI.binary) clone \(remote) \(cli.scratch.appending("loud"))", "/dev/null"],
                           in: cli.scratch.path, environment: cli.environment())
        #expect(terminal.stdout.contains("Objects: ") && terminal.stdout.contains("KiB"), "\(terminal)")
        #expect(FileManager.default.fileExists(atPath: cli.scratch.appending("loud/.rapport/journal.yml")))
    }

    @Test func clearErrors() throws {
        let cli = CLI()
        cli.makeJournal()
        let commits = cli.commitCount
        let none = cli("sync")
        #expect(none.status == 64 && none.stderr.contains("No remote 'origin': add one with `rapport remote add origin URL`."), "\(none)")
        #expect(cli("push").status == 64 && cli("pull").status == 64)
        #expect(cli("remote", "add", "bad name", "/tmp/x").status == 64)

        // A repository that is not a journal: refused by clone (leaving nothing) and by sync.
        let plain = cli.scratch.appending("plain")
        #expect(git(["init", "-q", "-b", "main", plain], in: cli.scratch.path).status == 0)
        cli.scratch.write("hello\n", to: "plain/README.md")
        #expect(git(["add", "."], in: plain).status == 0)
        #expect(git(["-c", "user.name=X", "-c", "user.email=x@example.com", "commit", "-q", "-m", "x"], in: plain).status == 0)
        let target = cli.scratch.appending("cloned")
        let clone = cli("clone", plain, target)
        #expect(clone.status == 64 && clone.stderr.contains("is not a rapport journal"), "\(clone)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(cli("remote", "add", "origin", plain).status == 0)
        let notJournal = cli("sync")
        #expect(notJournal.status == 64 && notJournal.stderr.contains("is not a rapport journal"), "\(notJournal)")

        // Unrelated histories: another journal's remote is refused unless asked for.
        // (A journal made with the same name, author and pinned clock would share the first commit.)
        let stranger = CLI("stranger")
        #expect(stranger.run(["init", stranger.journal, "--author", "Sam Other <sam@example.com>", "--name", "stranger"],
                             in: stranger.scratch.path).status == 0)
        let strangerRemote = cli.scratch.appending("stranger.git")
        #expect(git(["init", "-q", "--bare", strangerRemote], in: cli.scratch.path).status == 0)
        #expect(stranger("remote", "add", "origin", strangerRemote).status == 0 && stranger("sync").status == 0)
        #expect(cli("remote", "add", "other", strangerRemote).status == 0)
        let unrelated = cli("pull", "--remote", "other")
        #expect(unrelated.status == 64 && unrelated.stderr.contains("--allow-unrelated"), "\(unrelated)")
        #expect(cli.commitCount == commits)
        let combined = cli("pull", "--remote", "other", "--allow-unrelated")
        #expect(combined.status == 0 && combined.stdout == "Merged other.\n", "\(combined)")
        #expect(git(["log", "--format=%an", "--max-parents=0"], in: cli.journal).stdout.split(separator: "\n").count == 2)
        #expect(fsckProblems(cli.journal) == "" && git(["status", "--porcelain"], in: cli.journal).stdout == "")

        let empty = cli.scratch.appending("empty.git")
        #expect(git(["init", "-q", "--bare", empty], in: cli.scratch.path).status == 0)
        let emptyClone = cli("clone", empty, cli.scratch.appending("c1"))
        #expect(emptyClone.status == 64 && emptyClone.stderr.contains("has no journal yet"), "\(emptyClone)")
        #expect(!FileManager.default.fileExists(atPath: cli.scratch.appending("c1")))
        let missing = cli("clone", cli.scratch.appending("nowhere.git"), cli.scratch.appending("c2"))
        #expect(missing.status == 75 && !FileManager.default.fileExists(atPath: cli.scratch.appending("c2")), "\(missing)")
    }
}

/// Runs two blocking calls at the same time on two threads and returns both results.
func awaitBoth(_ first: @escaping @Sendable () -> ProcessResult, _ second: @escaping @Sendable () -> ProcessResult) throws -> [ProcessResult] {
    final class Box: @unchecked Sendable { var value: ProcessResult? }
    let boxes = [Box(), Box()]
    let group = DispatchGroup()
    for (box, body) in zip(boxes, [first, second]) {
        DispatchQueue.global().async(group: group) { box.value = body() }
    }
    group.wait()
    return try boxes.map { try #require($0.value) }
}
