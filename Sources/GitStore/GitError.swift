import CGit2
import Foundation

/// A failed libgit2 call: its return code, libgit2's error class and message, and the C function
/// that failed, so a report names the exact point of failure.
public struct GitError: Error, LocalizedError, Sendable, Equatable {
    public let code: Int32
    public let errorClass: Int32
    public let message: String
    public let function: String

    public init(code: Int32, errorClass: Int32, message: String, function: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.function = function
    }

    /// Builds the error from libgit2's per-thread last error; call it right after the failing call.
    static func last(code: Int32, function: String) -> GitError {
        guard let error = git_error_last() else {
            return GitError(code: code, errorClass: 0, message: "libgit2 error \(code)", function: function)
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "libgit2 error \(code)"
        return GitError(code: code, errorClass: error.pointee.klass, message: message, function: function)
    }

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    public var isLocked: Bool { code == GIT_ELOCKED.rawValue }
    public var isOwnerMismatch: Bool { code == GIT_EOWNER.rawValue }

    public var errorDescription: String? {
        if isOwnerMismatch {
            return "The repository is owned by another user, so git refuses to open it (\(message)). "
                + "Run rapport as its owner, or mark it safe with `git config --global --add safe.directory PATH`."
        }
        if isDiskFull {
            return "Could not write to the repository: the disk is full. Nothing was recorded; free some space and try again."
        }
        return "git: \(message) (\(function))"
    }

    /// libgit2 reports a failed write with the system's message.
    public var isDiskFull: Bool {
        message.contains("No space left on device") || message.contains("Disk quota exceeded")
    }
}

/// Errors of the store itself, not of a libgit2 call.
public enum GitStoreError: Error, LocalizedError, Sendable, Equatable {
    /// Another writer holds the repository; `lockPath` is the file that shows it.
    case locked(lockPath: String, byGit: Bool)
    case notARepository(path: String)
    case unsafePath(String, reason: String)
    case io(path: String, reason: String)
    case headMoved

    public var errorDescription: String? {
        switch self {
        case .locked(let lockPath, let byGit):
            if byGit {
                return "Another git process is writing to this repository (\(lockPath) exists). "
                    + "Wait for it to finish; if no git process is running, delete \(lockPath) and try again."
            }
            return "Another rapport process is writing to this journal (lock \(lockPath)). Try again in a moment."
        case .notARepository(let path):
            return "'\(path)' is not inside a git repository."
        case .unsafePath(let path, let reason):
            return "Refusing to write '\(path)': \(reason)."
        case .io(let path, let reason):
            return "Could not write '\(path)': \(reason)."
        case .headMoved:
            return "The branch moved while rapport was committing (another program committed at the same time). "
                + "Nothing was recorded; run the command again."
        }
    }
}

/// Runs a libgit2 call and throws a `GitError` naming `function` when it returns a negative code.
@discardableResult
func check(_ result: Int32, _ function: String) throws -> Int32 {
    if result < 0 { throw GitError.last(code: result, function: function) }
    return result
}
