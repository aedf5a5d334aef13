import Glibc
import Foundation
import JournalModel

/// Reads files under the journal's work tree without ever following a symbolic link, at any
/// level of the path (docs/Trust.md): the work tree is written by whoever can push to the shared
/// remote, and a link there could point at the reader's age identity or any other private file.
/// Each folder on the way is opened with O_NOFOLLOW from the one before it, so no link can be
/// swapped in between a check and the read.
enum NoFollow {
    enum Read {
        case bytes(Data)
        /// Nothing at that path.
        case absent
        /// Something is there that rapport will not read: a symbolic link (the file or a folder on
        /// the way), or not a regular file. The reason is a short phrase.
        case refused(String)
    }

    static func read(_ relative: String, under root: String) -> Read {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            return .refused("\(relative) is not a plain path inside the journal")
        }
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return .absent }
        defer { close(folder) }
        for (index, part) in parts.enumerated() {
            let isFile = index == parts.count - 1
            // O_NONBLOCK: a FIFO placed there must not hang the command; regular files ignore it.
            let flags = isFile ? O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC : O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            let next = openat(folder, part, flags)
            guard next >= 0 else {
                let error = errno
                if error == ENOENT { return .absent }
                let shown = parts[...index].joined(separator: "/")
                var info = stat()
                if fstatat(folder, part, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                    return .refused("\(shown) is a symbolic link")
                }
                return .refused("\(shown) cannot be read (\(String(cString: strerror(error))))")
            }
            guard isFile else {
                close(folder)
                folder = next
                continue
            }
            let handle = FileHandle(fileDescriptor: next, closeOnDealloc: true)
            var info = stat()
            guard fstat(next, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .refused("\(relative) is not a regular file") }
            do {
                return .bytes(try handle.readToEnd() ?? Data())
            } catch {
                return .refused("\(relative) cannot be read")
            }
        }
        return .absent
    }

    /// The bytes, nil when absent or refused.
    static func contents(_ relative: String, under root: String) -> Data? {
        if case .bytes(let data) = read(relative, under: root) { return data }
        return nil
    }
}
