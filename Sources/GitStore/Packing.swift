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
        let folder = gitDirectory + "/objects/17"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.count { $0.utf8.count == 38 && $0.utf8.allSatisfy { isHexDigit($0) } } * 256
    }

    /// Every recorded entry leaves about five loose objects (blob, three trees, commit). Past
    /// `looseObjectLimit` of them, they are written into one new pack (with its index, both
    /// synced) and only then removed, the way `git gc --auto` starts with `git repack -d -l`.
    /// Returns the number of objects packed (0 when below the limit). Hold the write lock.
    @discardableResult
    public func packLooseObjectsIfNeeded(limit: Int = Repository.looseObjectLimit) throws -> Int {
        guard estimatedLooseObjects() > limit else { return 0 }
        return try packLooseObjects()
    }

    /// Packs every loose object now. Hold the write lock.
    @discardableResult
    public func packLooseObjects() throws -> Int {
        let objects = gitDirectory + "/objects"
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
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        for index in loose.indices {
            try check(git_packbuilder_insert(builder, &loose[index].oid, nil), "git_packbuilder_insert")
        }
        try check(git_packbuilder_write(builder, objects + "/pack", 0, nil, nil), "git_packbuilder_write")
        // The new pack alone must answer for every object before any loose copy goes.
        guard let name = git_packbuilder_name(builder) else {
            throw GitError(code: -1, errorClass: 0, message: "the new pack has no name", function: "git_packbuilder_name")
        }
        var packOnly: OpaquePointer?
        try check(git_odb_new(&packOnly), "git_odb_new")
        defer { git_odb_free(packOnly) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_odb_backend_one_pack(&backend, objects + "/pack/pack-" + String(cString: name) + ".idx"), "git_odb_backend_one_pack")
        try check(git_odb_add_backend(packOnly, backend, 1), "git_odb_add_backend")
        for index in loose.indices where git_odb_exists(packOnly, &loose[index].oid) != 1 {
            throw GitError(code: -1, errorClass: 0, message: "an object is missing from the new pack", function: "git_packbuilder_write")
        }
        for object in loose { unlink(object.path) }
        var database: OpaquePointer?
        if git_repository_odb(&database, pointer) == 0 {
            git_odb_refresh(database)
            git_odb_free(database)
        }
        return loose.count
    }
}

private func isHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
}
