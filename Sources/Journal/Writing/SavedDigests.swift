import Age
import Foundation
import GitStore
import JournalModel

extension Journal {
    /// Where a saved digest lives: `digests/YYYY/<label>[-audience].md`, by the year the label
    /// starts with (2026-W01 is filed under 2026 even when it starts in December 2025).
    public static func digestPath(label: String, audience: String) -> String {
        "digests/\(label.prefix(4))/\(label)\(audience == "self" ? "" : "-" + audience).md"
    }
}

extension Journal.Recorder {
    /// Commits a rendered digest at `path` in one commit; with `encrypt: all` it is encrypted to the
    /// journal's recipients at `path` + `.age`, as the entries it comes from are. Returns the path and
    /// false when the file already holds exactly this text (nothing is committed then).
    @discardableResult
    public func saveDigest(_ text: String, at path: String, label: String, builtFrom commit: String?) throws -> (path: String, changed: Bool) {
        guard path.hasPrefix("digests/"), !path.split(separator: "/").contains(".."), path.hasSuffix(".md") else {
            throw JournalError.failure("A digest is saved under digests/, not at \(path).")
        }
        let encrypted = journal.config.encrypt == .all
        let target = encrypted ? path + ".age" : path
        let data = Data(text.utf8)
        return try journal.transaction { _ in
            let onDisk = journal.contents(of: target)
            let committed = try journal.repository.contents(of: target)
            let readable = encrypted ? onDisk.flatMap { try? journal.markdown(of: $0, path: target) } : onDisk
            if onDisk == committed, readable == data { return ([], "", (target, false)) }
            // A saved digest edited by hand and not committed is someone's words: never overwrite them.
            if let onDisk, onDisk != committed {
                throw JournalError(.savedDigestEdited(path: target))
            }
            let source = commit.map { " (built from \(String($0.prefix(10))))" } ?? ""
            let bytes = encrypted ? try Age.encrypt(data, to: try journal.journalRecipients()) : data
            return ([.write(target, bytes)], "Save digest \(label)\(source)", (target, true))
        }
    }
}
