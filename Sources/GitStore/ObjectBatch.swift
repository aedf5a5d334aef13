import CGit2
import Foundation

/// The objects of one commit (its blobs, the trees on their paths, the commit), kept in memory
/// and written to disk as one pack, with its index, before anything points at them.
///
/// Written loose, the six objects of a recording were six files, each synced with its folder:
/// twelve of a recording's two dozen fsyncs, on the longer of its two chains (`commitDirectly`).
/// As one pack they are two files and a folder. The packs this leaves are merged once there are
/// many (`packObjectsIfNeeded`), as git's auto-gc does past `gc.autoPackLimit`.
///
/// While a batch is open, the repository handle reads and writes through an object database of
/// its own (the disk's objects, and the in-memory store in front); `end` puts the handle's own
/// back. Objects reach disk only through `writePack`, so a commit that fails before it leaves
/// none behind. One trace may stay: libgit2 caches objects it read per repository handle, so
/// after a failed batch the handle's cache may still hold one that never reached disk. Writes
/// look at the disk, not the cache, so no later commit can lose it; a caller that must know
/// what is on disk after a failed commit opens a new handle.
final class ObjectBatch {
    private let repository: Repository
    private let original: OpaquePointer
    private let batch: OpaquePointer
    private let store: UnsafeMutablePointer<git_odb_backend>
    private var ended = false

    init(_ repository: Repository) throws {
        self.repository = repository
        var original: OpaquePointer?
        try check(git_repository_odb(&original, repository.pointer), "git_repository_odb")
        var batch: OpaquePointer?
        let opened = git_odb_open(&batch, repository.objectsDirectory)
        guard opened == 0, let batch else {
            git_odb_free(original)
            throw GitError.last(code: opened, function: "git_odb_open")
        }
        var store: UnsafeMutablePointer<git_odb_backend>?
        let made = git_mempack_new(&store)
        guard made == 0, let store else {
            git_odb_free(batch)
            git_odb_free(original)
            throw GitError.last(code: made, function: "git_mempack_new")
        }
        // Once added, the store belongs to the batch's database and is freed with it.
        let added = git_odb_add_backend(batch, store, 1000)
        guard added == 0 else {
            store.pointee.free(store)
            git_odb_free(batch)
            git_odb_free(original)
            throw GitError.last(code: added, function: "git_odb_add_backend")
        }
        let swapped = git_repository_set_odb(repository.pointer, batch)
        guard swapped == 0 else {
            git_odb_free(batch)
            git_odb_free(original)
            throw GitError.last(code: swapped, function: "git_repository_set_odb")
        }
        self.original = original!
        self.batch = batch
        self.store = store
    }

    /// Writes `commit` and the objects it added (its tree, the trees on each of `paths`, the
    /// blobs there) as one pack in `objects/pack`, pack and index synced before they are renamed
    /// into place, then checks through the handle's own database that each of them is on disk.
    /// Every other object the new trees name was named by the parent's trees already.
    func writePack(commit: ObjectID, paths: [String]) throws {
        let pointer = repository.pointer
        var wanted: [git_oid] = [commit.oid]
        let root = try repository.rootTree(of: commit)
        defer { git_tree_free(root) }
        wanted.append(git_tree_id(root).pointee)
        // Each folder on a changed path, then the path itself (a blob, or nothing once removed).
        var seen = Set<String>()
        for path in paths {
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += (prefix.isEmpty ? "" : "/") + part
                guard seen.insert(prefix).inserted else { continue }
                var entry: OpaquePointer?
                guard git_tree_entry_bypath(&entry, root, prefix) == 0 else { break }
                wanted.append(git_tree_entry_id(entry).pointee)
                git_tree_entry_free(entry)
            }
        }
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        _ = git_packbuilder_set_threads(builder, 1)
        for index in wanted.indices {
            try check(git_packbuilder_insert(builder, &wanted[index], nil), "git_packbuilder_insert")
        }
        var pack = git_buf()
        defer { git_buf_dispose(&pack) }
        try check(git_packbuilder_write_buf(&pack, builder), "git_packbuilder_write_buf")
        try Repository.store(pack, in: original)
        _ = git_odb_refresh(original)
        for index in wanted.indices where git_odb_exists(original, &wanted[index]) != 1 {
            throw GitError(code: -1, errorClass: 0, message: "object \(ObjectID(wanted[index])) is missing from the new pack",
                           function: "git_odb_write_pack")
        }
    }

    /// Puts the repository handle's own object database back; what was not written is dropped.
    func end() {
        guard !ended else { return }
        ended = true
        _ = git_repository_set_odb(repository.pointer, original)
        git_odb_free(original)
        git_odb_free(batch)
    }

    deinit { end() }
}
