import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct RollbackTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: 1_790_000_000),
                           utcOffsetMinutes: 0)

    @Test func aLineKeepsAnyPathIntact() throws {
        let line = RollbackLine(kind: "w", written: "0123", backup: ".rapport-tmp-keep-1", path: "entries/a\tb%c\nd.md")
        #expect(line.text.filter { $0 == "\n" }.count == 1)
        #expect(line.text.filter { $0 == "\t" }.count == 3)
        let read = try #require(RollbackLine(text: String(line.text.dropLast())))
        #expect(read.kind == "w" && read.written == "0123" && read.backup == ".rapport-tmp-keep-1")
        #expect(read.path == "entries/a\tb%c\nd.md")
        let none = try #require(RollbackLine(text: String(RollbackLine(kind: "r", written: nil, backup: nil, path: "x.md").text.dropLast())))
        #expect(none.written == nil && none.backup == nil)
        #expect(RollbackLine(text: "w\tonly three\tparts") == nil)
    }

    /// What a writer killed after writing its files and before moving the branch leaves: the
    /// rollback file, the new bytes in place, the previous version under a spare name.
    func interruptedWrite(in path: String, repository: Repository) throws -> (backup: String, rollback: String) {
        let parent = try #require(try repository.head())
        let backup = try #require(try AtomicFile.keepPrevious(path + "/entries/a.md"))
        let changed = Data("changed by the killed writer\n".utf8), created = Data("new\n".utf8)
        let lines = [
            RollbackLine(kind: "w", written: ObjectID.blob(hashing: changed)?.description,
                         backup: (backup as NSString).lastPathComponent, path: "entries/a.md"),
            RollbackLine(kind: "w", written: ObjectID.blob(hashing: created)?.description, backup: nil, path: "entries/b.md"),
        ]
        let rollback = repository.gitDirectory + "/" + Repository.rollbackName
        try AtomicFile.write(Data((parent.description + "\n" + lines.map(\.text).joined()).utf8), to: rollback)
        try AtomicFile.write(changed, to: path + "/entries/a.md")
        try AtomicFile.write(created, to: path + "/entries/b.md")
        return (backup, rollback)
    }

    @Test func aWriteKilledBeforeItsCommitIsUndoneByTheNextWriter() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("original\n".utf8))], author: author, message: "a")
        let (backup, rollback) = try interruptedWrite(in: path, repository: repository)
        // (The spare name shows as untracked here: a journal's `.gitignore` hides it.)
        #expect(git(["status", "--porcelain"], in: path).stdout
            == " M entries/a.md\n?? entries/\((backup as NSString).lastPathComponent)\n?? entries/b.md\n")

        try repository.withWriteLock(timeout: 1) {}
        #expect(FileManager.default.contents(atPath: path + "/entries/a.md") == Data("original\n".utf8))
        #expect(access(path + "/entries/b.md", F_OK) != 0)
        #expect(access(backup, F_OK) != 0 && access(rollback, F_OK) != 0)
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(fsckProblems(path) == "")
    }

    /// Killed after the branch moved, the write is complete: only the spare names go.
    @Test func aWriteKilledAfterItsCommitIsKept() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("original\n".utf8))], author: author, message: "a")
        let (backup, rollback) = try interruptedWrite(in: path, repository: repository)
        // The commit lands (a commit of its own writes and drops a rollback file: the killed one's is put back after).
        let pending = try #require(FileManager.default.contents(atPath: rollback))
        _ = try repository.commit([.stage("entries/a.md"), .stage("entries/b.md")], author: author, message: "landed")
        try AtomicFile.write(pending, to: rollback)

        try repository.withWriteLock(timeout: 1) {}
        #expect(FileManager.default.contents(atPath: path + "/entries/a.md") == Data("changed by the killed writer\n".utf8))
        #expect(FileManager.default.contents(atPath: path + "/entries/b.md") == Data("new\n".utf8))
        #expect(access(backup, F_OK) != 0 && access(rollback, F_OK) != 0)
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
    }

    /// A file someone edited after the killed writer is theirs: it is not put back.
    @Test func aFileEditedSinceIsLeftAsItIs() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("original\n".utf8))], author: author, message: "a")
        _ = try interruptedWrite(in: path, repository: repository)
        try AtomicFile.write(Data("edited by hand\n".utf8), to: path + "/entries/a.md")

        try repository.withWriteLock(timeout: 1) {}
        #expect(FileManager.default.contents(atPath: path + "/entries/a.md") == Data("edited by hand\n".utf8))
        #expect(access(path + "/entries/b.md", F_OK) != 0)
    }

    /// The rollback file names only spare files rapport made beside each path: any other name in
    /// it is never renamed over a journal file.
    @Test func aBackupNameRapportDidNotMakeIsIgnored() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/a.md", Data("original\n".utf8))], author: author, message: "a")
        scratch.write("outside\n", to: "outside.md")
        let line = RollbackLine(kind: "r", written: nil, backup: "../../outside.md", path: "entries/a.md")
        let rollback = repository.gitDirectory + "/" + Repository.rollbackName
        try AtomicFile.write(Data(try #require(try repository.head()).description.utf8 + Data("\n".utf8) + Data(line.text.utf8)), to: rollback)
        try AtomicFile.remove(path + "/entries/a.md")

        try repository.withWriteLock(timeout: 1) {}
        #expect(FileManager.default.contents(atPath: scratch.appending("outside.md")) == Data("outside\n".utf8))
        #expect(access(path + "/entries/a.md", F_OK) != 0)
        #expect(access(rollback, F_OK) != 0)
    }
}
