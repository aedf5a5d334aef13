import Foundation

/// An entry's id: 6 characters of Crockford base32 from a secure random source. Commands accept
/// a unique prefix of 4 or more, in any case, with Crockford's look-alikes (O, I, L) forgiven.
public struct EntryID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 6
    public static let minimumPrefix = 4

    public let value: String

    /// A fresh random id; `generator` is the system's secure source unless a seeded one is given.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> EntryID {
        var text = ""
        for _ in 0..<length { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
        return EntryID(trusted: text)
    }

    public static func random() -> EntryID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Accepts exactly 6 characters of the alphabet (after normalising case and look-alikes).
    public init?(_ text: String) {
        guard let normalized = EntryID.normalize(text), normalized.count == EntryID.length else { return nil }
        value = normalized
    }

    package init(trusted value: String) {
        self.value = value
    }

    /// A character of the canonical (upper-case) alphabet, as a byte.
    static func isCanonicalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "I"), UInt8(ascii: "L"), UInt8(ascii: "O"), UInt8(ascii: "U"): false
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: false
        }
    }

    /// Upper-cases and maps O to 0 and I, L to 1; nil when a character is not Crockford base32.
    public static func normalize(_ text: String) -> String? {
        var result = ""
        for character in text.uppercased() {
            switch character {
            case "O": result.append("0")
            case "I", "L": result.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                result.append(character)
            }
        }
        return result
    }

    public var description: String { value }
    public static func < (lhs: EntryID, rhs: EntryID) -> Bool { lhs.value < rhs.value }
}
