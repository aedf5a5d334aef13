#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What git's index records of a work-tree file besides its blob: the stat data that tells,
/// without reading the file, whether it changed since the entry was written.
public struct FileStat: Sendable, Equatable {
    public var changed: Timestamp
    public var modified: Timestamp
    public var device: UInt64
    public var inode: UInt64
    /// The file type and permission bits (`st_mode`).
    public var mode: UInt32
    public var user: UInt32
    public var group: UInt32
    public var size: Int64

    /// A file time as the file system keeps it: seconds since 1970 and nanoseconds.
    public struct Timestamp: Sendable, Equatable {
        public var seconds: Int64
        public var nanoseconds: Int64

        public init(seconds: Int64, nanoseconds: Int64) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }
    }

    public init(changed: Timestamp, modified: Timestamp, device: UInt64, inode: UInt64, mode: UInt32, user: UInt32,
                group: UInt32, size: Int64) {
        self.changed = changed
        self.modified = modified
        self.device = device
        self.inode = inode
        self.mode = mode
        self.user = user
        self.group = group
        self.size = size
    }

    /// The stat data of `path` itself (a symbolic link is not followed); nil when it cannot be read.
    public static func of(_ path: String) -> FileStat? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileStat(info)
    }

    init(_ info: stat) {
        #if canImport(Darwin)
        let (changed, modified) = (info.st_ctimespec, info.st_mtimespec)
        #else
        let (changed, modified) = (info.st_ctim, info.st_mtim)
        #endif
        self.init(changed: Timestamp(seconds: Int64(changed.tv_sec), nanoseconds: Int64(changed.tv_nsec)),
                  modified: Timestamp(seconds: Int64(modified.tv_sec), nanoseconds: Int64(modified.tv_nsec)),
                  device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
                  mode: UInt32(truncatingIfNeeded: info.st_mode), user: UInt32(truncatingIfNeeded: info.st_uid),
                  group: UInt32(truncatingIfNeeded: info.st_gid), size: Int64(info.st_size))
    }

    public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    public var isSymbolicLink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
    public var isExecutable: Bool { mode & 0o100 != 0 }
}
