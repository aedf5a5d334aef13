import ArgumentParser
import Journal

extension Rapport {
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit",
            abstract: "Commit files edited, added or deleted by hand.",
            discussion: "Malformed journal files are refused with file:line (exit 65) unless --force.")

        @Flag(help: "Commit even if a journal file does not pass `rapport check`.")
        var force = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let edits = try journal.recorder.commitHandEdits(force: force)
            for (path, reason) in edits.skipped { Output.warning("skipped \(JournalError.shown(path, limit: 400)): \(reason)") }
            if edits.committed.isEmpty {
                print(edits.skipped.isEmpty ? "Nothing to commit: the journal matches its last commit."
                      : "Nothing to commit besides the skipped files.")
            } else {
                print("Committed \(Output.plural(edits.committed.count, "hand-edited file")):")
                for file in edits.committed { print("  \(file)") }
                for (plain, age) in edits.encrypted { print("Encrypted \(plain) as \(age); the plain file is gone.") }
            }
        }
    }
}
