import ArgumentParser
import Journal

extension Rapport {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check that every file parses and follows the format; exit 65 with file:line otherwise.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let report = journal.reader.check()
            if let first = report.locked.first {
                Output.warning("\(Output.plural(report.locked.count, "entry", "entries")) not checked: \(ErrorMessages.message(of: first)).")
            }
            for problem in report.problems { print(ErrorMessages.text(for: problem)) }
            if !report.problems.isEmpty {
                Output.standardError("\(Output.plural(report.problems.count, "problem")) found.")
                throw ExitCode(65)
            }
            print("ok: \(Output.plural(report.people, "person", "people")), \(Output.plural(report.entries, "entry", "entries")), \(Output.plural(report.openItems, "open action item"))")
        }
    }
}
