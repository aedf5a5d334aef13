import ArgumentParser
import Journal

extension Rapport {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Find entries whose notes or tags contain TEXT (ignoring case and accents).")

        @Argument(help: "The text to look for.")
        var text: String

        @Option(help: "Only entries about this person.", completion: Completions.people)
        var person: String?

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let query = try journal.reader.query(person: person, kind: nil, since: nil, until: nil, tag: nil)
            let scan = journal.reader.scanEntries(containing: text)
            Output.warnSkipped(scan.problems)
            let hits = try journal.reader.search(text, in: scan, query: query)
            if output.json {
                print(JSONOutput.string(hits.map { hit in
                    MergedJSON(hit.entry.json(includeBody: false), Matches(matches: hit.lines.map { Match(line: $0.line, text: $0.text) }))
                }))
                return
            }
            guard !hits.isEmpty else {
                print("No entries contain '\(JournalError.shown(text))'.")
                return
            }
            let listing = Search.listing(of: hits, style: global.style)
            print(String(decoding: listing, as: UTF8.self), terminator: "")
        }

        /// What `--json` adds to each entry: its matching lines.
        struct Matches: Encodable {
            let matches: [Match]
        }

        struct Match: Encodable {
            let line: Int
            let text: String
        }

        /// The hits as text, built as bytes in one buffer: thousands of hits are common in a large
        /// journal, and this is a tenth of the cost of string interpolation.
        static func listing(of hits: [SearchHit], style: Style) -> [UInt8] {
            var listing: [UInt8] = []
            listing.reserveCapacity(hits.count * 160)
            // Through the buffer, each hit is lent to `describe`: `hits[index]` would copy it,
            // retaining every string of its entry.
            hits.withUnsafeBufferPointer { buffer in
                for index in buffer.indices { describe(buffer[index], style: style, into: &listing) }
            }
            return listing
        }

        /// One hit: the entry's line, then its matching lines (or its tags). Borrowed, not copied
        /// (see `Journal.search`).
        private static func describe(_ hit: borrowing SearchHit, style: Style, into listing: inout [UInt8]) {
            func add(_ text: String) { listing.append(contentsOf: text.utf8) }
            add(hit.entry.date.localDay.description)
            add("  ")
            add(style.bold(hit.entry.id.value))
            add(hit.entry.kind == .oneOnOne ? "  1on1  " : "  kudos  ")
            for (index, person) in hit.entry.people.enumerated() {
                if index > 0 { add(",") }
                add(person.value)
            }
            add("  ")
            add(style.dim(hit.entry.path))
            add("\n")
            for (line, text) in hit.lines {
                add("  ")
                add(String(line))
                add(": ")
                add(text)
                add("\n")
            }
            if hit.lines.isEmpty {
                add("  tags: ")
                add(hit.entry.tags.joined(separator: ", "))
                add("\n")
            }
        }
    }
}
