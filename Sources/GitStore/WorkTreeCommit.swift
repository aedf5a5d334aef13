#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// Writes and removes files in the work tree and commits exactly those paths on top of HEAD,
    /// keeping the index in step, so HEAD, index and work tree agree afterwards.
    ///
    /// Order: rollback file -> files (atomic) -> the new index written beside the index; beside
    /// them, blobs, the trees from HEAD's tree plus these paths, and the commit object, made in
    /// memory and then written side by side; then the new index put in place, then the branch
    /// moved with compare-and-swap. On any failure the work-tree files and index entries are put back and
    /// the branch is not moved. Returns nil when the paths already match HEAD (nothing to commit).
    /// Hold `withWriteLock` around it.
    ///
    /// A blob is always the file's bytes: `.gitattributes` comes from whoever can push, and a
    /// `text`/`eol` filter would rewrite an encrypted entry's ciphertext on its way in (docs/Trust.md).
    @discardableResult
    public func commit(
        _ changes: [FileChange], author: Signature, committer: Signature? = nil, message: String
    ) throws -> ObjectID? {
        guard let workTree else { throw GitStoreError.unsafePath(".", reason: "the repository has no work tree") }
        guard git_repository_head_detached(pointer) != 1 else {
            throw GitStoreError.unsafePath(".", reason: "HEAD is detached; check out a branch first (git switch main)")
        }
        for change in changes { try validate(change.path, in: workTree) }

        // Each file's previous version is kept under a second name (a hard link, which needs no
        // space), so putting it back after a failure is a rename, which works on a full disk too.
        // The list is written to a rollback file first: a writer killed half-way is undone by the
        // next one (`recoverInterruptedCommit`), so a write happens completely or not at all.
        var backups: [(path: String, backup: String?)] = []
        defer { for case let (_, backup?) in backups { unlink(backup) } }
        let rollback = gitDirectory + "/" + Repository.rollbackName
        do {
            for change in changes {
                switch change {
                case .write, .remove: backups.append((change.path, try AtomicFile.keepPrevious(workTree + "/" + change.path)))
                case .stage: backups.append((change.path, nil))
                }
            }
            let parent = try head()?.description ?? "none"
            // Each written file is hashed once, for the rollback file and for the commit.
            let written = changes.map(\.writtenBlob)
            let lines = zip(changes.indices, backups).map { index, kept in
                RollbackLine(kind: changes[index].letter, written: written[index]?.description,
                             backup: kept.backup.map { ($0 as NSString).lastPathComponent }, path: changes[index].path).text
            }.joined()
            let work = WorkTreeWrite(changes: changes, workTree: workTree, rollback: rollback,
                                     rollbackText: Data("\(parent)\n\(lines)".utf8))
            let commit: ObjectID?
            if let plan = try directPlan(for: changes, writing: written, workTree: workTree) {
                commit = try commitDirectly(plan, writing: work, author: author, committer: committer ?? author, message: message)
            } else {
                try work.perform()
                commit = try commitPathsThroughLibgit2(changes.map(\.path), workTree: workTree, author: author,
                                                       committer: committer ?? author, message: message)
            }
            // Spare names first: killed in between, the rollback file alone is dropped next time.
            for index in backups.indices {
                if let backup = backups[index].backup { unlink(backup) }
                backups[index].backup = nil
            }
            unlink(rollback)
            // Bounded upkeep, as git's auto-gc: loose objects are packed once there are thousands,
            // and small packs merged once there are fifty. The commit is done; a failure here
            // only leaves them as they were.
            if commit != nil { _ = try? packObjectsIfNeeded() }
            return commit
        } catch {
            for index in backups.indices.reversed() where !changes[index].isStage {
                let path = workTree + "/" + backups[index].path
                if let backup = backups[index].backup {
                    AtomicFile.putBack(backup, at: path)
                    backups[index].backup = nil
                } else {
                    unlink(path)
                }
                try? AtomicFile.syncDirectory((path as NSString).deletingLastPathComponent)
            }
            unlink(rollback)
            throw error
        }
    }

    /// What a commit writes to the work tree, in order: the rollback file, synced, then each file.
    /// Plain file operations only (no libgit2), so it may run on another thread.
    private struct WorkTreeWrite: Sendable {
        let changes: [FileChange]
        let workTree: String
        let rollback: String
        let rollbackText: Data

        func perform() throws {
            try AtomicFile.write(rollbackText, to: rollback)
            for change in changes {
                let fullPath = workTree + "/" + change.path
                switch change {
                case .write(_, let data): try AtomicFile.write(data, to: fullPath)
                case .remove: try AtomicFile.remove(fullPath)
                case .stage: break
                }
            }
        }
    }

    /// A commit that `commitDirectly` can make: each path once, in order, with the blob it will
    /// have (nil when it is removed), known before anything is written.
    private struct DirectPlan {
        struct File {
            let path: String
            /// The bytes and their blob id; nil when the path is removed.
            let content: (bytes: Data, blob: ObjectID)?
            let mode: git_filemode_t
            /// For a staged file, its stat data when it was read; a written one is looked at
            /// once it is written.
            let staged: stat?
        }

        let index: IndexFile
        let stamp: [Int]
        let files: [File]
    }

    /// The plan for committing `changes` with the index file spliced directly, or nil when
    /// libgit2's index must do it: no index of a kind `IndexFile` writes, a conflicted path, a
    /// path named twice, or a staged path that is not a regular file. Either way a file's blob is
    /// its bytes: no `.gitattributes` filter runs (see `commit`).
    private func directPlan(for changes: [FileChange], writing written: [ObjectID?], workTree: String) throws -> DirectPlan? {
        guard Set(changes.map(\.path)).count == changes.count, let (stamp, index) = try loadIndexFile() else { return nil }
        var files: [DirectPlan.File] = []
        for index in changes.indices.sorted(by: { changes[$0].path.utf8.lexicographicallyPrecedes(changes[$1].path.utf8) }) {
            let change = changes[index]
            switch change {
            case .write(let path, let bytes):
                // AtomicFile writes a regular file, never executable.
                guard let blob = written[index] else { return nil }
                files.append(.init(path: path, content: (bytes, blob), mode: GIT_FILEMODE_BLOB, staged: nil))
            case .remove(let path):
                files.append(.init(path: path, content: nil, mode: GIT_FILEMODE_BLOB, staged: nil))
            case .stage(let path):
                var info = stat()
                guard lstat(workTree + "/" + path, &info) == 0 else {
                    files.append(.init(path: path, content: nil, mode: GIT_FILEMODE_BLOB, staged: nil))
                    continue
                }
                // The stat data is taken before the bytes are read: an edit in between leaves the
                // entry older than the file, and git and rapport then read the file again.
                guard (info.st_mode & S_IFMT) == S_IFREG, let bytes = FileManager.default.contents(atPath: workTree + "/" + path),
                      let blob = ObjectID.blob(hashing: bytes) else { return nil }
                files.append(.init(path: path, content: (bytes, blob),
                                   mode: info.st_mode & 0o100 != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB, staged: info))
            }
        }
        guard !index.touchesConflict(files.map { IndexFile.Change(path: Array($0.path.utf8), entry: nil) }) else { return nil }
        return DirectPlan(index: index, stamp: stamp, files: files)
    }

    /// The commit with the index file spliced directly (`IndexFile`): the tree is built from
    /// HEAD's by replacing only the trees on the changed paths, and the index gets exactly the
    /// entries `git add` would give it, stat data included, so `git status` finds nothing to do.
    /// Its cost is a copy of the index file, not a parse of every entry.
    ///
    /// The writes run side by side, each chain in its own order and each synced as before: on a
    /// second thread the work tree (rollback file, then files) and the new index, written beside
    /// the index (`IndexFile.PreparedWrite`); meanwhile this one makes the blobs, trees and commit
    /// object in memory, and libgit2 writes them, up to eight threads at once (`StagedObjects`).
    /// The new index is put in place only once they are on disk (it must never name a blob that
    /// is not), and the branch moves after that. The second thread touches no libgit2 state. A
    /// commit that fails puts back the index it replaced, or drops the new one unused; the caller
    /// puts back the files.
    private func commitDirectly(
        _ plan: DirectPlan, writing work: WorkTreeWrite, author: Signature, committer: Signature, message: String
    ) throws -> ObjectID? {
        let indexPath = gitDirectory + "/index"
        let workTree = work.workTree
        let files = plan.files
        let job = BackgroundJob.start { [plan] in
            try work.perform()
            var changes: [IndexFile.Change] = []
            for file in files {
                guard let content = file.content else {
                    changes.append(IndexFile.Change(path: Array(file.path.utf8), entry: nil))
                    continue
                }
                var info = stat()
                if let staged = file.staged {
                    info = staged
                } else if lstat(workTree + "/" + file.path, &info) != 0 {
                    throw AtomicFile.ioError(workTree + "/" + file.path)
                }
                changes.append(IndexFile.Change(path: Array(file.path.utf8), entry: IndexFile.entry(path: file.path, blob: content.blob, stat: info)))
            }
            return try IndexFile.prepareUpdate(plan.index, readAt: plan.stamp, with: changes, at: indexPath)
        }
        var installing = false
        var written: IndexFile.Written?
        // The replaced index's blocks are freed beside the branch move (`PreparedWrite.install`).
        var retiring: BackgroundJob<Int32>?
        defer { _ = try? retiring?.join() }
        func restore(_ update: IndexFile.Written) {
            // Only if nothing replaced it since.
            if let stamp = update.stamp { try? IndexFile.write(update.replaced, to: indexPath, ifStillAt: stamp) }
        }
        do {
            let staged = try StagedObjects(objectsDirectory: objectsDirectory)
            for file in files {
                guard let content = file.content else { continue }
                var oid = git_oid()
                try content.bytes.withUnsafeBytes { buffer in
                    try check(git_blob_create_from_buffer(&oid, staged.repository, buffer.baseAddress, buffer.count),
                              "git_blob_create_from_buffer")
                }
                guard ObjectID(oid) == content.blob else {
                    throw GitStoreError.io(path: file.path, reason: "libgit2 stored it as \(ObjectID(oid)), not the \(content.blob) its bytes hash to")
                }
            }
            return try commitTree(files.map { ($0.path, $0.content?.blob.oid, $0.mode) }, through: staged,
                                  author: author, committer: committer, message: message,
                                  writeIndex: {
                                      let pending = try job.join()
                                      installing = true
                                      written = try pending.install()
                                      retiring = written?.retired.map { retired in BackgroundJob.start { unlink(retired) } }
                                  },
                                  restoreIndex: { _ in if let written { restore(written) } })
        } catch {
            // The second thread always ends before this returns: it must not write once the
            // caller releases the lock.
            let pending: IndexFile.PendingUpdate
            do {
                pending = try job.join()
            } catch let workTreeError {
                // The work tree could not be written (a full disk, a file where a folder should
                // be): that is the failure to report, whatever it made fail here.
                throw workTreeError
            }
            if !installing { pending.abandon() }
            throw error
        }
    }

    /// HEAD's tree with each path's blob put in (or the path taken out, for a nil blob),
    /// rewriting only the trees on those paths, committed on top of HEAD. The trees and the
    /// commit are made in `staged`, then written with the blobs made there, side by side.
    /// `writeIndex` runs once they are on disk, before the branch moves (and alone when the tree
    /// is unchanged: nil is returned); `restoreIndex` runs if the branch cannot be moved.
    private func commitTree(
        _ blobs: [(path: String, blob: git_oid?, mode: git_filemode_t)], through staged: StagedObjects,
        author: Signature, committer: Signature, message: String,
        writeIndex: () throws -> Void, restoreIndex: (OpaquePointer?) -> Void
    ) throws -> ObjectID? {
        let parent = try head()
        let baseTree = try parent.map { try Repository.rootTree(of: $0, in: staged.repository) }
        defer { git_tree_free(baseTree) }
        var updates: [git_tree_update] = []
        var ownedPaths: [UnsafeMutablePointer<CChar>] = []
        defer { ownedPaths.forEach { free($0) } }
        for file in blobs {
            var update = git_tree_update()
            if let blob = file.blob {
                update.action = GIT_TREE_UPDATE_UPSERT
                update.id = blob
                update.filemode = file.mode
            } else {
                guard let baseTree, try treeHas(baseTree, file.path) else { continue }
                update.action = GIT_TREE_UPDATE_REMOVE
            }
            let cPath = strdup(file.path)!
            ownedPaths.append(cPath)
            update.path = UnsafePointer(cPath)
            updates.append(update)
        }
        var treeOid = git_oid()
        if updates.isEmpty, let baseTree {
            treeOid = git_tree_id(baseTree).pointee
        } else {
            try check(git_tree_create_updated(&treeOid, staged.repository, baseTree, updates.count, &updates),
                      "git_tree_create_updated")
        }
        if let baseTree, git_oid_equal(&treeOid, git_tree_id(baseTree)) == 1 {
            // Every blob is then HEAD's already, so none was made in memory; written anyway, so
            // the index can never name one that is not on disk.
            try staged.write(blobs.compactMap(\.blob))
            try writeIndex()
            return nil
        }
        let commitID = try Repository.createCommitObject(in: staged.repository, tree: treeOid, parents: parent.map { [$0] } ?? [],
                                                         author: author, committer: committer, message: message)
        try staged.write(blobs.compactMap(\.blob) + Repository.treeIDs(onPathsTo: blobs.map(\.path), under: treeOid,
                                                                         in: staged.repository) + [commitID.oid])
        try writeIndex()
        do {
            try moveBranch(to: commitID, from: parent, message: message)
        } catch {
            restoreIndex(baseTree)
            throw error
        }
        return commitID
    }

    /// The index file and the stat data it was read at (`IndexFile.stamp`), read again only when
    /// that changed since the last read; nil when there is none, it is of a kind left to libgit2,
    /// or it was replaced while being read (then nobody can say which version the bytes are).
    func loadIndexFile() throws -> (stamp: [Int], file: IndexFile)? {
        let path = gitDirectory + "/index"
        guard let before = IndexFile.stamp(path) else { return nil }
        if let cached = indexFileCache, cached.stamp == before { return cached }
        guard let loaded = try IndexFile.loadStamped(path) else { return nil }
        indexFileCache = loaded
        return loaded
    }

    /// Whether the index has a path that starts with `prefix` and ends with one of `suffixes`,
    /// compared as bytes straight from the index file (not libgit2's parse of every entry); nil
    /// when there is no readable index.
    public func indexHasPath(startingWith prefix: [UInt8], endingWithAnyOf suffixes: [[UInt8]]) -> Bool? {
        guard let index = try? loadIndexFile()?.file else { return nil }
        return index.hasPath(startingWith: prefix, endingWithAnyOf: suffixes)
    }

    private func commitPathsThroughLibgit2(
        _ paths: [String], workTree: String, author: Signature, committer: Signature, message: String
    ) throws -> ObjectID? {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")
        // A deleted index would otherwise make this commit's index hold only its own paths, and
        // every other file look deleted and untracked: start from HEAD's tree, as `git reset` would.
        if access(gitDirectory + "/index", F_OK) != 0, git_index_entrycount(index) == 0, let parent = try head() {
            let tree = try rootTree(of: parent)
            defer { git_tree_free(tree) }
            try check(git_index_read_tree(index, tree), "git_index_read_tree")
        }

        var blobs: [(path: String, blob: git_oid?, mode: git_filemode_t)] = []
        for path in Set(paths).sorted() {
            var info = stat()
            guard lstat(workTree + "/" + path, &info) == 0 else {
                try check(git_index_remove_bypath(index, path), "git_index_remove_bypath")
                blobs.append((path, nil, GIT_FILEMODE_BLOB))
                continue
            }
            // The bytes as they are, not through the filters `git_index_add_bypath` would run.
            guard (info.st_mode & S_IFMT) == S_IFREG, let bytes = FileManager.default.contents(atPath: workTree + "/" + path) else {
                throw GitStoreError.unsafePath(path, reason: "not a regular file")
            }
            var entry = git_index_entry()
            entry.mode = (info.st_mode & 0o100 != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB).rawValue
            try path.withCString { cPath in
                entry.path = cPath
                try bytes.withUnsafeBytes { buffer in
                    try check(git_index_add_from_buffer(index, &entry, buffer.baseAddress, buffer.count), "git_index_add_from_buffer")
                }
            }
            guard let added = git_index_get_bypath(index, path, 0) else {
                throw GitError(code: GIT_ENOTFOUND.rawValue, errorClass: 0,
                               message: "'\(path)' is not in the index after adding it", function: "git_index_get_bypath")
            }
            blobs.append((path, added.pointee.id, git_filemode_t(added.pointee.mode)))
        }
        return try commitTree(blobs, through: try StagedObjects(objectsDirectory: objectsDirectory),
                              author: author, committer: committer, message: message,
                              writeIndex: { try check(git_index_write(index), "git_index_write") },
                              restoreIndex: { baseTree in _ = restoreIndexEntries(Set(paths).sorted(), index: index!, to: baseTree) })
    }

    private func treeHas(_ tree: OpaquePointer, _ path: String) throws -> Bool {
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree, path)
        if result == GIT_ENOTFOUND.rawValue { return false }
        try check(result, "git_tree_entry_bypath")
        git_tree_entry_free(entry)
        return true
    }

    func createCommitObject(
        tree treeOid: git_oid, parent: ObjectID?, author: Signature, committer: Signature, message: String
    ) throws -> ObjectID {
        try createCommitObject(tree: treeOid, parents: parent.map { [$0] } ?? [], author: author, committer: committer,
                               message: message)
    }

    /// Writes a commit object (no reference moves); two parents make a merge.
    func createCommitObject(
        tree treeOid: git_oid, parents parentIDs: [ObjectID], author: Signature, committer: Signature, message: String
    ) throws -> ObjectID {
        try Repository.createCommitObject(in: pointer, tree: treeOid, parents: parentIDs, author: author, committer: committer,
                                          message: message)
    }

    /// A commit object written through the handle `pointer` (a repository's, or `StagedObjects`').
    static func createCommitObject(
        in pointer: OpaquePointer, tree treeOid: git_oid, parents parentIDs: [ObjectID], author: Signature, committer: Signature,
        message: String
    ) throws -> ObjectID {
        var treeID = treeOid
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &treeID), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var parents: [OpaquePointer?] = []
        defer { for parent in parents { git_commit_free(parent) } }
        for id in parentIDs {
            var oid = id.oid
            var parent: OpaquePointer?
            try check(git_commit_lookup(&parent, pointer, &oid), "git_commit_lookup")
            parents.append(parent)
        }
        let text = message.hasSuffix("\n") ? message : message + "\n"
        var commitOid = git_oid()
        try author.withGitSignature { authorSignature in
            try committer.withGitSignature { committerSignature in
                try check(
                    git_commit_create(&commitOid, pointer, nil, authorSignature, committerSignature, nil, text,
                                      tree, parents.count, &parents),
                    "git_commit_create")
            }
        }
        return ObjectID(commitOid)
    }

    /// The ids of `root` and of the trees under it on the way to each of `paths` (the folders
    /// holding them), as found in the handle `pointer`.
    static func treeIDs(onPathsTo paths: [String], under root: git_oid, in pointer: OpaquePointer) throws -> [git_oid] {
        var rootID = root
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &rootID), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var folders = Set<String>()
        for path in paths {
            var folder = Substring("")
            for part in path.split(separator: "/").dropLast() {
                folder = folder.isEmpty ? part : folder + "/" + part
                folders.insert(String(folder))
            }
        }
        var ids = [root]
        for folder in folders.sorted() {
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, tree, folder)
            if result == GIT_ENOTFOUND.rawValue { continue }  // a folder whose last file was removed
            try check(result, "git_tree_entry_bypath")
            ids.append(git_tree_entry_id(entry).pointee)
            git_tree_entry_free(entry)
        }
        return ids
    }

    /// Moves the checked-out branch from `old` to `new`, failing if another writer moved it first.
    func moveBranch(to new: ObjectID, from old: ObjectID?, message: String) throws {
        var headReference: OpaquePointer?
        try check(git_reference_lookup(&headReference, pointer, "HEAD"), "git_reference_lookup")
        defer { git_reference_free(headReference) }
        guard let target = git_reference_symbolic_target(headReference) else {
            throw GitStoreError.unsafePath(".", reason: "HEAD is detached; check out a branch first (git switch main)")
        }
        let summary = message.split(separator: "\n").first.map(String.init) ?? ""
        var newOid = new.oid
        var created: OpaquePointer?
        let result: Int32
        let function: String
        if let old {
            var oldOid = old.oid
            result = git_reference_create_matching(&created, pointer, target, &newOid, 1, &oldOid,
                                                   "commit: " + summary)
            function = "git_reference_create_matching"
        } else {
            result = git_reference_create(&created, pointer, target, &newOid, 0, "commit (initial): " + summary)
            function = "git_reference_create"
        }
        git_reference_free(created)
        if result == GIT_EMODIFIED.rawValue || result == GIT_EEXISTS.rawValue { throw GitStoreError.headMoved }
        if result == GIT_ELOCKED.rawValue {
            throw GitStoreError.locked(lockPath: gitDirectory + "/" + String(cString: target) + ".lock", byGit: true)
        }
        try check(result, function)
    }

    /// Puts the index entries of `paths` back to what `tree` has, after a commit that did not land.
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
            var index: OpaquePointer?
            try check(git_repository_index(&index, pointer), "git_repository_index")
            defer { git_index_free(index) }
            try check(git_index_read(index, 0), "git_index_read")
            let tree = try head().map(rootTree(of:))
            defer { git_tree_free(tree) }
            // Kept when the index cannot be written, so the next writer tries again.
            guard restoreIndexEntries(entries.map(\.path), index: index!, to: tree) else { return }
        }
        unlink(rollback)
    }

    @discardableResult
    private func restoreIndexEntries(_ paths: [String], index: OpaquePointer, to tree: OpaquePointer?) -> Bool {
        for path in paths {
            var entry: OpaquePointer?
            if let tree, git_tree_entry_bypath(&entry, tree, path) == 0 {
                defer { git_tree_entry_free(entry) }
                var indexEntry = git_index_entry()
                indexEntry.id = git_tree_entry_id(entry).pointee
                indexEntry.mode = git_tree_entry_filemode(entry).rawValue
                path.withCString { cPath in
                    indexEntry.path = cPath
                    _ = git_index_add(index, &indexEntry)
                }
            } else {
                _ = git_index_remove_bypath(index, path)
            }
        }
        return git_index_write(index) == 0
    }

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
