import Foundation

/// What kind of failure an error is; the executable turns it into an exit code (the README's exit codes).
public enum FailureKind: Sendable, Equatable {
    /// The command line was wrong: an unknown person, a bad slug, an impossible date (exit 64).
    case usage
    /// A file in the journal is malformed (exit 65).
    case data
    /// Try again later: a lock is held, a remote is unreachable (exit 75).
    case temporary
    /// Anything else (exit 1).
    case failure
}

/// An error with a sentence a manager understands and the kind that picks the exit code.
/// A failure the library knows by name also carries its `reason`, which the executable words in
/// its own terms (its flags and commands, which the library does not know); `message` is then the
/// library's own flag-free sentence.
public struct JournalError: Error, LocalizedError, Sendable, Equatable {
    public let kind: FailureKind
    public let message: String
    public let reason: Reason?

    public init(_ kind: FailureKind, _ message: String) {
        self.kind = kind
        self.message = message
        self.reason = nil
    }

    public init(_ reason: Reason) {
        self.kind = reason.kind
        self.message = reason.sentence
        self.reason = reason
    }

    public static func usage(_ message: String) -> JournalError { JournalError(.usage, message) }
    public static func data(_ message: String) -> JournalError { JournalError(.data, message) }
    public static func failure(_ message: String) -> JournalError { JournalError(.failure, message) }

    public var errorDescription: String? { message }

    /// User input made safe to quote in a one-line message: control characters escaped, long text cut.
    public static func shown(_ text: String, limit: Int = 60) -> String { Text.shown(text, limit: limit) }

    /// Edit distance, for "did you mean" hints.
    public static func distance(_ a: String, _ b: String) -> Int { Suggestion.distance(a, b) }
}

/// A problem in one file, reported as `path:line: message` like a compiler does.
public struct FileProblem: Error, LocalizedError, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let message: String
    /// An encrypted file that this machine has no identity to open: not damage, so `check` and the
    /// readers count such files instead of failing on them.
    public let isLocked: Bool
    /// What to do about it, left out of `message`: a front end words it with its own commands.
    public let hint: Hint?

    /// Advice that follows a problem's message.
    public enum Hint: Sendable, Equatable {
        /// The journal's settings file is missing.
        case createSettings
        /// A person the journal does not have: look at the people it has.
        case listPeople
        /// A sync conflict copy: commit once it is resolved.
        case commitResolution
        /// No age identity to open an encrypted file: create one.
        case createIdentity

        /// The library's wording, appended to the message.
        public var sentence: String {
            switch self {
            case .createSettings: ": create the settings"
            case .listPeople, .createIdentity: ""
            case .commitResolution: ", then commit"
            }
        }
    }

    public init(path: String, line: Int, message: String, isLocked: Bool = false, hint: Hint? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.isLocked = isLocked
        self.hint = hint
    }

    /// The path with its control characters escaped: a file name from the remote may hold a line
    /// break, which would forge a line of output.
    public var location: String { "\(Text.shown(path, limit: 400)):\(line)" }
    public var description: String { "\(location): \(message)\(hint?.sentence ?? "")" }
    public var errorDescription: String? { description }
}
