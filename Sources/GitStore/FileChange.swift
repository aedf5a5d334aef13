import Foundation

/// One path of a commit made from the work tree.
public enum FileChange: Sendable, Equatable {
    /// Write these bytes to the work tree (atomically) and commit them.
    case write(String, Data)
    /// Delete the file from the work tree and commit the deletion.
    case remove(String)
    /// Commit the path as the work tree has it now: its bytes, or its deletion when it is gone.
    case stage(String)

    var isStage: Bool {
        if case .stage = self { return true }
        return false
    }

    /// One letter for the rollback file: w(rite), r(emove), s(tage).
    var letter: String {
        switch self {
        case .write: "w"
        case .remove: "r"
        case .stage: "s"
        }
    }

    /// The blob id of the bytes a write puts in place, nil otherwise.
    var writtenBlob: ObjectID? {
        guard case .write(_, let data) = self else { return nil }
        return ObjectID.blob(hashing: data)
    }

    public var path: String {
        switch self {
        case .write(let path, _), .remove(let path), .stage(let path): path
        }
    }
}
