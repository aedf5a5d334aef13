#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// A push to a repository on this file system. libgit2's local transport would move the remote's
    /// ref without checking its old value (git's receive-pack checks it; libgit2 writes in-process),
    /// so rapport does the two steps itself: the objects the remote lacks go into it as one pack,
    /// then the branch moves from the expected value, under the ref lock git takes too.
    /// Returns whether the remote's branch moved (false: it held the tip already).
    func pushLocally(to directory: String, remote name: String, reference: String, expecting expected: ExpectedTip) throws -> Bool {
        let tip = try resolve(reference)
        // Where a writer killed in there leaves its lock, for the next one to clear (WriteLock).
        let marker = gitDirectory + "/" + WriteLock.localPushName
        try? AtomicFile.write(Data(directory.utf8), to: marker)
        defer { unlink(marker) }
        let target = try Repository.open(at: directory)
        // What goes into another repository keeps the permissions its folders already have (a
        // remote shared by a group stays readable by the group), not this process's own umask.
        var objects = stat()
        let previous = stat(target.objectsDirectory, &objects) == 0 ? umask(~objects.st_mode & 0o777) : nil
        let moved: Bool
        do {
            defer { if let previous { umask(previous) } }
            moved = try moveBranch(of: target, reference: reference, to: tip, expecting: expected)
        }
        var id = tip.oid
        _ = try Managed<GitReference>("git_reference_create") {
            git_reference_create(&$0, pointer, "refs/remotes/\(name)/\(reference.dropFirst("refs/heads/".count))", &id, 1, "rapport: push")
        }
        return moved
    }

    /// `pushLocally`'s two steps in `target`: the objects, then the branch by compare-and-swap,
    /// read back to confirm. Whether the branch moved.
    private func moveBranch(of target: Repository, reference: String, to tip: ObjectID, expecting expected: ExpectedTip) throws -> Bool {
        let found = target.referenceTarget(reference)
        let from: ObjectID?
        switch expected {
        case .exactly(let value):
            from = value
        case .fastForward:
            // A commit this repository does not have is none of its ancestors.
            if let found, (try? isAncestor(found, of: tip)) != true {
                throw RemoteError.rejected("cannot push non-fastforwardable reference")
            }
            from = found
        }
        if found != tip {
            try copyObjects(of: tip, besides: [from, found].compactMap { $0 }, into: target)
            var new = tip.oid
            // The zero id stands for "no such branch yet", checked under the lock like any other.
            var old = from?.oid ?? git_oid()
            do {
                _ = try Managed<GitReference>("git_reference_create_matching") {
                    git_reference_create_matching(&$0, target.pointer, reference, &new, 1, &old, "rapport: push")
                }
            } catch let error as GitError where [GIT_EMODIFIED, GIT_ELOCKED, GIT_EEXISTS].map(\.rawValue).contains(error.code) {
                throw RemoteError.raced("\(reference): \(error.message)")
            }
        }
        // Confirmed: the branch holds the local tip, or a commit another writer made on top of it.
        guard let now = target.referenceTarget(reference), try now == tip || target.isAncestor(tip, of: now) else {
            throw RemoteError.raced("\(reference) moved away from the pushed commit")
        }
        return found != tip
    }

    /// Writes into `target` what `tip` holds beyond the commits in `known` (which `target` has):
    /// what libgit2's local transport sends for a push. A pack here whose every object is to be
    /// sent or on `target` already, and of which `target` has at most half, goes over as it is,
    /// through `target`'s indexer (as a
    /// local fetch takes packs, LocalClone.swift): libgit2's packbuilder would search deltas again
    /// for every object in it, most of such a push's time, where git reuses the pack's. The rest
    /// goes as one new pack.
    private func copyObjects(of tip: ObjectID, besides known: [ObjectID], into target: Repository) throws {
        let objects = try objects(of: tip, besides: known)
        guard !objects.isEmpty else { return }
        let needed = Set(objects.map { RawID($0.id) })
        var sent = Set<RawID>()
        let database = try Managed<GitDatabase>("git_repository_odb") { git_repository_odb(&$0, target.pointer) }
        let folder = objectsDirectory + "/pack/"
        for index in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter({ $0.hasSuffix(".idx") }).sorted() {
            var ids = try Repository.objectIDs(inPack: folder + index)
            // Nothing else: a pack here may hold objects no pushed commit reaches (an amended or
            // rolled-back note), which must never reach the shared remote.
            let there = ids.indices.filter { git_odb_exists(database.pointer, &ids[$0]) == 1 }.count
            guard ids.contains(where: { needed.contains(RawID($0)) }), there * 2 <= ids.count,
                  ids.indices.allSatisfy({ needed.contains(RawID(ids[$0])) || git_odb_exists(database.pointer, &ids[$0]) == 1 }) else { continue }
            try target.index(pack: folder + index.dropLast(".idx".count) + ".pack", into: database, progress: nil)
            sent.formUnion(ids.map(RawID.init))
        }
        let builder = try Managed<GitPackbuilder>("git_packbuilder_new") { git_packbuilder_new(&$0, pointer) }
        // The delta search on every core, as git's `pack.threads` default has it (libgit2: one).
        git_packbuilder_set_threads(builder.pointer, 0)
        for var object in objects where !sent.contains(RawID(object.id)) {
            try check(git_packbuilder_insert(builder.pointer, &object.id, object.name), "git_packbuilder_insert")
        }
        guard git_packbuilder_object_count(builder.pointer) > 0 else { return }
        try check(git_packbuilder_write(builder.pointer, target.objectsDirectory + "/pack", 0, nil, nil), "git_packbuilder_write")
    }

    /// The objects `tip` holds beyond the commits in `known`, found as libgit2's
    /// `git_packbuilder_insert_walk` finds them: nothing in a tree of a known commit is taken.
    /// Files come with their names, which the packbuilder's delta search sorts by.
    func objects(of tip: ObjectID, besides known: [ObjectID]) throws -> [(id: git_oid, name: String?)] {
        var seen = Set<RawID>()
        var found: [(id: git_oid, name: String?)] = []
        func visit(tree id: git_oid, taking: Bool) throws {
            guard seen.insert(RawID(id)).inserted else { return }
            if taking { found.append((id, nil)) }
            var oid = id
            let tree = try Managed<GitTree>("git_tree_lookup") { git_tree_lookup(&$0, pointer, &oid) }
            for index in 0..<git_tree_entrycount(tree.pointer) {
                // Entries got by position belong to their tree: read, never freed.
                guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
                let entryID = git_tree_entry_id(entry).pointee
                switch git_tree_entry_type(entry) {
                case GIT_OBJECT_TREE:
                    try visit(tree: entryID, taking: taking)
                case GIT_OBJECT_BLOB where seen.insert(RawID(entryID)).inserted && taking:
                    found.append((entryID, String(cString: git_tree_entry_name(entry))))
                default:
                    break // a submodule's commit is not in this repository
                }
            }
        }
        let walk = try Managed<GitRevwalk>("git_revwalk_new") { git_revwalk_new(&$0, pointer) }
        var start = tip.oid
        try check(git_revwalk_push(walk.pointer, &start), "git_revwalk_push")
        // One this repository lacks cannot be left out, and need not be.
        for commit in known {
            var hidden = commit.oid
            guard git_revwalk_hide(walk.pointer, &hidden) == 0 else { continue }
            try visit(tree: git_commit_tree_id(lookupCommit(commit).pointer).pointee, taking: false)
        }
        var commit = git_oid()
        var walked: Int32 = 0
        while true {
            walked = git_revwalk_next(&commit, walk.pointer)
            guard walked == 0 else { break }
            found.append((commit, nil))
            try visit(tree: git_commit_tree_id(lookupCommit(ObjectID(commit)).pointer).pointee, taking: true)
        }
        if walked != GIT_ITEROVER.rawValue { try check(walked, "git_revwalk_next") }
        return found
    }

    /// The commit a direct reference points at, nil when there is none.
    func referenceTarget(_ name: String) -> ObjectID? {
        var oid = git_oid()
        return git_reference_name_to_id(&oid, pointer, name) == 0 ? ObjectID(oid) : nil
    }
}

/// An object id as a set member, made without an allocation (`ObjectID` holds an array): a push
/// looks up every entry of every tree it sends.
private struct RawID: Hashable {
    let head: UInt64, middle: UInt64, tail: UInt32

    init(_ oid: git_oid) {
        (head, middle, tail) = withUnsafeBytes(of: oid.id) {
            ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             $0.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }
}
