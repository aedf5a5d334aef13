import Foundation

/// How often a person should have a one-on-one: `weekly` (7 days), `biweekly` (14), `monthly` (31)
/// or `<n>d`.
public enum Cadence: Sendable, Equatable, CustomStringConvertible {
    case weekly, biweekly, monthly
    case days(Int)

    public init?(_ text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "weekly": self = .weekly
        case "biweekly": self = .biweekly
        case "monthly": self = .monthly
        case let other:
            guard other.hasSuffix("d"), let days = Int(other.dropLast()), (1...366).contains(days) else { return nil }
            self = .days(days)
        }
    }

    public static func parse(_ text: String) throws -> Cadence {
        guard let cadence = Cadence(text) else {
            throw JournalError.usage("'\(Text.shown(text))' is not a cadence: use weekly, biweekly, monthly or a number of days such as 10d.")
        }
        return cadence
    }

    public var days: Int {
        switch self {
        case .weekly: 7
        case .biweekly: 14
        case .monthly: 31
        case .days(let days): days
        }
    }

    public var description: String {
        switch self {
        case .weekly: "weekly"
        case .biweekly: "biweekly"
        case .monthly: "monthly"
        case .days(let days): "\(days)d"
        }
    }
}
