import ArgumentParser
import Journal

extension Rapport {
    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "done",
            abstract: "Tick an action item (- [ ] becomes - [x]) in its entry and commit.",
            discussion: "REF is ENTRY-ID.N as `rapport actions` shows it, such as K3F9X2.1; the id may be a unique prefix.")

        @Argument(help: "The action item, ENTRY-ID.N.", completion: Completions.actionItems)
        var reference: String

        @Flag(help: "Reopen the item instead (- [x] becomes - [ ]).")
        var undo = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let (item, changed) = try journal.recorder.setDone(reference, done: !undo)
            if changed {
                print("\(undo ? "Reopened" : "Closed") \(item.reference): \(item.text)")
            } else {
                print("\(item.reference) is already \(undo ? "open" : "done"): \(item.text)")
            }
        }
    }
}
