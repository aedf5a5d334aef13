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
        var oid = id.oid
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
        defer { git_commit_free(commit) }
        return info(commit!)
    }

    private func info(_ commit: OpaquePointer) -> CommitInfo {
        let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
            git_commit_parent_id(commit, index).map(ObjectID.init)
        }
        return CommitInfo(
            id: ObjectID(git_commit_id(commit)),
            parents: parents,
            author: Signature(git_commit_author(commit)),
            committer: Signature(git_commit_committer(commit)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? "")
    }

    /// The commits reachable from HEAD, newest first, that change `path` (a file or a folder),
    /// or all of them when `path` is nil. A merge is listed only when it differs from every parent
    /// at `path`, as `git log -- path` does.
    public func log(touching path: String? = nil, limit: Int? = nil) throws -> [CommitInfo] {
        guard try head() != nil else { return [] }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
                  "git_revwalk_sorting")
        try check(git_revwalk_push_head(walk), "git_revwalk_push_head")

        var result: [CommitInfo] = []
        var oid = git_oid()
        while true {
            let next = git_revwalk_next(&oid, walk)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "git_revwalk_next")
            if let limit, result.count >= limit { break }
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
            defer { git_commit_free(commit) }
            if let path, try !changes(commit!, at: path) { continue }
            result.append(info(commit!))
        }
        return result
    }

    private func changes(_ commit: OpaquePointer, at path: String) throws -> Bool {
        let mine = try entryID(at: path, in: commit)
        let parentCount = git_commit_parentcount(commit)
        if parentCount == 0 { return mine != nil }
        for index in 0..<parentCount {
            var parent: OpaquePointer?
            try check(git_commit_parent(&parent, commit, index), "git_commit_parent")
            defer { git_commit_free(parent) }
            if try entryID(at: path, in: parent!) == mine { return false }
        }
        return true
    }
}
