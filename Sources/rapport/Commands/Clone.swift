import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clone",
            abstract: "Copy a shared journal from a remote.",
            discussion: "DIR defaults to ~/.local/share/rapport/journal ($XDG_DATA_HOME/rapport/journal), where rapport looks by default.")

        @Argument(help: "The remote: a path, file://, ssh://, user@host:path or https URL.")
        var url: String

        @Argument(help: ArgumentHelp("Where to put the journal.", valueName: "dir"))
        var directory: String?

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let target = directory.map { Journal.absolutePath($0) }
                ?? Journal.defaultLocation(environment: ProcessInfo.processInfo.environment)
            let journal = try Journal.clone(url, to: target, options: Transfer.options())
            print("Cloned journal '\(journal.config.name)' into \(journal.root).")
        }
    }
}
