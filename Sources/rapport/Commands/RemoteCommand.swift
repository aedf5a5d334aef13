import ArgumentParser
import Journal

extension Rapport {
    struct RemoteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remote",
            abstract: "Name a shared remote for the journal, or list them.",
            subcommands: [Add.self, List.self], defaultSubcommand: List.self)

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add a remote: a path, file://, ssh://, user@host:path or https URL.")

            @Argument(help: "The remote's name, such as origin.")
            var name: String

            @Argument(help: "Where it is.")
            var url: String

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let journal = try global.openJournal()
                try journal.remotes.add(name: name, url: url)
                print("Added remote \(name): \(url). `rapport sync` pushes the journal there.")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the journal's remotes.")

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let remotes = try global.openJournal().remotes.list()
                if remotes.isEmpty { print("No remote. Add one with `rapport remote add origin URL`.") }
                for remote in remotes { print("\(remote.name)\t\(remote.url)") }
            }
        }
    }
}
