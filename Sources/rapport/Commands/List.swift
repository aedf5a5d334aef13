import ArgumentParser
import Journal

extension Rapport {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List entries, oldest first.",
            discussion: "Example: rapport list --person alice --since -30d. Files that cannot be read are skipped with a warning.")

        @OptionGroup var filters: EntryFilters

        @Option(help: "Only entries with this tag.")
        var tag: String?

        @Option(name: [.customShort("n"), .long], help: "Only the latest N entries.")
        var limit: Int?

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
        }

        func run() throws {
            let journal = try global.openJournal()
            let query = try filters.query(journal, tag: tag)
            let scan = limit.map { journal.reader.latestEntries(matching: query, limit: $0) } ?? journal.reader.scanEntries(for: query)
            Output.warnSkipped(scan.problems)
            let entries = scan.entries.filter(query.matches)
            if output.json {
                print(JSONOutput.string(entries.map { $0.json() }))
                return
            }
            guard !entries.isEmpty else {
                print("No entries match.")
                return
            }
            let style = global.style  // read once: it looks at the environment
            print(Output.table(entries.map { EntryLine.cells($0, style: style) }))
        }
    }
}

/// One entry on one line: date, id, kind, people, then the scores or category and the note's start.
enum EntryLine {
    static func cells(_ entry: Entry, style: Style) -> [String] {
        var details: [String] = []
        switch entry.details {
        case .oneOnOne(let oneOnOne):
            if let mood = oneOnOne.mood { details.append("mood \(mood)") }
            if let energy = oneOnOne.energy { details.append("energy \(energy)") }
            if let workload = oneOnOne.workload { details.append("workload \(workload)") }
        case .recognition(let recognition):
            if let category = recognition.category { details.append(category) }
        }
        let summary = Output.summary(of: entry.body)
        if !summary.isEmpty { details.append(summary) }
        return [entry.date.localDay.description, style.bold(entry.id.value), entry.kind == .oneOnOne ? "1on1" : "kudos",
                entry.people.map(\.value).joined(separator: ","), details.joined(separator: " · ")]
    }
}
