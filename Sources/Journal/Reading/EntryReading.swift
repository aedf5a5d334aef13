import Age
import Foundation
import GitStore
import JournalModel

/// How entry files are read: listed, taken from the entry cache or parsed, and encrypted ones
/// (`entries/YYYY/MM/<date>-<id>.md.age`) decrypted through the manager's age identity (how they
/// are written: Writing/EntryStoring.swift). Plaintext of an encrypted entry is only ever in
/// memory, never in a file rapport writes into the journal or in a git object.
extension Journal {
    // MARK: - Reading

    /// The identities in the identity file, read once.
    func readingIdentities() throws(JournalError) -> [AgeIdentity] {
        if let identityCache { return try identityCache.get() }
        let result: Result<[AgeIdentity], JournalError>
        do {
            result = .success(try keys.identities())
        } catch let error as JournalError {
            result = .failure(error)
        } catch {
            result = .failure(.failure(error.localizedDescription))
        }
        identityCache = result
        return try result.get()
    }

    /// The Markdown of an entry file as stored: the bytes themselves, or their decryption for `.md.age`.
    func markdown(of stored: Data, path: String) throws(FileProblem) -> Data {
        try decoder(encrypted: path.hasSuffix(".age")).markdown(of: stored, path: path)
    }

    /// What reading entries needs, free of the journal, so files can be decoded on every core. The
    /// identities are read only when `encrypted` files are to be decoded.
    func decoder(encrypted: Bool) -> EntryDecoder {
        let identities: Result<[AgeIdentity], JournalError>
        do throws(JournalError) {
            identities = encrypted ? .success(try readingIdentities()) : .success([])
        } catch {
            identities = .failure(error)
        }
        return EntryDecoder(identities: identities, identityPath: keys.identityPath(), zone: timeZone)
    }

    /// Reads entry files for a listing, from wherever `bytes` gets them (the work tree or a
    /// commit), in order: each entry, or a problem for a file that is locked, missing or
    /// malformed. Names that are not entry files are skipped.
    ///
    /// A file whose blob id is known (from a tree, or from the index when its stat data matches)
    /// and is in the entry cache is not read at all; any other file is read and, when its id was
    /// not known, hashed, so an unchanged file touched by an editor still hits the cache. The bytes
    /// are fetched one file at a time (libgit2 objects stay on one thread); decoding cached records,
    /// decryption and parsing run on every core. `wanted`, when given, sees each file's Markdown
    /// (or its cached record, which holds every byte of it in pieces) first and may skip it: a file
    /// that cannot be about a person, or cannot hold a searched word. A skipped file that was not
    /// cached is parsed anyway and cached, so the next read skips it without reading it. With `whole`, the read
    /// covered every entry, and the plain cache may drop what it no longer needs.
    func readEntries(_ files: [EntrySourceFile], wanted: EntryFilter? = nil, whole: Bool = false, skipped: [BlobKey] = [])
        -> (entries: [Entry], problems: [FileProblem]) {
        let entryFiles = files.filter { ($0.path.hasSuffix(".md") || $0.path.hasSuffix(".md.age")) && !ConflictCopy.isCopy($0.path) }
        let decoder = decoder(encrypted: entryFiles.contains { $0.path.hasSuffix(".age") })
        let plainCache = entryFiles.contains { !$0.path.hasSuffix(".age") } ? entryCache(sealed: false) : nil
        let sealedCache = entryFiles.contains { $0.path.hasSuffix(".age") } ? entryCache(sealed: true) : nil
        var entries: [Entry] = []
        var problems: [FileProblem] = []
        var live = Set<BlobKey>()
        if whole {
            live.reserveCapacity(entryFiles.count + skipped.count)
            live.formUnion(skipped)
        }
        // Where each known blob's record is (unless the caller looked already), on every core; a
        // record `wanted` turns down is dropped here, before any other work for its file.
        let known: [(encrypted: Bool, blob: BlobKey?, lookup: CacheLookup?)] = entryFiles.map { ($0.path.hasSuffix(".age"), $0.blob, $0.lookup) }
        let lookups = Concurrently.map(known, minimum: 512) { file -> CacheLookup in
            if let given = file.lookup { return given }
            guard let key = file.blob, let cache = file.encrypted ? sealedCache : plainCache else { return .missing }
            return cache.lookup(key, wanted: wanted)
        }
        // In batches, so the bytes of a whole history are never in memory at once.
        for start in stride(from: 0, to: entryFiles.count, by: Journal.readBatch) {
            var work: [ReadWork] = []
            for (file, lookup) in zip(entryFiles[start..<min(start + Journal.readBatch, entryFiles.count)], lookups[start...]) {
                let cache = file.path.hasSuffix(".age") ? sealedCache : plainCache
                if case .unwanted = lookup {
                    if whole, let key = file.blob { live.insert(key) }
                    continue
                }
                if let key = file.blob, let cache, case .found(let place, let checked) = lookup {
                    if whole { live.insert(key) }
                    work.append(ReadWork(path: file.path, key: key, cached: place, checked: checked, cache: cache, data: nil, known: true,
                                         source: file.bytes))
                    continue
                }
                let data = try? file.bytes()
                let key = file.blob ?? data.flatMap { ObjectID.blob(hashing: $0) }.flatMap(BlobKey.init)
                if let key, whole { live.insert(key) }
                let found = key.flatMap { key in cache?.lookup(key, wanted: wanted) } ?? .missing
                if case .unwanted = found { continue }
                if let key, let cache, case .found(let place, let checked) = found {
                    work.append(ReadWork(path: file.path, key: key, cached: place, checked: checked, cache: cache, data: nil,
                                         known: file.blob != nil, source: file.bytes))
                } else {
                    work.append(ReadWork(path: file.path, key: key, cached: nil, checked: false, cache: cache, data: data, known: file.blob != nil,
                                         source: file.bytes))
                }
            }
            decode(work, with: decoder, wanted: wanted, into: &entries, &problems)
        }
        plainCache?.save(live: whole ? live : nil)
        if let sealedCache, sealedCache.hasPending || (whole && sealedCache.count > live.count) {
            // A read of every entry also drops the parses of encrypted entries that are gone.
            saveSealed(sealedCache, keeping: whole ? live : nil)
        }
        return (entries, problems)
    }

    static let readBatch = 1024

    private func decode(_ work: [ReadWork], with decoder: EntryDecoder, wanted: EntryFilter?,
                        into entries: inout [Entry], _ problems: inout [FileProblem]) {
        let encryptsAll = config.encrypt == .all, encryptsPrivate = config.encrypt != .none
        let results = Concurrently.map(work) { item -> (Result<Entry, FileProblem>?, [UInt8]?, damaged: Bool) in
            var parsed: ParsedFile?
            var fresh: [UInt8]?
            if let place = item.cached, let cache = item.cache {
                // `lookup` has applied `wanted` to every intact record; an unchecked one with a filter
                // is damaged, and a damaged record is read again below, on this thread's caller.
                guard let cached = cache.decode(place, checked: item.checked) else { return (nil, nil, true) }
                parsed = cached
            }
            if parsed == nil {
                guard let data = item.data else {
                    return (.failure(FileProblem(path: item.path, line: 1, message: "cannot be read")), nil, false)
                }
                do throws(FileProblem) {
                    let markdown = try decoder.markdown(of: data, path: item.path)
                    let result: ParsedFile
                    do throws(FrontMatterError) {
                        result = .document(try FrontMatterDocument.parse(markdown))
                    } catch {
                        result = .malformed(error)
                    }
                    parsed = result
                    // The look and the cache see the same record: a word spelt with a YAML escape
                    // is found (or not) whether or not the file was cached before.
                    let ascii: Bool
                    switch result {
                    case .document(let document): ascii = document.isAllASCII
                    case .malformed: ascii = markdown.withUnsafeBytes(Bytes.isASCII)
                    }
                    let payload = EntryCache.payload(result, ascii: ascii)
                    // A plain file whose bytes are not in git yet may hold text about to be
                    // encrypted (a hand-written `private: true` before `commit`, anything under
                    // `encrypt: all`): its parse is not kept in the plain cache. One whose blob is
                    // committed (or staged) is plain text in git already.
                    let keep = item.path.hasSuffix(".age") || item.known || !(encryptsAll || (encryptsPrivate && result.mayBePrivate))
                    fresh = keep ? payload : nil
                    if let wanted, !payload.withUnsafeBytes({ wanted(UnsafeRawBufferPointer(rebasing: $0.dropFirst(9)), ascii) }) {
                        return (nil, fresh, false)
                    }
                } catch {
                    return (.failure(error), nil, false)
                }
            }
            switch parsed! {
            case .malformed(let error): return (.failure(error.problem(in: item.path)), fresh, false)
            case .document(let document):
                do throws(FileProblem) {
                    return (.success(try Entry(document: document, path: item.path, zone: decoder.zone)), fresh, false)
                } catch {
                    return (.failure(error), fresh, false)
                }
            }
        }
        // Damaged records: their files are read here (libgit2 stays on this thread) and parsed.
        let damaged = zip(work, results).filter(\.1.damaged).map { item, _ in
            ReadWork(path: item.path, key: item.key, cached: nil, checked: false, cache: item.cache, data: try? item.source(), known: item.known,
                     source: item.source)
        }
        if !damaged.isEmpty { decode(damaged, with: decoder, wanted: wanted, into: &entries, &problems) }
        for (item, (result, fresh, _)) in zip(work, results) {
            if let fresh, let key = item.key { item.cache?.store(fresh, for: key) }
            switch result {
            case .success(let entry): entries.append(entry)
            case .failure(let problem): problems.append(problem)
            case nil: break
            }
        }
    }

    /// The Markdown of a journal file in the work tree, decrypted when it is encrypted; nil when it
    /// cannot be read.
    public func currentMarkdown(of path: String) -> Data? {
        guard let stored = contents(of: path) else { return nil }
        return try? markdown(of: stored, path: path)
    }
}

/// Decodes entry files without touching the journal: decryption with the identities read once.
struct EntryDecoder: Sendable {
    let identities: Result<[AgeIdentity], JournalError>
    let identityPath: String
    let zone: TimeZone

    func markdown(of stored: Data, path: String) throws(FileProblem) -> Data {
        guard path.hasSuffix(".age") else { return stored }
        guard case .success(let identities) = self.identities else {
            guard FileManager.default.fileExists(atPath: identityPath) else {
                throw FileProblem(path: path, line: 1, message: "encrypted, and there is no age identity at \(identityPath)", isLocked: true,
                                  hint: .createIdentity)
            }
            throw FileProblem(path: path, line: 1, message: "encrypted, and \(identityPath) is not a usable age identity file", isLocked: true)
        }
        do {
            return try Age.decrypt(stored, identities: identities)
        } catch let error as AgeError where error.kind == .noMatch {
            throw FileProblem(path: path, line: 1, message: "encrypted to other keys than the age identity at \(identityPath)", isLocked: true)
        } catch {
            throw FileProblem(path: path, line: 1, message: "damaged encryption: \(error)")
        }
    }
}

/// `map` on every core for lists long enough to be worth it, results in the input's order.
enum Concurrently {
    /// Asked once: Foundation reads it from the system on every call.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    static func map<T: Sendable, R: Sendable>(_ items: [T], minimum: Int = 32, _ transform: @Sendable (T) -> R) -> [R] {
        let cores = Concurrently.cores
        guard items.count >= minimum, cores > 1 else { return items.map(transform) }
        let results = ResultSlots<R>(count: items.count)
        let batches = min(cores * 4, items.count)
        DispatchQueue.concurrentPerform(iterations: batches) { batch in
            var index = batch
            while index < items.count {
                results.set(index, transform(items[index]))
                index += batches
            }
        }
        return results.values
    }
}

/// One slot per result, each written by exactly one thread, read after all are done. The slots
/// are raw memory: an array's `withUnsafeMutableBufferPointer` moves the array out while it runs,
/// so two threads writing through it at once could lose a result.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<R>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer<R>.allocate(capacity: count)
    }
    func set(_ index: Int, _ value: R) {
        (slots + index).initialize(to: value)
    }
    /// Every slot, once each has been set; the slots are moved out.
    var values: [R] {
        Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: slots, count: count)
            initialized = count
        }
    }
    deinit { slots.deallocate() }
}


/// A quick look at a file before it is parsed: its Markdown (or its cached record, which holds
/// the same strings, each in one piece) and whether that Markdown is all ASCII; false skips it.
typealias EntryFilter = @Sendable (UnsafeRawBufferPointer, _ isASCII: Bool) -> Bool

/// A file to read as an entry: its path, its blob id when already known, and how to get its bytes.
struct EntrySourceFile {
    let path: String
    let blob: BlobKey?
    let bytes: () throws -> Data?
    /// The cache's answer for `blob`, when the caller looked it up already.
    var lookup: CacheLookup? = nil
}

/// What the entry cache holds for a file whose blob id is known.
enum CacheLookup: Sendable {
    case missing
    /// `checked`: the record is intact and `wanted` took it.
    case found(EntryCache.Place, checked: Bool)
    /// A record the read's `wanted` filter turns down: the file is skipped.
    case unwanted
}

/// One file's part in a read: a cached record to decode, or bytes to decrypt and parse.
private struct ReadWork: @unchecked Sendable {
    let path: String
    let key: BlobKey?
    let cached: EntryCache.Place?
    /// The cached record was found intact and wanted already.
    let checked: Bool
    let cache: EntryCache?
    let data: Data?
    /// Its blob id came from git (a tree, or the index vouching for the file): the bytes are in
    /// the object database already.
    let known: Bool
    /// Where the bytes come from when a cached record turns out damaged. Work-tree files are
    /// read on any thread; a blob from libgit2 is fetched up front instead (`data`).
    let source: () throws -> Data?
}

extension Journal {
    /// The plain or the encrypted entry cache, loaded once per command; nil for the encrypted one
    /// when there is no identity to open and seal it.
    func entryCache(sealed: Bool) -> EntryCache? {
        let folder = repository.gitDirectory + "/rapport/cache"
        if !sealed {
            if let plainEntryCache { return plainEntryCache }
            let cache = EntryCache(folder: folder, zone: timeZone)
            plainEntryCache = cache
            return cache
        }
        if let sealedEntryCache { return sealedEntryCache }
        guard let identities = try? readingIdentities(), !identities.isEmpty else { return nil }
        let path = folder + "/private.age"
        let contents = FileManager.default.contents(atPath: path).flatMap { try? Age.decrypt($0, identities: identities) }
        let cache = EntryCache(sealedAt: path, zone: timeZone, contents: contents.map { [UInt8]($0) })
        sealedEntryCache = cache
        return cache
    }

    /// Writes the encrypted cache whole, encrypted to the identity's own recipients only.
    func saveSealed(_ cache: EntryCache, keeping live: Set<BlobKey>? = nil) {
        guard let identities = try? readingIdentities(), !identities.isEmpty else { return }
        let bytes = cache.tableFile(keeping: live)
        guard let sealed = try? Age.encrypt(Data(bytes), to: identities.map(\.recipient)),
              EntryCache.replace(cache.path, with: [UInt8](sealed)) else { return }
        sealedEntryCache = EntryCache(sealedAt: cache.path, zone: timeZone, contents: bytes)
    }
}
