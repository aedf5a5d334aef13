import Foundation
import GitStore
import JournalModel

/// One entry file found in the work tree: to be read (its blob id when the index vouches for
/// it, and its cached record when it has one), or skipped, as its cached record was not wanted.
private enum ListedFile: Sendable {
    case file(path: String, info: stat, blob: BlobKey?, lookup: CacheLookup?)
    case skipped(BlobKey)
}

/// Entries read from the work tree, and the files that could not be read.
public struct EntryScan: Sendable {
    /// Oldest first.
    public let entries: [Entry]
    public let problems: [FileProblem]
}

extension Journal {
    /// What the work tree holds, read for a command: people, entries, action items, searches, who
    /// is due, and `check`. `committed()` reads the last commit instead.
    public struct Reader {
        let journal: Journal
    }

    /// Reads of the journal's work tree.
    public var reader: Reader { Reader(journal: self) }
}

extension Journal.Reader {
    // MARK: - People

    /// Every profile under `people/`, by slug, and the files that could not be read.
    public func people() -> (people: [Person], problems: [FileProblem]) {
        var people: [Person] = []
        var problems: [FileProblem] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: journal.root + "/people")) ?? []
        where name.hasSuffix(".md") && !name.hasPrefix(".") && !ConflictCopy.isCopy(name) {
            let path = "people/" + name
            guard let data = journal.contents(of: path) else {
                problems.append(FileProblem(path: path, line: 1, message: "cannot be read (a symbolic link, or not a regular file)"))
                continue
            }
            do {
                people.append(try Person(data: data, path: path))
            } catch {
                problems.append(error)
            }
        }
        return (people.sorted { $0.slug < $1.slug }, problems)
    }

    /// The profile for a typed slug; an unknown one is refused with the nearest known slug.
    public func person(_ typed: String) throws -> Person {
        let slug = try Slug(validating: typed)
        let path = Person.path(for: slug)
        guard let data = journal.contents(of: path) else {
            throw journal.unknownPerson(typed)
        }
        if let known = journal.parsedPeople[path], known.data == data { return known.person }
        let person = try Person(data: data, path: path)
        journal.parsedPeople[path] = (data, person)
        return person
    }

}

extension Journal {
    func unknownPerson(_ typed: String) -> JournalError {
        let known = reader.people().people.map(\.slug.value)
        if known.isEmpty { return JournalError(.noPeopleYet(typed: typed)) }
        return JournalError(.unknownPerson(typed: typed, nearest: Suggestion.nearest(to: typed, in: known)))
    }

}

extension Journal.Reader {
    // MARK: - Entries

    /// Relative paths of the entry files under `entries/`, sorted; temporary files and symbolic
    /// links are skipped.
    public func entryFiles() -> [String] {
        DirectoryWalk.regularFiles(in: journal.root, under: "entries")
            .filter { ($0.hasSuffix(".md") || $0.hasSuffix(".md.age")) && !ConflictCopy.isCopy($0) }
            .sorted()
    }

    /// Every readable entry in the work tree, oldest first, plus a problem for each file that is
    /// not. Files whose stat data matches the index are taken from the entry cache by blob id
    /// without being read; the rest are read, hashed and parsed.
    public func scanEntries() -> EntryScan {
        journal.scanEntries(months: nil)
    }

    /// The entries filed in the month folders from `first`'s month to `last`'s, oldest first (and
    /// any file outside the `YYYY/MM` layout). Callers filter by instant: a folder is named by the
    /// day as written, in the entry's own offset, so they widen the range by a day each side.
    public func scanEntries(filedFrom first: LocalDay, through last: LocalDay) -> EntryScan {
        journal.scanEntries(months: (first.year * 12 + first.month)...(last.year * 12 + last.month))
    }

}

extension Journal {
    /// The `YYYY/MM` folders under `entries/` in the work tree, as year × 12 + month, oldest first.
    func workTreeMonths() -> [Int] {
        var keys: [Int] = []
        for year in (try? FileManager.default.contentsOfDirectory(atPath: root + "/entries")) ?? []
        where year.utf8.count == 4 && year.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            for month in (try? FileManager.default.contentsOfDirectory(atPath: root + "/entries/" + year)) ?? []
            where month.utf8.count == 2 && month.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                if let y = Int(year), let m = Int(month), (1...12).contains(m) { keys.append(y * 12 + m) }
            }
        }
        return keys.sorted()
    }

    func scanEntries(months: ClosedRange<Int>?, wanted: EntryFilter? = nil) -> EntryScan {
        // A read of some months looks up only their entries in the index.
        let indexed = months.map { repository.indexedStat(pathsIn: [Journal.entryPaths(in: $0)]) } ?? repository.indexedStat()
        let plainCache = entryCache(sealed: false)
        // Each file's blob id (from the index, when its stat data matches) and cached record are
        // looked up as it is listed, on every core; a plain file whose record `wanted` turns down
        // ends there.
        let listed = DirectoryWalk.entryFiles(in: root, under: "entries", months: months) { path, info -> ListedFile? in
            // A name that is not UTF-8 has no path rapport can open again: it stays unknown, and
            // its read fails and is reported, as before.
            guard let text = String(validating: path, as: UTF8.self) else {
                return .file(path: String(decoding: path, as: UTF8.self), info: info, blob: nil, lookup: nil)
            }
            let blob = indexed?.blob(forPath: path, stat: FileStat(listed: info)).flatMap { $0.withUnsafeBytes(BlobKey.init) }
            var lookup: CacheLookup?
            // Only plain files (`.md`) have their records in the plain cache; `.md.age` ones are
            // looked up by `readEntries`, in the sealed cache.
            if let blob, let plainCache, path.last == UInt8(ascii: "d") {
                lookup = plainCache.lookup(blob, wanted: wanted)
                if case .unwanted = lookup { return .skipped(blob) }
            }
            return .file(path: text, info: info, blob: blob, lookup: lookup)
        }
        var files: [EntrySourceFile] = []
        var skipped: [BlobKey] = []
        var stale: [(path: String, info: stat)] = []
        files.reserveCapacity(listed.count)
        for item in listed {
            switch item {
            case .skipped(let key): skipped.append(key)
            case .file(let path, let info, let blob, let lookup):
                files.append(EntrySourceFile(path: path, blob: blob, bytes: { self.contents(of: path) }, lookup: lookup))
                if blob == nil { stale.append((path, info)) }
            }
        }
        var (entries, problems) = readEntries(files, wanted: wanted, whole: months == nil, skipped: skipped)
        entries.sort { ($0.date.date, $0.id) < ($1.date.date, $1.id) }
        problems.sort { $0.path < $1.path }
        if let indexed { refreshStaleStat(stale, indexed: indexed) }
        return EntryScan(entries: entries, problems: problems)
    }

    /// The paths of the month folders `months` (year × 12 + month), as a range of git's order.
    static func entryPaths(in months: ClosedRange<Int>) -> Range<String> {
        func folder(_ key: Int) -> String {
            // Entries are filed from 1900 (`LocalDay`) to 9999.
            let key = min(max(key, 1900 * 12 + 1), 9999 * 12 + 12)
            let day = LocalDay(year: (key - 1) / 12, month: (key - 1) % 12 + 1, day: 1)!
            return day.entryFolder + "/"
        }
        // Past December 9999 comes "entries0", the first path after every `entries/...`.
        return folder(months.lowerBound)..<(months.upperBound >= 9999 * 12 + 12 ? "entries0" : folder(months.upperBound + 1))
    }

    /// Files the index did not vouch for (their stat data changed: a copied, restored or touched
    /// journal) that still hold the blob their entry names get fresh stat data in the index, so
    /// the next read takes them from the cache without reading them. Only when there are enough
    /// to be worth rewriting the index.
    private func refreshStaleStat(_ stale: [(path: String, info: stat)], indexed: IndexedStat) {
        guard stale.count >= 32 else { return }
        let root = self.root
        let unchanged = Concurrently.map(stale, minimum: 64) { file -> Bool in
            guard let recorded = indexed.recordedBlob(for: file.path),
                  let data = NoFollow.contents(file.path, under: root),
                  let id = ObjectID.blob(hashing: data) else { return false }
            return id.bytes.elementsEqual(recorded)
        }
        let fresh = zip(stale, unchanged).filter(\.1).map { (path: $0.0.path, stat: FileStat(listed: $0.0.info)) }
        repository.refreshIndexStat(fresh, known: indexed)
    }

}

extension Journal.Reader {
    /// The entry whose id starts with `prefix` (4 or more characters, any case).
    public func entry(_ prefix: String) throws -> Entry {
        let path = try journal.entryPath(prefix)
        guard let data = journal.contents(of: path) else {
            throw JournalError.failure("Cannot read \(path).")
        }
        let markdown: Data
        do {
            markdown = try journal.markdown(of: data, path: path)
        } catch {
            // A key missing on this machine is not bad data in the journal.
            throw error.isLocked ? JournalError(.entryLocked(entry: Entry.id(fromFileName: path)?.value ?? path, problem: error)) : error
        }
        return try Entry(data: markdown, path: path, zone: journal.timeZone)
    }

}

extension Journal {
    /// The path of the one entry file whose id starts with `prefix`.
    func entryPath(_ prefix: String) throws -> String {
        let trimmed = prefix.trimmingCharacters(in: .whitespaces)
        guard let normalized = EntryID.normalize(trimmed), !trimmed.isEmpty else {
            throw JournalError.usage("'\(Text.shown(trimmed))' is not an entry id: ids are 6 letters and digits such as K3F9X2.")
        }
        guard normalized.count >= EntryID.minimumPrefix else {
            throw JournalError.usage("Give at least \(EntryID.minimumPrefix) characters of the id, not '\(Text.shown(trimmed))'.")
        }
        guard normalized.count <= EntryID.length else {
            throw JournalError.usage("'\(Text.shown(trimmed))' is longer than an entry id (6 characters).")
        }
        let matches = reader.entryFiles().filter { Entry.id(fromFileName: $0)?.value.hasPrefix(normalized) ?? false }
        switch matches.count {
        case 0:
            throw JournalError(.noSuchEntry(typed: trimmed))
        case 1:
            return matches[0]
        default:
            let ids = matches.compactMap { Entry.id(fromFileName: $0)?.value }
            throw JournalError.usage("Id '\(trimmed)' is ambiguous: it matches \(ids.joined(separator: ", ")). Give more characters.")
        }
    }

    /// Ids already used, read from file names.
    func usedIDs() -> Set<EntryID> {
        Set(DirectoryWalk.regularFiles(in: root, under: "entries").compactMap { Entry.id(fromFileName: $0) })
    }

    // MARK: - Action items

    /// An action item with the entry it lives in.
    public struct TrackedItem: Sendable {
        public let item: ActionItem
        public let entry: Entry
        /// The person the item is about: its owner when that is a person, else the entry's person.
        public var person: Slug? {
            if case .person(let slug) = item.owner { return slug }
            return entry.people.first
        }
    }

}

extension Journal.Reader {
    /// Every action item in readable entries, oldest entry first.
    public func actionItems(in scan: EntryScan) -> [Journal.TrackedItem] {
        scan.entries.flatMap { entry in entry.actionItems.map { Journal.TrackedItem(item: $0, entry: entry) } }
    }

    /// Parses `<id>.<n>`.
    public func actionItem(_ reference: String) throws -> (Entry, ActionItem) {
        let parts = reference.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[1]), number >= 1 else {
            throw JournalError(.notAnActionReference(typed: reference))
        }
        let entry = try entry(String(parts[0]))
        guard let item = entry.actionItems.first(where: { $0.number == number }) else {
            throw JournalError(.noActionItem(entry: entry.id.value, number: number))
        }
        return (entry, item)
    }
}

extension FileStat {
    /// The stat data of a file the directory walk listed, as the index compares it.
    init(listed info: stat) {
        self.init(changed: Timestamp(seconds: Int64(info.st_ctim.tv_sec), nanoseconds: Int64(info.st_ctim.tv_nsec)),
                  modified: Timestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec)),
                  device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mode: UInt32(info.st_mode), user: info.st_uid,
                  group: info.st_gid, size: Int64(info.st_size))
    }
}
