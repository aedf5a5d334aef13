import ArgumentParser
import Journal

extension Rapport {
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commit files edited, added or deleted by hand.",
            discussion: "Malformed journal files are refused with file:line (exit 65) unless --force.")

        @Flag(help: "Commit even if a journal file does not pass `rapport check`.")
        var force = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let files = try journal.commitHandEdits(force: force)
            if files.isEmpty {
                print("Nothing to commit: the journal matches its last commit.")
            } else {
                print("Committed \(Output.plural(files.count, "hand-edited file")):")
                for file in files { print("  \(file)") }
            }
        }
    }
}
