#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension Repository {
    /// Runs `body` while this process holds the repository's write lock, so that reading the
    /// current state, writing files and committing happen as one step among rapport processes.
    ///
    /// The lock is an `flock` on `.git/rapport.lock`: the kernel releases it when its holder dies,
    /// so a crashed writer never leaves a stale lock. A git process's `index.lock` is waited for,
    /// never removed. Both waits end at `timeout` with `GitStoreError.locked`.
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
        while access(indexLock, F_OK) == 0 {
            guard Date() < deadline else { throw GitStoreError.locked(lockPath: indexLock, byGit: true) }
            usleep(UInt32.random(in: 10_000...40_000, using: &generator))
        }
        return try body()
    }
}
