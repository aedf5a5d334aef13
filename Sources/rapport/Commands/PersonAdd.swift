import ArgumentParser
import Journal

extension Rapport {
    struct PersonAdd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a person: writes people/SLUG.md and commits it.",
            discussion: "Example: rapport person add alice --name \"Alice Chen\" --role \"ML Engineer\" --team platform --cadence weekly")

        @Argument(help: "A short handle: 1-40 lower-case letters, digits and '-', such as alice or bob-k.")
        var slug: String

        @Option(help: "Full name.")
        var name: String

        @Option(help: "Role or title.")
        var role: String?

        @Option(help: "Team.")
        var team: String?

        @Option(help: "weekly, biweekly, monthly or a number of days such as 10d (default: the journal's default_cadence).")
        var cadence: String?

        @Option(parsing: .unconditional, help: "The day they started (a date).")
        var started: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([started], for: "--started")
        }

        func run() throws {
            let journal = try global.openJournal()
            let person = try journal.recorder.addPerson(slug: slug, name: name, role: role, team: team, cadence: cadence,
                                               started: started)
            print("Added \(person.name) (\(person.slug)): \(person.path)")
        }
    }
}
