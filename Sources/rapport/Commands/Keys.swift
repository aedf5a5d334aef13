import ArgumentParser
import Journal

extension Rapport {
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Your age identity, and the co-managers' recipients entries are encrypted to.",
            subcommands: [Init.self, Show.self, Add.self, Remove.self, List.self])

        struct Init: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "init",
                abstract: "Create an age identity (mode 0600) and add its recipient to .rapport/recipients.",
                discussion: """
                    The identity goes to $RAPPORT_IDENTITY, else journal.yml's `identity:`, else \
                    ~/.config/rapport/identity.txt. An existing identity is used, not replaced. It is an \
                    ordinary age identity file: `age -d -i` reads what it decrypts.
                    """)

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let outcome = try global.openJournal().keys.initialize()
                print(outcome.created ? "Created \(outcome.identityPath) (keep it private, and back it up)."
                                      : "Using the existing identity \(outcome.identityPath).")
                print(outcome.added ? "Added \(outcome.recipient) to .rapport/recipients."
                                    : "\(outcome.recipient) is already in .rapport/recipients.")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Print your recipient (age1...).")

            @OptionGroup var global: GlobalOptions

            func run() throws {
                print(try global.openJournal().keys.identities()[0].recipient)
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add a co-manager's recipient (age1...) to .rapport/recipients, named.",
                discussion: "Entries encrypted before stay readable to their earlier recipients only: run `rapport rekey` so the new member reads them too.")

            @Argument(help: "Their age recipient (age1...), as `rapport keys show` prints it on their machine.")
            var recipient: String

            @Option(help: "Who they are, as `keys list` shows them.")
            var name: String

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let member = try global.openJournal().keys.add(recipient, name: name)
                print("Added \(member.name ?? "") (\(member.recipient)). Run `rapport rekey` so they can read the entries encrypted before.")
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove",
                abstract: "Remove a recipient and re-encrypt every entry you can open to those left, in one commit.")

            @Argument(help: "The age1... recipient or the name it was added with.", completion: Completions.members)
            var member: String

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let (member, rekeyed) = try global.openJournal().keys.remove(self.member)
                print("Removed \(member.name ?? member.recipient.description); re-encrypted \(Output.plural(rekeyed.entries, "entry", "entries")) to the recipients left.")
                print("Shared entries are readable by: \(rekeyed.readers.joined(separator: ", ")).")
                Output.warning("what \(member.name ?? "they") could read before stays readable to them: in the journal's history and in any clone they have.")
                Rekey.warnUnreadable(rekeyed)
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the recipients entries are encrypted to.")

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let members = try global.openJournal().keys.members()
                if members.isEmpty { print("No recipients yet: `rapport keys init` adds yours.") }
                print(Output.table(members.map { [$0.recipient.description, ($0.name ?? "-") + ($0.isYou ? " (you)" : "")] }))
            }
        }
    }

    struct Rekey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rekey",
            abstract: "Re-encrypt every entry you can open to the current recipients, in one commit.",
            discussion: "Private entries stay encrypted to your own identity only. Entries you cannot open (a co-manager's private ones) are left as they are.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let rekeyed = try global.openJournal().keys.rekey()
            print("Re-encrypted \(Output.plural(rekeyed.entries, "entry", "entries")) to the current recipients.")
            print("Shared entries are readable by: \(rekeyed.readers.joined(separator: ", ")).")
            Rekey.warnUnreadable(rekeyed)
        }

        static func warnUnreadable(_ rekeyed: Journal.Keys.Rekeyed) {
            guard let first = rekeyed.unreadable.first else { return }
            Output.warning("\(Output.plural(rekeyed.unreadable.count, "entry", "entries")) your identity cannot open \(rekeyed.unreadable.count == 1 ? "was" : "were") left as \(rekeyed.unreadable.count == 1 ? "it was" : "they were") (\(first)\(rekeyed.unreadable.count > 1 ? ", ..." : "")).")
        }
    }
}
