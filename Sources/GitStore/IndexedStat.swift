#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

/// The index's record of the work tree, for reading files without hashing them: a file whose stat
/// data still matches its index entry holds the blob the entry names, as `git status` assumes.
public struct IndexedStat: Sendable {
    /// The whole index, or only the entries a reader asked for (`indexedStat(pathsIn:)`).
    let file: IndexFile
    /// The index file's stat data when it was read (`IndexFile.stamp`).
    let stamp: [Int]
    /// The index file's modification time: an entry from the same second or later might describe
    /// a file changed right after (git's "racily clean" case, which git compares in seconds), so
    /// it is not trusted. Truncated to what the entries can hold, the way git compares them.
    var written: (seconds: Int, nanoseconds: Int) { (Int(UInt32(truncatingIfNeeded: stamp[2])), stamp[3]) }

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
    public func blob(for path: String, stat info: FileStat) -> ArraySlice<UInt8>? {
        var path = path
        return path.withUTF8 { blob(at: file.find(UnsafeRawBufferPointer($0)), stat: info) }
    }

    /// The same for a path given as its bytes, which are compared in place when they are
    /// contiguous (a name straight from a directory listing).
    public func blob<Path: Collection<UInt8>>(forPath path: Path, stat info: FileStat) -> ArraySlice<UInt8>? {
        let found = path.withContiguousStorageIfAvailable { file.find(UnsafeRawBufferPointer($0)) } ?? file.find(Array(path))
        return blob(at: found, stat: info)
    }

    private func blob(at index: Int?, stat info: FileStat) -> ArraySlice<UInt8>? {
        guard let index else { return nil }
        let start = file.slots[index].start
        let bytes = file.bytes
        func field(_ number: Int) -> UInt32 { IndexFile.u32(bytes, start + 4 * number) }
        guard field(0) == UInt32(truncatingIfNeeded: info.changed.seconds), field(1) == UInt32(truncatingIfNeeded: info.changed.nanoseconds),
              field(2) == UInt32(truncatingIfNeeded: info.modified.seconds), field(3) == UInt32(truncatingIfNeeded: info.modified.nanoseconds),
              field(5) == UInt32(truncatingIfNeeded: info.inode), field(9) == UInt32(truncatingIfNeeded: info.size),
              Int(field(2)) < written.seconds else { return nil }
        return bytes[(start + 40)..<(start + 60)]
    }
}

extension Repository {
    /// The index file and the stat data it was read at (`IndexFile.stamp`), read again only when
    /// that changed since the last read; nil when there is none, it is of a kind left to libgit2,
    /// or it was replaced while being read (then nobody can say which version the bytes are).
    func loadIndexFile() throws -> (stamp: [Int], file: IndexFile)? {
        let path = gitDirectory + "/index"
        guard let before = IndexFile.stamp(path) else { return nil }
        if let cached = indexFileCache, cached.stamp == before { return cached }
        guard let loaded = try IndexFile.loadStamped(path) else { return nil }
        indexFileCache = loaded
        return loaded
    }

    /// Whether the index has a path that starts with `prefix` and ends with one of `suffixes`,
    /// compared as bytes straight from the index file (not libgit2's parse of every entry); nil
    /// when there is no readable index.
    public func indexHasPath(startingWith prefix: [UInt8], endingWithAnyOf suffixes: [[UInt8]]) -> Bool? {
        guard let index = try? loadIndexFile()?.file else { return nil }
        return index.hasPath(startingWith: prefix, endingWithAnyOf: suffixes)
    }

    /// Records fresh stat data for files whose content was found unchanged (their bytes hash to
    /// the blob their index entry names), as `git status` does after it has looked: a copied or
    /// restored journal otherwise has every file hashed by every read until something rewrites
    /// the index. Opportunistic, like git's: skipped when the index is locked or changed since
    /// `known` was read, or holds entries this code does not rewrite. Returns whether it wrote.
    @discardableResult
    public func refreshIndexStat(_ files: [(path: String, stat: FileStat)], known: IndexedStat) -> Bool {
        let path = gitDirectory + "/index"
        guard !files.isEmpty, let (before, current) = try? loadIndexFile(), before == known.stamp else { return false }
        var changes: [IndexFile.Change] = []
        for file in files {
            guard let index = current.find(Array(file.path.utf8)) else { continue }
            let slot = current.slots[index]
            let flags = Int(current.bytes[slot.start + 60]) << 8 | Int(current.bytes[slot.start + 61])
            // Assume-valid, skip-worktree and intent-to-add entries keep their flags: not touched.
            let recordedMode = IndexFile.u32(current.bytes, slot.start + 24)
            let mode: UInt32 = file.stat.isExecutable ? 0o100755 : 0o100644
            // A changed mode is a change to stage, not stat data to refresh.
            guard flags & 0xC000 == 0, file.stat.isRegularFile, recordedMode == mode else { continue }
            changes.append(IndexFile.Change(path: Array(file.path.utf8), entry: IndexFile.entry(path: file.path, blob: current.blob(at: index),
                                                                                              stat: file.stat)))
        }
        guard !changes.isEmpty, let updated = current.applying(changes, racyFrom: before[2], workTree: workTree) else { return false }
        // git's own lock: a writer (rapport's or git's) that holds it wins, and this is skipped.
        return (try? IndexFile.write(updated, to: path, ifStillAt: before)) != nil
    }

    /// The index as `IndexedStat`; nil when there is none or it is of a kind only libgit2 reads.
    public func indexedStat() -> IndexedStat? {
        // The times are those of the file read (`loadIndexFile` gives nothing for one replaced meanwhile).
        guard let (before, file) = try? loadIndexFile() else { return nil }
        return IndexedStat(file: file, stamp: before)
    }

    /// The index's entries whose paths lie in `ranges` (compared as bytes, git's order), for a
    /// read of a few folders: the file is mapped and walked, and only those entries are kept, so
    /// the cost does not grow with the rest of the journal. Its checksum is not computed, as git
    /// does not compute it when it reads the index (only `git fsck` does); the writer, which
    /// rewrites the file, still checks it. nil when there is no index, it is not version 2 or 3,
    /// or it is damaged or was replaced while being read.
    public func indexedStat(pathsIn ranges: [Range<String>]) -> IndexedStat? {
        let path = gitDirectory + "/index"
        // A small index is read ahead at start-up (`Repository.open(at:readAhead:)`): that read is used.
        if let cached = indexFileCache, cached.stamp == IndexFile.stamp(path) {
            return IndexedStat(file: cached.file, stamp: cached.stamp)
        }
        let bounds = ranges.map { (Array($0.lowerBound.utf8), Array($0.upperBound.utf8)) }
        guard let before = IndexFile.stamp(path), let file = IndexFile.entries(of: path, in: bounds),
              IndexFile.stamp(path) == before else { return nil }
        return IndexedStat(file: file, stamp: before)
    }
}

/// Byte order of two paths, as git sorts them: negative, zero or positive.
private func order(_ name: UnsafeRawBufferPointer, _ bound: [UInt8]) -> Int {
    let common = min(name.count, bound.count)
    let compared = common == 0 ? 0 : bound.withUnsafeBytes { memcmp(name.baseAddress!, $0.baseAddress!, common) }
    return compared != 0 ? Int(compared) : name.count - bound.count
}

extension IndexFile {
    /// The entries of the version 2 or 3 index at `path` whose paths lie in one of `ranges`, as an
    /// index file of their own (its checksum zero, as `index.skipHash` writes it): only for
    /// looking up, never written back.
    static func entries(of path: String, in ranges: [([UInt8], [UInt8])]) -> IndexFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 32, let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0),
              mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, Int(info.st_size)) }
        let bytes = UnsafeRawBufferPointer(start: mapped, count: Int(info.st_size))
        func u32(_ at: Int) -> UInt32 { UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        let version = u32(4)
        guard bytes.prefix(4).elementsEqual("DIRC".utf8), version == 2 || version == 3 else { return nil }
        let body = bytes.count - 20
        var kept: [UInt8] = Array("DIRC".utf8)
        withUnsafeBytes(of: version.bigEndian) { kept += $0 }
        kept += [0, 0, 0, 0]
        var count: UInt32 = 0
        var offset = 12
        for _ in 0..<u32(8) {
            guard offset + 62 <= body else { return nil }
            let flags = Int(bytes[offset + 60]) << 8 | Int(bytes[offset + 61])
            let pathStart = offset + 62 + (flags & 0x4000 != 0 ? 2 : 0)
            // The name's length is in the flags unless it is 4,095 bytes or more.
            var pathEnd = flags & 0xFFF < 0xFFF ? pathStart + (flags & 0xFFF) : pathStart
            while flags & 0xFFF == 0xFFF, pathEnd < body, bytes[pathEnd] != 0 { pathEnd += 1 }
            guard pathEnd < body, bytes[pathEnd] == 0 else { return nil }
            let end = offset + ((pathEnd - offset) + 8) & ~7
            guard end <= body else { return nil }
            let name = UnsafeRawBufferPointer(rebasing: bytes[pathStart..<pathEnd])
            if ranges.contains(where: { order(name, $0.0) >= 0 && order(name, $0.1) < 0 }) {
                kept += bytes[offset..<end]
                count += 1
            }
            offset = end
        }
        withUnsafeBytes(of: count.bigEndian) { kept.replaceSubrange(8..<12, with: $0) }
        return try? IndexFile(bytes: kept + [UInt8](repeating: 0, count: 20))
    }
}
