import Foundation
import Testing
import TestSupport

/// Shared journals (issue 19, item 4): naming, removing and pushing to remotes.
@Suite struct SharedJournalTests {
    /// `remote add` says which remote `sync` will use; `remote remove` forgets one and changes
    /// nothing on it.
    @Test func remotesAreAddedAndRemovedSayingWhatSyncUses() throws {
        let cli = CLI().makeJournal()
        let shared = cli.scratch.appending("shared.git"), backup = cli.scratch.appending("backup.git")
        for path in [shared, backup] { #expect(run("git", ["init", "-q", "--bare", "-b", "main", path], in: cli.scratch.path).status == 0) }

        #expect(cli("remote", "add", "backup", backup).stdout
                == "Added remote backup: \(backup). `rapport sync` uses the remote named origin, and there is none: run `rapport sync --remote backup`, or add it as origin.\n")
        #expect(cli("remote", "add", "origin", shared).stdout == "Added remote origin: \(shared). `rapport sync` shares the journal with it.\n")
        #expect(cli("remote", "add", "mirror", backup).stdout
                == "Added remote mirror: \(backup). `rapport sync` uses origin; `rapport sync --remote mirror` uses this one.\n")
        #expect(cli("sync", "--remote", "backup").status == 0)
        #expect(cli("push", "--remote", "backup").stdout == "Nothing to push: backup has every commit of this journal.\n")
        #expect(cli("kudos", "bob", "Pushed alone.").status == 0)
        #expect(cli("push", "--remote", "backup").stdout == "Pushed to backup.\n")

        let removed = cli("remote", "remove", "backup")
        #expect(removed.status == 0 && removed.stdout == "Removed remote backup; nothing on it was changed.\n", "\(removed)")
        #expect(cli("remote", "list").stdout == "mirror\t\(backup)\norigin\t\(shared)\n")
        #expect(git(["config", "--get", "remote.backup.url"], in: cli.journal).status != 0)
        #expect(git(["rev-parse", "--verify", "-q", "refs/remotes/backup/main"], in: cli.journal).status != 0)
        #expect(git(["rev-parse", "main"], in: backup).stdout == git(["rev-parse", "HEAD"], in: cli.journal).stdout)
        let unknown = cli("remote", "remove", "backup")
        #expect(unknown.status == 64 && unknown.stderr.hasPrefix("error: No remote 'backup'"), "\(unknown)")
        cli.expectConsistent()
    }

    /// A hand-written entry file that reuses an id is refused by `commit`, even with `--force`,
    /// and nothing is committed; with a fresh id it commits.
    @Test func commitRefusesAHandWrittenDuplicateID() throws {
        let cli = CLI().makeJournal()
        let id = try #require(entryID(in: cli("1on1", "alice", "--note", "Weekly.", "--date", "2026-11-27").stdout))
        let original = try #require(cli.entryFiles.first)
        let copy = original.replacingOccurrences(of: "2026-11-27", with: "2026-11-26")
        try cli.file(original).replacingOccurrences(of: "2026-11-27T", with: "2026-11-26T")
            .write(toFile: cli.journal + "/" + copy, atomically: true, encoding: .utf8)
        let before = cli.commitCount
        for arguments in [["commit"], ["commit", "--force"], ["sync"]] {
            let refused = cli.run(arguments)
            #expect(refused.status == 65, "\(arguments): \(refused)")
            #expect(refused.stderr.hasPrefix("error: Entry id \(id) is used by \(copy) and \(original);"), "\(arguments): \(refused)")
        }
        #expect(cli.commitCount == before)
        let fresh = "ZZZZ99"
        let renamed = copy.replacingOccurrences(of: id, with: fresh)
        try cli.file(copy).replacingOccurrences(of: "id: \(id)", with: "id: \(fresh)").write(toFile: cli.journal + "/" + renamed, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: cli.journal + "/" + copy)
        #expect(cli("commit").status == 0)
        #expect(cli.commitCount == before + 1)
        cli.expectConsistent()
    }
}
