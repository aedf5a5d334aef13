import Foundation
import GitStore

extension Journal {
    /// Where a saved digest lives: `digests/YYYY/<label>.md`, by the year of its first day.
    public static func digestPath(label: String, firstDay: LocalDay) -> String {
        "digests/\(firstDay.year)/\(label).md"
    }

    /// Commits a rendered digest at `path` in one commit; false when the file already holds exactly
    /// this text (nothing is committed then).
    @discardableResult
    public func saveDigest(_ text: String, at path: String, label: String, builtFrom commit: String?) throws -> Bool {
        guard path.hasPrefix("digests/"), !path.contains(".."), path.hasSuffix(".md") else {
            throw JournalError.failure("A digest is saved under digests/, not at \(path).")
        }
        let data = Data(text.utf8)
        return try transaction { _ in
            if FileManager.default.contents(atPath: root + "/" + path) == data,
               (try? repository.contents(of: path)) == data {
                return ([], "", false)
            }
            let source = commit.map { " (built from \(String($0.prefix(10))))" } ?? ""
            return ([.write(path, data)], "Save digest \(label)\(source)", true)
        }
    }
}
