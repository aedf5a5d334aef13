import Foundation
import GitStore

extension Journal {
    /// Where a saved digest lives: `digests/YYYY/<label>[-audience].md`, by the year the label
    /// starts with (2026-W01 is filed under 2026 even when it starts in December 2025).
    public static func digestPath(label: String, audience: String) -> String {
        "digests/\(label.prefix(4))/\(label)\(audience == "self" ? "" : "-" + audience).md"
    }

    /// Commits a rendered digest at `path` in one commit; false when the file already holds exactly
    /// this text (nothing is committed then).
    @discardableResult
    public func saveDigest(_ text: String, at path: String, label: String, builtFrom commit: String?) throws -> Bool {
        guard path.hasPrefix("digests/"), !path.split(separator: "/").contains(".."), path.hasSuffix(".md") else {
            throw JournalError.failure("A digest is saved under digests/, not at \(path).")
        }
        let data = Data(text.utf8)
        return try transaction { _ in
            let onDisk = FileManager.default.contents(atPath: root + "/" + path)
            let committed = try repository.contents(of: path)
            if onDisk == data, committed == data { return ([], "", false) }
            // A saved digest edited by hand and not committed is someone's words: never overwrite them.
            if let onDisk, onDisk != committed {
                throw JournalError.usage("\(path) has changes that are not committed; commit them with `rapport commit` or move the file away, then save again.")
            }
            let source = commit.map { " (built from \(String($0.prefix(10))))" } ?? ""
            return ([.write(path, data)], "Save digest \(label)\(source)", true)
        }
    }
}
