#if canImport(Glibc)
import Glibc
#endif
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
    /// whether each is a folder and its object id. Reads one tree object, not the files below it.
    public func names(in path: String, at commit: ObjectID? = nil) throws -> [(name: String, isFolder: Bool, id: ObjectID)] {
        try names(in: path, at: commit, where: nil)
    }

    /// The same, keeping only the names `keep` accepts; it sees each name's bytes before a string
    /// or id is made for it, which matters for a folder of thousands of files. The bytes come in
    /// one buffer reused from name to name, so looking costs no allocation.
    public func names(in path: String, at commit: ObjectID? = nil, where keep: (([UInt8]) -> Bool)?) throws
        -> [(name: String, isFolder: Bool, id: ObjectID)] {
        guard let commit = try commit ?? head() else { return [] }
        guard let found = try entry(at: path, in: rootTree(of: commit)), found.type == GIT_OBJECT_TREE else { return [] }
        let tree = try tree(found.id)
        var name: [UInt8] = []
        return (0..<git_tree_entrycount(tree.pointer)).compactMap { index in
            guard let child = git_tree_entry_byindex(tree.pointer, index) else { return nil }
            if let keep {
                let cName = git_tree_entry_name(child)!
                name.removeAll(keepingCapacity: true)
                name.append(contentsOf: UnsafeRawBufferPointer(start: cName, count: strlen(cName)))
                guard keep(name) else { return nil }
            }
            return (String(cString: git_tree_entry_name(child)), git_tree_entry_type(child) == GIT_OBJECT_TREE,
                    ObjectID(git_tree_entry_id(child)))
        }
    }

    /// The newest commit on `start`'s first-parent line whose commit time is before `instant`;
    /// nil when there is none. Walks back from `start`, so the cost follows the commits made
    /// since `instant`, not the age of the history.
    public func firstParentCommit(before instant: Date, from start: ObjectID) throws -> ObjectID? {
        var current: ObjectID? = start
        let limit = Int64(instant.timeIntervalSince1970.rounded(.up))
        while let id = current {
            let commit = try lookupCommit(id)
            if Int64(git_commit_time(commit.pointer)) < limit { return id }
            current = git_commit_parentcount(commit.pointer) > 0 ? git_commit_parent_id(commit.pointer, 0).map(ObjectID.init) : nil
        }
        return nil
    }

    /// The files below `prefix` whose content differs from `old` (nothing when nil) to `new`. The
    /// trees are compared level by level and a folder whose id is the same on both sides is never
    /// opened, so the cost follows what changed, not the size of the tree (libgit2's tree diff
    /// walks every entry).
    public func changedFiles(under prefix: String, from old: ObjectID?, to new: ObjectID) throws -> [ChangedFile] {
        let cleanPrefix = prefix.split(separator: "/").joined(separator: "/")
        let newID = try subtreeID(at: cleanPrefix, in: new)
        let oldID = try old.flatMap { try subtreeID(at: cleanPrefix, in: $0) }
        var files: [ChangedFile] = []
        try compare(old: oldID, new: newID, path: cleanPrefix, into: &files)
        return files
    }

    /// The id of the tree at `path` in `commit` (its root tree when `path` is empty); nil when absent.
    private func subtreeID(at path: String, in commit: ObjectID) throws -> ObjectID? {
        let root = try rootTree(of: commit)
        if path.isEmpty { return ObjectID(git_tree_id(root.pointer)) }
        guard let found = try entry(at: path, in: root), found.type == GIT_OBJECT_TREE else { return nil }
        return found.id
    }

    /// (name, id, is a tree) of each entry of a tree; nothing for nil.
    private func treeEntries(_ id: ObjectID?) throws -> [String: (id: ObjectID, isTree: Bool)] {
        guard let id else { return [:] }
        let tree = try tree(id)
        var entries: [String: (id: ObjectID, isTree: Bool)] = [:]
        for index in 0..<git_tree_entrycount(tree.pointer) {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let type = git_tree_entry_type(entry)
            guard type == GIT_OBJECT_TREE || type == GIT_OBJECT_BLOB else { continue }
            entries[String(cString: git_tree_entry_name(entry))] = (ObjectID(git_tree_entry_id(entry)), type == GIT_OBJECT_TREE)
        }
        return entries
    }

    private func compare(old: ObjectID?, new: ObjectID?, path: String, into files: inout [ChangedFile]) throws {
        guard old != new else { return }
        let before = try treeEntries(old)
        let after = try treeEntries(new)
        for name in Set(before.keys).union(after.keys).sorted() {
            let left = before[name]
            let right = after[name]
            guard left?.id != right?.id || left?.isTree != right?.isTree else { continue }
            let child = path.isEmpty ? name : path + "/" + name
            let oldTree = left?.isTree == true ? left?.id : nil
            let newTree = right?.isTree == true ? right?.id : nil
            if oldTree != nil || newTree != nil { try compare(old: oldTree, new: newTree, path: child, into: &files) }
            let oldBlob = left?.isTree == false ? left?.id : nil
            let newBlob = right?.isTree == false ? right?.id : nil
            if oldBlob != nil || newBlob != nil { files.append(ChangedFile(path: child, old: oldBlob, new: newBlob)) }
        }
    }

    /// The files directly inside each of `folders` whose work-tree bytes differ from `commit`'s
    /// (HEAD when nil), or that exist on one side only, sorted. A file whose stat data matches its
    /// index entry, and whose entry names the committed blob, is unchanged without being read (as
    /// `git status` decides); others are hashed as git would store them without filters. The cost
    /// follows the folders, not the size of the repository.
    public func workTreeChanges(in folders: [String], at commit: ObjectID? = nil) throws -> [String] {
        guard let workTree, let commit = try commit ?? head() else { return [] }
        // '0' follows '/': the range holds the folder's paths and nothing else.
        let indexed = indexedStat(pathsIn: folders.map { $0 + "/"..<$0 + "0" })
        var changed: [String] = []
        for folder in folders {
            var committed: [String: ObjectID] = [:]
            for file in try files(under: folder, at: commit) where !file.path.dropFirst(folder.count + 1).contains("/") {
                committed[file.path] = file.blob
            }
            var present = Set<String>()
            // A folder that is a link, or under one, is not listed: its files are not the journal's.
            var prefix = workTree
            let linked = folder.split(separator: "/").contains { part in
                prefix += "/" + part
                return FileStat.of(prefix)?.isSymbolicLink == true
            }
            let names = linked ? [] : (try? FileManager.default.contentsOfDirectory(atPath: workTree + "/" + folder)) ?? []
            for name in names where !name.hasPrefix(".") {
                let path = folder + "/" + name
                guard let info = FileStat.of(workTree + "/" + path), !info.isDirectory else { continue }
                present.insert(path)
                let isFile = info.isRegularFile
                if isFile, let blob = committed[path], let known = indexed?.blob(for: path, stat: info), known.elementsEqual(blob.bytes) {
                    continue
                }
                // A link is a change, and is never read through.
                if isFile, let data = FileManager.default.contents(atPath: workTree + "/" + path),
                   let id = ObjectID.blob(hashing: data), committed[path] == id { continue }
                changed.append(path)
            }
            changed += committed.keys.filter { !present.contains($0) && !($0.split(separator: "/").last?.hasPrefix(".") ?? false) }
        }
        return changed.sorted()
    }
}
