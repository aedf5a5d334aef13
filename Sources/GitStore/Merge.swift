import CGit2
import Foundation

/// A file both sides changed: one side stays at `path`, the other is kept at `copy`.
public struct MergeConflict: Sendable, Equatable {
    public let path: String
    public let copy: String
}

public struct MergeOutcome: Sendable, Equatable {
    public let commit: ObjectID
    public let conflicts: [MergeConflict]
}

extension Repository {
    /// The best common ancestor of two commits; nil for unrelated histories.
    public func mergeBase(_ lhs: ObjectID, _ rhs: ObjectID) throws -> ObjectID? {
        var left = lhs.oid
        var right = rhs.oid
        var base = git_oid()
        let result = git_merge_base(&base, pointer, &left, &right)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_merge_base")
        return ObjectID(base)
    }

    /// Whether `ancestor` is `descendant` or reachable from it.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var child = descendant.oid
        var parent = ancestor.oid
        let result = git_graph_descendant_of(pointer, &child, &parent)
        if result < 0 { try check(result, "git_graph_descendant_of") }
        return result == 1
    }

    /// Moves the checked-out branch forward to `target`, updating work tree and index first. The
    /// work tree must be clean (rapport commits stray edits before it fetches).
    public func fastForward(to target: ObjectID, message: String) throws {
        try checkoutAndMove(to: target, from: try head(), message: message)
    }

    /// Merges `theirs` into HEAD with a real merge commit. When both sides changed the same file,
    /// ours stays at its path and theirs is written beside it as `<name>.conflict-<short id>.md`
    /// (or the other side wins where ours deleted it), so nothing is lost and no file holds
    /// conflict markers. That holds even where libgit2 could combine the two versions: a text
    /// merge, or a `merge=` driver that a pushed `.gitattributes` names, would splice two notes
    /// (or two ciphertexts) into a file no one wrote. Work tree and index are updated before the
    /// branch moves.
    public func merge(_ theirs: ObjectID, author: Signature, message: String) throws -> MergeOutcome {
        guard let ours = try head() else { throw GitStoreError.unsafePath(".", reason: "nothing to merge into: the branch has no commit") }
        let base = try mergeBase(ours, theirs)
        let ourTree = try rootTree(of: ours)
        let theirTree = try rootTree(of: theirs)
        let baseTree = try base.map { try rootTree(of: $0) }

        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
        // No rename detection: journal paths are unique by design, and two similar entries must
        // never be taken for one renamed file (one side's edits would land in the other entry).
        options.flags = 0
        let index = try Managed<GitIndex>("git_merge_trees") {
            git_merge_trees(&$0, pointer, baseTree?.pointer, ourTree.pointer, theirTree.pointer, &options)
        }

        let shortID = String(theirs.description.prefix(7))
        var conflicts: [MergeConflict] = []
        var both = try conflictEntries(index)
        let conflicted = Set(both.map(\.path))
        let changedByThem = try changedPaths(from: baseTree, to: theirTree)
        for path in try changedPaths(from: baseTree, to: ourTree) where changedByThem.contains(path) && !conflicted.contains(path) {
            let ours = try side(at: path, in: ourTree), other = try side(at: path, in: theirTree)
            guard let ours, let other, ours.id != other.id else { continue }
            both.append(Conflict(path: path, ours: ours, theirs: other))
        }
        for conflict in both {
            if conflicted.contains(conflict.path) {
                try check(git_index_conflict_remove(index.pointer, conflict.path), "git_index_conflict_remove")
            }
            let keep = conflict.ours ?? conflict.theirs
            if let keep { try add(keep, at: conflict.path, to: index) }
            // Ours deleted it and theirs changed it: theirs is kept at the path, nothing beside it.
            guard let other = conflict.theirs, conflict.ours != nil, other.id != conflict.ours?.id else { continue }
            var copy = Repository.conflictName(conflict.path, shortID: shortID)
            var suffix = 2
            while git_index_get_bypath(index.pointer, copy, 0) != nil || existsInWorkTree(copy) {
                copy = Repository.conflictName(conflict.path, shortID: "\(shortID)-\(suffix)")
                suffix += 1
            }
            try add(other, at: copy, to: index)
            conflicts.append(MergeConflict(path: conflict.path, copy: copy))
        }
        var treeOid = git_oid()
        try check(git_index_write_tree_to(&treeOid, index.pointer, pointer), "git_index_write_tree_to")
        let commit = try createCommitObject(tree: treeOid, parents: [ours, theirs], author: author, committer: author,
                                            message: message)
        try checkoutAndMove(to: commit, from: ours, message: message)
        return MergeOutcome(commit: commit, conflicts: conflicts)
    }

    /// The paths whose blob differs between two trees (nil: the empty tree), renames not looked for.
    private func changedPaths(from old: Managed<GitTree>?, to new: Managed<GitTree>) throws -> Set<String> {
        let diff = try Managed<GitDiff>("git_diff_tree_to_tree") { git_diff_tree_to_tree(&$0, pointer, old?.pointer, new.pointer, nil) }
        var paths = Set<String>()
        for index in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, index)?.pointee,
                  let path = delta.new_file.path ?? delta.old_file.path else { continue }
            paths.insert(String(cString: path))
        }
        return paths
    }

    /// A file's blob and mode in `tree`, nil when it has none there.
    private func side(at path: String, in tree: Managed<GitTree>) throws -> Side? {
        guard let found = try entry(at: path, in: tree), found.type == GIT_OBJECT_BLOB else { return nil }
        return Side(id: found.id, mode: found.mode)
    }

    private func existsInWorkTree(_ path: String) -> Bool {
        guard let workTree else { return false }
        var info = stat()
        return lstat(workTree + "/" + path, &info) == 0
    }

    /// `people/alice.md` -> `people/alice.conflict-1a2b3c4.md`; `x.md.age` -> `x.conflict-1a2b3c4.md.age`.
    static func conflictName(_ path: String, shortID: String) -> String {
        for suffix in [".md.age", ".md"] where path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count)) + ".conflict-" + shortID + suffix
        }
        return path + ".conflict-" + shortID
    }

    private struct Side { let id: ObjectID; let mode: UInt32 }
    private struct Conflict { let path: String; let ours: Side?; let theirs: Side? }

    private func conflictEntries(_ index: Managed<GitIndex>) throws -> [Conflict] {
        let iterator = try Managed<GitIndexConflictIterator>("git_index_conflict_iterator_new") {
            git_index_conflict_iterator_new(&$0, index.pointer)
        }
        var conflicts: [Conflict] = []
        while true {
            var ancestor: UnsafePointer<git_index_entry>?
            var ours: UnsafePointer<git_index_entry>?
            var theirs: UnsafePointer<git_index_entry>?
            let result = git_index_conflict_next(&ancestor, &ours, &theirs, iterator.pointer)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_index_conflict_next")
            guard let any = ours ?? theirs ?? ancestor, let cPath = any.pointee.path else { continue }
            conflicts.append(Conflict(
                path: String(cString: cPath),
                ours: ours.map { Side(id: ObjectID($0.pointee.id), mode: $0.pointee.mode) },
                theirs: theirs.map { Side(id: ObjectID($0.pointee.id), mode: $0.pointee.mode) }))
        }
        return conflicts
    }

    private func add(_ side: Side, at path: String, to index: Managed<GitIndex>) throws {
        var entry = git_index_entry()
        entry.mode = side.mode
        entry.id = side.id.oid
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index.pointer, &entry), "git_index_add")
        }
    }

    /// Makes work tree and index match `commit`, never overwriting a change or an ignored file.
    /// `baseline` is what the work tree is assumed to hold (HEAD's tree by default); a rollback
    /// passes the tree it was moving to, so only the files that checkout wrote are put back.
    func checkout(_ commit: ObjectID, baseline: ObjectID? = nil) throws {
        var oid = commit.oid
        let object = try Managed<GitObject>("git_object_lookup") { git_object_lookup(&$0, pointer, &oid, GIT_OBJECT_COMMIT) }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED.rawValue
        // Files get their blobs' bytes: a pulled `.gitattributes` must not rewrite ciphertext.
        options.disable_filters = 1
        let baselineTree = try baseline.map { try rootTree(of: $0) }
        options.baseline = baselineTree?.pointer
        _ = try withExtendedLifetime(baselineTree) {
            try check(git_checkout_tree(pointer, object.pointer, &options), "git_checkout_tree")
        }
    }

    /// Checks out `target` and moves the branch from `current` to it. If either step fails, the
    /// files that checkout wrote are put back (SAFE, against `target` as baseline), so a file
    /// edited meanwhile is never overwritten; if the branch was moved by someone else, the work
    /// tree is left as it is for `git status` to show.
    private func checkoutAndMove(to target: ObjectID, from current: ObjectID?, message: String) throws {
        do {
            try checkout(target)
        } catch {
            if let current { try? checkout(current, baseline: target) }
            throw error
        }
        do {
            try moveBranch(to: target, from: current, message: message)
        } catch GitStoreError.headMoved {
            throw GitStoreError.headMoved
        } catch {
            if let current { try? checkout(current, baseline: target) }
            throw error
        }
    }

    /// Clones `branch` of `url` into `path` (which must not exist or be empty): a new repository
    /// with the remote `origin`, one fetch, and `branch` checked out. Done by hand rather than with
    /// `git_clone`, which follows the remote's HEAD (a bare repository made by `git init` points at
    /// an unborn master) and fails on it.
    public static func clone(_ url: String, to path: String, branch: String,
                             options: TransferOptions = TransferOptions()) throws -> Repository {
        let repository = try Repository.create(at: path, initialBranch: branch)
        try repository.addRemote(name: "origin", url: url)
        guard let tip = try repository.fetch(remote: "origin", branch: branch, options: options) else {
            throw RemoteError.noBranch(branch)
        }
        try repository.fastForward(to: tip, message: "clone: from \(url)")
        return repository
    }
}
