#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

/// Writing an index file the way git does: beside the index, synced, then renamed over it under
/// git's `index.lock`, only if it is still the file the new one was spliced from.
extension IndexFile {
    /// What `PendingUpdate.install` wrote: the new file's stat data and the bytes it replaced, to
    /// put them back if the commit does not land.
    struct Written: Sendable {
        let stamp: [Int]?
        let replaced: [UInt8]
        /// A second name the replaced index file kept (`PreparedWrite.install`), for the caller
        /// to unlink when it suits it; nil when it kept none.
        let retired: String?
    }

    /// `changes` spliced into `index` (read at `stamp`) and written beside the index, synced
    /// (`PreparedWrite`), to be put in place later (`PendingUpdate.install`). `workTree` holds the
    /// files whose racily clean entries are checked (`applying`).
    static func prepareUpdate(_ index: IndexFile, readAt stamp: [Int], with changes: [Change], at path: String,
                              workTree: String) throws -> PendingUpdate {
        guard let file = index.applying(changes, racyFrom: stamp[2], workTree: workTree) else {
            throw GitStoreError.io(path: path, reason: "a path to commit is in conflict in the index")
        }
        return PendingUpdate(prepared: try PreparedWrite(file, at: path), base: stamp, source: index, changes: changes, path: path,
                             workTree: workTree)
    }

    /// A new index waiting beside the index, with what it was spliced from.
    struct PendingUpdate: Sendable {
        let prepared: PreparedWrite
        let base: [Int]
        let source: IndexFile
        let changes: [Change]
        let path: String
        let workTree: String

        /// Puts it in place, only over the file it was spliced into: if something (a `git add`)
        /// replaced that meanwhile, the changes are spliced into the new one instead, up to five
        /// times. Returns what was written; on failure neither the lock nor the new index is left.
        func install() throws -> Written {
            var (prepared, base, source) = (self.prepared, self.base, self.source)
            for attempt in 1...5 {
                do {
                    let retired = try prepared.install(ifStillAt: base)
                    return Written(stamp: IndexFile.stamp(path), replaced: source.bytes, retired: retired)
                } catch is Changed {
                    guard attempt < 5, let reloaded = try loadStamped(path),
                          let file = reloaded.file.applying(changes, racyFrom: reloaded.stamp[2], workTree: workTree) else { break }
                    prepared = try PreparedWrite(file, at: path)
                    (base, source) = (reloaded.stamp, reloaded.file)
                }
            }
            throw GitStoreError.io(path: path, reason: "the index kept changing while rapport wrote it (is a git command running?)")
        }

        /// Drops it; the index stays as it was.
        func abandon() {
            prepared.abandon()
        }
    }

    /// Writes `file` as the index the way git does: to `index.lock` (created exclusively, so a
    /// running git command's lock is respected), synced (as libgit2 does with fsync on), then
    /// renamed over `index` if it is still the one `file` was made from (`stamp`). For writers
    /// that do not hold rapport's write lock (a read refreshing stat data), which must not share
    /// `PreparedWrite`'s one file.
    static func write(_ file: [UInt8], to path: String, ifStillAt stamp: [Int]? = nil) throws {
        let lock = path + ".lock"
        let fd = try takeLock(of: path)
        let failure = writeAndSync(file, to: fd)
        close(fd)
        if let failure {
            unlink(lock)
            throw writeError(failure.verb, lock, failure.code)
        }
        try putInPlace(lock, over: path, ifStillAt: stamp)
    }

    /// The index was replaced after the file being written was made from it.
    struct Changed: Error {}

    /// A new index written and synced beside the index (`index.rapport-new`), ready to be put in
    /// place by `install`, which takes git's `index.lock` only for that moment: a `git add` run
    /// while the rest of a commit is made does not find the index locked. Only one exists at a
    /// time: commits hold rapport's write lock. One a killed writer left is overwritten by the
    /// next.
    struct PreparedWrite: Sendable {
        let path: String
        var staged: String { path + ".rapport-new" }

        init(_ file: [UInt8], at path: String) throws {
            self.path = path
            let staged = path + ".rapport-new"
            let fd = open(staged, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw AtomicFile.ioError(staged) }
            let failure = writeAndSync(file, to: fd)
            close(fd)
            if let failure {
                unlink(staged)
                throw writeError(failure.verb, staged, failure.code)
            }
        }

        /// Takes `index.lock`, moves the new index into it, and renames it over the index if that
        /// is still the one it was made from (`stamp`), else throws `Changed`. On any failure
        /// neither the lock nor the new index is left.
        /// The file being replaced keeps a second name (`index.rapport-old`, returned; nil if the
        /// link failed), so the rename only drops a name: freeing its blocks, about a millisecond
        /// per megabyte (the index is 12 MB at 100k entries), is left to whoever unlinks it.
        func install(ifStillAt stamp: [Int]?) throws -> String? {
            let lock = path + ".lock"
            let fd: Int32
            do {
                fd = try takeLock(of: path)
            } catch {
                unlink(staged)
                throw error
            }
            close(fd)
            guard rename(staged, lock) == 0 else {
                let code = errno
                unlink(lock)
                unlink(staged)
                throw writeError("rename", staged, code)
            }
            let retired = path + ".rapport-old"
            unlink(retired)  // one a killed writer left
            return try putInPlace(lock, over: path, ifStillAt: stamp, keeping: retired) ? retired : nil
        }

        /// Drops it; the index stays as it was.
        func abandon() {
            unlink(staged)
        }
    }

    /// Creates `index.lock` for the index at `path` exclusively, waiting up to a second for a
    /// holder to let go (a reader refreshing stat data, a git command staging a file).
    private static func takeLock(of path: String) throws -> Int32 {
        let lock = path + ".lock"
        var fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        var waited = 0
        while fd < 0, errno == EEXIST, waited < 100 {
            usleep(10_000)
            waited += 1
            fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST { throw GitStoreError.locked(lockPath: lock, byGit: true) }
            throw writeError("create", lock, code)
        }
        return fd
    }

    /// Writes all of `file` and syncs it; what failed (and its errno) when something did.
    private static func writeAndSync(_ file: [UInt8], to fd: Int32) -> (verb: String, code: Int32)? {
        if let code = AtomicFile.writeAll(file, to: fd) { return ("write", code) }
        return fsync(fd) == 0 ? nil : ("sync", errno)
    }

    /// Under the lock, the index must still be the one the new file was made from (`stamp`): then
    /// the lock file is renamed over it. On any failure the lock file is removed. With `keeping`,
    /// the file being replaced is first linked to that name (after the check: a link changes its
    /// ctime); returns whether it was.
    @discardableResult
    private static func putInPlace(_ lock: String, over path: String, ifStillAt stamp: [Int]?, keeping retired: String? = nil) throws -> Bool {
        if let stamp, IndexFile.stamp(path) != stamp {
            unlink(lock)
            throw Changed()
        }
        let kept = retired.map { link(path, $0) == 0 } ?? false
        guard rename(lock, path) == 0 else {
            let code = errno
            unlink(lock)
            if kept, let retired { unlink(retired) }
            throw writeError("rename", lock, code)
        }
        return kept
    }

    private static func writeError(_ verb: String, _ path: String, _ code: Int32) -> GitError {
        GitError(code: -1, errorClass: 0, message: "cannot \(verb) '\(path)': \(String(cString: strerror(code)))", function: "index write")
    }
}
