#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

extension Repository {
    /// git's `gc.auto` default: past about this many loose objects, they are packed.
    public static let looseObjectLimit = 6700

    /// About how many loose objects there are, counted as git's auto-gc counts them: the files in
    /// `objects/17`, times 256. One directory listing, whatever the repository's size.
    public func estimatedLooseObjects() -> Int {
        let folder = objectsDirectory + "/17"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.count { $0.utf8.count == 38 && $0.utf8.allSatisfy { isHexDigit($0) } } * 256
    }

    /// git's `gc.autoPackLimit` default: past this many packs, the small ones are merged.
    public static let packLimit = 50

    /// Packs at least this big are left as they are when small ones are merged (as git's
    /// `gc.bigPackThreshold` leaves big packs), so a merge costs at most about this much.
    public static let smallPackSize = 8 << 20

    /// The upkeep after a commit, bounded like git's auto-gc: loose objects (about six per
    /// write) are packed past `looseLimit`, and past `packLimit` small packs (each fetch leaves
    /// one, and so does each packing of loose objects) they are merged into one: every object
    /// looked up in a pack is looked for in each pack before it, so many packs slow every read.
    /// Returns the number of objects written. Hold the write lock.
    @discardableResult
    public func packObjectsIfNeeded(looseLimit: Int = Repository.looseObjectLimit, packLimit: Int = Repository.packLimit) throws -> Int {
        var written = 0
        if estimatedLooseObjects() > looseLimit { written += try packLooseObjects() }
        written += try mergeSmallPacksIfNeeded(limit: packLimit)
        return written
    }

    /// The packs among `names` (the files in `objects/pack`), without extension, and for each
    /// whether it is a plain one this code may merge: a pack and its index with nothing else
    /// beside them (a `.keep`, `.promisor`, `.bitmap` or `.rev` file is git's business) and
    /// smaller than `smallPackSize`.
    private func packs(named names: [String]) -> [(name: String, small: Bool)] {
        let folder = objectsDirectory + "/pack"
        var siblings: [String: [String]] = [:]
        for name in names where name.hasPrefix("pack-") {
            guard let dot = name.firstIndex(of: ".") else { continue }
            siblings[String(name[..<dot]), default: []].append(String(name[dot...]))
        }
        return siblings.keys.sorted().compactMap { pack in
            let extensions = siblings[pack]!
            guard extensions.contains(".idx") else { return nil }
            var info = stat()
            let plain = Set(extensions) == [".idx", ".pack"] && stat(folder + "/" + pack + ".pack", &info) == 0
            return (pack, plain && Int(info.st_size) < Repository.smallPackSize)
        }
    }

    /// Past `limit` small plain packs, they are written into one new pack (with its index, both
    /// synced, its objects checked to be there) and only then removed. Packs git keeps for its
    /// own reasons do not count, and with a multi-pack index (`git maintenance`, `git repack
    /// --write-midx`), which names the packs it covers, nothing is merged: that is left to git.
    /// Returns the number of objects in the new pack, 0 when nothing was merged. Hold the write
    /// lock.
    @discardableResult
    public func mergeSmallPacksIfNeeded(limit: Int = Repository.packLimit) throws -> Int {
        // One listing after each commit; the packs' sizes are looked at only past the limit.
        let folder = objectsDirectory + "/pack"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard names.count(where: { $0.hasSuffix(".idx") }) > limit, !names.contains("multi-pack-index") else { return 0 }
        let small = packs(named: names).filter(\.small).map(\.name)
        guard small.count > limit else { return 0 }
        var seen = Set<ObjectID>()
        var objects: [git_oid] = []
        for pack in small {
            for id in try Repository.objectIDs(inPack: folder + "/" + pack + ".idx") where seen.insert(ObjectID(id)).inserted {
                objects.append(id)
            }
        }
        guard !objects.isEmpty else { return 0 }
        let merged = try writePack(objects)
        for pack in small where pack != merged {
            // The index first: without it the pack is not read, while an index without its pack
            // would fail a reader that listed it.
            unlink(folder + "/" + pack + ".idx")
            unlink(folder + "/" + pack + ".pack")
        }
        try? AtomicFile.syncDirectory(folder)
        refreshObjectDatabase()
        return objects.count
    }

    /// Makes this handle see packs written or removed behind its back.
    private func refreshObjectDatabase() {
        guard let database = try? Managed<GitDatabase>("git_repository_odb", { git_repository_odb(&$0, pointer) }) else { return }
        git_odb_refresh(database.pointer)
    }

    /// An object database that reads one pack only, from its index: to list or check what that
    /// pack holds, whatever else the folder has.
    static func packDatabase(_ index: String) throws -> Managed<GitDatabase> {
        let database = try Managed<GitDatabase>("git_odb_new") { git_odb_new(&$0) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_odb_backend_one_pack(&backend, index), "git_odb_backend_one_pack")
        let added = git_odb_add_backend(database.pointer, backend, 1)
        if added < 0 {
            let error = GitError.last(code: added, function: "git_odb_add_backend")
            backend?.pointee.free(backend)
            throw error
        }
        return database
    }

    /// The ids of every object in one pack, from its index.
    static func objectIDs(inPack index: String) throws -> [git_oid] {
        let database = try packDatabase(index)
        final class Found { var ids: [git_oid] = [] }
        let found = Found()
        try check(git_odb_foreach(database.pointer, { oid, payload in
            Unmanaged<Found>.fromOpaque(payload!).takeUnretainedValue().ids.append(oid!.pointee)
            return 0
        }, Unmanaged.passUnretained(found).toOpaque()), "git_odb_foreach")
        return found.ids
    }

    /// Writes `objects` (read from wherever the repository has them) into one new pack in
    /// `objects/pack`, synced, and checks that the pack alone answers for each of them. Returns
    /// the new pack's name (`pack-<id>`).
    private func writePack(_ objects: [git_oid]) throws -> String {
        let folder = objectsDirectory + "/pack"
        let builder = try Managed<GitPackbuilder>("git_packbuilder_new") { git_packbuilder_new(&$0, pointer) }
        var objects = objects
        for index in objects.indices {
            try check(git_packbuilder_insert(builder.pointer, &objects[index], nil), "git_packbuilder_insert")
        }
        try check(git_packbuilder_write(builder.pointer, folder, 0, nil, nil), "git_packbuilder_write")
        guard let name = git_packbuilder_name(builder.pointer) else {
            throw GitError(code: -1, errorClass: 0, message: "the new pack has no name", function: "git_packbuilder_name")
        }
        let pack = "pack-" + String(cString: name)
        let packOnly = try Repository.packDatabase(folder + "/" + pack + ".idx")
        for index in objects.indices where git_odb_exists(packOnly.pointer, &objects[index]) != 1 {
            throw GitError(code: -1, errorClass: 0, message: "an object is missing from the new pack", function: "git_packbuilder_write")
        }
        return pack
    }

    /// Packs every loose object now. Hold the write lock.
    @discardableResult
    public func packLooseObjects() throws -> Int {
        let objects = objectsDirectory
        var loose: [(oid: git_oid, path: String)] = []
        for first in 0..<256 {
            let prefix = String(format: "%02x", first)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: objects + "/" + prefix)) ?? []
            where name.utf8.count == 38 && name.utf8.allSatisfy(isHexDigit) {
                var oid = git_oid()
                guard git_oid_fromstr(&oid, prefix + name) == 0 else { continue }
                loose.append((oid, objects + "/" + prefix + "/" + name))
            }
        }
        guard !loose.isEmpty else { return 0 }
        _ = try writePack(loose.map(\.oid))
        for object in loose { unlink(object.path) }
        refreshObjectDatabase()
        return loose.count
    }
}

private func isHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
}
