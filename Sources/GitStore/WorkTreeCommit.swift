#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// Writes and removes files in the work tree and commits exactly those paths on top of HEAD,
    /// keeping the index in step, so HEAD, index and work tree agree afterwards.
    ///
    /// Order: rollback file -> files (atomic) -> what the index update needs from them; beside
    /// them, blobs, the trees from HEAD's tree plus these paths, and the commit object, made in
    /// memory and then written side by side; then the index brought in step (`IndexUpdate`), then
    /// the branch moved with compare-and-swap. On any failure the work-tree files and index
    /// entries are put back and the branch is not moved. Returns nil when the paths already match
    /// HEAD (nothing to commit). Hold `withWriteLock` around it.
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
            let entries = try plan(changes, writing: written, workTree: workTree)
            let commit = try commit(entries, writing: work, author: author, committer: committer ?? author, message: message)
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

    /// Each path of `changes` once, in git's order, with the blob it will have (nil when it is
    /// removed), known before anything is written. A path named twice ends as the work tree will
    /// have it: the last write or removal wins, and a stage after one of them commits its result.
    /// A blob is the file's bytes, never filtered (see `commit`).
    private func plan(_ changes: [FileChange], writing written: [ObjectID?], workTree: String) throws -> [IndexUpdate.Entry] {
        var last: [String: Int] = [:]
        for index in changes.indices {
            if case .stage = changes[index], last[changes[index].path] != nil { continue }
            last[changes[index].path] = index
        }
        return try last.values.sorted(by: { changes[$0].path.utf8.lexicographicallyPrecedes(changes[$1].path.utf8) }).map { index in
            switch changes[index] {
            case .write(let path, let bytes):
                // AtomicFile writes a regular file, never executable.
                guard let blob = written[index] else { throw GitStoreError.io(path: path, reason: "its bytes could not be hashed") }
                return .init(path: path, content: (bytes, blob), mode: GIT_FILEMODE_BLOB, stat: nil)
            case .remove(let path):
                return .init(path: path, content: nil, mode: GIT_FILEMODE_BLOB, stat: nil)
            case .stage(let path):
                guard let info = FileStat.of(workTree + "/" + path) else {
                    return .init(path: path, content: nil, mode: GIT_FILEMODE_BLOB, stat: nil)
                }
                // The stat data is taken before the bytes are read: an edit in between leaves the
                // entry older than the file, and git and rapport then read the file again.
                guard info.isRegularFile, let bytes = FileManager.default.contents(atPath: workTree + "/" + path) else {
                    throw GitStoreError.unsafePath(path, reason: "not a regular file")
                }
                guard let blob = ObjectID.blob(hashing: bytes) else { throw GitStoreError.io(path: path, reason: "its bytes could not be hashed") }
                return .init(path: path, content: (bytes, blob), mode: info.isExecutable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB,
                             stat: info)
            }
        }
    }

    /// The commit of `entries`: the tree is built from HEAD's by replacing only the trees on the
    /// changed paths, and the index gets exactly the entries `git add` would give it, stat data
    /// included, so `git status` finds nothing to do (`IndexUpdate`).
    ///
    /// The writes run side by side, each chain in its own order and each synced: on a second
    /// thread the work tree (rollback file, then files), then what the index update needs from
    /// it (`IndexUpdate.prepare`); meanwhile this one makes the blobs, trees and commit object in
    /// memory, and libgit2 writes them, up to eight threads at once (`StagedObjects`). The index
    /// is updated only once they are on disk (it must never name a blob that is not), and the
    /// branch moves after that. The second thread touches no libgit2 state. A commit that fails
    /// puts back the index entries it changed, or drops the new index unused; the caller puts
    /// back the files.
    private func commit(
        _ entries: [IndexUpdate.Entry], writing work: WorkTreeWrite, author: Signature, committer: Signature, message: String
    ) throws -> ObjectID? {
        let index = try IndexUpdate(for: entries.map(\.path), in: self, workTree: work.workTree)
        let prepare = index.preparation
        let job = BackgroundJob.start {
            try work.perform()
            return try prepare(entries)
        }
        do {
            let staged = try StagedObjects(objectsDirectory: objectsDirectory)
            for entry in entries {
                guard let content = entry.content else { continue }
                var oid = git_oid()
                try content.bytes.withUnsafeBytes { buffer in
                    _ = try check(git_blob_create_from_buffer(&oid, staged.repository.pointer, buffer.baseAddress, buffer.count),
                                  "git_blob_create_from_buffer")
                }
                guard ObjectID(oid) == content.blob else {
                    throw GitStoreError.io(path: entry.path, reason: "libgit2 stored it as \(ObjectID(oid)), not the \(content.blob) its bytes hash to")
                }
            }
            return try commitTree(entries.map { ($0.path, $0.content?.blob.oid, $0.mode) }, through: staged,
                                  author: author, committer: committer, message: message,
                                  writeIndex: { try index.install(try job.join(), for: entries) },
                                  restoreIndex: { baseTree in index.restore(to: baseTree, paths: entries.map(\.path), in: self) })
        } catch {
            // The second thread always ends before this returns: it must not write once the
            // caller releases the lock.
            let prepared: IndexUpdate.Prepared
            do {
                prepared = try job.join()
            } catch let workTreeError {
                // The work tree could not be written (a full disk, a file where a folder should
                // be): that is the failure to report, whatever it made fail here.
                throw workTreeError
            }
            index.abandon(prepared)
            throw error
        }
    }
}
