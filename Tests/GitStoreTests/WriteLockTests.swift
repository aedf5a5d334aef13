import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct WriteLockTests {
    let scratch = Scratch()

    func lockText(_ repository: Repository) -> String {
        FileManager.default.contents(atPath: repository.gitDirectory + "/rapport.lock").map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    @Test func theLockSaysWhoIsWritingOnlyWhileTheBodyRuns() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        let seen = try repository.withWriteLock(timeout: 1) { lockText(repository) }
        #expect(seen == "writing \(getpid())\n")
        #expect(lockText(repository) == "")
    }

    /// flock belongs to an open file, so a second open of the lock, even in this process, is
    /// another writer: it waits, then gives up with rapport's own lock named.
    @Test func aSecondWriterWaitsThenGivesUp() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        let other = try Repository.open(at: scratch.appending("repo"))
        let lockPath = repository.gitDirectory + "/rapport.lock"
        try repository.withWriteLock(timeout: 1) {
            #expect(throws: GitStoreError.locked(lockPath: lockPath, byGit: false)) {
                try other.withWriteLock(timeout: 0.2) {}
            }
        }
        #expect(try other.withWriteLock(timeout: 1) { true })
    }

    /// A writer killed inside the lock leaves "writing" and maybe libgit2's `index.lock`: the
    /// next writer removes an old one that no process holds, and goes on.
    @Test func aDeadWritersOldIndexLockIsRemoved() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        let git = repository.gitDirectory
        try Data("writing 999999\n".utf8).write(to: URL(fileURLWithPath: git + "/rapport.lock"))
        try Data().write(to: URL(fileURLWithPath: git + "/index.lock"))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-10)], ofItemAtPath: git + "/index.lock")
        #expect(try repository.withWriteLock(timeout: 2) { access(git + "/index.lock", F_OK) != 0 })
    }

    /// An `index.lock` while the last writer finished cleanly is a live git command's: never
    /// removed, waited for until the timeout.
    @Test func aLiveGitIndexLockIsWaitedForAndKept() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        let indexLock = repository.gitDirectory + "/index.lock"
        try Data().write(to: URL(fileURLWithPath: indexLock))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-10)], ofItemAtPath: indexLock)
        #expect(throws: GitStoreError.locked(lockPath: indexLock, byGit: true)) {
            try repository.withWriteLock(timeout: 0.2) {}
        }
        #expect(access(indexLock, F_OK) == 0)
    }
}
