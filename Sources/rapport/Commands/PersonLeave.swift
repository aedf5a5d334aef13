import ArgumentParser
import Journal

extension Rapport {
    struct PersonLeave: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "leave",
            abstract: "Mark a person as left (status: left). Their entries stay in the journal.")

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @Option(parsing: .unconditional, help: "The day they left (default: today).")
        var date: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([date], for: "--date")
        }

        func run() throws {
            let journal = try global.openJournal()
            let person = try journal.recorder.leave(slug, on: date)
            print("Marked \(person.name) (\(person.slug)) as left on \(person.left.map(\.description) ?? "today").")
        }
    }
}
