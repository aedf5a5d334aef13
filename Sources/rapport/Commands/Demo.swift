import ArgumentParser
import Foundation
import Journal
import JournalDemo

extension Rapport {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Write a realistic synthetic journal to try rapport on (one commit per week).",
            discussion: """
                The people, notes and numbers are made up from --seed: the same seed, weeks, end day and \
                time zone always give the same files and commits. The history ends at --end (default today).
                """)

        @Argument(help: ArgumentHelp("Where to write it; must not exist or be empty.", valueName: "dir"))
        var directory = "demo-journal"

        @Option(help: "How many people.")
        var people = 8

        @Option(help: "How many weeks of history.")
        var weeks = 26

        @Option(help: "Seed for the generator.")
        var seed: UInt64 = 1

        @Option(parsing: .unconditional, help: "The last day of the history (default: today).")
        var end: String?

        @Option(help: ArgumentHelp("IANA time zone (default: this machine's).", valueName: "zone"))
        var timezone: String?

        @Option(name: .customLong("encrypt-to"), help: ArgumentHelp("An age recipient (age1...): the journal gets `encrypt: all` and every entry is encrypted to it; repeat for more.", valueName: "recipient"))
        var encryptTo: [String] = []

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([end], for: "--end")
        }

        func run() throws {
            var options = DemoOptions()
            options.people = people
            options.weeks = weeks
            options.seed = seed
            for text in encryptTo where !options.encrypt(to: text) {
                throw JournalError.usage("'\(JournalError.shown(text))' is not an age recipient (age1...): see `rapport keys show`.")
            }
            if let timezone {
                guard let zone = TimeZone(identifier: timezone) else {
                    throw JournalError.usage("'\(JournalError.shown(timezone))' is not an IANA time zone such as Europe/Berlin.")
                }
                options.timeZone = zone
            }
            if let end {
                guard case .day(let day) = try DateInput.parse(end, now: Date(), zone: options.timeZone) else {
                    throw JournalError.usage("--end takes a day, such as 2026-11-27.")
                }
                options.end = day
            }
            let target = Journal.absolutePath(directory)
            let started = Date()
            let summary = try DemoJournal.generate(at: target, options: options)
            let seconds = Date().timeIntervalSince(started)
            print("Wrote a demo journal to \(target): \(Output.plural(summary.people, "person", "people")), "
                  + "\(summary.oneOnOnes) one-on-ones, \(Output.plural(summary.recognitions, "recognition")), "
                  + "\(Output.plural(summary.commits, "commit")) in \(String(format: "%.1f", seconds)) s.")
            print("Try: rapport --journal \(directory) due")
        }
    }
}
