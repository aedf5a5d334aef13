#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension Repository {
    /// A path rapport may write: relative, no `.`/`..`/`.git` parts, and no symbolic link on the
    /// way, so a write can never land outside the work tree.
    func validate(_ path: String, in workTree: String) throws {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else {
            throw GitStoreError.unsafePath(path, reason: "not a relative path inside the journal")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts where part.isEmpty || part == "." || part == ".." || part.lowercased() == ".git" {
            throw GitStoreError.unsafePath(path, reason: "not a plain path inside the journal")
        }
        var current = workTree
        for part in parts {
            current += "/" + part
            var info = stat()
            guard lstat(current, &info) == 0 else { break }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw GitStoreError.unsafePath(path, reason: "'\(current)' is a symbolic link")
            }
        }
    }
}
