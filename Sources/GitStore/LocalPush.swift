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
    func pushLocally(to directory: String, remote name: String, reference: String, expecting expected: ExpectedTip) throws {
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
        do {
            defer { if let previous { umask(previous) } }
            try moveBranch(of: target, reference: reference, to: tip, expecting: expected)
        }
        var id = tip.oid
        _ = try Managed<GitReference>("git_reference_create") {
            git_reference_create(&$0, pointer, "refs/remotes/\(name)/\(reference.dropFirst("refs/heads/".count))", &id, 1, "rapport: push")
        }
    }

    /// `pushLocally`'s two steps in `target`: the objects, then the branch by compare-and-swap,
    /// read back to confirm.
    private func moveBranch(of target: Repository, reference: String, to tip: ObjectID, expecting expected: ExpectedTip) throws {
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
    }

    /// Writes into `target`, as one pack, what `tip` holds beyond the commits in `known` (which
    /// `target` has): what libgit2's local transport sends for a push.
    private func copyObjects(of tip: ObjectID, besides known: [ObjectID], into target: Repository) throws {
        let walk = try Managed<GitRevwalk>("git_revwalk_new") { git_revwalk_new(&$0, pointer) }
        var start = tip.oid
        try check(git_revwalk_push(walk.pointer, &start), "git_revwalk_push")
        for commit in known {
            // One this repository lacks cannot be left out, and need not be.
            var hidden = commit.oid
            _ = git_revwalk_hide(walk.pointer, &hidden)
        }
        let builder = try Managed<GitPackbuilder>("git_packbuilder_new") { git_packbuilder_new(&$0, pointer) }
        try check(git_packbuilder_insert_walk(builder.pointer, walk.pointer), "git_packbuilder_insert_walk")
        guard git_packbuilder_object_count(builder.pointer) > 0 else { return }
        try check(git_packbuilder_write(builder.pointer, target.objectsDirectory + "/pack", 0, nil, nil), "git_packbuilder_write")
    }

    /// The commit a direct reference points at, nil when there is none.
    func referenceTarget(_ name: String) -> ObjectID? {
        var oid = git_oid()
        return git_reference_name_to_id(&oid, pointer, name) == 0 ? ObjectID(oid) : nil
    }
}
