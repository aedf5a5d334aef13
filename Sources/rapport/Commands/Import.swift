import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Bring notes from another tool into the journal as one-on-ones, in one commit.",
            subcommands: [Jrnl.self])

        struct Jrnl: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "jrnl",
                abstract: "Import jrnl's JSON export (jrnl --export json > notes.json).",
                discussion: """
                    Each note becomes a one-on-one with --person, else with the first of its @tags that is a \
                    person's slug; the title and body are the note, other tags stay tags. Importing the same \
                    file again adds nothing (each entry records imported_from:). Notes that name no person \
                    or are dated in the future are skipped and listed.
                    """)

            @Argument(help: ArgumentHelp("The JSON file ('-' reads standard input).", valueName: "file"))
            var file: String

            @Option(help: "The person every note is about.", completion: Completions.people)
            var person: String?

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let journal = try global.openJournal()
                if let person { _ = try journal.reader.person(person) }
                let data: Data
                if file == "-" {
                    data = FileHandle.standardInput.readDataToEndOfFile()
                } else {
                    guard let read = FileManager.default.contents(atPath: file) else {
                        throw JournalError.usage("Cannot read \(JournalError.shown(file, limit: 200)).")
                    }
                    data = read
                }
                let report = try journal.recorder.importJrnl(data, person: person)
                Rapport.Import.print(report)
            }
        }

        static func print(_ report: ImportReport) {
            for (what, reason) in report.skipped { Output.warning("skipped \(what): \(reason)") }
            var line = "Imported \(Output.plural(report.added, "one-on-one"))"
            if report.alreadyImported > 0 { line += "; \(report.alreadyImported) imported before" }
            if !report.skipped.isEmpty { line += "; skipped \(report.skipped.count)" }
            Swift.print(Terminal.safe(line + "."))
        }
    }
}
