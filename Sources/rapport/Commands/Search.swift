import ArgumentParser
import Journal

extension Rapport {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Find entries whose notes or tags contain TEXT (ignoring case and accents).")

        @Argument(help: "The text to look for.")
        var text: String

        @Option(help: "Only entries about this person.")
        var person: String?

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let query = try journal.query(person: person, kind: nil, since: nil, until: nil, tag: nil)
            let scan = journal.scanEntries(containing: text)
            Output.warnSkipped(scan.problems)
            let hits = try journal.search(text, in: scan, query: query)
            if output.json {
                print(JSONOutput.string(hits.map { hit -> [String: Any] in
                    var object = hit.entry.jsonObject(includeBody: false)
                    object["matches"] = hit.lines.map { ["line": $0.line, "text": $0.text] }
                    return object
                }))
                return
            }
            guard !hits.isEmpty else {
                print("No entries contain '\(JournalError.shown(text))'.")
                return
            }
            let style = global.style
            // One write for the whole listing: thousands of hits are common in a large journal.
            var listing = ""
            for hit in hits {
                let entry = hit.entry
                listing += "\(entry.date.localDay)  \(style.bold(entry.id.value))  \(entry.kind == .oneOnOne ? "1on1" : "kudos")  \(entry.people.map(\.value).joined(separator: ","))  \(style.dim(entry.path))\n"
                for (line, text) in hit.lines {
                    listing += "  \(line): \(text)\n"
                }
                if hit.lines.isEmpty { listing += "  tags: \(entry.tags.joined(separator: ", "))\n" }
            }
            print(listing, terminator: "")
        }
    }
}
