import ArgumentParser
import Journal

extension Rapport {
    struct PersonEdit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Edit a profile in $EDITOR, then validate and commit it.",
            discussion: "The slug cannot change. If the text is invalid the editor reopens with the error on top; save it unchanged to give up.")

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let person = try journal.reader.person(slug)
            let updated = try Editor.edit(journal, path: person.path, draft: "person-\(person.slug)") {
                try journal.recorder.replacePerson(person, original: $0, with: $1)
            }
            if let updated {
                print("Updated \(updated.name) (\(updated.slug)): \(updated.path)")
            } else {
                print("No changes to \(person.slug).")
            }
        }
    }
}
