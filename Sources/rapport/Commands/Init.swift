import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a journal: a git repository with .rapport/journal.yml and a first commit.",
            discussion: """
                DIR defaults to ~/.local/share/rapport/journal ($XDG_DATA_HOME/rapport/journal). An empty \
                folder or an existing git repository may be used. The commit author is --author (saved in \
                journal.yml), else git's user.name and user.email.
                """)

        @Argument(help: ArgumentHelp("Where to create the journal.", valueName: "dir"))
        var directory: String?

        @Option(help: "A name for the journal (default: the folder's name).")
        var name: String?

        @Option(help: ArgumentHelp("Commit author saved in journal.yml, such as \"Dana Lee <dana@example.com>\".", valueName: "author"))
        var author: String?

        @Option(help: ArgumentHelp("IANA time zone for dates (default: this machine's).", valueName: "zone"))
        var timezone: String?

        @Option(help: ArgumentHelp("A shared remote to record as 'origin' (nothing is pushed).", valueName: "url"))
        var remote: String?

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let target = directory.map { Journal.absolutePath($0) } ?? Journal.defaultLocation(environment: environment)
            var zone = TimeZone.current
            if let timezone {
                guard let parsed = TimeZone(identifier: timezone) else {
                    throw JournalError.usage("'\(JournalError.shown(timezone))' is not an IANA time zone such as Europe/Berlin.")
                }
                zone = parsed
            }
            let journal = try Journal.create(at: target, name: name, author: author, timeZone: zone, remote: remote)
            print("Created journal '\(journal.config.name)' in \(journal.root) (time zone \(journal.timeZone.identifier)).")
            print("Next: rapport person add SLUG --name \"Full Name\"")
        }
    }
}
