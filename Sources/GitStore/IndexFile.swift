#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Crypto
import Foundation

/// `.git/index` read and rewritten directly, for the write rapport makes all day: a commit of a
/// few paths into a journal of 100k files. libgit2 parses every entry into its own structures
/// and serialises them again (about 0.1 s each way at 100k entries); here the file's bytes are
/// copied around the changed entries, so a write costs one read, two SHA-1s and one write of the
/// file. The result is the index git itself would write, byte for byte in every entry.
///
/// Only versions 2 and 3 with no extension but the cache tree (`TREE`, whose nodes on a changed
/// path are invalidated as git does) are handled, and no conflicted path may be touched; for
/// anything else (v4, split index, untracked cache, a resolve-undo record) `load` returns nil and
/// the caller uses libgit2's index.
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
    static func entry(path: String, blob: ObjectID, stat info: stat) -> [UInt8] {
        let pathBytes = Array(path.utf8)
        var entry: [UInt8] = []
        let length = (62 + pathBytes.count + 8) & ~7
        entry.reserveCapacity(length)
        let mode: UInt32 = (info.st_mode & S_IFMT) == S_IFLNK ? 0o120000 : (info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644)
        for value in [UInt32(truncatingIfNeeded: info.st_ctim.tv_sec), UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec),
                      UInt32(truncatingIfNeeded: info.st_mtim.tv_sec), UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec),
                      UInt32(truncatingIfNeeded: info.st_dev), UInt32(truncatingIfNeeded: info.st_ino), mode,
                      UInt32(truncatingIfNeeded: info.st_uid), UInt32(truncatingIfNeeded: info.st_gid),
                      UInt32(truncatingIfNeeded: info.st_size)] {
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
    /// `smudgingFrom` is the old index's modification time (seconds): an untouched entry from that
    /// second or later is "racily clean" (its file may have changed within the second without its
    /// stat data showing it), and is copied with its size set to 0, as git does, so every reader
    /// compares the file's content.
    func applying(_ changes: [Change], smudgingFrom second: Int? = nil) -> [UInt8]? {
        var changes = changes
        if let second {
            let changed = Set(changes.map(\.path))
            for slot in slots where slot.stage == 0 && Int(IndexFile.u32(bytes, slot.start + 8)) >= second {
                let path = Array(bytes[slot.pathStart..<slot.pathEnd])
                guard !changed.contains(path) else { continue }
                var entry = Array(bytes[slot.start..<slot.end])
                entry.replaceSubrange(36..<40, with: [0, 0, 0, 0])
                changes.append(Change(path: path, entry: entry))
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

    /// What `PendingUpdate.install` wrote: the new file's stat data and the bytes it replaced, to
    /// put them back if the commit does not land.
    struct Written: Sendable {
        let stamp: [Int]?
        let replaced: [UInt8]
        /// A second name the replaced index file kept (`PreparedWrite.install`), for the caller
        /// to unlink when it suits it; nil when it kept none.
        let retired: String?
    }

    /// `changes` spliced into `index` (read at `stamp`) and written beside the index, synced
    /// (`PreparedWrite`), to be put in place later (`PendingUpdate.install`).
    static func prepareUpdate(_ index: IndexFile, readAt stamp: [Int], with changes: [Change], at path: String) throws -> PendingUpdate {
        guard let file = index.applying(changes, smudgingFrom: stamp[2]) else {
            throw GitStoreError.io(path: path, reason: "a path to commit is in conflict in the index")
        }
        return PendingUpdate(prepared: try PreparedWrite(file, at: path), base: stamp, source: index, changes: changes, path: path)
    }

    /// A new index waiting beside the index, with what it was spliced from.
    struct PendingUpdate: Sendable {
        let prepared: PreparedWrite
        let base: [Int]
        let source: IndexFile
        let changes: [Change]
        let path: String

        /// Puts it in place, only over the file it was spliced into: if something (a `git add`)
        /// replaced that meanwhile, the changes are spliced into the new one instead, up to five
        /// times. Returns what was written; on failure neither the lock nor the new index is left.
        func install() throws -> Written {
            var (prepared, base, source) = (self.prepared, self.base, self.source)
            for attempt in 1...5 {
                do {
                    let retired = try prepared.install(ifStillAt: base)
                    return Written(stamp: IndexFile.stamp(path), replaced: source.bytes, retired: retired)
                } catch is Changed {
                    guard attempt < 5, let reloaded = try loadStamped(path),
                          let file = reloaded.file.applying(changes, smudgingFrom: reloaded.stamp[2]) else { break }
                    prepared = try PreparedWrite(file, at: path)
                    (base, source) = (reloaded.stamp, reloaded.file)
                }
            }
            throw GitStoreError.io(path: path, reason: "the index kept changing while rapport wrote it (is a git command running?)")
        }

        /// Drops it; the index stays as it was.
        func abandon() {
            prepared.abandon()
        }
    }

    /// Writes `file` as the index the way git does: to `index.lock` (created exclusively, so a
    /// running git command's lock is respected), synced (as libgit2 does with fsync on), then
    /// renamed over `index` if it is still the one `file` was made from (`stamp`). For writers
    /// that do not hold rapport's write lock (a read refreshing stat data), which must not share
    /// `PreparedWrite`'s one file.
    static func write(_ file: [UInt8], to path: String, ifStillAt stamp: [Int]? = nil) throws {
        let lock = path + ".lock"
        let fd = try takeLock(of: path)
        let failure = writeAndSync(file, to: fd)
        close(fd)
        if let failure {
            unlink(lock)
            throw writeError(failure.verb, lock, failure.code)
        }
        try putInPlace(lock, over: path, ifStillAt: stamp)
    }

    /// The index was replaced after the file being written was made from it.
    struct Changed: Error {}

    /// A new index written and synced beside the index (`index.rapport-new`), ready to be put in
    /// place by `install`, which takes git's `index.lock` only for that moment: a `git add` run
    /// while the rest of a commit is made does not find the index locked. Only one exists at a
    /// time: commits hold rapport's write lock. One a killed writer left is overwritten by the
    /// next.
    struct PreparedWrite: Sendable {
        let path: String
        var staged: String { path + ".rapport-new" }

        init(_ file: [UInt8], at path: String) throws {
            self.path = path
            let staged = path + ".rapport-new"
            let fd = open(staged, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw AtomicFile.ioError(staged) }
            let failure = writeAndSync(file, to: fd)
            close(fd)
            if let failure {
                unlink(staged)
                throw writeError(failure.verb, staged, failure.code)
            }
        }

        /// Takes `index.lock`, moves the new index into it, and renames it over the index if that
        /// is still the one it was made from (`stamp`), else throws `Changed`. On any failure
        /// neither the lock nor the new index is left.
        /// The file being replaced keeps a second name (`index.rapport-old`, returned; nil if the
        /// link failed), so the rename only drops a name: freeing its blocks, about a millisecond
        /// per megabyte (the index is 12 MB at 100k entries), is left to whoever unlinks it.
        func install(ifStillAt stamp: [Int]?) throws -> String? {
            let lock = path + ".lock"
            let fd: Int32
            do {
                fd = try takeLock(of: path)
            } catch {
                unlink(staged)
                throw error
            }
            close(fd)
            guard rename(staged, lock) == 0 else {
                let code = errno
                unlink(lock)
                unlink(staged)
                throw writeError("rename", staged, code)
            }
            let retired = path + ".rapport-old"
            unlink(retired)  // one a killed writer left
            return try putInPlace(lock, over: path, ifStillAt: stamp, keeping: retired) ? retired : nil
        }

        /// Drops it; the index stays as it was.
        func abandon() {
            unlink(staged)
        }
    }

    /// Creates `index.lock` for the index at `path` exclusively, waiting up to a second for a
    /// holder to let go (a reader refreshing stat data, a git command staging a file).
    private static func takeLock(of path: String) throws -> Int32 {
        let lock = path + ".lock"
        var fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        var waited = 0
        while fd < 0, errno == EEXIST, waited < 100 {
            usleep(10_000)
            waited += 1
            fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST { throw GitStoreError.locked(lockPath: lock, byGit: true) }
            throw writeError("create", lock, code)
        }
        return fd
    }

    /// Writes all of `file` and syncs it; what failed (and its errno) when something did.
    private static func writeAndSync(_ file: [UInt8], to fd: Int32) -> (verb: String, code: Int32)? {
        var written = 0
        let result: Int32 = file.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return 0
        }
        if result != 0 { return ("write", result) }
        return fsync(fd) == 0 ? nil : ("sync", errno)
    }

    /// Under the lock, the index must still be the one the new file was made from (`stamp`): then
    /// the lock file is renamed over it. On any failure the lock file is removed. With `keeping`,
    /// the file being replaced is first linked to that name (after the check: a link changes its
    /// ctime); returns whether it was.
    @discardableResult
    private static func putInPlace(_ lock: String, over path: String, ifStillAt stamp: [Int]?, keeping retired: String? = nil) throws -> Bool {
        if let stamp, IndexFile.stamp(path) != stamp {
            unlink(lock)
            throw Changed()
        }
        let kept = retired.map { link(path, $0) == 0 } ?? false
        guard rename(lock, path) == 0 else {
            let code = errno
            unlink(lock)
            if kept, let retired { unlink(retired) }
            throw writeError("rename", lock, code)
        }
        return kept
    }

    private static func writeError(_ verb: String, _ path: String, _ code: Int32) -> GitError {
        GitError(code: -1, errorClass: 0, message: "cannot \(verb) '\(path)': \(String(cString: strerror(code)))", function: "index write")
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

/// The index's record of the work tree, for reading files without hashing them: a file whose stat
/// data still matches its index entry holds the blob the entry names, as `git status` assumes.
public struct IndexedStat: Sendable {
    let file: IndexFile
    /// The index file's modification time: an entry from the same second or later might describe
    /// a file changed right after (git's "racily clean" case, which git compares in seconds), so
    /// it is not trusted.
    let written: (seconds: Int, nanoseconds: Int)

    /// The blob id (20 bytes) the index records for `path`, whatever the file's state.
    public func recordedBlob(for path: String) -> ArraySlice<UInt8>? {
        guard let index = slot(of: path) else { return nil }
        return file.bytes[(file.slots[index].start + 40)..<(file.slots[index].start + 60)]
    }

    private func slot(of path: String) -> Int? {
        var path = path
        return path.withUTF8 { file.find(UnsafeRawBufferPointer($0)) }
    }

    /// The blob id (20 bytes) the index records for `path` if the file's `info` matches the entry
    /// exactly (modification and change times, inode, size) and the entry is older than the
    /// index; nil otherwise, and the caller reads and hashes the file.
    public func blob(for path: String, stat info: stat) -> ArraySlice<UInt8>? {
        var path = path
        return path.withUTF8 { blob(forPath: UnsafeRawBufferPointer($0), stat: info) }
    }

    /// The same for a path given as its bytes.
    public func blob(forPath path: UnsafeRawBufferPointer, stat info: stat) -> ArraySlice<UInt8>? {
        guard let index = file.find(path) else { return nil }
        let start = file.slots[index].start
        let bytes = file.bytes
        func field(_ number: Int) -> UInt32 { IndexFile.u32(bytes, start + 4 * number) }
        let mtime = (Int(field(2)), Int(field(3)))
        guard field(0) == UInt32(truncatingIfNeeded: info.st_ctim.tv_sec), field(1) == UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec),
              field(2) == UInt32(truncatingIfNeeded: info.st_mtim.tv_sec), field(3) == UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec),
              field(5) == UInt32(truncatingIfNeeded: info.st_ino), field(9) == UInt32(truncatingIfNeeded: info.st_size),
              mtime.0 < written.seconds else { return nil }
        return bytes[(start + 40)..<(start + 60)]
    }
}

extension Repository {
    /// Records fresh stat data for files whose content was found unchanged (their bytes hash to
    /// the blob their index entry names), as `git status` does after it has looked: a copied or
    /// restored journal otherwise has every file hashed by every read until something rewrites
    /// the index. Opportunistic, like git's: skipped when the index is locked or changed since
    /// `known` was read, or holds entries this code does not rewrite. Returns whether it wrote.
    @discardableResult
    public func refreshIndexStat(_ files: [(path: String, stat: stat)], known: IndexedStat) -> Bool {
        let path = gitDirectory + "/index"
        guard !files.isEmpty, let (before, current) = try? loadIndexFile(), current.bytes == known.file.bytes else { return false }
        var changes: [IndexFile.Change] = []
        for file in files {
            guard let index = current.find(Array(file.path.utf8)) else { continue }
            let slot = current.slots[index]
            let flags = Int(current.bytes[slot.start + 60]) << 8 | Int(current.bytes[slot.start + 61])
            // Assume-valid, skip-worktree and intent-to-add entries keep their flags: not touched.
            let recordedMode = IndexFile.u32(current.bytes, slot.start + 24)
            let mode: UInt32 = file.stat.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
            // A changed mode is a change to stage, not stat data to refresh.
            guard flags & 0xC000 == 0, (file.stat.st_mode & S_IFMT) == S_IFREG, recordedMode == mode else { continue }
            changes.append(IndexFile.Change(path: Array(file.path.utf8), entry: IndexFile.entry(path: file.path, blob: current.blob(at: index),
                                                                                              stat: file.stat)))
        }
        guard !changes.isEmpty, let updated = current.applying(changes, smudgingFrom: before[2]) else { return false }
        // git's own lock: a writer (rapport's or git's) that holds it wins, and this is skipped.
        return (try? IndexFile.write(updated, to: path, ifStillAt: before)) != nil
    }

    /// The index as `IndexedStat`; nil when there is none or it is of a kind only libgit2 reads.
    public func indexedStat() -> IndexedStat? {
        // The times are those of the file read (`loadIndexFile` gives nothing for one replaced meanwhile).
        guard let (before, file) = try? loadIndexFile() else { return nil }
        // Truncated to what the entries can hold, the way git compares them.
        return IndexedStat(file: file, written: (Int(UInt32(truncatingIfNeeded: before[2])), before[3]))
    }
}
