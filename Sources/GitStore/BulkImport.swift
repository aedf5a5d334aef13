import CGit2
import Foundation

/// Builds a long history quickly: objects go to an in-memory store and reach disk as one pack
/// when `finish` runs, and no work tree or index is touched until then. For generated journals
/// (the demo, benchmarks), never for a user's writes.
public final class BulkImport {
    private let repository: Repository
    private let mempack: UnsafeMutablePointer<git_odb_backend>
    private var odb: OpaquePointer?
    private var finished = false

    /// Opens its own handle on the repository at `path`, so the in-memory store never leaks into
    /// the handles that ordinary writes use.
    public init(repositoryAt path: String) throws {
        repository = try Repository.open(at: path)
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "git_mempack_new")
        var odbPointer: OpaquePointer?
        let opened = git_repository_odb(&odbPointer, repository.pointer)
        if opened < 0 {
            let error = GitError.last(code: opened, function: "git_repository_odb")
            backend?.pointee.free(backend)
            throw error
        }
        odb = odbPointer
        let added = git_odb_add_backend(odbPointer, backend, 1000)
        if added < 0 {
            let error = GitError.last(code: added, function: "git_odb_add_backend")
            backend?.pointee.free(backend)
            git_odb_free(odbPointer)
            throw error
        }
        mempack = backend!
    }

    deinit {
        git_odb_free(odb)
    }

    /// Writes one commit whose tree is `parent`'s tree with `files` written (or removed, for nil
    /// bytes); nothing points at it until `finish`.
    public func commit(
        files: [(path: String, bytes: Data?)], parent: ObjectID?, author: Signature, committer: Signature? = nil,
        message: String
    ) throws -> ObjectID {
        let pointer = repository.pointer
        let baseTree = try parent.map(repository.rootTree(of:))
        defer { git_tree_free(baseTree) }

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
        try check(git_tree_create_updated(&tree, pointer, baseTree, updates.count, &updates), "git_tree_create_updated")
        return try repository.createCommitObject(tree: tree, parent: parent, author: author,
                                                 committer: committer ?? author, message: message)
    }

    /// Writes everything as one pack, points the checked-out branch at `head`, and checks it out
    /// into the work tree and index.
    public func finish(head: ObjectID) throws {
        precondition(!finished, "BulkImport.finish called twice")
        finished = true
        // git_mempack_dump would do this single-threaded; a packbuilder can search deltas on every core.
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, repository.pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        _ = git_packbuilder_set_threads(builder, 0)
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, repository.pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        var headOid = head.oid
        try check(git_revwalk_push(walk, &headOid), "git_revwalk_push")
        try check(git_packbuilder_insert_walk(builder, walk), "git_packbuilder_insert_walk")
        var buffer = git_buf()
        try check(git_packbuilder_write_buf(&buffer, builder), "git_packbuilder_write_buf")
        defer { git_buf_dispose(&buffer) }

        var writepack: UnsafeMutablePointer<git_odb_writepack>?
        try check(git_odb_write_pack(&writepack, odb, nil, nil), "git_odb_write_pack")
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
