import CGit2
import Foundation

/// An index file read ahead of `Repository.open` (`Repository.readIndexAhead`).
public struct IndexReadAhead: @unchecked Sendable {
    let gitDirectory: String
    let file: (stamp: [Int], file: IndexFile)?
}

/// A git repository opened through libgit2. Not thread-safe by design: libgit2's last error is
/// per thread, so every call and the error built from it stay on the caller's thread.
public final class Repository {
    let handle: Managed<GitRepository>
    var pointer: OpaquePointer { handle.pointer }
    /// The index file as last read, with the stat data it was read at (`IndexFile.load`).
    var indexFileCache: (stamp: [Int], file: IndexFile)?

    private init(handle: Managed<GitRepository>) {
        self.handle = handle
    }

    /// Opens the repository that contains `path`, searching upwards like git does.
    public static func open(discovering path: String) throws -> Repository {
        try open(path, flags: 0)
    }

    /// Opens the repository at exactly `path` (its work tree or git directory), without searching.
    /// `readAhead`, the index read ahead for that path (`readIndexAhead`), is kept if it is this
    /// repository's index, and used only while the file's stat data still matches, the rule for
    /// every read of it (`loadIndexFile`).
    public static func open(at path: String, readAhead: IndexReadAhead? = nil) throws -> Repository {
        let repository = try open(path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue)
        if let readAhead, let file = readAhead.file, repository.gitDirectory == readAhead.gitDirectory {
            repository.indexFileCache = file
        }
        return repository
    }

    /// The index of the repository whose work tree is `path`, read without libgit2, so that it
    /// can be read on another thread while the command starts; nil when there is none to read or
    /// it is over 4 MiB (30k entries): `prep` and `due`, which read the last commit instead, would
    /// pay for a bigger one.
    public static func readIndexAhead(ofWorkTree path: String) -> IndexReadAhead {
        let gitDirectory = path + "/.git"
        var folder = stat(), index = stat()
        let readable = stat(gitDirectory, &folder) == 0 && (folder.st_mode & S_IFMT) == S_IFDIR
            && stat(gitDirectory + "/index", &index) == 0 && index.st_size <= 4 << 20
        return IndexReadAhead(gitDirectory: gitDirectory, file: readable ? try? IndexFile.loadStamped(gitDirectory + "/index") : nil)
    }

    private static func open(_ path: String, flags: UInt32) throws -> Repository {
        try ensureLibgit2()
        guard let handle = try Managed<GitRepository>.ifFound("git_repository_open_ext", {
            git_repository_open_ext(&$0, path, flags, nil)
        }) else { throw GitStoreError.notARepository(path: path) }
        return Repository(handle: handle)
    }

    /// Creates a repository with a work tree at `path` (made if missing), its branch unborn.
    public static func create(at path: String, initialBranch: String = "main") throws -> Repository {
        try ensureLibgit2()
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        let handle = try initialBranch.withCString { branch in
            options.initial_head = branch
            return try Managed<GitRepository>("git_repository_init_ext") { git_repository_init_ext(&$0, path, &options) }
        }
        return Repository(handle: handle)
    }

    /// The work tree, without a trailing slash; nil for a bare repository.
    public var workTree: String? {
        guard let path = git_repository_workdir(pointer) else { return nil }
        return Repository.trimSlash(String(cString: path))
    }

    /// The git directory (`.git`), without a trailing slash.
    public var gitDirectory: String {
        Repository.trimSlash(String(cString: git_repository_path(pointer)))
    }

    /// The object folder, which a linked worktree (`git worktree add`) shares with its main
    /// repository rather than keeping in its own git directory.
    var objectsDirectory: String {
        Repository.trimSlash(String(cString: git_repository_commondir(pointer))) + "/objects"
    }

    private static func trimSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    // MARK: - Reading

    /// The branch HEAD points at (`main`), nil when HEAD is detached.
    public func currentBranch() -> String? {
        guard let reference = try? Managed<GitReference>("git_reference_lookup", { git_reference_lookup(&$0, pointer, "HEAD") }),
              let target = git_reference_symbolic_target(reference.pointer) else { return nil }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst(11)) : nil
    }

    /// The commit HEAD points at, or nil while the branch is unborn.
    public func head() throws -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, "HEAD")
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(result, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// Resolves a revision such as `HEAD~2` or an abbreviated id to a commit id.
    public func resolve(_ revision: String) throws -> ObjectID {
        let object = try Managed<GitObject>("git_revparse_single") { git_revparse_single(&$0, pointer, revision) }
        let commit = try Managed<GitObject>("git_object_peel") { git_object_peel(&$0, object.pointer, GIT_OBJECT_COMMIT) }
        return ObjectID(git_object_id(commit.pointer))
    }

    /// A file's bytes at `commit` (HEAD when nil), read from the object database; nil when absent.
    public func contents(of path: String, at commit: ObjectID? = nil) throws -> Data? {
        guard let commit = try commit ?? head() else { return nil }
        guard let found = try entry(at: path, in: rootTree(of: commit)), found.type == GIT_OBJECT_BLOB else { return nil }
        return try blobData(found.id)
    }

    /// The bytes of a blob.
    public func blobData(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        let blob = try Managed<GitBlob>("git_blob_lookup") { git_blob_lookup(&$0, pointer, &oid) }
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let raw = git_blob_rawcontent(blob.pointer) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// Every file (blob) below `prefix` (the whole tree when empty) at `commit`, HEAD when nil,
    /// in git's path order. An absent prefix gives an empty list.
    public func files(under prefix: String = "", at commit: ObjectID? = nil) throws -> [TreeFile] {
        guard let commit = try commit ?? head() else { return [] }
        let cleanPrefix = prefix.split(separator: "/").joined(separator: "/")
        let root = try rootTree(of: commit)
        var files: [TreeFile] = []
        if cleanPrefix.isEmpty {
            try collect(tree: root, base: "", into: &files)
            return files
        }
        guard let found = try entry(at: cleanPrefix, in: root) else { return [] }
        try collect(found.id, type: found.type, mode: found.mode, path: cleanPrefix, into: &files)
        return files
    }

    private func collect(tree: Managed<GitTree>, base: String, into files: inout [TreeFile]) throws {
        for index in 0..<git_tree_entrycount(tree.pointer) {
            // Entries got by position belong to their tree: read, never freed.
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            try collect(ObjectID(git_tree_entry_id(entry)), type: git_tree_entry_type(entry), mode: git_tree_entry_filemode(entry).rawValue,
                        path: base + String(cString: git_tree_entry_name(entry)), into: &files)
        }
    }

    /// Adds a blob, or every blob below a tree.
    private func collect(_ id: ObjectID, type: git_object_t, mode: UInt32, path: String, into files: inout [TreeFile]) throws {
        switch type {
        case GIT_OBJECT_TREE:
            try collect(tree: tree(id), base: path + "/", into: &files)
        case GIT_OBJECT_BLOB:
            files.append(TreeFile(path: path, blob: id, mode: mode))
        default:
            break
        }
    }

    /// The tree `id`.
    func tree(_ id: ObjectID) throws -> Managed<GitTree> {
        try Repository.tree(id, in: handle)
    }

    static func tree(_ id: ObjectID, in repository: Managed<GitRepository>) throws -> Managed<GitTree> {
        var oid = id.oid
        return try Managed("git_tree_lookup") { git_tree_lookup(&$0, repository.pointer, &oid) }
    }

    /// The commit `id`.
    func lookupCommit(_ id: ObjectID) throws -> Managed<GitCommit> {
        try Repository.lookupCommit(id, in: handle)
    }

    static func lookupCommit(_ id: ObjectID, in repository: Managed<GitRepository>) throws -> Managed<GitCommit> {
        var oid = id.oid
        return try Managed("git_commit_lookup") { git_commit_lookup(&$0, repository.pointer, &oid) }
    }

    /// The root tree of `commit`.
    func rootTree(of commit: ObjectID) throws -> Managed<GitTree> {
        try Repository.rootTree(of: commit, in: handle)
    }

    /// The root tree of `commit` read through `repository` (this one's, or `StagedObjects`').
    static func rootTree(of commit: ObjectID, in repository: Managed<GitRepository>) throws -> Managed<GitTree> {
        try rootTree(of: lookupCommit(commit, in: repository))
    }

    static func rootTree(of commit: Managed<GitCommit>) throws -> Managed<GitTree> {
        try Managed("git_commit_tree") { git_commit_tree(&$0, commit.pointer) }
    }

    /// The id of the blob or tree at `path` in `commit`'s tree, nil when absent.
    func entryID(at path: String, in commit: Managed<GitCommit>) throws -> ObjectID? {
        try entry(at: path, in: Repository.rootTree(of: commit))?.id
    }

    /// The object at `path` below `tree`: its id, file mode and type; nil when absent.
    func entry(at path: String, in tree: Managed<GitTree>) throws -> (id: ObjectID, mode: UInt32, type: git_object_t)? {
        try Repository.entry(at: path, in: tree)
    }

    static func entry(at path: String, in tree: Managed<GitTree>) throws -> (id: ObjectID, mode: UInt32, type: git_object_t)? {
        guard let entry = try Managed<GitTreeEntry>.ifFound("git_tree_entry_bypath", {
            git_tree_entry_bypath(&$0, tree.pointer, path)
        }) else { return nil }
        return (ObjectID(git_tree_entry_id(entry.pointer)), git_tree_entry_filemode(entry.pointer).rawValue,
                git_tree_entry_type(entry.pointer))
    }

    // MARK: - Configuration

    /// A value from the repository's configuration (local, then global and system), nil when unset.
    public func configValue(_ key: String) -> String? {
        guard let config = try? configSnapshot() else { return nil }
        return GitConfig.string(key, in: config)
    }

    /// Sets a value in the repository's own configuration (`.git/config`).
    public func setConfigValue(_ key: String, to value: String) throws {
        try setConfigValues(key, to: [value])
    }

    /// Every value whose name starts with `section.` (`rapport.`), from one snapshot of the
    /// configuration, in the order git reads them (a later one overrides, a multi-valued name
    /// repeats). Names come lower-cased, as git compares them.
    public func configValues(inSection section: String) -> [(name: String, value: String)] {
        let pattern = "^" + NSRegularExpression.escapedPattern(for: section.lowercased()) + "\\."
        guard let config = try? configSnapshot(),
              let iterator = try? Managed<GitConfigIterator>("git_config_iterator_glob_new", {
                  git_config_iterator_glob_new(&$0, config.pointer, pattern)
              }) else { return [] }
        var values: [(String, String)] = []
        var entry: UnsafeMutablePointer<git_config_entry>?
        while git_config_next(&entry, iterator.pointer) == 0, let entry {
            values.append((String(cString: entry.pointee.name).lowercased(), entry.pointee.value.map { String(cString: $0) } ?? ""))
        }
        return values
    }

    /// Replaces every value of `key` in the repository's own configuration with `values` (none
    /// removes the key).
    public func setConfigValues(_ key: String, to values: [String]) throws {
        let config = try Managed<GitConfigHandle>("git_repository_config") { git_repository_config(&$0, pointer) }
        let local = try Managed<GitConfigHandle>("git_config_open_level") {
            git_config_open_level(&$0, config.pointer, GIT_CONFIG_LEVEL_LOCAL)
        }
        let removed = git_config_delete_multivar(local.pointer, key, ".*")
        if removed != GIT_ENOTFOUND.rawValue { try check(removed, "git_config_delete_multivar") }
        // A pattern no value matches adds the value rather than replacing one.
        for value in values { try check(git_config_set_multivar(local.pointer, key, "x^", value), "git_config_set_multivar") }
    }

    /// A read-only copy of the configuration as it is now (local, global, system).
    func configSnapshot() throws -> Managed<GitConfigHandle> {
        try Managed("git_repository_config_snapshot") { git_repository_config_snapshot(&$0, pointer) }
    }

    /// git's `user.name` and `user.email` as a signature, nil when either is unset.
    public func configuredSignature(date: Date = Date(), timeZone: TimeZone = .current) -> Signature? {
        guard let name = configValue("user.name"), let email = configValue("user.email"),
              Signature.isValid(name: name, email: email) else { return nil }
        return Signature(name: name, email: email, date: date, timeZone: timeZone)
    }

    /// Adds a remote to the repository's configuration; nothing is fetched.
    public func addRemote(name: String, url: String) throws {
        _ = try Managed<GitRemote>("git_remote_create") { git_remote_create(&$0, pointer, name, url) }
    }

    public func removeRemote(name: String) throws {
        try check(git_remote_delete(pointer, name), "git_remote_delete")
    }

    /// The names and URLs of the configured remotes.
    public func remotes() throws -> [(name: String, url: String)] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "git_remote_list")
        defer { git_strarray_dispose(&names) }
        var result: [(String, String)] = []
        for index in 0..<names.count {
            guard let cName = names.strings[index] else { continue }
            guard let remote = try? Managed<GitRemote>("git_remote_lookup", { git_remote_lookup(&$0, pointer, cName) }) else { continue }
            let url = git_remote_url(remote.pointer).map { String(cString: $0) } ?? ""
            result.append((String(cString: cName), url))
        }
        return result
    }
}

/// A file in a commit's tree.
public struct TreeFile: Hashable, Sendable {
    public let path: String
    public let blob: ObjectID
    /// git's file mode (0o100644, 0o100755, 0o120000 for a symbolic link).
    public let mode: UInt32
}

/// Reading configuration values out of a libgit2 config handle.
enum GitConfig {
    static func string(_ key: String, in config: Managed<GitConfigHandle>) -> String? {
        var buffer = git_buf()
        guard git_config_get_string_buf(&buffer, config.pointer, key) == 0 else { return nil }
        defer { git_buf_dispose(&buffer) }
        guard let raw = buffer.ptr else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}
