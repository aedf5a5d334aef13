import CGit2
import Foundation

/// Builds a long history quickly: objects go to an in-memory store and reach disk as one pack
/// when `finish` runs, and no work tree or index is touched until then. For generated journals
/// (the demo, benchmarks), never for a user's writes.
public final class BulkImport {
    private let repository: Repository
    private let mempack: UnsafeMutablePointer<git_odb_backend>
    private let database: Managed<GitDatabase>
    private var finished = false

    /// Opens its own handle on the repository at `path`, so the in-memory store never leaks into
    /// the handles that ordinary writes use.
    public init(repositoryAt path: String) throws {
        let repository = try Repository.open(at: path)
        self.repository = repository
        database = try Managed("git_repository_odb") { git_repository_odb(&$0, repository.pointer) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "git_mempack_new")
        // The database owns the backend once it is added.
        let added = git_odb_add_backend(database.pointer, backend, 1000)
        if added < 0 {
            let error = GitError.last(code: added, function: "git_odb_add_backend")
            backend?.pointee.free(backend)
            throw error
        }
        mempack = backend!
    }

    /// Writes one commit whose tree is `parent`'s tree with `files` written (or removed, for nil
    /// bytes); nothing points at it until `finish`.
    public func commit(
        files: [(path: String, bytes: Data?)], parent: ObjectID?, author: Signature, committer: Signature? = nil,
        message: String
    ) throws -> ObjectID {
        let pointer = repository.pointer
        let baseTree = try parent.map(repository.rootTree(of:))

        var updates: [git_tree_update] = []
        var ownedPaths: [UnsafeMutablePointer<CChar>] = []
        defer { ownedPaths.forEach { free($0) } }
        for file in files {
            var update = git_tree_update()
            let cPath = strdup(file.path)!
            ownedPaths.append(cPath)
            update.path = UnsafePointer(cPath)
            if let bytes = file.bytes {
                var blob = git_oid()
                try bytes.withUnsafeBytes { raw in
                    _ = try check(git_blob_create_from_buffer(&blob, pointer, raw.baseAddress, raw.count),
                              "git_blob_create_from_buffer")
                }
                update.action = GIT_TREE_UPDATE_UPSERT
                update.id = blob
                update.filemode = GIT_FILEMODE_BLOB
            } else {
                update.action = GIT_TREE_UPDATE_REMOVE
            }
            updates.append(update)
        }
        var tree = git_oid()
        try check(git_tree_create_updated(&tree, pointer, baseTree?.pointer, updates.count, &updates), "git_tree_create_updated")
        return try repository.createCommitObject(tree: tree, parent: parent, author: author,
                                                 committer: committer ?? author, message: message)
    }

    /// Writes everything as one pack, points the checked-out branch at `head`, and checks it out
    /// into the work tree and index.
    public func finish(head: ObjectID) throws {
        precondition(!finished, "BulkImport.finish called twice")
        finished = true
        // git_mempack_dump would do this single-threaded; a packbuilder can search deltas on every core.
        let pointer = repository.pointer
        let builder = try Managed<GitPackbuilder>("git_packbuilder_new") { git_packbuilder_new(&$0, pointer) }
        _ = git_packbuilder_set_threads(builder.pointer, 0)
        let walk = try Managed<GitRevwalk>("git_revwalk_new") { git_revwalk_new(&$0, pointer) }
        var headOid = head.oid
        try check(git_revwalk_push(walk.pointer, &headOid), "git_revwalk_push")
        try check(git_packbuilder_insert_walk(builder.pointer, walk.pointer), "git_packbuilder_insert_walk")
        var buffer = git_buf()
        try check(git_packbuilder_write_buf(&buffer, builder.pointer), "git_packbuilder_write_buf")
        defer { git_buf_dispose(&buffer) }

        var writepack: UnsafeMutablePointer<git_odb_writepack>?
        try check(git_odb_write_pack(&writepack, database.pointer, nil, nil), "git_odb_write_pack")
        defer { rapport_writepack_free(writepack) }
        var progress = git_indexer_progress()
        try check(rapport_writepack_append(writepack, buffer.ptr, buffer.size, &progress), "git_odb_writepack.append")
        try check(rapport_writepack_commit(writepack, &progress), "git_odb_writepack.commit")
        try check(git_mempack_reset(mempack), "git_mempack_reset")

        let previous = try repository.head()
        try repository.moveBranch(to: head, from: previous, message: "import")
        let fresh = try Repository.open(at: repository.workTree ?? repository.gitDirectory)
        try fresh.checkoutHead()
    }
}
