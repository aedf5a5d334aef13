import Foundation
@testable import GitStore
import Testing
import TestSupport

/// The index seam (`IndexUpdate`) on its libgit2 side: what the byte splice leaves to libgit2
/// ends with the same entries and stat data git would record.
@Suite struct IndexTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: 1_790_000_000),
                           utcOffsetMinutes: 0)

    func gitCommitting(_ arguments: [String], in path: String) -> ProcessResult {
        git(["-c", "user.name=Dana Lee", "-c", "user.email=dana@example.com"] + arguments, in: path)
    }

    /// A path left conflicted by `git merge` is committed through libgit2's index: the conflict
    /// stages go, the bytes written are staged with their file's stat data, and git sees nothing
    /// left to list.
    @Test func aConflictedPathIsResolvedWithTheBytesWritten() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("notes/a.md", Data("base\n".utf8))], author: author, message: "base")
        #expect(gitCommitting(["checkout", "-q", "-b", "other"], in: path).status == 0)
        scratch.write("theirs\n", to: "repo/notes/a.md")
        #expect(gitCommitting(["commit", "-q", "-am", "theirs"], in: path).status == 0)
        #expect(gitCommitting(["checkout", "-q", "main"], in: path).status == 0)
        _ = try repository.commit([.write("notes/a.md", Data("ours\n".utf8))], author: author, message: "ours")
        #expect(gitCommitting(["merge", "-q", "other"], in: path).status != 0)
        #expect(git(["ls-files", "-u"], in: path).stdout.split(separator: "\n").count == 3)
        #expect(try repository.loadIndexFile().map { file in
            file.file.touchesConflict([IndexFile.Change(path: Array("notes/a.md".utf8), entry: nil)])
        } ?? true, "a conflicted path is left to libgit2")

        _ = try repository.commit([.write("notes/a.md", Data("resolved\n".utf8))], author: author, message: "resolved")
        #expect(git(["ls-files", "-u"], in: path).stdout == "")
        let blob = try #require(ObjectID.blob(hashing: Data("resolved\n".utf8)))
        #expect(git(["ls-files", "-s", "notes/a.md"], in: path).stdout == "100644 \(blob) 0\tnotes/a.md\n")
        #expect(git(["diff-files", "--name-only"], in: path).stdout == "")
        let info = try #require(FileStat.of(path + "/notes/a.md"))
        #expect(git(["ls-files", "--debug", "notes/a.md"], in: path).stdout
            .contains("mtime: \(info.modified.seconds):\(info.modified.nanoseconds)"))
        #expect(fsckProblems(path) == "")
    }

    /// With the index deleted, a commit starts from HEAD's tree (as `git reset` would), so the
    /// other files stay tracked.
    @Test func aDeletedIndexIsRebuiltFromHead() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("notes/a.md", Data("a\n".utf8)), .write("notes/b.md", Data("b\n".utf8))],
                                  author: author, message: "two")
        try FileManager.default.removeItem(atPath: path + "/.git/index")
        _ = try repository.commit([.write("notes/c.md", Data("c\n".utf8))], author: author, message: "three")
        #expect(git(["ls-files"], in: path).stdout == "notes/a.md\nnotes/b.md\nnotes/c.md\n")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["write-tree"], in: path).stdout == git(["rev-parse", "HEAD^{tree}"], in: path).stdout)
    }
}
