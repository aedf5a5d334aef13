import Foundation

/// A person's handle in paths and front matter: `[a-z0-9][a-z0-9-]{0,39}`. Anything else is refused,
/// which also rules out path traversal, upper case and spaces.
public struct Slug: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    public init(validating text: String) throws {
        guard Slug.isValid(text) else {
            let shown = Text.shown(text)
            var hint = ""
            if text.lowercased() != text, Slug.isValid(text.lowercased()) {
                hint = " Did you mean '\(text.lowercased())'?"
            } else if text.count > 40 {
                hint = " It has \(text.count) characters; the most is 40."
            }
            throw JournalError.usage(
                "'\(shown)' is not a valid slug: use 1 to 40 lower-case letters, digits and '-', starting with a letter or digit.\(hint)")
        }
        value = text
    }

    /// For values already known to be valid (file names read back, tests).
    package init(trusted value: String) {
        self.value = value
    }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...40).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let lowerOrDigit = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
            if !(lowerOrDigit || (index > 0 && byte == 0x2d)) { return false }
        }
        return true
    }

    public var description: String { value }
    public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.value < rhs.value }
}

/// Finds the closest known name to a mistyped one, for "Did you mean ...?" hints.
package enum Suggestion {
    package static func nearest(to typed: String, in candidates: [String]) -> String? {
        let typed = typed.lowercased()
        let scored = candidates.map { ($0, distance(typed, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        let allowed = max(2, typed.count / 3)
        if best.1 <= allowed { return best.0 }
        return candidates.first { $0.hasPrefix(typed) && typed.count >= 2 }
    }

    /// Levenshtein distance over characters.
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
