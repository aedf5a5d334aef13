import Foundation
@testable import GitStore
import Testing
import TestSupport

/// The two guards of the spliced index that need control over timing to show: a write made from
/// an index that something else replaced meanwhile is refused (and `commit` splices again), and
/// entries as new as the index itself whose file changed unseen are smudged, as git does, so the
/// edit is not taken for the recorded content.
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
        let info = try #require(FileStat.of(path + "/entries/b.md"))
        let blob = try #require(ObjectID.blob(hashing: Data("b\n".utf8)))
        let change = IndexFile.Change(path: Array("entries/b.md".utf8), entry: IndexFile.entry(path: "entries/b.md", blob: blob, stat: info))
        let pending = try IndexFile.prepareUpdate(index, readAt: stamp, with: [change], at: path + "/.git/index", workTree: path)
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

    @Test func racyEntriesAreSmudgedOnlyWhenTheirFileChangedUnseen() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("a\n".utf8)), .write("entries/b.md", Data("bb\n".utf8))],
                                  author: signature(1000), message: "two")
        let (_, index) = try #require(try repository.loadIndexFile())
        let second = Int(try #require(FileStat.of(path + "/entries/b.md")).modified.seconds)
        // Written in b.md's second, an index keeps both entries as they are: their files still
        // hold what they record, and git finds nothing to list.
        let racy = try #require(index.applying([], racyFrom: second, workTree: path))
        #expect(try recordedSize(racy, "entries/b.md") == 3)
        #expect(try recordedSize(racy, "entries/a.md") == 2)
        try IndexFile.write(racy, to: path + "/.git/index")
        #expect(git(["diff-files", "--name-only"], in: path).stdout == "")

        // b.md edited within the same stat data as its entry (as a same-second, same-size edit on
        // a coarse clock leaves it): the entry is made to describe the edited file's stat with the
        // old blob, and a racy write must smudge it.
        scratch.write("BB\n", to: "repo/entries/b.md")
        let edited = try #require(FileStat.of(path + "/entries/b.md"))
        let (_, current) = try #require(try repository.loadIndexFile())
        let oldBlob = try #require(ObjectID.blob(hashing: Data("bb\n".utf8)))
        let stale = try #require(current.applying([IndexFile.Change(path: Array("entries/b.md".utf8),
                                                                    entry: IndexFile.entry(path: "entries/b.md", blob: oldBlob, stat: edited))]))
        let reread = try #require(try IndexFile(bytes: stale))
        let smudged = try #require(reread.applying([], racyFrom: Int(edited.modified.seconds), workTree: path))
        #expect(try recordedSize(smudged, "entries/b.md") == 0)
        #expect(try recordedSize(smudged, "entries/a.md") == 2)
        // Written a second later, nothing is racy and nothing is smudged.
        let later = try #require(reread.applying([], racyFrom: Int(edited.modified.seconds) + 1, workTree: path))
        #expect(try recordedSize(later, "entries/b.md") == 3)
        // git reads the smudged index right: it compares b.md's content and sees the edit, and so
        // does rapport's stat check.
        try IndexFile.write(smudged, to: path + "/.git/index")
        #expect(git(["diff", "--name-only"], in: path).stdout == "entries/b.md\n")
        #expect(repository.indexedStat()?.blob(for: "entries/b.md", stat: edited) == nil)
    }
}
