import CGit2
import Foundation

/// A file whose blob differs between two commits; nil on the side where it does not exist.
public struct ChangedFile: Sendable, Equatable {
    public let path: String
    public let old: ObjectID?
    public let new: ObjectID?
}

extension Repository {
    /// The names directly inside the folder `path` at `commit` (HEAD when nil), sorted, with
    /// whether each is a folder. Reads one tree object, not the files below it.
    public func names(in path: String, at commit: ObjectID? = nil) throws -> [(name: String, isFolder: Bool)] {
        guard let commit = try commit ?? head() else { return [] }
        return try withTree(of: commit) { root in
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, root, path)
            if result == GIT_ENOTFOUND.rawValue { return [] }
            try check(result, "git_tree_entry_bypath")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return [] }
            var oid = ObjectID(git_tree_entry_id(entry)).oid
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup")
            defer { git_tree_free(tree) }
            return (0..<git_tree_entrycount(tree)).compactMap { index in
                guard let child = git_tree_entry_byindex(tree, index) else { return nil }
                return (String(cString: git_tree_entry_name(child)), git_tree_entry_type(child) == GIT_OBJECT_TREE)
            }
        }
    }

    /// The newest commit on `start`'s first-parent line whose commit time is before `instant`;
    /// nil when there is none. Walks back from `start`, so the cost follows the commits made
    /// since `instant`, not the age of the history.
    public func firstParentCommit(before instant: Date, from start: ObjectID) throws -> ObjectID? {
        var current: ObjectID? = start
        let limit = Int64(instant.timeIntervalSince1970.rounded(.up))
        while let id = current {
            var oid = id.oid
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
            defer { git_commit_free(commit) }
            if Int64(git_commit_time(commit)) < limit { return id }
            current = git_commit_parentcount(commit) > 0 ? git_commit_parent_id(commit, 0).map(ObjectID.init) : nil
        }
        return nil
    }

    /// The files below `prefix` whose content differs from `old` (nothing when nil) to `new`,
    /// found by comparing trees: unchanged folders are skipped by their ids.
    public func changedFiles(under prefix: String, from old: ObjectID?, to new: ObjectID) throws -> [ChangedFile] {
        let newTree = try rootTree(of: new)
        defer { git_tree_free(newTree) }
        let oldTree = try old.map { try rootTree(of: $0) }
        defer { if let oldTree { git_tree_free(oldTree) } }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        var diff: OpaquePointer?
        let cleanPrefix = prefix.split(separator: "/").joined(separator: "/")
        try cleanPrefix.withCString { cPrefix in
            var pathspec: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: cPrefix)
            try withUnsafeMutablePointer(to: &pathspec) { strings in
                options.pathspec = git_strarray(strings: strings, count: cleanPrefix.isEmpty ? 0 : 1)
                try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "git_diff_tree_to_tree")
            }
        }
        defer { git_diff_free(diff) }
        var files: [ChangedFile] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let oldFile = delta.old_file
            let newFile = delta.new_file
            let path = String(cString: newFile.path ?? oldFile.path)
            let oldID = oldFile.flags & GIT_DIFF_FLAG_EXISTS.rawValue != 0 ? ObjectID(oldFile.id) : nil
            let newID = newFile.flags & GIT_DIFF_FLAG_EXISTS.rawValue != 0 ? ObjectID(newFile.id) : nil
            files.append(ChangedFile(path: path, old: oldID, new: newID))
        }
        return files
    }
}
