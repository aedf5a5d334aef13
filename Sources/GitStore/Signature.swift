import CGit2
import Foundation

/// Who made a commit and when, in the form git writes: `Name <email>` plus a time and its UTC offset.
public struct Signature: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var email: String
    public var date: Date
    /// Offset from UTC in minutes, as recorded in the commit.
    public var utcOffsetMinutes: Int

    public init(name: String, email: String, date: Date = Date(), timeZone: TimeZone = .current) {
        self.name = name
        self.email = email
        self.date = date
        self.utcOffsetMinutes = timeZone.secondsFromGMT(for: date) / 60
    }

    public init(name: String, email: String, date: Date, utcOffsetMinutes: Int) {
        self.name = name
        self.email = email
        self.date = date
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// Parses `Name <email>`; nil when the shape is wrong or a part is empty.
    public init?(parsing text: String, date: Date = Date(), timeZone: TimeZone = .current) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else { return nil }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            .trimmingCharacters(in: .whitespaces)
        guard Signature.isValid(name: name, email: email) else { return nil }
        self.init(name: name, email: email, date: date, timeZone: timeZone)
    }

    /// git forbids angle brackets and line breaks in either part, and both must be non-empty.
    public static func isValid(name: String, email: String) -> Bool {
        let forbidden = CharacterSet(charactersIn: "<>\n\r\0")
        return !name.isEmpty && !email.isEmpty
            && name.rangeOfCharacter(from: forbidden) == nil
            && email.rangeOfCharacter(from: forbidden) == nil
    }

    public var description: String { "\(name) <\(email)>" }

    init(_ signature: UnsafePointer<git_signature>) {
        let value = signature.pointee
        name = String(cString: value.name)
        email = String(cString: value.email)
        date = Date(timeIntervalSince1970: TimeInterval(value.when.time))
        utcOffsetMinutes = Int(value.when.offset)
    }

    /// Calls `body` with a libgit2 signature that lives only for the call.
    func withGitSignature<T>(_ body: (UnsafePointer<git_signature>) throws -> T) throws -> T {
        var pointer: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&pointer, name, email, git_time_t(date.timeIntervalSince1970.rounded(.down)),
                              Int32(utcOffsetMinutes)),
            "git_signature_new")
        defer { git_signature_free(pointer) }
        return try body(pointer!)
    }
}
