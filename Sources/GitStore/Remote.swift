import CGit2
import Foundation

/// Objects and bytes moved so far, from libgit2's transfer callbacks.
public struct TransferProgress: Sendable, Equatable {
    public let receivedObjects: Int
    public let totalObjects: Int
    public let receivedBytes: Int
}

/// How a network operation authenticates and reports progress.
public struct TransferOptions: Sendable {
    /// An https token (used as the password, user name `x-access-token` unless the URL has one).
    public var token: String?
    /// Called from libgit2's progress callbacks; nil for silence.
    public var progress: (@Sendable (TransferProgress) -> Void)?
    /// Credential requests answered before giving up: libgit2 asks again after each rejection.
    public var maxCredentialAttempts = 6
    /// Where `.ssh/` (keys, known_hosts) is looked for: `$HOME`.
    public var home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    /// ssh-agent's socket (`$SSH_AUTH_SOCK`), tried before key files.
    public var agentSocket = ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"]
    /// For https without a token: a user name and password for a URL (rapport asks
    /// `git credential fill`, so git's credential helpers work).
    public var credentialHelper: (@Sendable (String) -> (user: String, password: String)?)?
    /// The user name for ssh when the URL names none.
    public var userName = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    /// Whether an http:// or git:// remote, which nothing encrypts or authenticates, may be used.
    public var allowInsecure = false
    /// Where `GIT_SSL_CAINFO` and `SSL_CERT_FILE` are read (which certificates https trusts).
    public var environment = ProcessInfo.processInfo.environment

    public init() {}
}

/// Why a push or fetch failed, in terms a caller can act on.
public enum RemoteError: Error, Equatable, Sendable {
    /// The remote could not be reached (no such path, host down, name unresolved): try later.
    case unreachable(String)
    /// Credentials were refused or none were available.
    case authentication(String)
    /// The remote declined the push, or has commits the local branch lacks.
    case rejected(String)
    /// The remote's branch was not where the push expected it (another writer pushed since the
    /// fetch, or held its lock): fetch, merge and push again.
    case raced(String)
    case noRemote(String)
    /// The ssh host key is not in known_hosts, or differs from it; the message says how to trust it.
    case untrustedHost(String)
    /// The remote has no such branch (an empty repository, for instance).
    case noBranch(String)
    /// The URL (after git's `insteadOf` rewriting) is http:// or git://, and insecure remotes are
    /// not allowed.
    case insecure(url: String)
    /// The server sent rapport to another host or port while credentials were in play; the detail
    /// names both.
    case redirected(String)
}

/// What the remote's branch must hold for a push to move it.
public enum ExpectedTip: Sendable, Equatable {
    /// Exactly this commit, the one a fetch saw and the local branch was merged with; nil: the remote
    /// had no such branch.
    case exactly(ObjectID?)
    /// Whatever the push finds there, provided the local branch contains it (a fast-forward).
    case fastForward
}

extension Repository {
    /// The URL of the remote `name`, nil when there is no such remote.
    public func remoteURL(_ name: String) throws -> String? {
        try configuredRemote(name).flatMap { git_remote_url($0.pointer).map { String(cString: $0) } }
    }

    /// The remote `name`, nil when there is none or the name is not one git accepts.
    func configuredRemote(_ name: String) throws -> Managed<GitRemote>? {
        do {
            return try Managed.ifFound("git_remote_lookup") { git_remote_lookup(&$0, pointer, name) }
        } catch let error as GitError where error.code == GIT_EINVALIDSPEC.rawValue {
            return nil
        }
    }

    /// Fetches `branch` from the remote `name` into `refs/remotes/<name>/<branch>` and returns the
    /// tip the remote showed (what a merge of it merges, and what a push then expects there), nil
    /// when the remote has no such branch.
    public func fetch(remote name: String, branch: String, options: TransferOptions = TransferOptions()) throws -> ObjectID? {
        // Whatever stops the local way (a pack removed by a gc there meanwhile, an object that
        // does not hash to its name) leaves the ordinary fetch to do it, or to say why not.
        if let directory = try localGitDirectory(ofRemote: name, direction: GIT_DIRECTION_FETCH),
           let tip = try? fetchLocally(from: directory, remote: name, branch: branch, progress: options.progress) {
            return tip
        }
        let tracking = "refs/remotes/\(name)/\(branch)"
        var advertised: ObjectID?
        try transfer(remote: name, direction: GIT_DIRECTION_FETCH, refspec: "+refs/heads/\(branch):\(tracking)", options: options,
                     function: "git_remote_fetch") { remote, refspecs, callbacks, state in
            var fetchOptions = git_fetch_options()
            guard git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION)) == 0 else { return -1 }
            fetchOptions.callbacks = callbacks
            if state.credentialsInPlay { fetchOptions.follow_redirects = GIT_REMOTE_REDIRECT_NONE }
            let fetched = git_remote_fetch(remote.pointer, refspecs, &fetchOptions, "rapport: fetch")
            guard fetched == 0 else { return fetched }
            // The list the remote sent stays readable after the fetch disconnected.
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            let listed = git_remote_ls(&heads, &count, remote.pointer)
            guard listed == 0 else { return listed }
            for index in 0..<count {
                guard let head = heads?[index]?.pointee, String(cString: head.name) == "refs/heads/\(branch)" else { continue }
                advertised = ObjectID(head.oid)
            }
            return 0
        }
        return advertised
    }

    /// Pushes the local `branch` to the same branch of the remote, moving it there only from
    /// `expected`, on every transport (see `ExpectedTip`). It returns once the remote confirmed
    /// its branch at the local tip (or past it); a remote found elsewhere is `.raced`, a refusal
    /// `.rejected`. Returns whether the remote's branch moved (false: it held the tip already).
    @discardableResult
    public func push(remote name: String, branch: String, expecting expected: ExpectedTip = .fastForward,
                     options: TransferOptions = TransferOptions()) throws -> Bool {
        let reference = "refs/heads/\(branch)"
        if let directory = try localGitDirectory(ofRemote: name) {
            return try pushLocally(to: directory, remote: name, reference: reference, expecting: expected)
        }
        // An explicit refspec: with none, libgit2 pushes nothing and reports success.
        let state = try transfer(remote: name, direction: GIT_DIRECTION_PUSH, refspec: "\(reference):\(reference)",
                                 options: options, function: "git_remote_push") { remote, refspecs, callbacks, state in
            state.pushedReference = reference
            state.expected = expected
            var pushOptions = git_push_options()
            guard git_push_options_init(&pushOptions, UInt32(GIT_PUSH_OPTIONS_VERSION)) == 0 else { return -1 }
            pushOptions.callbacks = callbacks
            if state.credentialsInPlay { pushOptions.follow_redirects = GIT_REMOTE_REDIRECT_NONE }
            return git_remote_push(remote.pointer, refspecs, &pushOptions)
        }
        if let raced = state.raced { throw RemoteError.raced(raced) }
        if let declined = state.declined { throw RemoteError.rejected(declined) }
        // The server's report of the ref it moved (after its own compare under the ref's lock).
        guard state.confirmed else { throw RemoteError.rejected("the remote did not report updating \(reference)") }
        return !state.alreadyThere
    }

    /// The git directory of a remote whose push (or fetch) URL is a path or a file:// URL, nil
    /// for any other. A path with nothing there is unreachable, said so (libgit2 would call a
    /// missing folder an "unsupported URL protocol").
    func localGitDirectory(ofRemote name: String, direction: git_direction = GIT_DIRECTION_PUSH) throws -> String? {
        guard let url = try transferURL(remote: name, direction: direction) else { return nil }
        let path: String
        if url.hasPrefix("file://") {
            path = String(url.dropFirst(7))
        } else if url.hasPrefix("/") {
            path = url
        } else {
            return nil
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path + "/.git", isDirectory: &isDirectory), isDirectory.boolValue { return path + "/.git" }
        guard FileManager.default.fileExists(atPath: path) else { throw RemoteError.unreachable("nothing at \(path)") }
        return FileManager.default.fileExists(atPath: path + "/refs") ? path : nil
    }

    /// The URL a fetch or push uses: after git's `insteadOf` (or `pushInsteadOf`) rewriting, which
    /// libgit2 applies when it looks the remote up, and the push URL for a push; nil for no remote.
    func transferURL(remote name: String, direction: git_direction) throws -> String? {
        try configuredRemote(name).map { Repository.url(of: $0, direction: direction) }
    }

    static func url(of remote: Managed<GitRemote>, direction: git_direction) -> String {
        let push = direction == GIT_DIRECTION_PUSH ? git_remote_pushurl(remote.pointer) : nil
        return (push ?? git_remote_url(remote.pointer)).map { String(cString: $0) } ?? ""
    }
}
