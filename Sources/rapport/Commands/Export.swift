import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every readable entry as one JSON document or as CSV, one row per entry.",
            discussion: """
                JSON is `rapport.export/v1` (docs/FileFormat.md): the journal's name, the commit read, \
                the entries as `list --json` prints them, and the files skipped with why. CSV has a header \
                row; a cell that a spreadsheet would run as a formula (=, +, -, @ first) starts with '. \
                Private entries are included (this is your own copy): --out must be outside the journal, \
                which a sync shares.
                """)

        @Option(help: ArgumentHelp("json or csv.", valueName: "format"), completion: .list(["json", "csv"]))
        var format: String

        @OptionGroup var filters: EntryFilters

        @Option(help: "Write to this file (outside the journal) instead of stdout.")
        var out: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard ["json", "csv"].contains(format.lowercased()) else {
                throw ValidationError("'\(JournalError.shown(format))' is not an export format: use json or csv.")
            }
        }

        func run() throws {
            let journal = try global.openJournal()
            if let out, let folder = journal.journalFolder(containing: Journal.absolutePath(out)) {
                throw JournalError.usage("--out \(JournalError.shown(out)) is inside the journal's \(folder) folder, which a sync shares; write the export outside the journal.")
            }
            let query = try filters.query(journal)
            let scan = journal.reader.scanEntries(for: query)
            Output.warnSkipped(scan.problems, leftOutOf: "the export")
            let entries = scan.entries.filter(query.matches)
            let text: String
            if format.lowercased() == "json" {
                text = JSONOutput.string(ExportJSON(
                    schema: "rapport.export/v1", journal: journal.config.name, commit: try? journal.committed().commitID,
                    exportedAt: Timestamp(journal.now, in: journal.timeZone).text, entries: entries.map { $0.json() },
                    skipped: scan.problems.map { SkippedJSON(path: $0.path, reason: $0.message) })) + "\n"
            } else {
                text = CSV.document(entries)
            }
            if let out { try Output.write(text, to: out) } else { print(text, terminator: "") }
        }
    }
}

/// `export --format json`: see docs/FileFormat.md.
struct ExportJSON: Encodable {
    let schema: String
    let journal: String
    @Nullable var commit: String?
    let exportedAt: String
    let entries: [EntryJSON]
    let skipped: [SkippedJSON]
}

struct SkippedJSON: Encodable {
    let path: String
    let reason: String
}

/// CSV as RFC 4180 has it but with LF line ends (CR is a control character, which rapport never
/// prints to a terminal), one row per entry.
enum CSV {
    static let header = ["id", "kind", "date", "people", "author", "mood", "energy", "workload", "category", "private", "tags",
                         "open_items", "done_items", "note"]

    static func document(_ entries: [Entry]) -> String {
        ([header] + entries.map(row)).map { $0.map(cell).joined(separator: ",") + "\n" }.joined()
    }

    static func row(_ entry: Entry) -> [String] {
        let oneOnOne = entry.oneOnOne, recognition = entry.recognition
        let isPrivate = oneOnOne?.isPrivate ?? (recognition?.visibility == .private)
        let items = entry.actionItems
        return [entry.id.value, entry.kind.rawValue, entry.date.text, entry.people.map(\.value).joined(separator: " "),
                entry.author ?? "", oneOnOne?.mood.map(String.init) ?? "", oneOnOne?.energy.map(String.init) ?? "",
                oneOnOne?.workload.map(String.init) ?? "", recognition?.category ?? "", isPrivate ? "true" : "false",
                entry.tags.joined(separator: " "), String(items.filter { !$0.isDone }.count), String(items.filter(\.isDone).count),
                entry.body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)]
    }

    /// Quoted when it holds a comma, quote or line break; a cell a spreadsheet would run as a
    /// formula gets a leading ' (the notes may come from anyone who can push to the remote).
    static func cell(_ text: String) -> String {
        let safe = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + text : text
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
