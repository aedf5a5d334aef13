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
    /// leave libgit2's `index.lock` or a ref's lock. The next writer, holding the flock, knows the
    /// previous one is dead; only then does it remove such lock files, and only those no process has
    /// open and that are 2 seconds old (see `removeStaleLocks`). Any other `index.lock` belongs to a
    /// live git process: it is waited for, never removed.
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
        if WriteLock.previousWriterDied(fd) {
            WriteLock.removeStaleLocks(in: gitDirectory, until: deadline)
            // It may have died pushing to a remote on this file system, inside that repository.
            let marker = gitDirectory + "/" + WriteLock.localPushName
            if let remote = FileManager.default.contents(atPath: marker).map({ String(decoding: $0, as: UTF8.self) }), !remote.isEmpty {
                WriteLock.removeStaleLocks(in: remote, until: deadline)
            }
            unlink(marker)
        }
        while access(indexLock, F_OK) == 0 {
            guard Date() < deadline else { throw GitStoreError.locked(lockPath: indexLock, byGit: true) }
            usleep(UInt32.random(in: 10_000...40_000, using: &generator))
        }
        try recoverInterruptedCommit()
        WriteLock.mark(fd, "writing \(getpid())\n")
        defer { WriteLock.mark(fd, "") }
        return try body()
    }
}

extension Repository {
    /// When a writer was killed half-way (its rollback file is there), takes the write lock once so
    /// that its work is undone before anything is read: a command never starts from half a write.
    /// A writer still at work is waited for; failing to get the lock is left to the command itself.
    public func finishInterruptedWrite(timeout: TimeInterval) {
        guard access(gitDirectory + "/" + Repository.rollbackName, F_OK) == 0 else { return }
        try? withWriteLock(timeout: timeout) {}
    }
}

enum WriteLock {
    /// Names the git directory of a remote on this file system while rapport pushes to it.
    static let localPushName = "rapport-local-push"
    /// The lock file still says "writing": its last holder died inside `withWriteLock`.
    static func previousWriterDied(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 8)
        let count = pread(fd, &buffer, buffer.count, 0)
        return count >= 7 && buffer.starts(with: Array("writing".utf8))
    }

    static func mark(_ fd: Int32, _ text: String) {
        _ = ftruncate(fd, 0)
        let bytes = Array(text.utf8)
        if !bytes.isEmpty {
            _ = pwrite(fd, bytes, bytes.count, 0)
            // Durable, so that after a power cut too the next writer knows this one did not finish.
            _ = fdatasync(fd)
        }
    }

    /// The lock files libgit2 may leave when killed (`index.lock`, `HEAD.lock`, `packed-refs.lock`,
    /// `config.lock`, `refs/**/*.lock`) that no process has open and that are at least
    /// `minimumAge` old: git keeps the index lock open while it writes, and holds a ref lock closed
    /// only for the moment between writing and renaming it, so an older one nobody holds is the dead
    /// writer's. A younger one is given until it is that old (or gone) before it is judged.
    static func removeStaleLocks(in gitDirectory: String, until deadline: Date, minimumAge: TimeInterval = 2) {
        var candidates = ["index.lock", "HEAD.lock", "packed-refs.lock", "config.lock", "ORIG_HEAD.lock", "FETCH_HEAD.lock"]
            .map { gitDirectory + "/" + $0 }
        if let walker = FileManager.default.enumerator(atPath: gitDirectory + "/refs") {
            for case let path as String in walker where path.hasSuffix(".lock") { candidates.append(gitDirectory + "/refs/" + path) }
        }
        // A git process working in this repository may hold a lock closed for long (`git commit`
        // keeps index.lock while its editor is open): then nothing is removed.
        if gitIsRunning(in: (gitDirectory as NSString).deletingLastPathComponent) || gitIsRunning(in: gitDirectory) { return }
        for lock in candidates {
            while true {
                var info = stat()
                guard lstat(lock, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { break }
                if isOpenByAnyProcess(lock) { break }
                let age = Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec) - Double(info.st_mtim.tv_nsec) / 1e9
                if age >= minimumAge {
                    unlink(lock)
                    break
                }
                guard Date() < deadline else { break }
                usleep(UInt32(min(minimumAge - age, 0.5) * 1_000_000) + 1_000)
            }
        }
    }

    /// Whether a git process (its command name starts with "git") runs with its working folder in `folder`.
    static func gitIsRunning(in folder: String) -> Bool {
        guard let root = resolved(folder), let processes = processIDs() else { return false }
        return processes.contains { pid in
            guard let name = FileManager.default.contents(atPath: "/proc/\(pid)/comm").map({ String(decoding: $0, as: UTF8.self) }),
                  name.hasPrefix("git"), !name.hasPrefix("git-credential"),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
            return cwd == root || cwd.hasPrefix(root + "/")
        }
    }

    /// Whether any process this user can see has `path` open (Linux: /proc/PID/fd links). git and
    /// libgit2 keep a lock file open from creating it to renaming it.
    static func isOpenByAnyProcess(_ path: String) -> Bool {
        guard let path = resolved(path) else { return false }
        guard let processes = processIDs() else { return true }
        return processes.contains { pid in
            let folder = "/proc/\(pid)/fd"
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { descriptor in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + descriptor)) == path
            }
        }
    }

    /// The path with symbolic links resolved, as /proc shows it; nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The running processes' ids, nil when /proc cannot be read.
    static func processIDs() -> [String]? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.first?.isNumber == true }
    }
}
