import GitStore

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
