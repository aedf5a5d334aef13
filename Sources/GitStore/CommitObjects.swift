#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// HEAD's tree with each path's blob put in (or the path taken out, for a nil blob),
    /// rewriting only the trees on those paths, committed on top of HEAD. The trees and the
    /// commit are made in `staged`, then written with the blobs made there, side by side.
    /// `writeIndex` runs once they are on disk, before the branch moves (and alone when the tree
    /// is unchanged: nil is returned); `restoreIndex` runs if the branch cannot be moved.
    func commitTree(
        _ blobs: [(path: String, blob: git_oid?, mode: git_filemode_t)], through staged: StagedObjects,
        author: Signature, committer: Signature, message: String,
        writeIndex: () throws -> Void, restoreIndex: (Managed<GitTree>?) -> Void
    ) throws -> ObjectID? {
        let parent = try head()
        let baseTree = try parent.map { try Repository.rootTree(of: $0, in: staged.repository) }
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
                guard let baseTree, try Repository.entry(at: file.path, in: baseTree) != nil else { continue }
                update.action = GIT_TREE_UPDATE_REMOVE
            }
            let cPath = strdup(file.path)!
            ownedPaths.append(cPath)
            update.path = UnsafePointer(cPath)
            updates.append(update)
        }
        var treeOid = git_oid()
        if updates.isEmpty, let baseTree {
            treeOid = git_tree_id(baseTree.pointer).pointee
        } else {
            try check(git_tree_create_updated(&treeOid, staged.repository.pointer, baseTree?.pointer, updates.count, &updates),
                      "git_tree_create_updated")
        }
        if let baseTree, git_oid_equal(&treeOid, git_tree_id(baseTree.pointer)) == 1 {
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
        try Repository.createCommitObject(in: handle, tree: treeOid, parents: parentIDs, author: author, committer: committer,
                                          message: message)
    }

    /// A commit object written through `repository` (this one's, or `StagedObjects`').
    static func createCommitObject(
        in repository: Managed<GitRepository>, tree treeOid: git_oid, parents parentIDs: [ObjectID], author: Signature,
        committer: Signature, message: String
    ) throws -> ObjectID {
        let tree = try Repository.tree(ObjectID(treeOid), in: repository)
        let parents = try parentIDs.map { try Repository.lookupCommit($0, in: repository) }
        var parentPointers: [OpaquePointer?] = parents.map(\.pointer)
        let text = message.hasSuffix("\n") ? message : message + "\n"
        var commitOid = git_oid()
        _ = try withExtendedLifetime(parents) {
            try author.withGitSignature { authorSignature in
                try committer.withGitSignature { committerSignature in
                    try check(
                        git_commit_create(&commitOid, repository.pointer, nil, authorSignature, committerSignature, nil, text,
                                          tree.pointer, parentPointers.count, &parentPointers),
                        "git_commit_create")
                }
            }
        }
        return ObjectID(commitOid)
    }

    /// The ids of `root` and of the trees under it on the way to each of `paths` (the folders
    /// holding them), as found in the handle `pointer`.
    static func treeIDs(onPathsTo paths: [String], under root: git_oid, in repository: Managed<GitRepository>) throws -> [git_oid] {
        let tree = try Repository.tree(ObjectID(root), in: repository)
        var folders = Set<String>()
        for path in paths {
            var folder = Substring("")
            for part in path.split(separator: "/").dropLast() {
                folder = folder.isEmpty ? part : folder + "/" + part
                folders.insert(String(folder))
            }
        }
        var ids = [root]
        // A folder whose last file was removed is not found, and has no id.
        for folder in folders.sorted() {
            if let found = try Repository.entry(at: folder, in: tree) { ids.append(found.id.oid) }
        }
        return ids
    }

    /// Moves the checked-out branch from `old` to `new`, failing if another writer moved it first.
    func moveBranch(to new: ObjectID, from old: ObjectID?, message: String) throws {
        let headReference = try Managed<GitReference>("git_reference_lookup") { git_reference_lookup(&$0, pointer, "HEAD") }
        guard let target = git_reference_symbolic_target(headReference.pointer) else {
            throw GitStoreError.unsafePath(".", reason: "HEAD is detached; check out a branch first (git switch main)")
        }
        let summary = message.split(separator: "\n").first.map(String.init) ?? ""
        var newOid = new.oid
        do {
            if let old {
                var oldOid = old.oid
                _ = try Managed<GitReference>("git_reference_create_matching") {
                    git_reference_create_matching(&$0, pointer, target, &newOid, 1, &oldOid, "commit: " + summary)
                }
            } else {
                _ = try Managed<GitReference>("git_reference_create") {
                    git_reference_create(&$0, pointer, target, &newOid, 0, "commit (initial): " + summary)
                }
            }
        } catch let error as GitError where error.code == GIT_EMODIFIED.rawValue || error.code == GIT_EEXISTS.rawValue {
            throw GitStoreError.headMoved
        } catch let error as GitError where error.code == GIT_ELOCKED.rawValue {
            throw GitStoreError.locked(lockPath: gitDirectory + "/" + String(cString: target) + ".lock", byGit: true)
        }
    }
}
