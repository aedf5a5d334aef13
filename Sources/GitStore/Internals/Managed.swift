import CGit2

/// One libgit2 object, freed with its kind's own `git_*_free` when the last reference goes, so
/// no function frees by hand and no error path can leak or free twice. Not `Sendable`: libgit2
/// objects stay on the thread that made them (its last error is per thread).
final class Managed<Kind: LibgitKind> {
    let pointer: OpaquePointer

    /// Takes ownership of a pointer a libgit2 constructor returned.
    init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Runs a libgit2 constructor that writes its object through its first argument, and owns
    /// the result; throws a `GitError` naming `function` when it fails.
    convenience init(_ function: String, _ create: (inout OpaquePointer?) -> Int32) throws {
        var pointer: OpaquePointer?
        try check(create(&pointer), function)
        guard let pointer else {
            throw GitError(code: -1, errorClass: 0, message: "\(function) returned no object", function: function)
        }
        self.init(adopting: pointer)
    }

    /// The same, for a lookup whose `GIT_ENOTFOUND` is an answer rather than a failure: nil then.
    static func ifFound(_ function: String, _ create: (inout OpaquePointer?) -> Int32) throws -> Managed? {
        var pointer: OpaquePointer?
        let result = create(&pointer)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, function)
        return pointer.map(Managed.init(adopting:))
    }

    deinit {
        Kind.free(pointer)
    }
}

/// A kind of libgit2 object, named by the function that frees it.
protocol LibgitKind {
    static func free(_ pointer: OpaquePointer)
}

enum GitRepository: LibgitKind { static func free(_ pointer: OpaquePointer) { git_repository_free(pointer) } }
enum GitCommit: LibgitKind { static func free(_ pointer: OpaquePointer) { git_commit_free(pointer) } }
enum GitTree: LibgitKind { static func free(_ pointer: OpaquePointer) { git_tree_free(pointer) } }
/// A tree entry that was looked up by path (`git_tree_entry_bypath`); entries got by index belong
/// to their tree and are never freed.
enum GitTreeEntry: LibgitKind { static func free(_ pointer: OpaquePointer) { git_tree_entry_free(pointer) } }
enum GitBlob: LibgitKind { static func free(_ pointer: OpaquePointer) { git_blob_free(pointer) } }
enum GitObject: LibgitKind { static func free(_ pointer: OpaquePointer) { git_object_free(pointer) } }
enum GitReference: LibgitKind { static func free(_ pointer: OpaquePointer) { git_reference_free(pointer) } }
enum GitIndex: LibgitKind { static func free(_ pointer: OpaquePointer) { git_index_free(pointer) } }
enum GitIndexConflictIterator: LibgitKind {
    static func free(_ pointer: OpaquePointer) { git_index_conflict_iterator_free(pointer) }
}
enum GitConfigHandle: LibgitKind { static func free(_ pointer: OpaquePointer) { git_config_free(pointer) } }
enum GitConfigIterator: LibgitKind { static func free(_ pointer: OpaquePointer) { git_config_iterator_free(pointer) } }
enum GitRemote: LibgitKind { static func free(_ pointer: OpaquePointer) { git_remote_free(pointer) } }
enum GitRevwalk: LibgitKind { static func free(_ pointer: OpaquePointer) { git_revwalk_free(pointer) } }
enum GitPackbuilder: LibgitKind { static func free(_ pointer: OpaquePointer) { git_packbuilder_free(pointer) } }
enum GitDiff: LibgitKind { static func free(_ pointer: OpaquePointer) { git_diff_free(pointer) } }
enum GitStatusList: LibgitKind { static func free(_ pointer: OpaquePointer) { git_status_list_free(pointer) } }
enum GitDatabase: LibgitKind { static func free(_ pointer: OpaquePointer) { git_odb_free(pointer) } }
enum GitDatabaseObject: LibgitKind { static func free(_ pointer: OpaquePointer) { git_odb_object_free(pointer) } }
