import ArgumentParser
import Journal

extension Rapport {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show or change this clone's own settings, which never travel with the journal.",
            discussion: """
                These settings live in the journal's .git/config (under rapport.*), which no pull \
                or clone can write; .rapport/journal.yml, which everyone who syncs shares, cannot set \
                them. With no KEY, lists them all; with KEY, prints it; with KEY VALUE, sets it.

                Keys: \(LocalSettings.Key.allCases.map { "\($0.rawValue) (\($0.meaning))" }.joined(separator: "; ")).
                """)

        @Argument(help: "A setting: identity, sync.auto, sync.allow_insecure or encrypt.")
        var key: String?

        @Argument(help: "Its new value.")
        var value: String?

        @Flag(help: "Remove the setting, so its default applies.")
        var unset = false

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            guard let key else {
                if unset { throw ValidationError("--unset needs a KEY.") }
                let rows = LocalSettings.Key.allCases.map { [$0.rawValue, shown($0, in: journal)] }
                print(Output.table(rows))
                return
            }
            guard let setting = LocalSettings.Key(rawValue: key) else {
                throw ValidationError("'\(JournalError.shown(key))' is not a setting: use \(LocalSettings.Key.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if unset {
                if value != nil { throw ValidationError("--unset takes no VALUE.") }
                try journal.setLocal(setting, to: nil)
                print("Unset \(setting.rawValue); the default applies.")
            } else if let value {
                try journal.setLocal(setting, to: value)
                var line = "Set \(setting.rawValue) to \(journal.localValue(setting) ?? value) for this clone."
                if setting == .encrypt, let floor = JournalConfig.Encryption(rawValue: journal.localValue(.encrypt) ?? ""),
                   floor < journal.sharedEncryption {
                    line += " .rapport/journal.yml asks for encrypt: \(journal.sharedEncryption.rawValue), which still applies."
                }
                print(line)
            } else {
                print(shown(setting, in: journal))
            }
        }

        /// A setting's value as it applies, saying where a default comes from.
        func shown(_ key: LocalSettings.Key, in journal: Journal) -> String {
            switch key {
            case .identity: journal.keys.identityPath() + (journal.localValue(.identity) == nil ? " (default)" : "")
            case .autoSync: String(journal.local.autoSync)
            case .allowInsecure: String(journal.local.allowInsecure)
            case .encrypt:
                "\(journal.config.encrypt.rawValue) (floor \(journal.local.encryptFloor?.rawValue ?? "unset"); .rapport/journal.yml says \(journal.sharedEncryption.rawValue))"
            }
        }
    }
}
