import Glibc
import Foundation

/// Writes that never half-happen: a temporary file beside the target, fsync, rename, fsync of the
/// folder. A crash leaves either the old file or the new one, never a mix.
enum AtomicFile {
    /// Prefix of the temporary files, so `.gitignore` can hide one a crash left behind.
    static let temporaryPrefix = ".rapport-tmp-"

    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try createDirectories(directory)
        // Created exclusively with `mode`, which the kernel narrows by the umask: nothing here
        // reads or sets the process's umask, which another thread's files depend on.
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temporary = directory + "/" + temporaryPrefix + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw ioError(path) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            if let code = writeAll(data, to: fd) { throw ioError(path, code: code) }
            guard fsync(fd) == 0 else { throw ioError(path) }
        }
        guard rename(temporary, path) == 0 else { throw ioError(path) }
        renamed = true
        try syncDirectory(directory)
    }

    /// Writes all of `bytes` to `fd` with Foundation's loop, which retries after EINTR and short
    /// writes; returns the errno of a failed write, nil when everything was written. Journal's own
    /// files call `FileHandle.write(contentsOf:)` directly: one write-all loop for all of rapport.
    static func writeAll(_ bytes: some DataProtocol, to fd: Int32) -> Int32? {
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: bytes)
            return nil
        } catch {
            // Foundation keeps the errno as the underlying POSIX error (a full disk's ENOSPC).
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            return underlying?.domain == NSPOSIXErrorDomain ? Int32(underlying!.code) : EIO
        }
    }

    /// A second name for the file at `path` (a hard link beside it, hidden by `.gitignore`'s
    /// `.rapport-tmp-*`), so it survives being replaced or deleted; nil when there is no file.
    static func keepPrevious(_ path: String) throws -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        for _ in 0..<100 {
            let backup = directory + "/" + temporaryPrefix + "keep-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
            if link(path, backup) == 0 { return backup }
            if errno == EEXIST { continue }
            // A file system without hard links: a copy, which does need space.
            guard let bytes = FileManager.default.contents(atPath: path) else { throw ioError(path) }
            try write(bytes, to: backup)
            return backup
        }
        throw ioError(path)
    }

    /// Whether two names are one file (a spare name not yet replaced by a new version).
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        return lstat(first, &a) == 0 && lstat(second, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Puts the previous version kept under `backup` back at `path`: a rename, or just dropping
    /// the spare name when the file was never replaced (renaming a file onto itself does nothing).
    static func putBack(_ backup: String, at path: String) {
        if sameFile(backup, path) {
            unlink(backup)
        } else {
            _ = rename(backup, path)
        }
    }

    /// Deletes a file and makes the deletion durable.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw ioError(path) }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }

    static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ioError(directory) }
    }

    /// mkdir -p, syncing each parent whose entries changed so the new folders survive a crash.
    static func createDirectories(_ directory: String) throws {
        var missing: [String] = []
        var current = directory
        var info = stat()
        while !current.isEmpty, current != "/", lstat(current, &info) != 0 {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw ioError(folder) }
            try syncDirectory((folder as NSString).deletingLastPathComponent)
        }
    }

    static func ioError(_ path: String, code: Int32 = errno) -> GitStoreError {
        let reason: String
        switch code {
        case ENOSPC: reason = "the disk is full"
        case EDQUOT: reason = "the disk quota is exhausted"
        case EACCES, EPERM: reason = "permission denied"
        case EROFS: reason = "the file system is read-only"
        default: reason = String(cString: strerror(code))
        }
        return .io(path: path, reason: reason)
    }
}
