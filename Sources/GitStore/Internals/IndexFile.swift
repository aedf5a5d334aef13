#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Crypto
import Foundation

/// `.git/index` read and rewritten directly, for the write rapport makes all day: a commit of a
/// few paths into a journal of 100k files. libgit2 parses every entry into its own structures
/// and serialises them again, a cost that grows with the journal; here the file's bytes are
/// copied around the changed entries, so a write costs one read, two SHA-1s and one write of the
/// file. The result is the index git itself would write, byte for byte in every entry.
///
/// Only versions 2 and 3 with no extension but the cache tree (`TREE`, whose nodes on a changed
/// path are invalidated as git does) are handled, and no conflicted path may be touched; for
/// anything else (v4, split index, untracked cache, a resolve-undo record) `load` returns nil and
/// `IndexUpdate` uses libgit2's index (it says why v4 is left to it).
struct IndexFile: Sendable {
    /// One entry's place in `bytes`.
    struct Slot {
        var start: Int
        var end: Int
        var pathStart: Int
        var pathEnd: Int
        var stage: Int
    }

    let bytes: [UInt8]
    let version: UInt32
    let slots: [Slot]
    /// The `TREE` extension's payload, if any.
    let cacheTree: Range<Int>?

    // MARK: - Reading

    /// The index at `path`; nil when it does not exist or is of a kind left to libgit2. A file
    /// whose checksum does not match is refused, as git refuses it.
    static func load(_ path: String) throws -> IndexFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        // No index at all is left to libgit2, as are the kinds this code does not write.
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = read(fd, buffer.baseAddress! + count, size - count)
                if got < 0, errno == EINTR { continue }
                if got <= 0 { failed = true; break }
                count += got
            }
        }
        guard !failed else { return nil }
        return try IndexFile(bytes: bytes)
    }

    /// The index at `path` with the stat data it was read at; nil when there is none, it is of a
    /// kind left to libgit2, or it was replaced while being read (then nobody can say which
    /// version the bytes are).
    static func loadStamped(_ path: String) throws -> (stamp: [Int], file: IndexFile)? {
        guard let before = stamp(path), let file = try load(path), stamp(path) == before else { return nil }
        return (before, file)
    }

    /// The stat data that tells whether the file changed since it was read.
    static func stamp(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec]
    }

    init?(bytes: [UInt8]) throws {
        let corrupt = GitError(code: -1, errorClass: 0, message: "the index file is corrupt (checksum or entries)", function: "index read")
        guard bytes.count >= 32, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw corrupt }
        let version = IndexFile.u32(bytes, 4)
        guard version == 2 || version == 3 else { return nil }
        let count = Int(IndexFile.u32(bytes, 8))
        let body = bytes.count - 20
        // git 2.40's `index.skipHash` writes a zero checksum; git accepts it, and so does this.
        guard bytes[body...].allSatisfy({ $0 == 0 }) || IndexFile.sha1(bytes[0..<body]).elementsEqual(bytes[body...]) else { throw corrupt }
        var slots: [Slot] = []
        slots.reserveCapacity(count + 4)
        var offset = 12
        try bytes.withUnsafeBufferPointer { buffer in
            for _ in 0..<count {
                guard offset + 62 <= body else { throw corrupt }
                let flags = Int(buffer[offset + 60]) << 8 | Int(buffer[offset + 61])
                let extended = flags & 0x4000 != 0
                guard !extended || version == 3 else { throw corrupt }
                let pathStart = offset + 62 + (extended ? 2 : 0)
                var pathEnd = pathStart
                while pathEnd < body, buffer[pathEnd] != 0 { pathEnd += 1 }
                guard pathEnd < body else { throw corrupt }
                let end = offset + ((pathEnd - offset) + 8) & ~7
                guard end <= body else { throw corrupt }
                slots.append(Slot(start: offset, end: end, pathStart: pathStart, pathEnd: pathEnd, stage: (flags >> 12) & 3))
                offset = end
            }
        }
        var cacheTree: Range<Int>?
        while offset < body {
            guard offset + 8 <= body else { throw corrupt }
            let size = Int(IndexFile.u32(bytes, offset + 4))
            guard offset + 8 + size <= body else { throw corrupt }
            guard bytes[offset..<offset + 4].elementsEqual("TREE".utf8) else { return nil }
            cacheTree = offset + 8..<offset + 8 + size
            offset += 8 + size
        }
        self.bytes = bytes
        self.version = version
        self.slots = slots
        self.cacheTree = cacheTree
    }

    var count: Int { slots.count }

    func path(at index: Int) -> ArraySlice<UInt8> { bytes[slots[index].pathStart..<slots[index].pathEnd] }

    /// The blob id stored for entry `index`.
    func blob(at index: Int) -> ObjectID {
        var oid = git_oid()
        bytes.withUnsafeBufferPointer { buffer in
            _ = git_oid_fromraw(&oid, buffer.baseAddress! + slots[index].start + 40)
        }
        return ObjectID(oid)
    }

    /// The first entry whose path is not below `path` in git's order (bytes, then stage).
    func position(of path: [UInt8]) -> Int {
        path.withUnsafeBytes { position(of: $0) }
    }

    func position(of path: UnsafeRawBufferPointer) -> Int {
        bytes.withUnsafeBytes { buffer in
            var low = 0, high = slots.count
            while low < high {
                let middle = (low + high) / 2
                let slot = slots[middle]
                let length = slot.pathEnd - slot.pathStart
                let common = min(length, path.count)
                let order = common == 0 ? 0 : memcmp(buffer.baseAddress! + slot.pathStart, path.baseAddress!, common)
                if order < 0 || (order == 0 && length < path.count) { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// The stage-0 entry for `path`, if there is one.
    func find(_ path: [UInt8]) -> Int? {
        path.withUnsafeBytes { find($0) }
    }

    func find(_ path: UnsafeRawBufferPointer) -> Int? {
        let index = position(of: path)
        guard index < slots.count, slots[index].stage == 0, slots[index].pathEnd - slots[index].pathStart == path.count else { return nil }
        let equal = bytes.withUnsafeBytes { buffer in
            path.count == 0 || memcmp(buffer.baseAddress! + slots[index].pathStart, path.baseAddress!, path.count) == 0
        }
        return equal ? index : nil
    }

    /// Whether a path starts with `prefix` and ends with one of `suffixes` (an entry id's file
    /// name ending, when a new id is drawn): one pass of `memcmp` over the entries' paths.
    func hasPath(startingWith prefix: [UInt8], endingWithAnyOf suffixes: [[UInt8]]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            for slot in slots[position(of: prefix)...] {
                let length = slot.pathEnd - slot.pathStart
                guard length >= prefix.count, memcmp(base + slot.pathStart, prefix, prefix.count) == 0 else { break }
                for suffix in suffixes where length >= prefix.count + suffix.count
                    && memcmp(base + slot.pathEnd - suffix.count, suffix, suffix.count) == 0 {
                    return true
                }
            }
            return false
        }
    }

    // MARK: - Writing

    /// What a commit does to one path: a new entry for it (its blob and the file's stat data), or
    /// none (removed).
    struct Change {
        let path: [UInt8]
        let entry: [UInt8]?
    }

    /// The entry git writes for a file with this stat data and blob.
    static func entry(path: String, blob: ObjectID, stat info: FileStat) -> [UInt8] {
        let pathBytes = Array(path.utf8)
        var entry: [UInt8] = []
        let length = (62 + pathBytes.count + 8) & ~7
        entry.reserveCapacity(length)
        let mode: UInt32 = info.isSymbolicLink ? 0o120000 : (info.isExecutable ? 0o100755 : 0o100644)
        for value in [UInt32(truncatingIfNeeded: info.changed.seconds), UInt32(truncatingIfNeeded: info.changed.nanoseconds),
                      UInt32(truncatingIfNeeded: info.modified.seconds), UInt32(truncatingIfNeeded: info.modified.nanoseconds),
                      UInt32(truncatingIfNeeded: info.device), UInt32(truncatingIfNeeded: info.inode), mode,
                      info.user, info.group, UInt32(truncatingIfNeeded: info.size)] {
            append(value, to: &entry)
        }
        var oid = blob.oid
        withUnsafeBytes(of: &oid.id) { entry.append(contentsOf: $0.prefix(20)) }
        let flags = min(pathBytes.count, 0xfff)
        entry.append(UInt8(flags >> 8))
        entry.append(UInt8(flags & 0xff))
        entry.append(contentsOf: pathBytes)
        entry.append(contentsOf: repeatElement(0, count: length - entry.count))
        return entry
    }

    /// The whole new file with `changes` applied, or nil when one of them touches a conflicted path
    /// (left to libgit2).
    ///
    /// `racyFrom` is the old index's modification time (seconds): an untouched entry from that
    /// second or later is "racily clean" (its file may have changed within the second without its
    /// stat data showing it). As git does when it writes an index, such an entry whose stat data
    /// still matches the file in `workTree` is checked against the file's content, and only if
    /// that changed is it copied with its size set to 0, so every reader compares the content.
    /// Smudging one that still matches would make `git diff-files` list it as modified.
    func applying(_ changes: [Change], racyFrom second: Int? = nil, workTree: String? = nil) -> [UInt8]? {
        var changes = changes
        if let second {
            let changed = Set(changes.map(\.path))
            let racy = slots.indices.filter { index in
                slots[index].stage == 0 && Int(IndexFile.u32(bytes, slots[index].start + 8)) >= second
                    && !changed.contains(Array(path(at: index)))
            }
            // Checking reads each file; past this many (the index just after a clone or checkout,
            // where every entry is as new as the index), they are all smudged unread instead,
            // which is always safe, and the next read's stat refresh records them again.
            let checked = racy.count <= IndexFile.racyEntriesChecked ? workTree : nil
            for index in racy where !stillClean(index, in: checked) {
                let slot = slots[index]
                var entry = Array(bytes[slot.start..<slot.end])
                entry.replaceSubrange(36..<40, with: [0, 0, 0, 0])
                changes.append(Change(path: Array(path(at: index)), entry: entry))
            }
        }
        // Where each change lands, in path order; a replaced or removed entry is skipped.
        var edits: [(at: Int, skip: Bool, entry: [UInt8]?)] = []
        for change in changes.sorted(by: { IndexFile.less($0.path[...], $1.path[...]) }) {
            let at = position(of: change.path)
            var end = at
            while end < slots.count, path(at: end).elementsEqual(change.path) {
                if slots[end].stage != 0 { return nil }
                end += 1
            }
            edits.append((at, end > at, change.entry))
        }
        var pieces: [ArraySlice<UInt8>] = []
        var next = 0
        var count = slots.count
        for edit in edits {
            if edit.at > next { pieces.append(bytes[slots[next].start..<slots[edit.at - 1].end]) }
            if let entry = edit.entry { pieces.append(entry[...]); count += 1 }
            if edit.skip { count -= 1 }
            next = edit.skip ? edit.at + 1 : edit.at
        }
        if next < slots.count { pieces.append(bytes[slots[next].start..<slots[slots.count - 1].end]) }
        var extensions: [UInt8] = []
        if let cacheTree {
            let tree = IndexFile.invalidating(bytes[cacheTree], paths: changes.map(\.path))
            extensions += Array("TREE".utf8)
            IndexFile.append(UInt32(tree.count), to: &extensions)
            extensions += tree
        }
        return IndexFile.assemble(version: version, count: count, pieces: pieces, extensions: extensions)
    }

    /// How many racily clean entries one write reads to check (`applying`).
    static let racyEntriesChecked = 1000

    /// Whether entry `index` still describes its file in `workTree`: the file's stat data differs
    /// from the entry (every reader then compares content anyway), or its bytes hash to the
    /// entry's blob. False without a work tree to look in.
    func stillClean(_ index: Int, in workTree: String?) -> Bool {
        guard let workTree, let path = String(validating: path(at: index), as: UTF8.self) else { return false }
        let start = slots[index].start
        func field(_ number: Int) -> UInt32 { IndexFile.u32(bytes, start + 4 * number) }
        guard let info = FileStat.of(workTree + "/" + path) else { return true }
        let statMatches = field(0) == UInt32(truncatingIfNeeded: info.changed.seconds)
            && field(1) == UInt32(truncatingIfNeeded: info.changed.nanoseconds)
            && field(2) == UInt32(truncatingIfNeeded: info.modified.seconds)
            && field(3) == UInt32(truncatingIfNeeded: info.modified.nanoseconds)
            && field(5) == UInt32(truncatingIfNeeded: info.inode) && field(9) == UInt32(truncatingIfNeeded: info.size)
        guard statMatches else { return true }
        guard info.isRegularFile, let data = FileManager.default.contents(atPath: workTree + "/" + path),
              let id = ObjectID.blob(hashing: data) else { return false }
        return id == blob(at: index)
    }

    static func assemble(version: UInt32, count: Int, pieces: [ArraySlice<UInt8>], extensions: [UInt8]) -> [UInt8] {
        var file: [UInt8] = []
        file.reserveCapacity(pieces.reduce(12 + extensions.count + 20) { $0 + $1.count })
        file += Array("DIRC".utf8)
        append(version, to: &file)
        append(UInt32(count), to: &file)
        for piece in pieces { file += piece }
        file += extensions
        file += sha1(file[...])
        return file
    }

    /// The cache tree with every node on the way to a changed path marked invalid (entry count -1,
    /// no tree id), as git's `cache_tree_invalidate_path` does; other nodes keep their ids.
    static func invalidating(_ tree: ArraySlice<UInt8>, paths: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        var offset = tree.startIndex
        func node(prefix: [UInt8]) -> Bool {
            guard let nul = tree[offset...].firstIndex(of: 0), let space = tree[nul...].firstIndex(of: 0x20),
                  let newline = tree[space...].firstIndex(of: 0x0a),
                  let entries = Int(String(decoding: tree[(nul + 1)..<space], as: UTF8.self)),
                  let subtrees = Int(String(decoding: tree[(space + 1)..<newline], as: UTF8.self)) else { return false }
            let name = Array(tree[offset..<nul])
            let path = prefix + name + (name.isEmpty ? [] : [0x2f])
            let touched = paths.contains { $0.starts(with: path) }
            output += name
            output.append(0)
            output += Array((touched ? "-1" : String(entries)).utf8)
            output.append(0x20)
            output += Array(String(subtrees).utf8)
            output.append(0x0a)
            offset = newline + 1
            if entries >= 0 {
                guard offset + 20 <= tree.endIndex else { return false }
                if !touched { output += tree[offset..<offset + 20] }
                offset += 20
            }
            for _ in 0..<max(subtrees, 0) where !node(prefix: path) { return false }
            return true
        }
        // A cache tree that cannot be read is dropped: git rebuilds it when it needs it.
        guard node(prefix: []) else { return [] }
        return output
    }

    /// Whether any of `changes` touches a path with conflict stages, which `applying` leaves to
    /// libgit2.
    func touchesConflict(_ changes: [Change]) -> Bool {
        changes.contains { change in
            var at = position(of: change.path)
            while at < slots.count, path(at: at).elementsEqual(change.path) {
                if slots[at].stage != 0 { return true }
                at += 1
            }
            return false
        }
    }

    // MARK: - Bytes

    static func sha1(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(bytes.withUnsafeBytes { Insecure.SHA1.hash(data: $0) })
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// git's order for index paths: bytewise.
    static func less(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }
}
