#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// The file listing what a commit in progress changed, for the next writer to undo if it was killed.
    static let rollbackName = "rapport-rollback"

    /// Undoes a commit that a killed writer left half-done (see `commit`): when HEAD is still the
    /// commit it started from, every file it touched gets its previous version back (new files are
    /// removed) and the index entries HEAD's; when the commit landed, only the spare names go.
    /// Called with the write lock held.
    func recoverInterruptedCommit() throws {
        // The second name of an index replaced by a writer killed before it dropped it.
        unlink(gitDirectory + "/index.rapport-old")
        let rollback = gitDirectory + "/" + Repository.rollbackName
        guard let workTree, let data = FileManager.default.contents(atPath: rollback) else { return }
        var lines = data.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        guard !lines.isEmpty else { unlink(rollback); return }
        let parent = lines.removeFirst()
        let entries = lines.compactMap(RollbackLine.init(text:)).filter { (try? validate($0.path, in: workTree)) != nil }
        let landed: Bool
        do {
            landed = try head()?.description ?? "none" != parent
        } catch {
            throw GitStoreError.io(path: rollback, reason: "a write interrupted earlier cannot be checked (\(error.localizedDescription)); if `git status` looks right, delete this file")
        }
        for entry in entries.reversed() {
            let fullPath = workTree + "/" + entry.path
            let folder = (fullPath as NSString).deletingLastPathComponent
            // Only a spare name rapport made beside the file, never an arbitrary path.
            let backup = entry.backup.flatMap { name in
                name.hasPrefix(AtomicFile.temporaryPrefix) && !name.contains("/") ? folder + "/" + name : nil
            }
            guard !landed, entry.kind != "s" else {
                if let backup { unlink(backup) }
                continue
            }
            // Undo only what is still the killed writer's doing: a file someone changed since is theirs.
            let current = FileManager.default.contents(atPath: fullPath)
            switch entry.kind {
            case "w":
                if let backup, access(backup, F_OK) == 0 {
                    if current == nil || entry.written == nil || ObjectID.blob(hashing: current!)?.description == entry.written || AtomicFile.sameFile(backup, fullPath) {
                        AtomicFile.putBack(backup, at: fullPath)
                    } else {
                        unlink(backup)
                    }
                } else if entry.backup == nil, let current, ObjectID.blob(hashing: current)?.description == entry.written {
                    unlink(fullPath)  // a file the killed writer created, unchanged since
                }
            default:  // "r"
                if let backup, access(backup, F_OK) == 0 {
                    if current == nil || AtomicFile.sameFile(backup, fullPath) { AtomicFile.putBack(backup, at: fullPath) } else { unlink(backup) }
                }
            }
            try? AtomicFile.syncDirectory(folder)
        }
        if !landed {
            let index = try repositoryIndex()
            let tree = try head().map(rootTree(of:))
            // Kept when the index cannot be written, so the next writer tries again.
            guard restoreIndexEntries(entries.map(\.path), index: index, to: tree) else { return }
        }
        unlink(rollback)
    }

    /// Puts the index entries of `paths` back to what `tree` has (removed where it has none), after
    /// a commit that did not land; returns whether the index could be written.
    @discardableResult
    func restoreIndexEntries(_ paths: [String], index: Managed<GitIndex>, to tree: Managed<GitTree>?) -> Bool {
        for path in paths {
            if let tree, let found = try? Repository.entry(at: path, in: tree) {
                var indexEntry = git_index_entry()
                indexEntry.id = found.id.oid
                indexEntry.mode = found.mode
                path.withCString { cPath in
                    indexEntry.path = cPath
                    _ = git_index_add(index.pointer, &indexEntry)
                }
            } else {
                _ = git_index_remove_bypath(index.pointer, path)
            }
        }
        return git_index_write(index.pointer) == 0
    }
}

/// One file in `.git/rapport-rollback`: what the write did (w, r, s), the blob id of the bytes it
/// wrote, the spare name of the previous version beside the file, and the path, percent-encoded
/// so a tab or a line break in a name cannot break the line.
struct RollbackLine {
    let kind: String
    let written: String?
    let backup: String?
    let path: String

    init(kind: String, written: String?, backup: String?, path: String) {
        self.kind = kind
        self.written = written
        self.backup = backup
        self.path = path
    }

    init?(text: String) {
        let parts = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let path = parts[3].removingPercentEncoding, let backup = parts[2].removingPercentEncoding else { return nil }
        kind = parts[0]
        written = parts[1] == "-" ? nil : parts[1]
        self.backup = backup == "-" ? nil : backup
        self.path = path
    }

    var text: String {
        "\(kind)\t\(written ?? "-")\t\(RollbackLine.encode(backup ?? "-"))\t\(RollbackLine.encode(path))\n"
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "%\t\r\n")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
