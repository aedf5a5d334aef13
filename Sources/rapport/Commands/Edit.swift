import ArgumentParser
import Journal

extension Rapport {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Edit an entry in $EDITOR, then validate and commit it.",
            discussion: """
                The id and kind cannot change; a new date or person renames the file in the same commit. \
                If the text is invalid the editor reopens with the error on top; save it unchanged to give up.
                """)

        @Argument(help: "The entry id or a unique prefix of it.", completion: Completions.entryIDs)
        var id: String

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let entry = try journal.reader.entry(id)
            let updated = try Editor.edit(journal, path: entry.path, draft: "edit-\(entry.id)") {
                try journal.recorder.replaceEntry(entry, original: $0, with: $1)
            }
            if let updated {
                print("Updated \(updated.id): \(updated.path)")
            } else {
                print("No changes to \(entry.id).")
            }
        }
    }
}
