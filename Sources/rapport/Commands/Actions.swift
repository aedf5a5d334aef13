import ArgumentParser
import Journal

extension Rapport {
    struct Actions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "actions",
            abstract: "List action items: task lines (- [ ] ...) in entries. Open ones by default.",
            discussion: """
                An item's reference is ENTRY-ID.N (N counts the entry's task lines from 1); close it with \
                `rapport done REF`. The owner is the first @mention (@me is you); an item with none is yours.
                """)

        @Option(help: "Only items about or owned by this person.", completion: Completions.people)
        var person: String?

        @Flag(help: "Open items (the default).")
        var open = false

        @Flag(help: "Done items.")
        var done = false

        @Flag(help: "Open and done items.")
        var all = false

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if [open, done, all].filter({ $0 }).count > 1 {
                throw ValidationError("Use only one of --open, --done and --all.")
            }
        }

        func run() throws {
            let journal = try global.openJournal()
            let slug = try person.map { try journal.reader.person($0).slug }
            let scan = journal.reader.scanEntries()
            Output.warnSkipped(scan.problems)
            let items = journal.reader.actionItems(in: scan).filter { tracked in
                if let slug, tracked.person != slug, !tracked.entry.people.contains(slug) { return false }
                if all { return true }
                return done ? tracked.item.isDone : !tracked.item.isDone
            }.sorted { lhs, rhs in
                (lhs.item.due ?? LocalDay(daysSinceEpoch: Int.max / 2), lhs.entry.date.date, lhs.item.number)
                    < (rhs.item.due ?? LocalDay(daysSinceEpoch: Int.max / 2), rhs.entry.date.date, rhs.item.number)
            }
            if output.json {
                print(JSONOutput.string(items.map { $0.item.json(entry: $0.entry) }))
                return
            }
            guard !items.isEmpty else {
                print(done ? "No done action items." : (all ? "No action items." : "No open action items."))
                return
            }
            let style = global.style
            let today = journal.today
            print(Output.table(items.map { tracked in
                let item = tracked.item
                var due = item.due.map { "due \($0)" } ?? "-"
                if let day = item.due, !item.isDone, day < today { due = style.red(due + " (overdue)") }
                return [style.bold(item.reference), item.isDone ? "[x]" : "[ ]",
                        tracked.entry.people.map(\.value).joined(separator: ","), "@" + item.owner.description, due, item.text]
            }))
        }
    }
}
