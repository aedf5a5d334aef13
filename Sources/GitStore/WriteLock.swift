#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension Repository {
    /// Runs `body` while this process holds the repository's write lock, so that reading the
    /// current state, writing files and committing happen as one step among rapport processes.
    ///
    /// The lock is an `flock` on `.git/rapport.lock`: the kernel releases it when its holder dies,
    /// so a crashed writer never leaves a stale lock. While `body` runs, the lock file says so
    /// ("writing PID"); a writer killed there (SIGKILL, power cut) leaves that line behind, and may
    /// leave libgit2's `index.lock`. The next writer, holding the flock, knows the previous one is
    /// dead; it removes an `index.lock` only when that line is there and no process has the file
    /// open. Any other `index.lock` belongs to a live git process: it is waited for, never removed.
    /// Both waits end at `timeout` with `GitStoreError.locked`.
    @discardableResult
    public func withWriteLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let lockPath = gitDirectory + "/rapport.lock"
        let fd = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.ioError(lockPath) }
        defer { close(fd) }

        let deadline = Date().addingTimeInterval(timeout)
        var generator = SystemRandomNumberGenerator()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw AtomicFile.ioError(lockPath) }
            guard Date() < deadline else { throw GitStoreError.locked(lockPath: lockPath, byGit: false) }
            usleep(UInt32.random(in: 5_000...25_000, using: &generator))
        }
        defer { flock(fd, LOCK_UN) }

        let indexLock = gitDirectory + "/index.lock"
        if WriteLock.previousWriterDied(fd), access(indexLock, F_OK) == 0, !WriteLock.isOpenByAnyProcess(indexLock) {
            unlink(indexLock)
        }
        while access(indexLock, F_OK) == 0 {
            guard Date() < deadline else { throw GitStoreError.locked(lockPath: indexLock, byGit: true) }
            usleep(UInt32.random(in: 10_000...40_000, using: &generator))
        }
        WriteLock.mark(fd, "writing \(getpid())\n")
        defer { WriteLock.mark(fd, "") }
        return try body()
    }
}

enum WriteLock {
    /// The lock file still says "writing": its last holder died inside `withWriteLock`.
    static func previousWriterDied(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 8)
        let count = pread(fd, &buffer, buffer.count, 0)
        return count >= 7 && buffer.starts(with: Array("writing".utf8))
    }

    static func mark(_ fd: Int32, _ text: String) {
        _ = ftruncate(fd, 0)
        let bytes = Array(text.utf8)
        if !bytes.isEmpty { _ = pwrite(fd, bytes, bytes.count, 0) }
    }

    /// Whether any process this user can see has `path` open (Linux: /proc/PID/fd links). git and
    /// libgit2 keep a lock file open from creating it to renaming it.
    static func isOpenByAnyProcess(_ path: String) -> Bool {
        guard let resolved = realpath(path, nil) else { return false }
        let path = String(cString: resolved)
        free(resolved)
        guard let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for pid in processes where pid.first?.isNumber == true {
            let folder = "/proc/\(pid)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for descriptor in descriptors {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + descriptor), target == path {
                    return true
                }
            }
        }
        return false
    }
}
