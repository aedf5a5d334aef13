import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct AtomicFileTests {
    let scratch = Scratch()

    /// The names in `folder`, hidden ones included.
    func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func aWriteMakesItsFoldersAndLeavesNoTemporaryFile() throws {
        let path = scratch.appending("a/b/c.md")
        try AtomicFile.write(Data("hello\n".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("hello\n".utf8))
        #expect(names(in: scratch.appending("a/b")) == ["c.md"])
        let info = try #require(FileStat.of(path))
        #expect(info.isRegularFile && !info.isExecutable)
    }

    /// The new version is a new file renamed over the old: a reader holding the old one open
    /// still reads it whole, never a mix.
    @Test func aReplacedFileIsSwappedWholeNotRewrittenInPlace() throws {
        let path = scratch.appending("note.md")
        try AtomicFile.write(Data("first version\n".utf8), to: path)
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? reader.close() }
        let before = try #require(FileStat.of(path))
        try AtomicFile.write(Data("second\n".utf8), to: path)
        #expect(try reader.readToEnd() == Data("first version\n".utf8))
        #expect(FileManager.default.contents(atPath: path) == Data("second\n".utf8))
        #expect(try #require(FileStat.of(path)).inode != before.inode)
        #expect(names(in: scratch.path) == ["note.md"])
    }

    @Test func aKeptPreviousVersionIsPutBackAfterAReplacement() throws {
        let path = scratch.appending("note.md")
        #expect(try AtomicFile.keepPrevious(path) == nil, "nothing to keep yet")
        try AtomicFile.write(Data("old\n".utf8), to: path)
        let backup = try #require(try AtomicFile.keepPrevious(path))
        #expect((backup as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix))
        #expect(AtomicFile.sameFile(backup, path))
        try AtomicFile.write(Data("new\n".utf8), to: path)
        #expect(!AtomicFile.sameFile(backup, path))
        AtomicFile.putBack(backup, at: path)
        #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
        #expect(names(in: scratch.path) == ["note.md"])
    }

    @Test func putBackOfAFileNeverReplacedOnlyDropsTheSpareName() throws {
        let path = scratch.appending("note.md")
        try AtomicFile.write(Data("same\n".utf8), to: path)
        let backup = try #require(try AtomicFile.keepPrevious(path))
        AtomicFile.putBack(backup, at: path)
        #expect(FileManager.default.contents(atPath: path) == Data("same\n".utf8))
        #expect(names(in: scratch.path) == ["note.md"])
    }

    @Test func removeDeletesAndToleratesAMissingFile() throws {
        let path = scratch.appending("gone.md")
        try AtomicFile.write(Data("x".utf8), to: path)
        try AtomicFile.remove(path)
        #expect(access(path, F_OK) != 0)
        try AtomicFile.remove(path)
    }

    @Test func aFailedWriteSaysWhyAndLeavesNothingBehind() throws {
        scratch.write("a file, not a folder\n", to: "blocker")
        let path = scratch.appending("blocker/inside.md")
        #expect(throws: GitStoreError.io(path: path, reason: "Not a directory")) {
            try AtomicFile.write(Data("x".utf8), to: path)
        }
        #expect(names(in: scratch.path) == ["blocker"])
    }
}
