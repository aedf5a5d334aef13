import ArgumentParser
import Journal

extension Rapport {
    struct RemoteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remote",
            abstract: "Add, list or remove the journal's shared remotes.",
            subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

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
                // sync, pull, push and auto-sync use origin unless told otherwise.
                if name == "origin" {
                    print("Added remote origin: \(url). `rapport sync` shares the journal with it.")
                } else if try journal.remotes.list().contains(where: { $0.name == "origin" }) {
                    print("Added remote \(name): \(url). `rapport sync` uses origin; `rapport sync --remote \(name)` uses this one.")
                } else {
                    print("Added remote \(name): \(url). `rapport sync` uses the remote named origin, and there is none: "
                        + "run `rapport sync --remote \(name)`, or add it as origin.")
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove",
                abstract: "Forget a remote (its name and URL here); nothing on the remote changes.")

            @Argument(help: "The remote's name.", completion: Completions.remotes)
            var name: String

            @OptionGroup var global: GlobalOptions

            func run() throws {
                try global.openJournal().remotes.remove(name: name)
                print("Removed remote \(name); nothing on it was changed.")
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
