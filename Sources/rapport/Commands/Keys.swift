import ArgumentParser
import Journal

extension Rapport {
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Your age identity: create it, or show the recipient others encrypt to.",
            subcommands: [Init.self, Show.self])

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
    }
}
