import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct RepositoryTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com",
                           date: Date(timeIntervalSince1970: 1_790_000_000), utcOffsetMinutes: 60)

    func makeRepository() throws -> Repository {
        try Repository.create(at: scratch.appending("repo"))
    }

    @Test func firstCommitOnUnbornBranch() throws {
        let repository = try makeRepository()
        #expect(try repository.head() == nil)
        #expect(try repository.log().isEmpty)
        let id = try #require(try repository.commit([.write("notes/a.md", Data("hello\n".utf8))],
                                                     author: author, message: "Add a"))
        #expect(try repository.head() == id)
        let info = try repository.commit(id)
        #expect(info.parents.isEmpty)
        #expect(info.author == author)
        #expect(info.summary == "Add a")
        #expect(try repository.contents(of: "notes/a.md") == Data("hello\n".utf8))
        #expect(try repository.status().isEmpty)

        let path = scratch.appending("repo")
        #expect(fsckProblems(path) == "")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["log", "--format=%an <%ae>|%s|%ad", "--date=iso"], in: path).stdout
                == "Dana Lee <dana@example.com>|Add a|2026-09-21 15:13:20 +0100\n")
        #expect(git(["symbolic-ref", "HEAD"], in: path).stdout == "refs/heads/main\n")
    }

    @Test func opensByDiscoveryFromASubfolder() throws {
        let repository = try makeRepository()
        try repository.commit([.write("a/b/c.md", Data("x".utf8))], author: author, message: "c")
        let reopened = try Repository.open(discovering: scratch.appending("repo/a/b"))
        #expect(reopened.workTree == scratch.appending("repo"))
        #expect(reopened.gitDirectory == scratch.appending("repo/.git"))
        #expect(throws: GitStoreError.notARepository(path: scratch.appending("repo/a"))) {
            try Repository.open(at: scratch.appending("repo/a"))
        }
        #expect(throws: GitStoreError.self) { try Repository.open(discovering: "/proc/self") }
    }

    @Test func readsAFileAtAnyCommit() throws {
        let repository = try makeRepository()
        let first = try #require(try repository.commit([.write("p.md", Data("one".utf8))], author: author, message: "1"))
        let second = try #require(try repository.commit([.write("p.md", Data("two".utf8))], author: author, message: "2"))
        #expect(try repository.contents(of: "p.md", at: first) == Data("one".utf8))
        #expect(try repository.contents(of: "p.md", at: second) == Data("two".utf8))
        #expect(try repository.contents(of: "p.md") == Data("two".utf8))
        #expect(try repository.contents(of: "missing.md") == nil)
        #expect(try repository.resolve("HEAD~1") == first)
        let second2 = try repository.commit(second)
        #expect(second2.parents == [first])
    }

    @Test func listsFilesUnderAPrefix() throws {
        let repository = try makeRepository()
        try repository.commit([
            .write("entries/2026/11/b.md", Data("b".utf8)),
            .write("entries/2026/11/a.md", Data("a".utf8)),
            .write("entries/2025/01/z.md", Data("z".utf8)),
            .write("people/alice.md", Data("p".utf8)),
        ], author: author, message: "files")
        #expect(try repository.files(under: "entries").map(\.path)
                == ["entries/2025/01/z.md", "entries/2026/11/a.md", "entries/2026/11/b.md"])
        #expect(try repository.files(under: "entries/2026/").map(\.path) == ["entries/2026/11/a.md", "entries/2026/11/b.md"])
        #expect(try repository.files(under: "people/alice.md").map(\.path) == ["people/alice.md"])
        #expect(try repository.files(under: "nothing").isEmpty)
        #expect(try repository.files().count == 4)
        let blob = try #require(try repository.files(under: "people").first?.blob)
        #expect(try repository.blobData(blob) == Data("p".utf8))
    }

    @Test func logListsOnlyCommitsThatTouchAPath() throws {
        let repository = try makeRepository()
        try repository.commit([.write("a.md", Data("1".utf8))], author: author, message: "a1")
        try repository.commit([.write("b.md", Data("1".utf8))], author: author, message: "b1")
        try repository.commit([.write("a.md", Data("2".utf8))], author: author, message: "a2")
        try repository.commit([.remove("a.md")], author: author, message: "a gone")
        #expect(try repository.log(touching: "a.md").map(\.summary) == ["a gone", "a2", "a1"])
        #expect(try repository.log(touching: "b.md").map(\.summary) == ["b1"])
        #expect(try repository.log().count == 4)
        #expect(try repository.log(limit: 2).map(\.summary) == ["a gone", "a2"])
    }

    @Test func removingTheLastFileOfAFolderLeavesNoEmptyTree() throws {
        let repository = try makeRepository()
        try repository.commit([.write("keep.md", Data("k".utf8)), .write("dir/sub/only.md", Data("o".utf8))],
                              author: author, message: "add")
        try repository.commit([.remove("dir/sub/only.md")], author: author, message: "remove")
        #expect(try repository.files().map(\.path) == ["keep.md"])
        #expect(!FileManager.default.fileExists(atPath: scratch.appending("repo/dir/sub/only.md")))
        let path = scratch.appending("repo")
        #expect(fsckProblems(path) == "")
        #expect(git(["ls-tree", "-r", "--name-only", "HEAD"], in: path).stdout == "keep.md\n")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
    }

    @Test func stagingCommitsHandEditsAndDeletions() throws {
        let repository = try makeRepository()
        try repository.commit([.write("a.md", Data("1".utf8)), .write("b.md", Data("1".utf8))],
                              author: author, message: "start")
        scratch.write("changed", to: "repo/a.md")
        try FileManager.default.removeItem(atPath: scratch.appending("repo/b.md"))
        scratch.write("new", to: "repo/c/new.md")
        let status = try repository.status()
        #expect(status == [
            StatusEntry(path: "a.md", change: .modified),
            StatusEntry(path: "b.md", change: .deleted),
            StatusEntry(path: "c/new.md", change: .added),
        ])
        try repository.commit(status.map { .stage($0.path) }, author: author, message: "hand edits")
        #expect(try repository.status().isEmpty)
        #expect(try repository.files().map(\.path) == ["a.md", "c/new.md"])
        #expect(git(["status", "--porcelain"], in: scratch.appending("repo")).stdout == "")
        #expect(try repository.commit([.stage("a.md")], author: author, message: "nothing") == nil)
    }

    @Test func refusesPathsOutsideTheWorkTree() throws {
        let repository = try makeRepository()
        for bad in ["../x.md", "/etc/passwd", ".git/config", "a/../../x", "", "a//b"] {
            #expect(throws: GitStoreError.self, "\(bad)") {
                try repository.commit([.write(bad, Data("x".utf8))], author: author, message: "bad")
            }
        }
        let outside = scratch.appending("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.appending("repo/link"), withDestinationPath: outside)
        #expect(throws: GitStoreError.self) {
            try repository.commit([.write("link/x.md", Data("x".utf8))], author: author, message: "via link")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(try repository.head() == nil)
    }

    @Test func aFailedCommitPutsEarlierFilesBack() throws {
        let repository = try makeRepository()
        try repository.commit([.write("a.md", Data("old".utf8)), .write("f", Data("file".utf8))],
                              author: author, message: "start")
        let before = try repository.head()
        #expect(throws: GitStoreError.self) {
            try repository.commit([.write("a.md", Data("new".utf8)), .write("f/under-a-file.md", Data("x".utf8))],
                                  author: author, message: "fails")
        }
        #expect(try repository.head() == before)
        #expect(FileManager.default.contents(atPath: scratch.appending("repo/a.md")) == Data("old".utf8))
        #expect(try repository.status().isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo"))
            .filter { $0.hasPrefix(".rapport-tmp-") }
        #expect(leftovers.isEmpty)
    }

    /// The work tree and the new index are written on a second thread while the objects are
    /// made; when the objects cannot be (here the tree cannot have both `f` and `f/x.md`), the
    /// files are put back and the new index, waiting in git's lock file, is dropped unused.
    @Test func aCommitWhoseTreeCannotBeMadeDropsTheNewIndexAndPutsFilesBack() throws {
        let repository = try makeRepository()
        let path = scratch.appending("repo")
        try repository.commit([.write("a.md", Data("old".utf8)), .write("f", Data("file".utf8))], author: author, message: "start")
        let before = try repository.head()
        let index = FileManager.default.contents(atPath: path + "/.git/index")
        // `f` is gone from the work tree only: writing f/x.md works, the tree refuses it.
        try FileManager.default.removeItem(atPath: path + "/f")
        #expect(throws: (any Error).self) {
            try repository.commit([.write("a.md", Data("new".utf8)), .write("f/x.md", Data("x".utf8))], author: author, message: "fails")
        }
        #expect(try repository.head() == before)
        #expect(FileManager.default.contents(atPath: path + "/a.md") == Data("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "/f/x.md"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/index.lock"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/index.rapport-new"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/rapport-rollback"))
        #expect(index != nil && FileManager.default.contents(atPath: path + "/.git/index") == index)
        #expect(git(["status", "--porcelain"], in: path).stdout == " D f\n")
        #expect(fsckProblems(path) == "")
    }

    @Test func aCommitWhoseObjectCannotBeWrittenChangesNothing() throws {
        let repository = try makeRepository()
        let path = scratch.appending("repo")
        try repository.commit([.write("a.md", Data("old".utf8))], author: author, message: "start")
        let before = try repository.head()
        let index = FileManager.default.contents(atPath: path + "/.git/index")
        // A file where the second blob's fan-out folder goes: that one object cannot be written
        // (on a thread of its own; the first is written on the caller's), while the others can.
        let objects = path + "/.git/objects/"
        func fanOut(_ data: Data) -> String { String(ObjectID.blob(hashing: data)!.hex.prefix(2)) }
        let bytes = Data("new".utf8)
        let blocked = (0...).lazy.map { Data("c \($0)".utf8) }.first { data in
            fanOut(data) != fanOut(bytes) && !FileManager.default.fileExists(atPath: objects + fanOut(data))
        }!
        let blocker = objects + fanOut(blocked)
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        #expect(throws: (any Error).self) {
            try repository.commit([.write("a.md", bytes), .write("b/c.md", blocked)], author: author, message: "fails")
        }
        #expect(try repository.head() == before)
        #expect(FileManager.default.contents(atPath: path + "/a.md") == Data("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "/b/c.md"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/index.rapport-new"))
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/rapport-rollback"))
        #expect(index != nil && FileManager.default.contents(atPath: path + "/.git/index") == index)
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        try FileManager.default.removeItem(atPath: blocker)
        #expect(fsckProblems(path) == "")
        // The same commit goes through once the folder can be made, past the second name of a
        // replaced index that a killed writer left; the replaced index's second name goes too.
        #expect(FileManager.default.createFile(atPath: path + "/.git/index.rapport-old", contents: Data("stale".utf8)))
        let commit = try repository.commit([.write("a.md", bytes), .write("b/c.md", blocked)], author: author, message: "works")
        #expect(commit != nil && commit != before)
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/index.rapport-old"))
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["show", "HEAD:a.md"], in: path).stdout == String(decoding: bytes, as: UTF8.self))
        #expect(fsckProblems(path) == "")
    }

    @Test func aCommitWhoseBranchCannotMovePutsFilesAndIndexBack() throws {
        let repository = try makeRepository()
        let path = scratch.appending("repo")
        try repository.commit([.write("a.md", Data("old".utf8)), .write("b.md", Data("keep".utf8))], author: author, message: "start")
        let before = try repository.head()
        // Another writer holds the branch's lock: the commit object exists, but the branch may not move.
        let branchLock = repository.gitDirectory + "/refs/heads/main.lock"
        #expect(FileManager.default.createFile(atPath: branchLock, contents: Data()))
        #expect(throws: GitStoreError.self) {
            try repository.commit([.write("a.md", Data("new".utf8)), .write("c.md", Data("added".utf8)), .remove("b.md")],
                                  author: author, message: "blocked")
        }
        try FileManager.default.removeItem(atPath: branchLock)
        #expect(try repository.head() == before)
        #expect(FileManager.default.contents(atPath: path + "/a.md") == Data("old".utf8))
        #expect(FileManager.default.contents(atPath: path + "/b.md") == Data("keep".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "/c.md"))
        #expect(try repository.status().isEmpty)
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["diff", "--cached", "--stat"], in: path).stdout == "")
        #expect(fsckProblems(path) == "")
    }

    @Test func gitErrorsNameTheFailingFunction() throws {
        let repository = try makeRepository()
        try repository.commit([.write("a.md", Data("1".utf8))], author: author, message: "a")
        do {
            _ = try repository.resolve("no-such-revision")
            Issue.record("resolving a missing revision succeeded")
        } catch let error as GitError {
            #expect(error.function == "git_revparse_single")
            #expect(error.isNotFound)
            #expect(!error.message.isEmpty)
            #expect(error.localizedDescription.contains("git_revparse_single"))
        }
    }

    @Test func theWriteLockTimesOutWhileHeld() throws {
        let repository = try makeRepository()
        let other = try Repository.open(at: scratch.appending("repo"))
        let started = Date()
        try repository.withWriteLock(timeout: 1) {
            #expect(throws: GitStoreError.locked(lockPath: repository.gitDirectory + "/rapport.lock", byGit: false)) {
                try other.withWriteLock(timeout: 0.3) {}
            }
        }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        _ = FileManager.default.createFile(atPath: repository.gitDirectory + "/index.lock", contents: Data())
        #expect(throws: GitStoreError.locked(lockPath: repository.gitDirectory + "/index.lock", byGit: true)) {
            try other.withWriteLock(timeout: 0.2) {}
        }
        try FileManager.default.removeItem(atPath: repository.gitDirectory + "/index.lock")
        #expect(try other.withWriteLock(timeout: 0.2) { 42 } == 42)
    }

    /// Two sides changing different lines of one file would merge cleanly as text; a journal
    /// keeps both versions instead, whatever merge driver `.gitattributes` names.
    @Test func aFileBothSidesChangedIsKeptTwiceNeverCombined() throws {
        let repository = try makeRepository()
        let base = try #require(try repository.commit([.write(".gitattributes", Data("* merge=union\n".utf8)),
                                                       .write("a.md", Data("one\ntwo\nthree\nfour\nfive\n".utf8))],
                                                      author: author, message: "base"))
        let theirs = try #require(try repository.commit([.write("a.md", Data("one\ntwo\nthree\nfour\nFIVE\n".utf8))], author: author, message: "theirs"))
        try repository.moveBranch(to: base, from: theirs, message: "back")
        try repository.checkout(base, baseline: theirs)
        try repository.commit([.write("a.md", Data("ONE\ntwo\nthree\nfour\nfive\n".utf8))], author: author, message: "ours")
        let merged = try repository.merge(theirs, author: author, message: "merge")
        #expect(merged.conflicts == [MergeConflict(path: "a.md", copy: "a.conflict-\(theirs.description.prefix(7)).md")])
        #expect(try repository.contents(of: "a.md") == Data("ONE\ntwo\nthree\nfour\nfive\n".utf8))
        #expect(try repository.contents(of: merged.conflicts[0].copy) == Data("one\ntwo\nthree\nfour\nFIVE\n".utf8))
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }

    /// A multi-valued key in the repository's own config, read back in one snapshot.
    @Test func configValuesOfASection() throws {
        let repository = try makeRepository()
        try repository.setConfigValues("rapport.trustedTemplate", to: ["b", "a"])
        try repository.setConfigValue("rapport.autoSync", to: "true")
        #expect(repository.configValues(inSection: "rapport").map(\.value).sorted() == ["a", "b", "true"])
        try repository.setConfigValues("rapport.trustedTemplate", to: [])
        #expect(repository.configValues(inSection: "rapport").map(\.name) == ["rapport.autosync"])
    }

    @Test func configAndRemotes() throws {
        let repository = try makeRepository()
        try repository.setConfigValue("user.name", to: "Zoë Ångström")
        try repository.setConfigValue("user.email", to: "zoe@example.com")
        #expect(repository.configuredSignature()?.description == "Zoë Ångström <zoe@example.com>")
        try repository.addRemote(name: "origin", url: "file:///tmp/elsewhere.git")
        #expect(try repository.remotes().map(\.url) == ["file:///tmp/elsewhere.git"])
    }

    @Test func bulkImportWritesOnePackAndChecksOut() throws {
        let repository = try makeRepository()
        let path = scratch.appending("repo")
        let importer = try BulkImport(repositoryAt: path)
        var head: ObjectID?
        for week in 0..<5 {
            head = try importer.commit(
                files: [("entries/w\(week).md", Data("week \(week)\n".utf8)),
                        ("people/p.md", Data("v\(week)\n".utf8))] + (week == 3 ? [("entries/w0.md", nil)] : []),
                parent: head, author: author, message: "week \(week)")
        }
        try importer.finish(head: #require(head))
        #expect(try repository.log().count == 5)
        #expect(try repository.files().map(\.path)
                == ["entries/w1.md", "entries/w2.md", "entries/w3.md", "entries/w4.md", "people/p.md"])
        #expect(FileManager.default.contents(atPath: path + "/people/p.md") == Data("v4\n".utf8))
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(fsckProblems(path) == "")
        let packs = try FileManager.default.contentsOfDirectory(atPath: path + "/.git/objects/pack")
        #expect(packs.filter { $0.hasSuffix(".pack") }.count == 1)
        #expect(git(["count-objects", "-v"], in: path).stdout.contains("count: 0"))
    }
}

/// The CA certificates a transfer trusts: the system's, or the file it is given (GIT_SSL_CAINFO).
@Suite struct CertificateTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com",
                           date: Date(timeIntervalSince1970: 1_790_000_000), utcOffsetMinutes: 60)

    @Test func aTransferTrustsTheSystemOrTheCAItIsGiven() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        try repository.commit([.write("a.md", Data("a".utf8))], author: author, message: "a")
        let remote = scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", remote], in: scratch.path).status == 0)
        try repository.addRemote(name: "origin", url: remote)
        try repository.push(remote: "origin", branch: "main")
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: scratch.appending("repo")).stdout)
        // A push to a remote on this file system is rapport's own (a pack and a compare-and-swap);
        // a fetch is libgit2's transfer, whatever the URL.
        #expect(try repository.fetch(remote: "origin", branch: "main") == repository.head())
        // The other half: a server whose certificate is trusted gets past the TLS handshake. It
        // is no git server, so the fetch still fails, for another reason than its certificate.
        let server = try TLSServer(in: scratch.appending("tls"))
        try repository.addRemote(name: "tls", url: server.url("/journal.git"))
        do {
            _ = try repository.fetch(remote: "tls", branch: "main")
            Issue.record("an untrusted certificate passed")
        } catch let error as RemoteError {
            guard case .untrustedHost = error else { Issue.record("\(error)"); return }
        } catch {
            Issue.record("\(error)")
        }
        var trusting = TransferOptions()
        trusting.environment = ["GIT_SSL_CAINFO": server.certificate]
        do {
            _ = try repository.fetch(remote: "tls", branch: "main", options: trusting)
            Issue.record("a status page passed for a git server")
        } catch let error as RemoteError {
            if case .untrustedHost(let detail) = error { Issue.record("still untrusted: \(detail)") }
        } catch {
            // libgit2's own error about the page it got: the handshake went through, and a
            // request was answered.
            #expect((error as? GitError)?.message.contains("invalid content-type") == true, "\(error)")
        }
    }
}
