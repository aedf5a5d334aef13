import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clone",
            abstract: "Copy a shared journal from a remote.",
            discussion: """
                DIR defaults to ~/.local/share/rapport/journal ($XDG_DATA_HOME/rapport/journal), where rapport looks by default. \
                http:// and git:// remotes, which nothing encrypts, are refused unless --allow-insecure is given; it is \
                then remembered in the new journal's local settings (git config rapport.allowInsecure).
                """)

        @Argument(help: "The remote: a path, file://, ssh://, user@host:path or https URL.")
        var url: String

        @Argument(help: ArgumentHelp("Where to put the journal.", valueName: "dir"))
        var directory: String?

        @Flag(help: "Allow an http:// or git:// remote, which anyone on the way can read and change.")
        var allowInsecure = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let target = directory.map { Journal.absolutePath($0) }
                ?? Journal.defaultLocation(environment: ProcessInfo.processInfo.environment)
            let journal = try Journal.clone(url, to: target, allowInsecure: allowInsecure, options: Transfer.options())
            journal.openingWarnings.forEach { Output.warning($0) }
            print("Cloned journal '\(journal.config.name)' into \(journal.root).")
        }
    }
}
