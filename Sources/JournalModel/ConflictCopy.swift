import Foundation

/// The copy a sync writes beside a file both sides changed: `people/alice.conflict-1a2b3c4.md`
/// beside `people/alice.md`. Readers skip copies (an entry's copy repeats its id); `check` lists
/// them until someone keeps what matters and deletes the copy.
package enum ConflictCopy {
    package static let marker = Array(".conflict-".utf8)

    /// The file a copy stands beside, nil when `path` is not a conflict copy.
    package static func original(of path: String) -> String? {
        for suffix in [".md.age", ".md"] where path.hasSuffix(suffix) {
            let stem = path.dropLast(suffix.count)
            guard let marker = stem.range(of: ".conflict-", options: .backwards) else { return nil }
            let id = stem[marker.upperBound...]
            guard id.count >= 7, id.allSatisfy({ $0.isHexDigit || $0 == "-" || $0.isNumber }) else { return nil }
            return String(stem[..<marker.lowerBound]) + suffix
        }
        return nil
    }

    /// Whether `path` is a copy; a name without ".conflict-" is answered from its bytes, which
    /// matters when listing 100k files.
    package static func isCopy(_ path: String) -> Bool {
        let found = path.utf8.withContiguousStorageIfAvailable { Bytes.contains(marker, in: UnsafeRawBufferPointer($0)) }
        if found == false { return false }
        return original(of: path) != nil
    }
}
