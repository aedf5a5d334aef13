import ArgumentParser
import Journal

extension Rapport {
    struct PersonAway: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "away",
            abstract: "Record a known absence (vacation, leave): while away a person is not overdue and raises no signal.")

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @Option(parsing: .unconditional, help: "The first day away (YYYY-MM-DD, today, -3d ...).")
        var from: String

        @Option(parsing: .unconditional, help: "The last day away.")
        var until: String

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([from, until], for: "--from and --until")
        }

        func run() throws {
            let journal = try global.openJournal()
            let (person, span) = try journal.recorder.away(slug, from: from, until: until)
            print("Marked \(person.name) (\(person.slug)) away from \(span.lowerBound) through \(span.upperBound).")
        }
    }
}
