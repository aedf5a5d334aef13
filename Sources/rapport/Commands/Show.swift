import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print an entry's file (front matter and note).",
            discussion: "ID is the entry id or a unique prefix of 4 or more characters, in any case.")

        @Argument(help: "The entry id or a unique prefix of it.", completion: Completions.entryIDs)
        var id: String

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let entry = try journal.reader.entry(id)
            if output.json {
                print(JSONOutput.string(entry.json()))
            } else {
                print(String(decoding: entry.document.data, as: UTF8.self), terminator: "")
            }
        }
    }
}
