import Foundation
import GitStore
import JournalModel

/// The journal as one commit holds it, read from the object database and pruned by the
/// `entries/YYYY/MM/` layout, so a question about a few months reads those months only. A report
/// built from it can name the commit it came from and be rebuilt exactly.
public struct CommittedJournal {
    let journal: Journal
    let commit: ObjectID?
    /// `entries/YYYY/MM` folders, oldest first, keyed by year × 12 + month; listed once.
    let monthFolders: [(key: Int, path: String)]

    init(journal: Journal, commit: ObjectID?) {
        self.journal = journal
        self.commit = commit
        monthFolders = CommittedJournal.listMonthFolders(journal.repository, at: commit)
    }

    /// The commit's id in hexadecimal, nil for a journal with no commit yet.
    public var commitID: String? { commit?.description }

    public var timeZone: TimeZone { journal.timeZone }
    public var config: JournalConfig { journal.config }

    /// Every profile under `people/`, by slug, and the files that could not be read.
    public func people() -> (people: [Person], problems: [FileProblem]) {
        var people: [Person] = []
        var problems: [FileProblem] = []
        for file in (try? journal.repository.files(under: "people", at: commit)) ?? []
        where file.path.hasSuffix(".md") && !file.path.split(separator: "/").last!.hasPrefix(".") && !ConflictCopy.isCopy(file.path) {
            do {
                people.append(try Person(data: try blob(file), path: file.path))
            } catch let problem as FileProblem {
                problems.append(problem)
            } catch {
                problems.append(FileProblem(path: file.path, line: 1, message: "cannot be read"))
            }
        }
        return (people.sorted { $0.slug < $1.slug }, problems)
    }

    /// The entries filed in the month folders from `first`'s month to `last`'s, oldest first.
    /// Callers filter by instant: a folder is named by the day as written, in the entry's own offset.
    /// With `mentioning`, only entries whose text names one of these slugs (see `read(blobs:)`).
    public func entries(filedFrom first: LocalDay, through last: LocalDay, mentioning people: Set<Slug>? = nil) -> EntryScan {
        let low = first.year * 12 + first.month
        let high = last.year * 12 + last.month
        let folders = monthFolders.filter { (low...high).contains($0.key) }
        var entries: [Entry] = []
        var problems: [FileProblem] = []
        for folder in folders {
            read(files: (try? journal.repository.files(under: folder.path, at: commit)) ?? [], into: &entries, &problems,
                 mentioning: people)
        }
        entries.sort { ($0.date.date, $0.id) < ($1.date.date, $1.id) }
        return EntryScan(entries: entries, problems: problems)
    }

    /// Each person's latest one-on-one that starts before `instant`, for the `people` given, found
    /// by file name (`<date>-one-on-one-<slug>-<id>.md`) walking the month folders back from
    /// `instant`'s month; it stops as soon as everyone is found, so only people never met cost a
    /// walk through the whole history (of names, not files).
    /// Encrypted files it could not open are returned as problems: any of them might have been the one.
    public func latestOneOnOnes(before instant: Date, for people: Set<Slug>,
                                where accept: (Entry) -> Bool = { _ in true }) -> (found: [Slug: Entry], problems: [FileProblem]) {
        let day = Timestamp(instant, in: timeZone).day(in: timeZone).adding(days: 1)
        let key = day.year * 12 + day.month
        var remaining = people
        var found: [Slug: Entry] = [:]
        var problems: [FileProblem] = []
        for folder in monthFolders.reversed() where folder.key <= key {
            guard !remaining.isEmpty else { break }
            let candidates = oneOnOneFiles(in: folder.path, about: remaining)
            var entries: [Entry] = []
            read(blobs: candidates, into: &entries, &problems, mentioning: remaining)
            for entry in entries where entry.date.date < instant && accept(entry) {
                guard let person = entry.oneOnOne?.person, remaining.contains(person) else { continue }
                if let current = found[person], current.date.date >= entry.date.date { continue }
                found[person] = entry
            }
            remaining.subtract(found.keys)
        }
        return (found, problems)
    }

    /// The earliest entry `accept` takes among those filed up to `last`'s month, read from the
    /// oldest month folder on until one holds such an entry (usually the first folder alone); nil
    /// when there is none. Files that cannot be read are passed over.
    public func firstEntry(filedThrough last: LocalDay, where accept: (Entry) -> Bool) -> Entry? {
        for folder in monthFolders where folder.key <= last.year * 12 + last.month {
            var entries: [Entry] = []
            var problems: [FileProblem] = []
            read(files: (try? journal.repository.files(under: folder.path, at: commit)) ?? [], into: &entries, &problems)
            if let first = entries.filter(accept).min(by: { ($0.date.date, $0.id) < ($1.date.date, $1.id) }) { return first }
        }
        return nil
    }

    /// Every one-on-one with `person`, oldest first, found by file name (encrypted entries are
    /// decrypted to find out), and the files that could not be read.
    public func oneOnOnes(with person: Slug) -> EntryScan {
        let files = monthFolders.flatMap { oneOnOneFiles(in: $0.path, about: [person]) }
        var entries: [Entry] = []
        var problems: [FileProblem] = []
        read(blobs: files, into: &entries, &problems, mentioning: [person])
        return EntryScan(entries: entries.filter { $0.oneOnOne?.person == person }.sorted { ($0.date.date, $0.id) < ($1.date.date, $1.id) },
                         problems: problems)
    }

    /// Action items ticked done by commits made from `start` up to `end`, found by comparing the
    /// trees of the last commits before each instant; an entry recorded with a ticked item counts too.
    public func itemsClosed(from start: Date, until end: Date) -> [Journal.TrackedItem] {
        guard let commit, let last = try? journal.repository.firstParentCommit(before: end, from: commit) else { return [] }
        let first = try? journal.repository.firstParentCommit(before: start, from: last)
        guard first != last, let changes = try? journal.repository.changedFiles(under: "entries", from: first, to: last) else {
            return []
        }
        var closed: [Journal.TrackedItem] = []
        // Through the entry cache: the same versions are read by every digest of the period.
        let repository = journal.repository
        let relevant = changes.filter { $0.path.hasSuffix(".md") || $0.path.hasSuffix(".md.age") }
        // The versions after, then before: each read names every path once, so entries map back by path.
        func read(_ side: (ChangedFile) -> ObjectID?) -> [String: Entry] {
            let files = relevant.compactMap { change in
                side(change).map { blob in EntrySourceFile(path: change.path, blob: BlobKey(blob), bytes: { try repository.blobData(blob) }) }
            }
            return Dictionary(journal.readEntries(files).entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let after = read(\.new), before = read(\.old)
        for change in relevant {
            guard let entry = after[change.path] else { continue }
            let before = before[change.path]
            let wasDone = Set((before?.actionItems ?? []).filter(\.isDone).map(\.number))
            for item in entry.actionItems where item.isDone && !wasDone.contains(item.number) {
                closed.append(Journal.TrackedItem(item: item, entry: entry))
            }
        }
        return closed
    }

    /// Files under `people/` and the month folders from `first`'s month to `last`'s whose work-tree
    /// state differs from the commit: hand edits that a report built from the commit leaves out.
    public func uncommittedChanges(filedFrom first: LocalDay, through last: LocalDay) -> [String] {
        var folders = ["people"]
        var year = first.year, month = first.month
        while year * 12 + month <= last.year * 12 + last.month, let firstDay = LocalDay(year: year, month: month, day: 1) {
            folders.append(firstDay.entryFolder)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return (try? journal.repository.workTreeChanges(in: folders, at: commit)) ?? []
    }

    // MARK: - Reading files

    /// The one-on-one files directly in `folder` whose file name names a person `wanted` accepts,
    /// and every encrypted entry (whose name says neither kind nor person), with their blob ids, so
    /// they are read without another path lookup each.
    private func oneOnOneFiles(in folder: String, about people: Set<Slug>) -> [(path: String, blob: ObjectID)] {
        // Names are first looked at as bytes: `<date>-one-on-one-<slug>-<id>.md` with one of these
        // slugs, or any `.md.age`; the checks below then run on a few names, not the whole folder.
        let slugs = Set(people.map { Array($0.value.utf8) })
        let marker = Array("-one-on-one-".utf8)
        let plain = Array(".md".utf8), encrypted = Array(".md.age".utf8)
        let keep = { (name: [UInt8]) -> Bool in
            if name.count > encrypted.count, name.suffix(encrypted.count).elementsEqual(encrypted) { return true }
            let slugStart = 10 + marker.count, slugEnd = name.count - (1 + EntryID.length + plain.count)
            guard slugEnd > slugStart, name.suffix(plain.count).elementsEqual(plain),
                  name[10..<slugStart].elementsEqual(marker) else { return false }
            return slugs.contains(Array(name[slugStart..<slugEnd]))
        }
        return ((try? journal.repository.names(in: folder, at: commit, where: keep)) ?? []).compactMap { name, isFolder, id in
            guard !isFolder else { return nil }
            if name.hasSuffix(".md.age") {
                return ConflictCopy.isCopy(name) || name.hasPrefix(".") ? nil : (folder + "/" + name, id)
            }
            guard let slug = CommittedJournal.oneOnOneSubject(name), people.contains(slug) else { return nil }
            return (folder + "/" + name, id)
        }
    }

    static func listMonthFolders(_ repository: Repository, at commit: ObjectID?) -> [(key: Int, path: String)] {
        var folders: [(Int, String)] = []
        for (year, isFolder, _) in (try? repository.names(in: "entries", at: commit)) ?? [] where isFolder {
            guard year.utf8.count == 4, let yearValue = Int(year) else { continue }
            for (month, isFolder, _) in (try? repository.names(in: "entries/" + year, at: commit)) ?? [] where isFolder {
                guard month.utf8.count == 2, let monthValue = Int(month), (1...12).contains(monthValue) else { continue }
                folders.append((yearValue * 12 + monthValue, "entries/\(year)/\(month)"))
            }
        }
        return folders.sorted { $0.0 < $1.0 }
    }

    /// The person in a one-on-one's file name, nil for any other name.
    static func oneOnOneSubject(_ name: String) -> Slug? {
        guard name.hasSuffix(".md"), Entry.id(fromFileName: name) != nil else { return nil }
        let marker = "-" + EntryKind.oneOnOne.rawValue + "-"
        let bytes = Array(name.utf8)
        guard bytes.count >= 10 + marker.utf8.count + 1 + 1 + EntryID.length + 3,
              name.utf8.dropFirst(10).starts(with: marker.utf8) else { return nil }
        let slugBytes = bytes[(10 + marker.utf8.count)..<(bytes.count - EntryID.length - 4)]
        return try? Slug(validating: String(decoding: slugBytes, as: UTF8.self))
    }

    private func blob(_ file: TreeFile) throws -> Data { try journal.repository.blobData(file.blob) }

    private func read(files: [TreeFile], into entries: inout [Entry], _ problems: inout [FileProblem],
                      mentioning people: Set<Slug>? = nil) {
        let visible = files.filter { !($0.path.split(separator: "/").last?.hasPrefix(".") ?? true) }
        read(blobs: visible.map { ($0.path, $0.blob) }, into: &entries, &problems, mentioning: people)
    }

    /// With `mentioning`, an entry whose text names none of these slugs (in any case) is not
    /// built: it cannot be about them (a slug is plain ASCII, so quoted or not its bytes are in the
    /// file; only a YAML escape spelling out its letters would hide it). A file that does not parse
    /// is kept, so its problem is still reported.
    private func read(blobs: [(path: String, blob: ObjectID)], into entries: inout [Entry], _ problems: inout [FileProblem],
                      mentioning people: Set<Slug>? = nil) {
        var wanted: EntryFilter?
        if let people {
            // In any case (`person: Alice` is then reported with its fix), and a file that does not
            // parse is always let through, to be reported: its record holds no slug.
            let needles = people.map { Array($0.value.lowercased().utf8) }
            wanted = { text, _ in
                text.first == ParsedFile.malformedTag || needles.contains { Bytes.containsIgnoringASCIICase($0, in: text) }
            }
        }
        let repository = journal.repository
        let files = blobs.map { file in
            EntrySourceFile(path: file.path, blob: BlobKey(file.blob), bytes: { try repository.blobData(file.blob) })
        }
        let read = journal.readEntries(files, wanted: wanted)
        entries += read.entries
        problems += read.problems
    }
}

extension Journal {
    /// The journal as HEAD holds it.
    public func committed() throws -> CommittedJournal {
        CommittedJournal(journal: self, commit: try repository.head())
    }
}
