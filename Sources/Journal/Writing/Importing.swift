import Foundation
import GitStore
import JournalModel

/// What an import did: how many entries it added, and each note it skipped with why.
public struct ImportReport: Sendable {
    public var added = 0
    /// Notes imported before (same source key): a second import of the same file adds nothing.
    public var alreadyImported = 0
    public var skipped: [(what: String, reason: String)] = []
}

/// One note from another tool, before it becomes a one-on-one.
struct ForeignNote {
    /// Where it came from, shown when it is skipped ("entry 12 (2021-03-04 Standup)").
    let label: String
    let date: Timestamp
    /// A slug the note names (an @tag, or the import's mapping), nil when none.
    let person: String?
    let tags: [String]
    let body: String
    /// A stable key of its content: `imported_from:` in the entry, so a second import skips it.
    let key: String
}

extension Journal.Recorder {
    /// Imports jrnl's JSON export (`jrnl --export json`) as one-on-ones, in one commit. A note
    /// belongs to `person`, else to the first of its @tags that is a person's slug; one that
    /// names nobody, is dated in the future or was imported before is skipped, and said so.
    public func importJrnl(_ data: Data, person: String? = nil) throws -> ImportReport {
        struct Export: Decodable {
            struct Note: Decodable {
                let title: String?
                let body: String?
                let date: String
                let time: String?
                let tags: [String]?
            }
            let entries: [Note]
        }
        let export: Export
        do { export = try JSONDecoder().decode(Export.self, from: data) } catch {
            throw JournalError.data("This is not jrnl's JSON export: \(error.localizedDescription)")
        }
        let known = Set(journal.reader.people().people.map(\.slug.value))
        var notes: [ForeignNote] = []
        var report = ImportReport()
        for (index, note) in export.entries.enumerated() {
            let title = Text.trimmed(Journal.unixLines(note.title ?? ""), newlines: true)
            let body = Text.trimmed(Journal.unixLines(note.body ?? ""), newlines: true)
            let label = "entry \(index + 1) (\(note.date) \(Text.shown(title, limit: 40)))"
            guard let date = Timestamp(parsing: "\(note.date)T\(note.time ?? "12:00"):00", defaultZone: journal.timeZone) else {
                report.skipped.append((label, "its date '\(Text.shown(note.date)) \(Text.shown(note.time ?? ""))' is not YYYY-MM-DD HH:MM"))
                continue
            }
            let words = (note.tags ?? []).map { String($0.drop { $0 == "@" || $0 == "#" }).lowercased() }
            let named = person ?? words.first(where: known.contains)
            let text = [title, body].filter { !$0.isEmpty }.joined(separator: "\n\n")
            notes.append(ForeignNote(label: label, date: date, person: named, tags: words.filter { $0 != named && Slug.isValid($0) },
                                     body: text, key: "jrnl:" + ForeignNote.digest(note.date + "\n" + (note.time ?? "") + "\n" + text)))
        }
        return try add(notes, into: report, source: "jrnl")
    }

    /// The notes as one-on-ones in one commit, skipping what cannot or need not be imported.
    func add(_ notes: [ForeignNote], into report: ImportReport, source: String) throws -> ImportReport {
        var report = report
        let people = Dictionary(journal.reader.people().people.map { ($0.slug.value, $0) }, uniquingKeysWith: { first, _ in first })
        return try journal.transaction { signature in
            // Keys already in the journal: read under the lock, so two imports at once add each note once.
            // Only this author's own imports count: an entry someone pushed with a note's key
            // must not make that note look imported.
            var imported = Set(journal.reader.scanEntries().entries.filter { $0.author == signature.description }
                .compactMap { $0.document["imported_from"]?.string })
            var ids = Set<String>()
            var changes: [FileChange] = []
            for note in notes {
                guard !imported.contains(note.key) else { report.alreadyImported += 1; continue }
                guard let slug = note.person, let person = people[slug] else {
                    report.skipped.append((note.label, note.person.map { "no person '\($0)' in the journal" }
                        ?? "it names no person: give the person's slug, or tag the note @slug"))
                    continue
                }
                guard note.date.day(in: journal.timeZone) <= journal.today else {
                    report.skipped.append((note.label, "it is dated in the future"))
                    continue
                }
                if (try? Journal.requireNotLeft([person], on: note.date)) == nil {
                    report.skipped.append((note.label, "\(person.name) had left by then"))
                    continue
                }
                var id = journal.freshID()
                while ids.contains(id.value) { id = journal.freshID() }
                ids.insert(id.value)
                let entry = try Entry.newOneOnOne(id: id, date: note.date, person: person.slug, author: signature.description,
                                                  mood: nil, energy: nil, workload: nil, tags: note.tags, body: note.body + "\n",
                                                  zone: journal.timeZone)
                var document = entry.document
                document.set("imported_from", .scalar(note.key))
                changes += try journal.storing(try Entry(document: document, path: entry.path, zone: journal.timeZone)).changes
                imported.insert(note.key)
                report.added += 1
            }
            return (changes, "Import \(report.added) one-on-one\(report.added == 1 ? "" : "s") from \(source)", report)
        }
    }
}

extension ForeignNote {
    /// The first 16 hex digits of git's blob id of `text`: the same note gives the same key.
    static func digest(_ text: String) -> String {
        String(ObjectID.blob(hashing: Data(text.utf8))?.description.prefix(16) ?? "")
    }
}
