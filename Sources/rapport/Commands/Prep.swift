import ArgumentParser
import Digest
import Journal

extension Rapport {
    struct Prep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prep",
            abstract: "Before the next one-on-one: days since the last, its notes, open items, trend, recognition, talking points.")

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let sheet = try PrepSheet.build(journal: journal, person: slug, now: journal.now)
            Output.warnSkipped(sheet.unreadable)
            print(try sheet.render(templates: journal.templates), terminator: "")
        }
    }
}
