import Foundation
@testable import GitStore
import Testing
import TestSupport

/// The two guards of the spliced index that need control over timing to show: a write made from
/// an index that something else replaced meanwhile is refused (and `commit` splices again), and
/// entries as new as the index itself are smudged, as git does, so a later edit in the same second
/// is not taken for the recorded content.
@Suite struct IndexSpliceTests {
    let scratch = Scratch()

    func signature(_ seconds: TimeInterval) -> Signature {
        Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: seconds), utcOffsetMinutes: 0)
    }

    /// The size field of `path`'s entry in the index file's bytes.
    func recordedSize(_ bytes: [UInt8], _ path: String) throws -> UInt32? {
        let file = try #require(try IndexFile(bytes: bytes))
        guard let slot = file.find(Array(path.utf8)) else { return nil }
        return IndexFile.u32(file.bytes, file.slots[slot].start + 36)
    }

    @Test func anIndexReplacedByGitMeanwhileIsNotWrittenOver() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("a\n".utf8))], author: signature(1000), message: "a")
        let (stamp, index) = try #require(try repository.loadIndexFile())
        let spliced = try #require(index.applying([]))
        // `git add` replaces the index between rapport's read and its write.
        scratch.write("staged by git\n", to: "repo/other.md")
        #expect(git(["add", "other.md"], in: path).status == 0)
        #expect(throws: IndexFile.Changed.self) { try IndexFile.write(spliced, to: path + "/.git/index", ifStillAt: stamp) }
        #expect(access(path + "/.git/index.lock", F_OK) != 0, "the lock is released")
        #expect(git(["diff", "--cached", "--name-only"], in: path).stdout == "other.md\n")
        // A commit made now splices its change into git's index: the staged file stays staged.
        _ = try repository.commit([.write("entries/b.md", Data("b\n".utf8))], author: signature(2000), message: "b")
        #expect(git(["diff", "--cached", "--name-only"], in: path).stdout == "other.md\n")
        #expect(git(["ls-files"], in: path).stdout == "entries/a.md\nentries/b.md\nother.md\n")
        #expect(fsckProblems(path) == "")
    }

    /// A commit's new index waits beside the index, not in git's lock, while the objects are
    /// made: a `git add` in that time works, and the commit then splices its change into git's
    /// index instead of writing over it.
    @Test func aGitAddWhileTheNewIndexWaitsIsKept() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("a\n".utf8))], author: signature(1000), message: "a")
        let (stamp, index) = try #require(try repository.loadIndexFile())
        scratch.write("b\n", to: "repo/entries/b.md")
        #expect(git(["hash-object", "-w", "entries/b.md"], in: path).status == 0)
        var info = stat()
        #expect(lstat(path + "/entries/b.md", &info) == 0)
        let blob = try #require(ObjectID.blob(hashing: Data("b\n".utf8)))
        let change = IndexFile.Change(path: Array("entries/b.md".utf8), entry: IndexFile.entry(path: "entries/b.md", blob: blob, stat: info))
        let pending = try IndexFile.prepareUpdate(index, readAt: stamp, with: [change], at: path + "/.git/index")
        #expect(access(path + "/.git/index.lock", F_OK) != 0, "git's lock is free meanwhile")
        #expect(access(path + "/.git/index.rapport-new", F_OK) == 0)
        scratch.write("staged by git\n", to: "repo/other.md")
        #expect(git(["add", "other.md"], in: path).status == 0)
        let written = try pending.install()
        #expect(written.replaced != index.bytes, "it replaced git's index, not the one it was first spliced into")
        #expect(git(["ls-files"], in: path).stdout == "entries/a.md\nentries/b.md\nother.md\n")
        #expect(git(["status", "--porcelain"], in: path).stdout == "A  entries/b.md\nA  other.md\n")
        #expect(access(path + "/.git/index.lock", F_OK) != 0 && access(path + "/.git/index.rapport-new", F_OK) != 0)
        #expect(fsckProblems(path) == "")
    }

    @Test func entriesAsNewAsTheIndexAreSmudgedAsGitDoes() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("a\n".utf8)), .write("entries/b.md", Data("bb\n".utf8))],
                                  author: signature(1000), message: "two")
        // a.md is dated ten seconds back; b.md keeps its fresh time.
        let old = Date().addingTimeInterval(-10)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path + "/entries/a.md")
        #expect(git(["update-index", "--refresh"], in: path).status == 0)
        let (_, index) = try #require(try repository.loadIndexFile())
        var info = stat()
        #expect(lstat(path + "/entries/b.md", &info) == 0)
        // An index written in b.md's second: b.md's size is zeroed (git then compares its content),
        // a.md's is kept; an index written later smudges nothing.
        let racy = try #require(index.applying([], smudgingFrom: info.st_mtim.tv_sec))
        #expect(try recordedSize(racy, "entries/b.md") == 0)
        #expect(try recordedSize(racy, "entries/a.md") == 2)
        let later = try #require(index.applying([], smudgingFrom: info.st_mtim.tv_sec + 1))
        #expect(try recordedSize(later, "entries/b.md") == 3)
        // git reads the smudged index as clean: it compares b.md's content and finds it unchanged.
        try IndexFile.write(racy, to: path + "/.git/index")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        // A same-size edit in that second is then seen, by git and by rapport's stat check.
        scratch.write("BB\n", to: "repo/entries/b.md")
        #expect(git(["diff", "--name-only"], in: path).stdout == "entries/b.md\n")
        var edited = stat()
        #expect(lstat(path + "/entries/b.md", &edited) == 0)
        #expect(repository.indexedStat()?.blob(for: "entries/b.md", stat: edited) == nil)
    }
}
