import Foundation
import GitStore
import JournalModel

/// An error that knows which exit code it deserves; the executable reads only this.
public protocol ClassifiedError: Error {
    var failureKind: FailureKind { get }
}

extension JournalError: ClassifiedError {
    public var failureKind: FailureKind { kind }
}

extension FileProblem: ClassifiedError {
    public var failureKind: FailureKind { .data }
}

extension GitStoreError: ClassifiedError {
    public var failureKind: FailureKind {
        switch self {
        case .locked, .headMoved: .temporary
        case .unsafePath: .usage
        case .notARepository: .usage
        case .io: .failure
        }
    }
}

extension GitError: ClassifiedError {
    public var failureKind: FailureKind { isLocked ? .temporary : .failure }
}

extension RemoteError: ClassifiedError, LocalizedError {
    public var failureKind: FailureKind {
        switch self {
        case .unreachable, .rejected, .raced: .temporary
        case .authentication, .untrustedHost, .insecure, .redirected: .failure
        case .noRemote, .noBranch: .usage
        }
    }

    public var errorDescription: String? {
        switch self {
        case .unreachable(let detail): "The remote cannot be reached: \(detail)"
        case .authentication(let detail): "The remote refused the credentials: \(detail)"
        case .rejected(let detail): "The remote refused the push: \(detail)"
        case .raced(let detail): "The remote changed while rapport pushed: \(detail)"
        case .insecure(let url): "\(url) is not encrypted (http:// or git://), and insecure remotes are not allowed."
        case .redirected(let detail): "Refused: \(detail)"
        case .noRemote(let name): "No remote '\(name)'."
        case .untrustedHost(let detail): "Refused: \(detail)"
        case .noBranch(let branch): "The remote has no branch \(branch)."
        }
    }
}
