import CGit2
import Foundation

/// A commit copied out of libgit2.
public struct CommitInfo: Sendable, Equatable {
    public let id: ObjectID
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    public let message: String

    /// The first line of the message.
    public var summary: String {
        String(message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}

extension Repository {
    /// Reads one commit.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        info(try lookupCommit(id))
    }

    private func info(_ commit: Managed<GitCommit>) -> CommitInfo {
        let parents = (0..<git_commit_parentcount(commit.pointer)).compactMap { index in
            git_commit_parent_id(commit.pointer, index).map(ObjectID.init)
        }
        return CommitInfo(
            id: ObjectID(git_commit_id(commit.pointer)),
            parents: parents,
            author: Signature(git_commit_author(commit.pointer)),
            committer: Signature(git_commit_committer(commit.pointer)),
            message: git_commit_message(commit.pointer).map { String(cString: $0) } ?? "")
    }

    /// The commits reachable from HEAD, newest first, that change `path` (a file or a folder),
    /// or all of them when `path` is nil. A merge is listed only when it differs from every parent
    /// at `path`, as `git log -- path` does.
    public func log(touching path: String? = nil, limit: Int? = nil) throws -> [CommitInfo] {
        guard try head() != nil else { return [] }
        let walk = try Managed<GitRevwalk>("git_revwalk_new") { git_revwalk_new(&$0, pointer) }
        try check(git_revwalk_sorting(walk.pointer, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
                  "git_revwalk_sorting")
        try check(git_revwalk_push_head(walk.pointer), "git_revwalk_push_head")

        var result: [CommitInfo] = []
        var oid = git_oid()
        while true {
            let next = git_revwalk_next(&oid, walk.pointer)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "git_revwalk_next")
            if let limit, result.count >= limit { break }
            let commit = try lookupCommit(ObjectID(oid))
            if let path, try !changes(commit, at: path) { continue }
            result.append(info(commit))
        }
        return result
    }

    private func changes(_ commit: Managed<GitCommit>, at path: String) throws -> Bool {
        let mine = try entryID(at: path, in: commit)
        let parentCount = git_commit_parentcount(commit.pointer)
        if parentCount == 0 { return mine != nil }
        for index in 0..<parentCount {
            let parent = try Managed<GitCommit>("git_commit_parent") { git_commit_parent(&$0, commit.pointer, index) }
            if try entryID(at: path, in: parent) == mine { return false }
        }
        return true
    }
}
