import Glibc
import Age
import Foundation
import GitStore
import JournalModel

/// Parsed entry files keyed by the id of the blob they were parsed from, so a question about the
/// whole journal parses only the files that changed since the last one. It is never the truth:
/// a blob id names exact bytes, so a hand edit is a new key and is parsed at once, and a missing,
/// damaged or outdated cache file is simply rebuilt.
///
/// Plain entries' results live in `.git/rapport/cache/entries`: a table of keys sorted by id,
/// searched in place through `mmap` (a digest that needs 1,500 records touches those pages
/// only), then the records. New results are appended to `entries.log` (one `write` per read, so
/// concurrent readers do not interleave records), which is merged into a new table once it is
/// large. Encrypted entries' results hold their plaintext, so they go to
/// `.git/rapport/cache/private.age`, the same format encrypted to the manager's own identity,
/// decrypted into memory and rewritten whole.
final class EntryCache: @unchecked Sendable {
    static let magic = Array("RAPPORT-ENTRY-CACHE\n".utf8)
    /// Bump when parsing or the record format changes: an older file is then rebuilt.
    static let formatVersion: UInt32 = 4
    /// Bytes per table row: the key, the payload's offset (8) and length (4).
    static let row = 32

    let path: String
    let sealed: Bool
    let header: [UInt8]
    /// The table file, mapped (plain) or decrypted (sealed); its rows and where they start.
    private var table: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    private var mapping: (pointer: UnsafeMutableRawPointer, length: Int)?
    private var copy: UnsafeMutableRawBufferPointer?
    private var rows = 0
    /// For each value of a key's first two bytes, the first row whose key starts at or above it
    /// (65,537 bounds): a lookup searches only the few rows that share its first two bytes,
    /// instead of probing pages all over the table.
    private var fanout: [Int32] = []
    /// The log's records (plain), and records not yet written anywhere.
    private var log: [UInt8] = []
    private var logRecords: [BlobKey: Range<Int>] = [:]
    private var logIsClean = true
    private var pending: [(BlobKey, [UInt8])] = []
    private var pendingKeys: Set<BlobKey> = []

    /// Where a payload is: in the table file or in the log.
    enum Place: Sendable { case table(Range<Int>), log(Range<Int>) }

    /// The plain cache in `folder`, for a journal read in `zone` (dates without an offset depend on it).
    init(folder: String, zone: TimeZone) {
        path = folder + "/entries"
        sealed = false
        header = EntryCache.header(zone: zone)
        if let mapped = EntryCache.map(path), validate(UnsafeRawBufferPointer(start: mapped.pointer, count: mapped.length)) {
            mapping = mapped
        } else if let mapped = EntryCache.map(path) {
            munmap(mapped.pointer, mapped.length)
        }
        if let bytes = FileManager.default.contents(atPath: path + ".log").map({ [UInt8]($0) }) { readLog(bytes) }
    }

    /// The encrypted cache, from its decrypted bytes.
    init(sealedAt path: String, zone: TimeZone, contents: [UInt8]?) {
        self.path = path
        sealed = true
        header = EntryCache.header(zone: zone)
        if let contents, !contents.isEmpty {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: contents.count, alignment: 8)
            contents.withUnsafeBytes { buffer.copyMemory(from: $0) }
            if validate(UnsafeRawBufferPointer(buffer)) {
                copy = buffer
            } else {
                buffer.deallocate()
            }
        }
    }

    deinit {
        if let mapping { munmap(mapping.pointer, mapping.length) }
        copy?.deallocate()
    }

    static func header(zone: TimeZone) -> [UInt8] {
        var header = EntryCache.magic
        withUnsafeBytes(of: EntryCache.formatVersion.bigEndian) { header += $0 }
        let zoneName = Array(zone.identifier.utf8)
        withUnsafeBytes(of: UInt32(zoneName.count).bigEndian) { header += $0 }
        return header + zoneName
    }

    /// Checks the header and the table's bounds; on success `table` and `rows` describe it.
    private func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= header.count + 4, header.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, header.count) == 0 })
        else { return false }
        let count = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: header.count, as: UInt32.self)))
        let start = header.count + 4
        // Each row's payload is checked when it is used (`payloadRange`, `isIntact`).
        guard count <= (bytes.count - start) / EntryCache.row else { return false }
        table = bytes
        rows = count
        // Rows are sorted by key, so one pass fills the bounds; an unsorted (damaged) table only
        // makes lookups miss, and missing records are parsed again.
        if count > 0 {
            var bounds = [Int32](repeating: Int32(count), count: 65_537)
            var next = 0
            for row in 0..<count {
                let bucket = Int(bytes.load(fromByteOffset: start + row * EntryCache.row, as: UInt8.self)) << 8
                    | Int(bytes.load(fromByteOffset: start + row * EntryCache.row + 1, as: UInt8.self))
                while next <= bucket {
                    bounds[next] = Int32(row)
                    next += 1
                }
            }
            fanout = bounds
        }
        return true
    }

    private static func map(_ path: String) -> (pointer: UnsafeMutableRawPointer, length: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let pointer = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else { return nil }
        return (pointer, Int(info.st_size))
    }

    private func readLog(_ bytes: [UInt8]) {
        guard bytes.count >= header.count, bytes[0..<header.count].elementsEqual(header) else {
            logIsClean = false
            return
        }
        log = bytes
        var offset = header.count
        bytes.withUnsafeBytes { buffer in
            while offset + 24 <= buffer.count {
                let key = BlobKey(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 20]))!
                let length = Int(UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 20, as: UInt32.self)))
                guard offset + 24 + length <= buffer.count,
                      EntryCache.isIntact(UnsafeRawBufferPointer(rebasing: buffer[offset + 24..<offset + 24 + length])) else { break }
                logRecords[key] = offset + 24..<offset + 24 + length
                offset += 24 + length
            }
        }
        // A torn or damaged record (a reader killed while appending, two first writers racing)
        // ends the log; what follows it is dropped when the log is merged.
        logIsClean = offset == bytes.count
    }

    /// Where the record for `key` is, if the cache has it.
    func place(of key: BlobKey) -> Place? {
        if !logRecords.isEmpty, let range = logRecords[key] { return .log(range) }
        return find(key, in: table).map(Place.table)
    }

    private func find(_ wanted: BlobKey, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard rows > 0 else { return nil }
        // The key's three fields lie in memory as its 20 bytes, in order.
        var key = wanted
        let start = header.count + 4
        // Keys are compared by their first 8 bytes as a big-endian number (the same order as
        // the bytes), and in full only when those are equal.
        let prefix = UInt64(bigEndian: wanted.high)
        let bucket = Int(prefix >> 48)
        guard fanout.count == 65_537 else { return nil }
        var low = Int(fanout[bucket]), high = Int(fanout[bucket + 1])
        while low < high {
            let middle = (low + high) / 2
            let row = start + middle * EntryCache.row
            let rowPrefix = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: row, as: UInt64.self))
            let order = rowPrefix != prefix ? (rowPrefix < prefix ? -1 : 1)
                : withUnsafeBytes(of: &key) { memcmp(bytes.baseAddress! + row, $0.baseAddress!, 20) }
            if order == 0 { return EntryCache.payloadRange(of: row, in: bytes, rowsEnd: start + rows * EntryCache.row) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// A row's payload, nil when it points outside the file (a damaged table).
    static func payloadRange(of row: Int, in bytes: UnsafeRawBufferPointer, rowsEnd: Int) -> Range<Int>? {
        let offset = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: row + 20, as: UInt64.self))
        let length = UInt64(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: row + 28, as: UInt32.self)))
        guard offset >= UInt64(rowsEnd), offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else { return nil }
        return Int(offset)..<Int(offset + length)
    }

    /// A payload is an 8-byte hash of the rest, a flags byte and the parse: one whose hash does
    /// not match (damage, a torn write) is treated as missing and parsed again.
    static func isIntact(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard payload.count > 9 else { return false }
        return UInt64(bigEndian: payload.loadUnaligned(as: UInt64.self)) == hash(UnsafeRawBufferPointer(rebasing: payload.dropFirst(8)))
    }

    /// FNV-1a-style mixing of 8-byte words in four independent lanes (so the multiplications
    /// overlap), folded together at the end: a check against damage, not against an adversary
    /// (who could rewrite the cache, and whose answers are then only as good as the cache).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01b3
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x9ce4_8422_2325_cbf2, 0x2325_cbf2_9ce4_8422)
        var index = 0
        guard let base = bytes.baseAddress else { return UInt64(bytes.count) }
        func word(_ at: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        func mix(_ value: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = (value ^ word) &* prime
            return mixed ^ (mixed >> 29)
        }
        while index + 32 <= bytes.count {
            lanes = (mix(lanes.0, word(index)), mix(lanes.1, word(index + 8)), mix(lanes.2, word(index + 16)), mix(lanes.3, word(index + 24)))
            index += 32
        }
        var value = mix(mix(mix(lanes.0, lanes.1), lanes.2), lanes.3)
        while index + 8 <= bytes.count {
            value = mix(value, word(index))
            index += 8
        }
        while index < bytes.count {
            value = (value ^ UInt64(bytes[index])) &* prime
            index += 1
        }
        return value ^ UInt64(bytes.count)
    }

    /// The payload's bytes, for `ParsedFile.read` or a quick look (`readEntries`'s `wanted`).
    func withPayload<R>(_ place: Place, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch place {
        case .log(let range): return log.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
        case .table(let range): return body(UnsafeRawBufferPointer(rebasing: table[range]))
        }
    }

    /// Decodes a record; nil when it does not decode (then the file is parsed again).
    /// `checked`: the record was found intact already (by `lookup`), and its hash is not
    /// computed again.
    func decode(_ place: Place, checked: Bool = false) -> ParsedFile? {
        withPayload(place) { payload in
            guard checked || EntryCache.isIntact(payload) else { return nil }
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: payload.dropFirst(9)))
            guard let parsed = ParsedFile.read(from: &reader), reader.offset == reader.buffer.count else { return nil }
            return parsed
        }
    }

    /// Where `key`'s record is and, with `wanted`, whether that filter takes it: `wanted` sees
    /// the record's bytes (every string of the file, each in one piece, between binary lengths)
    /// and whether the file was all ASCII, without it being decoded. A damaged record is not
    /// looked at: it is found unchecked, and decoding it fails, so the file is parsed again.
    func lookup(_ key: BlobKey, wanted: EntryFilter?) -> CacheLookup {
        guard let place = place(of: key) else { return .missing }
        guard let wanted else { return .found(place, checked: false) }
        return withPayload(place) { payload in
            guard EntryCache.isIntact(payload) else { return .found(place, checked: false) }
            return wanted(UnsafeRawBufferPointer(rebasing: payload.dropFirst(9)), payload[8] & 1 != 0) ? .found(place, checked: true) : .unwanted
        }
    }

    /// The record for a parse: its hash, flags (`ascii`: every string of the file is ASCII) and
    /// the parse.
    static func payload(_ parsed: ParsedFile, ascii: Bool) -> [UInt8] {
        var payload: [UInt8] = Array(repeating: 0, count: 8) + [ascii ? 1 : 0]
        parsed.write(to: &payload)
        let hash = payload.withUnsafeBytes { EntryCache.hash(UnsafeRawBufferPointer(rebasing: $0.dropFirst(8))) }
        withUnsafeBytes(of: hash.bigEndian) { payload.replaceSubrange(0..<8, with: $0) }
        return payload
    }

    /// Keeps a record (from `payload`) for `key`; one that replaces a damaged record goes to the
    /// log, which is read before the table.
    func store(_ payload: [UInt8], for key: BlobKey) {
        guard !pendingKeys.contains(key) else { return }
        pendingKeys.insert(key)
        pending.append((key, payload))
    }

    var hasPending: Bool { !pending.isEmpty }

    /// Records in the table and the log (a key in both counts twice).
    var count: Int { rows + logRecords.count }

    // MARK: - Saving

    /// Writes the new records: appended to the log, or, when the log is large or damaged, or
    /// `live` (the keys a read of every entry used) shows the table mostly stale, everything merged
    /// into a new table (only live keys, when given). Failures are ignored: the cache is a shortcut.
    func save(live: Set<BlobKey>? = nil) {
        let logged = logRecords.count + pending.count
        let stale = live.map { rows + logRecords.count > 1000 && $0.count * 2 < rows + logRecords.count } ?? false
        if stale || !logIsClean || logged > max(2000, rows / 8) {
            if merge(keeping: live) { return }
        }
        guard !pending.isEmpty else { return }
        var bytes: [UInt8] = log.isEmpty ? header : []
        for (key, payload) in pending {
            key.append(to: &bytes)
            withUnsafeBytes(of: UInt32(payload.count).bigEndian) { bytes += $0 }
            bytes += payload
        }
        guard EntryCache.makeFolder(for: path) else { return }
        let fd = open(path + ".log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if log.isEmpty {
            // Someone else may have started the log meanwhile: then the header is already there.
            var info = stat()
            if fstat(fd, &info) == 0, info.st_size > 0 { bytes.removeFirst(header.count) }
        }
        // A failed append (a full disk) may leave a torn record: the next save merges instead.
        do { try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: bytes) } catch { logIsClean = false }
        pending.removeAll()
    }

    /// Every record (pending, log, table: newest first), each key once, sorted, as a new table
    /// file; with `live`, only those keys.
    func tableFile(keeping live: Set<BlobKey>?) -> [UInt8] {
        var records: [(key: [UInt8], payload: [UInt8])] = []
        var seen = Set<BlobKey>()
        func add(_ key: BlobKey, _ payload: @autoclosure () -> [UInt8]) {
            guard live?.contains(key) ?? true, seen.insert(key).inserted else { return }
            var bytes: [UInt8] = []
            key.append(to: &bytes)
            records.append((bytes, payload()))
        }
        for (key, payload) in pending { add(key, payload) }
        for (key, range) in logRecords { add(key, Array(log[range])) }
        let source = table
        let start = header.count + 4
        for row in 0..<rows {
            let at = start + row * EntryCache.row
            let key = BlobKey(UnsafeRawBufferPointer(rebasing: source[at..<at + 20]))!
            guard let range = EntryCache.payloadRange(of: at, in: source, rowsEnd: start + rows * EntryCache.row),
                  EntryCache.isIntact(UnsafeRawBufferPointer(rebasing: source[range])) else { continue }
            add(key, Array(UnsafeRawBufferPointer(rebasing: source[range])))
        }
        records.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var file = header
        withUnsafeBytes(of: UInt32(records.count).bigEndian) { file += $0 }
        var offset = file.count + records.count * EntryCache.row
        for record in records {
            file += record.key
            withUnsafeBytes(of: UInt64(offset).bigEndian) { file += $0 }
            withUnsafeBytes(of: UInt32(record.payload.count).bigEndian) { file += $0 }
            offset += record.payload.count
        }
        for record in records { file += record.payload }
        return file
    }

    /// Replaces the table with everything merged, then drops the log.
    private func merge(keeping live: Set<BlobKey>?) -> Bool {
        let file = tableFile(keeping: live)
        guard EntryCache.replace(path, with: file) else { return false }
        unlink(path + ".log")
        pending.removeAll()
        return true
    }

    static func makeFolder(for path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil
    }

    /// Writes a cache file through a temporary name and a rename, so a reader never sees half of
    /// it; no fsync: losing it costs one re-parse.
    @discardableResult
    static func replace(_ path: String, with bytes: [UInt8]) -> Bool {
        guard makeFolder(for: path) else { return false }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let written = (try? file.write(contentsOf: bytes)) != nil
        try? file.close()
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
