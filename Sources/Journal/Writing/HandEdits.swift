import Glibc
import Foundation
import GitStore
import JournalModel

extension Journal {
    /// `commitHandEdits` for a caller that already holds the write lock (sync, right before it fetches).
    func commitHandEditsHoldingLock(signature: Signature, force: Bool = false) throws -> HandEdits {
        var paths: [String] = []
        var skipped: [(String, String)] = []
        for change in try repository.status() {
            var info = stat()
            let exists = lstat(root + "/" + change.path, &info) == 0
            if !Journal.journalFolders.contains(where: change.path.hasPrefix) {
                skipped.append((change.path, "outside the journal's folders (people/, entries/, digests/, .rapport/); rapport leaves it to you and git"))
            } else if change.path.hasSuffix("/") {
                skipped.append((change.path, "a nested git repository"))
            } else if exists, (info.st_mode & S_IFMT) == S_IFLNK {
                skipped.append((change.path, "a symbolic link; rapport never commits links"))
            } else if exists, change.path.hasPrefix("entries/"), !change.path.hasSuffix(".md"), !change.path.hasSuffix(".md.age") {
                // An editor's swap or backup file of a private entry holds its plain text.
                skipped.append((change.path, "not an entry file (.md or .md.age); editor swap and backup files are never committed"))
            } else {
                paths.append(change.path)
            }
        }
        if !force {
            let problems = paths.compactMap(problem(in:))
            if !problems.isEmpty {
                throw JournalError(.handEditProblems(problems))
            }
        }
        guard !paths.isEmpty else { return HandEdits(committed: [], skipped: skipped) }
        try refuseDuplicateIDs(among: paths)
        // A hand-written private entry (or any entry, with `encrypt: all`) is encrypted before it is
        // committed: its plain text never becomes a git object.
        var changes: [FileChange] = []
        var encrypted: [(String, String)] = []
        for path in paths {
            if let encrypting = try encryptingHandEdit(path) {
                if let other = encrypted.first(where: { $0.1 == encrypting[0].path }) {
                    throw JournalError(.sameIDAndDate(first: other.0, second: path))
                }
                changes += encrypting
                encrypted.append((path, encrypting[0].path))
            } else {
                changes.append(.stage(path))
            }
        }
        try refuseSecretKeys(in: changes)
        let message = "Commit hand edits (\(paths.count) file\(paths.count == 1 ? "" : "s"))"
        let commit = try repository.commit(changes, author: signature, message: message)
        guard commit != nil else { return HandEdits(committed: [], skipped: skipped) }
        let sources = Set(encrypted.map(\.0))
        return HandEdits(committed: changes.map(\.path).filter { !sources.contains($0) }, skipped: skipped, encrypted: encrypted)
    }

    /// A hand-written entry file (a copy, a file from elsewhere) whose id another entry file
    /// already has is refused, even with `--force`: an id names one entry in `show`, `done` and
    /// references. Ids are read from file names, which `problem(in:)` has matched to the front matter.
    func refuseDuplicateIDs(among paths: [String]) throws {
        func id(_ path: String) -> EntryID? {
            ConflictCopy.isCopy(path) ? nil : Entry.id(fromFileName: String(path.split(separator: "/").last ?? ""))
        }
        let written = paths.filter { $0.hasPrefix("entries/") && access(root + "/" + $0, F_OK) == 0 }.compactMap { path in id(path).map { (path, $0) } }
        guard !written.isEmpty else { return }
        var pathsByID: [EntryID: [String]] = [:]
        for path in DirectoryWalk.regularFiles(in: root, under: "entries") {
            if let found = id(path) { pathsByID[found, default: []].append(path) }
        }
        for (_, found) in written {
            if let all = pathsByID[found], all.count > 1 { throw JournalError(.idUsedTwice(id: found.value, paths: all.sorted())) }
        }
    }

    /// No commit carries an age secret key in the clear, whatever put it in a file: a link, a
    /// template, a paste. Not even `commit --force` (docs/Trust.md).
    func refuseSecretKeys(in changes: [FileChange]) throws {
        for change in changes {
            let bytes: Data
            switch change {
            case .write(_, let data): bytes = data
            case .remove: continue
            case .stage(let path):
                switch NoFollow.read(path, under: root) {
                case .bytes(let data): bytes = data
                case .absent: continue  // a deletion
                case .refused(let reason): throw JournalError.data("\(reason); rapport commits nothing it cannot read without following a link.")
                }
            }
            // Every file, .age ones too: a name says nothing of its contents, and 16 bytes of real
            // ciphertext never spell the marker.
            if SecretKey.appears(in: bytes) {
                throw JournalError.data("\(change.path) holds an age secret key (AGE-SECRET-KEY-1...), so it is not committed: a sync would share it. Take the key out of the file (keep identities outside the journal), then try again. Nothing was committed.")
            }
        }
    }

    /// The first problem of one journal file, nil when it is fine or not a journal file.
    func problem(in path: String) -> FileProblem? {
        // A conflict copy is the other side's version, kept as it was; `check` reports it.
        guard !ConflictCopy.isCopy(path), let data = contents(of: path) else { return nil }
        do {
            if path.hasPrefix("people/"), path.hasSuffix(".md") {
                _ = try Person(data: data, path: path)
            } else if path.hasPrefix("entries/"), path.hasSuffix(".md") {
                let entry = try Entry(data: data, path: path, zone: timeZone)
                // A plain file the commit is about to encrypt is named by its plain path until then.
                return entry.path == entry.expectedPath(encrypted: false) ? nil : entry.fileNameProblem
            } else if path.hasPrefix("entries/"), path.hasSuffix(".md.age") {
                do {
                    return try Entry(data: try markdown(of: data, path: path), path: path, zone: timeZone).fileNameProblem
                } catch where error.isLocked {
                    return nil
                }
            } else if path == JournalConfig.path {
                _ = try JournalConfig.parse(data)
            }
        } catch {
            return error
        }
        return nil
    }
}
