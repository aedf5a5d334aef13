#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// A fetch from a repository on this file system, done as `git clone` of a local repository
    /// does it: the packs this repository lacks are taken as they are, not rebuilt. libgit2's
    /// local transport builds a new pack and searches deltas for every object again, most of a
    /// clone's or pull's time. Each pack goes through this repository's indexer, which hashes every
    /// object, checks the pack's checksum and writes pack and index synced, as for a fetched
    /// pack; loose objects are rehashed as they are written. Returns the tip of `branch` there,
    /// written to `refs/remotes/<name>/<branch>`; nil when this way does not apply (no such
    /// branch, objects borrowed from elsewhere, a shallow or partial repository, a pack of which
    /// this repository has some objects but lacks others), for the ordinary fetch to take over.
    func fetchLocally(from directory: String, remote name: String, branch: String, bigPack: Int = 1000,
                      progress: (@Sendable (TransferProgress) -> Void)? = nil) throws -> ObjectID? {
        let source = try Repository.open(at: directory)
        let objects = source.objectsDirectory
        let borrowed = [objects + "/info/alternates", source.gitDirectory + "/shallow"]
        guard !borrowed.contains(where: { access($0, F_OK) == 0 }),
              let tip = source.referenceTarget("refs/heads/\(branch)") else { return nil }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: objects + "/pack")) ?? []
        // A promisor pack stands for objects a partial clone did not fetch. A link anywhere in
        // the objects would have this repository read a file of the colleague's choosing (another
        // repository's pack, say), so it is left to the ordinary fetch, as git refuses it too.
        guard !names.contains(where: { $0.hasSuffix(".promisor") }),
              ![objects, objects + "/pack"].contains(where: { isOdd($0, folder: true) }),
              !names.contains(where: { isOdd(objects + "/pack/" + $0) }) else { return nil }
        let database = try Managed<GitDatabase>("git_repository_odb") { git_repository_odb(&$0, pointer) }
        for pack in names.filter({ $0.hasSuffix(".pack") }).sorted()
        where names.contains(String(pack.dropLast(".pack".count)) + ".idx") {
            // Packs are named after their bytes' checksum: one of the same name here is the same.
            guard access(objectsDirectory + "/pack/" + pack, F_OK) != 0 else { continue }
            var ids = try Repository.objectIDs(inPack: objects + "/pack/" + pack.dropLast(".pack".count) + ".idx")
            let lacking = ids.indices.count { git_odb_exists(database.pointer, &ids[$0]) == 0 }
            if lacking == 0 { continue }
            // A big pack mostly known here (the remote repacked, say) would cost more than the
            // objects it brings: the ordinary fetch sends only those. A small one is taken: the
            // same merge made by two writers gives the same trees.
            guard lacking * 2 >= ids.count || ids.count < bigPack else { return nil }
            try index(pack: objects + "/pack/" + pack, into: database, progress: progress)
        }
        try copyLooseObjects(of: source, into: database)
        // A repack or gc there meanwhile may have moved loose objects into a pack not copied. A
        // pull checks every new object below, so only a pack gone matters to it, not one another
        // writer added (the tip was read before the packs were listed).
        let known = ["HEAD", "refs/remotes/\(name)/\(branch)"].compactMap(referenceTarget)
        // (Another writer's half-written pack is not one: the indexer names it pack-* when done.)
        let packs = { (names: [String]) in Set(names.filter { $0.hasPrefix("pack-") }) }
        let now = packs((try? FileManager.default.contentsOfDirectory(atPath: objects + "/pack")) ?? [])
        guard known.isEmpty ? now == packs(names) : now.isSuperset(of: packs(names)) else {
            throw GitError(code: -1, errorClass: 0, message: "the packs of \(directory) changed while they were copied", function: "fetchLocally")
        }
        git_odb_refresh(database.pointer)
        if known.isEmpty {
            // A clone: every commit of the branch is here now (its checkout reads the tip's files).
            let walk = try Managed<GitRevwalk>("git_revwalk_new") { git_revwalk_new(&$0, pointer) }
            var start = tip.oid
            try check(git_revwalk_push(walk.pointer, &start), "git_revwalk_push")
            var commit = git_oid()
            var walked: Int32 = 0
            repeat { walked = git_revwalk_next(&commit, walk.pointer) } while walked == 0
            if walked != GIT_ITEROVER.rawValue { try check(walked, "git_revwalk_next") }
        } else {
            // A pull: every object the new commits hold is here now (a pack passed over for its
            // name could have held others); the walk reads each commit and tree.
            for var object in try self.objects(of: tip, besides: known) where git_odb_exists(database.pointer, &object.id) != 1 {
                throw GitError(code: -1, errorClass: 0, message: "object \(ObjectID(object.id)) is missing", function: "fetchLocally")
            }
        }
        var id = tip.oid
        _ = try Managed<GitReference>("git_reference_create") {
            git_reference_create(&$0, pointer, "refs/remotes/\(name)/\(branch)", &id, 1, "rapport: fetch from a local repository")
        }
        return tip
    }

    /// Streams one pack file into the indexer of `database`, which writes it and its index,
    /// reporting the objects indexed and bytes read after each chunk.
    func index(pack path: String, into database: Managed<GitDatabase>,
               progress report: (@Sendable (TransferProgress) -> Void)?) throws {
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw GitError(code: -1, errorClass: 0, message: "cannot read \(path)", function: "open")
        }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var writepack: UnsafeMutablePointer<git_odb_writepack>?
        try check(git_odb_write_pack(&writepack, database.pointer, nil, nil), "git_odb_write_pack")
        defer { rapport_writepack_free(writepack) }
        var progress = git_indexer_progress()
        var bytesRead = 0
        func reportProgress() {
            report?(TransferProgress(receivedObjects: Int(progress.received_objects), totalObjects: Int(progress.total_objects),
                                     receivedBytes: bytesRead))
        }
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { bytes in
                try check(rapport_writepack_append(writepack, bytes.baseAddress, bytes.count, &progress), "git_odb_writepack.append")
            }
            bytesRead += chunk.count
            // The last report, with every object in, comes once the pack is written.
            if progress.received_objects < progress.total_objects { reportProgress() }
        }
        try check(rapport_writepack_commit(writepack, &progress), "git_odb_writepack.commit")
        reportProgress()
    }

    /// Copies `source`'s loose objects that `database` lacks, each written under the id its bytes
    /// hash to and checked against the name it had there.
    private func copyLooseObjects(of source: Repository, into database: Managed<GitDatabase>) throws {
        let sourceDatabase = try Managed<GitDatabase>("git_repository_odb") { git_repository_odb(&$0, source.pointer) }
        for first in 0..<256 {
            let prefix = String(format: "%02x", first)
            let folder = source.objectsDirectory + "/" + prefix
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where name.utf8.count == 38 {
                guard !isOdd(folder, folder: true), !isOdd(folder + "/" + name) else {
                    throw GitError(code: -1, errorClass: 0, message: "object \(prefix + name) is not a plain file", function: "lstat")
                }
                var expected = git_oid()
                guard git_oid_fromstr(&expected, prefix + name) == 0, git_odb_exists(database.pointer, &expected) == 0 else { continue }
                let object = try Managed<GitDatabaseObject>("git_odb_read") { git_odb_read(&$0, sourceDatabase.pointer, &expected) }
                var written = git_oid()
                try check(git_odb_write(&written, database.pointer, git_odb_object_data(object.pointer),
                                        git_odb_object_size(object.pointer), git_odb_object_type(object.pointer)), "git_odb_write")
                guard git_oid_equal(&written, &expected) == 1 else {
                    throw GitError(code: -1, errorClass: 0, message: "object \(prefix + name) does not hash to its name", function: "git_odb_write")
                }
            }
        }
    }
}

/// Whether `path` is anything but a plain file (a plain folder with `folder`), not followed: a
/// link would have this repository read a file of the remote's choosing, and a FIFO or device
/// would block the read for ever.
private func isOdd(_ path: String, folder: Bool = false) -> Bool {
    var info = stat()
    return lstat(path, &info) != 0 || (info.st_mode & S_IFMT) != (folder ? S_IFDIR : S_IFREG)
}
