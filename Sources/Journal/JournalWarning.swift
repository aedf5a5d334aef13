import Foundation
import JournalModel

/// What the journal warns about without failing: each case carries its data, and a front end
/// words it with its own commands (`sentence` is the library's wording, which names none).
public enum JournalWarning: Sendable {
    /// The shared settings set `key`, which is each clone's own setting; `settable` when this
    /// clone has a setting of that name.
    case ignoredLocalKey(line: Int, key: String, settable: Bool)
    /// The shared settings ask for less encryption than this clone's floor, which stays;
    /// `source` says which commit lowered it, or that the edit is not committed.
    case encryptionBelowFloor(shared: JournalConfig.Encryption, floor: JournalConfig.Encryption, source: String)
    /// An entry committed in plain text before is encrypted from now on.
    case plainTextInHistory(path: String)
    /// The journal's own template `name` at `path` is not used (`why`); the built-in one is.
    case templateNotUsed(path: String, name: String, why: String)
    /// An auto-sync merged a conflict: the remote's version of `path` is in `copy`.
    case autoSyncConflict(path: String, copy: String)
    /// An auto-sync failed; the write it followed is committed all the same.
    case autoSyncFailed(any Error)

    public var sentence: String {
        switch self {
        case .ignoredLocalKey(let line, let key, let settable):
            Self.ignored(line: line, key: key) + (settable ? " Set it in this clone's own settings." : "")
        case .encryptionBelowFloor(let shared, let floor, let source):
            Self.belowFloor(shared, floor, source)
        case .plainTextInHistory(let path):
            "\(path) was committed in plain text before; it is encrypted from now on, but git history keeps the earlier versions."
        case .templateNotUsed(let path, let name, let why):
            "\(path): \(why); the built-in \(name) template is used. Read it, and trust it to use it."
        case .autoSyncConflict(let path, let copy):
            "auto-sync: both sides changed \(path); theirs is in \(copy)."
        case .autoSyncFailed(let error):
            "auto-sync: \(error.localizedDescription) Your change is committed here."
        }
    }

    /// The start of `ignoredLocalKey`'s sentence, for front ends that add their own advice.
    public static func ignored(line: Int, key: String) -> String {
        "\(JournalConfig.path):\(line) sets '\(key)', which is each reader's own setting and never comes from the shared journal: ignored."
    }

    /// The start of `encryptionBelowFloor`'s sentence, for front ends that add their own advice.
    public static func belowFloor(_ shared: JournalConfig.Encryption, _ floor: JournalConfig.Encryption, _ source: String) -> String {
        "\(JournalConfig.path) asks for encrypt: \(shared.rawValue) (\(source)), below this clone's floor of \(floor.rawValue): "
            + "rapport keeps encrypting as '\(floor.rawValue)'."
    }
}
