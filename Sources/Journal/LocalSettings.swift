import Foundation
import GitStore
import JournalModel

/// The settings of one clone, which never travel with the journal (docs/Trust.md). They live in
/// the repository's own git config under `rapport.` (`.git/config`), which neither a pull nor a
/// clone can write, so `git config rapport.autoSync true` works as well as `rapport config`.
public struct LocalSettings: Sendable, Equatable {
    /// The names `rapport config` takes, and the git config key each is kept under.
    public enum Key: String, Sendable, CaseIterable {
        case identity
        case autoSync = "sync.auto"
        case allowInsecure = "sync.allow_insecure"
        case encrypt

        public var gitKey: String {
            switch self {
            case .identity: "rapport.identity"
            case .autoSync: "rapport.autoSync"
            case .allowInsecure: "rapport.allowInsecure"
            case .encrypt: "rapport.encrypt"
            }
        }

        /// What the value is, for help and errors.
        public var meaning: String {
            switch self {
            case .identity: "the age identity file that decrypts (default ~/.config/rapport/identity.txt)"
            case .autoSync: "push after each write: true or false (default false)"
            case .allowInsecure: "allow http:// and git:// remotes: true or false (default false)"
            case .encrypt: "the lowest encryption this clone accepts from .rapport/journal.yml: none, private or all"
            }
        }
    }

    static let trustedTemplateKey = "rapport.trustedTemplate"
    /// The blob id of the lowered `.rapport/journal.yml` this clone last warned about: the
    /// warning comes once per version of the file, not on every command.
    static let loweredSettingsKey = "rapport.loweredSettingsSeen"

    /// The age identity file (`rapport.identity`), nil for the default.
    public var identity: String?
    /// Push after each write (`rapport.autoSync`).
    public var autoSync = false
    /// Allow http:// and git:// remotes (`rapport.allowInsecure`).
    public var allowInsecure = false
    /// The lowest encryption this clone takes from the shared settings (`rapport.encrypt`); nil
    /// until the journal is first opened, which records what it found.
    public var encryptFloor: JournalConfig.Encryption?
    /// Blob ids of `.rapport/templates/` files the reader approved (`rapport.trustedTemplate`,
    /// one value each).
    public var trustedTemplates: Set<String> = []
    /// `rapport.loweredSettingsSeen`: see `loweredSettingsKey`.
    var loweredSettingsSeen: String?

    public init() {}

    /// Reads every `rapport.` value from one snapshot of the repository's configuration; a value
    /// that is not one the key takes is a usage error naming the key.
    init(repository: Repository) throws {
        for (name, value) in repository.configValues(inSection: "rapport") {
            switch name {
            case Key.identity.gitKey.lowercased(): identity = value.isEmpty ? nil : value
            case Key.autoSync.gitKey.lowercased(): autoSync = try LocalSettings.bool(value, .autoSync)
            case Key.allowInsecure.gitKey.lowercased(): allowInsecure = try LocalSettings.bool(value, .allowInsecure)
            case Key.encrypt.gitKey.lowercased(): encryptFloor = try LocalSettings.encryption(value)
            case LocalSettings.trustedTemplateKey.lowercased(): trustedTemplates.insert(value.lowercased())
            case LocalSettings.loweredSettingsKey.lowercased(): loweredSettingsSeen = value.lowercased()
            default: continue
            }
        }
    }

    /// A value checked for `key`, in the form git config keeps it.
    static func validated(_ value: String, for key: Key) throws -> String {
        switch key {
        case .identity: return value
        case .autoSync, .allowInsecure: return try bool(value, key) ? "true" : "false"
        case .encrypt: return try encryption(value).rawValue
        }
    }

    /// git's spellings of a boolean.
    static func bool(_ value: String, _ key: Key) throws -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0", "": return false
        default: throw JournalError.usage("'\(Text.shown(value))' is not a value of \(key.rawValue) (git config \(key.gitKey)): use true or false.")
        }
    }

    static func encryption(_ value: String) throws -> JournalConfig.Encryption {
        guard let level = JournalConfig.Encryption(rawValue: value.lowercased()) else {
            throw JournalError.usage("'\(Text.shown(value))' is not a value of encrypt (git config \(Key.encrypt.gitKey)): use none, private or all.")
        }
        return level
    }
}

extension Journal {
    /// The value of one of this clone's settings as stored, nil when unset.
    public func localValue(_ key: LocalSettings.Key) -> String? {
        repository.configValues(inSection: "rapport").last { $0.name == key.gitKey.lowercased() }?.value
    }

    /// Sets one of this clone's settings in its git config, or with nil removes it. An identity
    /// inside the work tree is refused: the next sync would share it.
    public func setLocal(_ key: LocalSettings.Key, to value: String?) throws {
        guard let value else { return try repository.setConfigValues(key.gitKey, to: []) }
        var stored = try LocalSettings.validated(value, for: key)
        if key == .identity {
            stored = Journal.absolutePath(value)
            if pathInWorkTree(stored) != nil {
                throw JournalError.usage("\(Text.shown(value)) is inside the journal, where a sync would share it; keep the identity outside (the default is ~/.config/rapport/identity.txt).")
            }
        }
        try repository.setConfigValues(key.gitKey, to: [stored])
    }
}
