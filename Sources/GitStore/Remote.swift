import CConnections
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

/// A URL's scheme, host and port: where an https password may go (the web's "origin").
struct Origin: Equatable {
    let scheme: String
    let host: String
    let port: String

    /// nil for anything but `scheme://authority/...` (paths, scp-like `host:path`).
    init?(url: String) {
        guard let separator = url.range(of: "://") else { return nil }
        scheme = url[..<separator.lowerBound].lowercased()
        let authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        var host = Substring(hostAndPort), port: Substring = ""
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            if rest.hasPrefix(":") { port = rest.dropFirst() }
        } else if let colon = hostAndPort.lastIndex(of: ":") {
            host = hostAndPort[..<colon]
            port = hostAndPort[hostAndPort.index(after: colon)...]
        }
        guard !host.isEmpty else { return nil }
        self.host = host.lowercased()
        self.port = port.isEmpty ? (["https": "443", "http": "80", "git": "9418", "ssh": "22"][scheme] ?? "") : String(port)
    }

    init(scheme: String, host: String, port: String) {
        (self.scheme, self.host, self.port) = (scheme, host.lowercased(), port)
    }

    /// Whether a connection to `host` and `port` reaches this origin.
    func isReached(host: String, port: String) -> Bool {
        self.host == host.lowercased() && self.port == port
    }

    var shown: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// A URL with a password in it: libgit2 sends that itself, without asking the callback.
    static func carriesPassword(_ url: String) -> Bool {
        guard let separator = url.range(of: "://") else { return false }
        let authority = url[separator.upperBound...].prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }
}

/// Per-operation state the C callbacks reach through their payload pointer.
final class TransferState {
    enum SSHMethod { case agent, keyFile(String) }

    let options: TransferOptions
    /// The URL libgit2 uses (after `insteadOf` rewriting).
    let url: String
    /// The port the URL names (22 for ssh without one), for known_hosts' `[host]:port`.
    let port: Int
    var credentialAttempts = 0
    var hostProblem: String?

    /// For http and https: the remote's own scheme, host and port, the only place a token or
    /// password goes, and where each connection went (the connection gate sees redirects, which
    /// libgit2's callbacks do not show).
    let origin: Origin?
    var connectedHost: String?
    var connectedPort: String?
    /// A password is with libgit2 (handed over, given in the URL, or a token is set): from then on a
    /// connection anywhere but the origin is refused, since libgit2 may send it there unasked.
    var credentialsInPlay: Bool
    var tokenGiven = false
    var helperAsked = false
    /// Where a connection or credential request was refused, and why.
    var redirection: String?
    /// Why no password or token went to a server that asked for one, or why it was not sent again.
    var credentialProblem: String?

    /// For a push: the branch it moves, what that must hold, and what the remote said.
    var pushedReference: String?
    var expected = ExpectedTip.fastForward
    var raced: String?
    var declined: String?
    var confirmed = false

    /// ssh methods not tried yet: the agent, then ~/.ssh/id_ed25519, id_ecdsa and id_rsa.
    lazy var sshMethods: [SSHMethod] = {
        var methods: [SSHMethod] = []
        if let socket = options.agentSocket, !socket.isEmpty { methods.append(.agent) }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = options.home + "/.ssh/" + name
            if FileManager.default.fileExists(atPath: path) { methods.append(.keyFile(path)) }
        }
        return methods
    }()

    init(options: TransferOptions, url: String) {
        self.options = options
        self.url = url
        port = TransferState.port(in: url)
        let origin = Origin(url: url)
        self.origin = origin.flatMap { ["http", "https"].contains($0.scheme) ? $0 : nil }
        credentialsInPlay = options.token != nil || Origin.carriesPassword(url)
    }

    static func port(in url: String) -> Int {
        guard url.hasPrefix("ssh://") || url.hasPrefix("ssh+git://") || url.hasPrefix("git+ssh://"),
              let authority = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first else { return 22 }
        let hostPort = authority.split(separator: "@").last ?? authority
        if let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]) { return port }
        return 22
    }

    /// Whether the connection libgit2 has open now goes to the remote's own origin.
    var isAtOrigin: Bool {
        guard let origin, let connectedHost, let connectedPort else { return false }
        return origin.isReached(host: connectedHost, port: connectedPort)
    }

    /// The connection gate (Sources/CConnections/connections.c): records where libgit2 connects,
    /// and refuses anywhere but the origin once a password is with libgit2.
    func mayConnect(host: String, port: String) -> Bool {
        connectedHost = host
        connectedPort = port
        guard let origin, !origin.isReached(host: host, port: port), credentialsInPlay else { return true }
        redirection = "it sent rapport on to \(host):\(port), and credentials go only to \(origin.shown), the remote's own host and port"
        return false
    }

    /// How a push's update of `reference` went, from the server's report (nil: accepted).
    func report(_ reference: String, status: String?) {
        guard reference == pushedReference else { return }
        guard let status else {
            confirmed = true
            return
        }
        // What git's receive-pack says when the ref was not where the client said it was, or another
        // writer held its lock: a race, not a refusal.
        let races = ["stale info", "fetch first", "non-fast-forward", "failed to lock", "cannot lock ref",
                     "failed to update ref", "incorrect old value", "reference already exists"]
        if races.contains(where: status.lowercased().contains) {
            raced = "\(reference): \(status)"
        } else {
            declined = "\(reference): \(status)"
        }
    }
}

/// Transfers in this process run one at a time: the connection gate is registered with libgit2 for
/// the whole process, and the CA file libgit2 trusts is process-wide too.
let transferLock = NSLock()

extension Repository {
    /// Fills `callbacks` with rapport's credentials, progress and push handlers, whose payload is
    /// `state` (kept alive by the caller for the whole operation).
    static func install(_ state: TransferState, in callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            state.credentialAttempts += 1
            guard state.credentialAttempts <= state.options.maxCredentialAttempts else { return GIT_EAUTH.rawValue }
            let user = usernameFromURL.map { String(cString: $0) }
            let name = user ?? state.options.userName
            // Keys first: an ssh server that also offers passwords must never be sent a token.
            if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
                guard !state.sshMethods.isEmpty else { return GIT_EAUTH.rawValue }
                switch state.sshMethods.removeFirst() {
                case .agent:
                    return git_credential_ssh_key_from_agent(out, name)
                case .keyFile(let path):
                    let publicKey = FileManager.default.fileExists(atPath: path + ".pub") ? path + ".pub" : nil
                    return git_credential_ssh_key_new(out, name, publicKey, path, nil)
                }
            }
            if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
                return git_credential_username_new(out, name)
            }
            // A token or password goes only to an https remote, never over ssh or plain http, and
            // only while libgit2 talks to the remote's own host and port: libgit2 1.5 passes the
            // remote's URL here even after a redirect took it elsewhere.
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let origin = state.origin else { return GIT_PASSTHROUGH.rawValue }
            guard origin.scheme == "https" else {
                state.credentialProblem = "it asks for a password over plain http, where rapport sends none"
                return GIT_EAUTH.rawValue
            }
            guard state.isAtOrigin else {
                let elsewhere = "\(state.connectedHost ?? "?"):\(state.connectedPort ?? "?")"
                state.redirection = "it sent rapport on to \(elsewhere), which asked for credentials, and credentials go only to \(origin.shown), the remote's own host and port"
                return GIT_EAUTH.rawValue
            }
            if let token = state.options.token {
                // Asked again means refused: the same token would be refused again.
                guard !state.tokenGiven else {
                    state.credentialProblem = "the server did not accept the token"
                    return GIT_EAUTH.rawValue
                }
                state.tokenGiven = true
                return git_credential_userpass_plaintext_new(out, user ?? "x-access-token", token)
            }
            // Asked once: a helper that gave a refused password would give it again.
            guard !state.helperAsked else {
                state.credentialProblem = "the server did not accept the password git's credential helper gave"
                return GIT_EAUTH.rawValue
            }
            state.helperAsked = true
            guard let filled = state.options.credentialHelper?(state.url) else {
                state.credentialProblem = "it asks for a password, and there is no token and no git credential helper that gives one"
                return GIT_EAUTH.rawValue
            }
            state.credentialsInPlay = true
            return git_credential_userpass_plaintext_new(out, filled.user, filled.password)
        }
        callbacks.certificate_check = { cert, _, host, payload in
            guard let cert, let payload, cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            let hostName = host.map { String(cString: $0) } ?? "?"
            let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
            guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
                state.hostProblem = "the ssh library gave no host key for \(hostName) to check"
                return GIT_ECERTIFICATE.rawValue
            }
            let key = Data(bytes: raw, count: hostKey.hostkey_len)
            let knownHosts = state.options.home + "/.ssh/known_hosts"
            let shown = state.port == 22 ? hostName : "[\(hostName)]:\(state.port)"
            let trust = "check the key's fingerprint with the host's owner, then add it: ssh-keyscan -p \(state.port) \(hostName) >> \(knownHosts)"
            switch KnownHosts(contentsOf: knownHosts).verdict(host: hostName, port: state.port, key: key) {
            case .trusted:
                return 0
            case .unknown:
                state.hostProblem = "\(shown) is not in \(knownHosts), so its identity cannot be checked; \(trust)"
            case .changed:
                state.hostProblem = "the host key of \(shown) differs from the one in \(knownHosts): someone may be impersonating it. If the host's owner confirms a new key, replace the old line (ssh-keygen -R '\(shown)'), then \(trust)"
            }
            return GIT_ECERTIFICATE.rawValue
        }
        callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            state.options.progress?(TransferProgress(receivedObjects: Int(stats.pointee.received_objects),
                                                     totalObjects: Int(stats.pointee.total_objects),
                                                     receivedBytes: Int(stats.pointee.received_bytes)))
            return 0
        }
        // The compare of the compare-and-swap: the command a smart server gets names the value the
        // remote advertised as the old one, and git's receive-pack moves the ref only from there
        // (under its lock). Here that value must be the one rapport merged with.
        callbacks.push_negotiation = { updates, count, payload in
            guard let updates, let payload else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            for index in 0..<count {
                guard let update = updates[index]?.pointee, let name = update.dst_refname,
                      String(cString: name) == state.pushedReference else { continue }
                let source = ObjectID(update.src)
                let found = source.bytes.allSatisfy { $0 == 0 } ? nil : source
                if case .exactly(let expected) = state.expected, found != expected {
                    state.raced = "the remote's branch is at \(found.map { String($0.hex.prefix(7)) } ?? "nothing"), not at \(expected.map { String($0.hex.prefix(7)) } ?? "nothing") as when fetched"
                    return GIT_EUSER.rawValue
                }
                // Already there: nothing to move, and nothing will be reported.
                if found == ObjectID(update.dst) { state.confirmed = true }
            }
            return 0
        }
        callbacks.push_update_reference = { reference, status, payload in
            guard let reference, let payload else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            state.report(String(cString: reference), status: status.map { String(cString: $0) })
            return 0
        }
    }

    /// The URL of the remote `name`, nil when there is no such remote.
    public func remoteURL(_ name: String) throws -> String? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "git_remote_lookup")
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { String(cString: $0) }
    }

    /// Fetches `branch` from the remote `name` into `refs/remotes/<name>/<branch>` and returns the
    /// tip the remote showed (what a merge of it merges, and what a push then expects there), nil
    /// when the remote has no such branch.
    public func fetch(remote name: String, branch: String, options: TransferOptions = TransferOptions()) throws -> ObjectID? {
        let tracking = "refs/remotes/\(name)/\(branch)"
        var advertised: ObjectID?
        try transfer(remote: name, direction: GIT_DIRECTION_FETCH, refspec: "+refs/heads/\(branch):\(tracking)", options: options,
                     function: "git_remote_fetch") { remote, refspecs, callbacks, state in
            var fetchOptions = git_fetch_options()
            guard git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION)) == 0 else { return -1 }
            fetchOptions.callbacks = callbacks
            if state.credentialsInPlay { fetchOptions.follow_redirects = GIT_REMOTE_REDIRECT_NONE }
            let fetched = git_remote_fetch(remote, refspecs, &fetchOptions, "rapport: fetch")
            guard fetched == 0 else { return fetched }
            // The list the remote sent stays readable after the fetch disconnected.
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            let listed = git_remote_ls(&heads, &count, remote)
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
    /// `.rejected`.
    public func push(remote name: String, branch: String, expecting expected: ExpectedTip = .fastForward,
                     options: TransferOptions = TransferOptions()) throws {
        let reference = "refs/heads/\(branch)"
        if let directory = try localGitDirectory(ofRemote: name) {
            try pushLocally(to: directory, remote: name, reference: reference, expecting: expected)
            return
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
            return git_remote_push(remote, refspecs, &pushOptions)
        }
        if let raced = state.raced { throw RemoteError.raced(raced) }
        if let declined = state.declined { throw RemoteError.rejected(declined) }
        // The server's report of the ref it moved (after its own compare under the ref's lock).
        guard state.confirmed else { throw RemoteError.rejected("the remote did not report updating \(reference)") }
    }

    /// A push to a repository on this file system. libgit2's local transport would move the remote's
    /// ref without checking its old value (git's receive-pack checks it; libgit2 writes in-process),
    /// so rapport does the two steps itself: the objects the remote lacks go into it as one pack,
    /// then the branch moves from the expected value, under the ref lock git takes too.
    private func pushLocally(to directory: String, remote name: String, reference: String, expecting expected: ExpectedTip) throws {
        let tip = try resolve(reference)
        // Where a writer killed in there leaves its lock, for the next one to clear (WriteLock).
        let marker = gitDirectory + "/" + WriteLock.localPushName
        try? AtomicFile.write(Data(directory.utf8), to: marker)
        defer { unlink(marker) }
        let target = try Repository.open(at: directory)
        // What goes into another repository keeps the permissions its folders already have (a
        // remote shared by a group stays readable by the group), not this process's own umask.
        var objects = stat()
        let previous = stat(target.objectsDirectory, &objects) == 0 ? umask(~objects.st_mode & 0o777) : nil
        do {
            defer { if let previous { umask(previous) } }
            try moveBranch(of: target, reference: reference, to: tip, expecting: expected)
        }
        var id = tip.oid
        var tracking: OpaquePointer?
        try check(git_reference_create(&tracking, pointer, "refs/remotes/\(name)/\(reference.dropFirst("refs/heads/".count))",
                                       &id, 1, "rapport: push"), "git_reference_create")
        git_reference_free(tracking)
    }

    /// `pushLocally`'s two steps in `target`: the objects, then the branch by compare-and-swap,
    /// read back to confirm.
    private func moveBranch(of target: Repository, reference: String, to tip: ObjectID, expecting expected: ExpectedTip) throws {
        let found = target.referenceTarget(reference)
        let from: ObjectID?
        switch expected {
        case .exactly(let value):
            from = value
        case .fastForward:
            // A commit this repository does not have is none of its ancestors.
            if let found, (try? isAncestor(found, of: tip)) != true {
                throw RemoteError.rejected("cannot push non-fastforwardable reference")
            }
            from = found
        }
        if found != tip {
            try copyObjects(of: tip, besides: [from, found].compactMap { $0 }, into: target)
            var new = tip.oid
            // The zero id stands for "no such branch yet", checked under the lock like any other.
            var old = from?.oid ?? git_oid()
            var moved: OpaquePointer?
            let result = git_reference_create_matching(&moved, target.pointer, reference, &new, 1, &old, "rapport: push")
            git_reference_free(moved)
            if [GIT_EMODIFIED, GIT_ELOCKED, GIT_EEXISTS].map(\.rawValue).contains(result) {
                let detail = GitError.last(code: result, function: "git_reference_create_matching").message
                throw RemoteError.raced("\(reference): \(detail)")
            }
            try check(result, "git_reference_create_matching")
        }
        // Confirmed: the branch holds the local tip, or a commit another writer made on top of it.
        guard let now = target.referenceTarget(reference), try now == tip || target.isAncestor(tip, of: now) else {
            throw RemoteError.raced("\(reference) moved away from the pushed commit")
        }
    }

    /// Writes into `target`, as one pack, what `tip` holds beyond the commits in `known` (which
    /// `target` has): what libgit2's local transport sends for a push.
    private func copyObjects(of tip: ObjectID, besides known: [ObjectID], into target: Repository) throws {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        var start = tip.oid
        try check(git_revwalk_push(walk, &start), "git_revwalk_push")
        for commit in known {
            // One this repository lacks cannot be left out, and need not be.
            var hidden = commit.oid
            _ = git_revwalk_hide(walk, &hidden)
        }
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        try check(git_packbuilder_insert_walk(builder, walk), "git_packbuilder_insert_walk")
        guard git_packbuilder_object_count(builder) > 0 else { return }
        try check(git_packbuilder_write(builder, target.objectsDirectory + "/pack", 0, nil, nil), "git_packbuilder_write")
    }

    /// The commit a direct reference points at, nil when there is none.
    func referenceTarget(_ name: String) -> ObjectID? {
        var oid = git_oid()
        return git_reference_name_to_id(&oid, pointer, name) == 0 ? ObjectID(oid) : nil
    }

    /// The git directory of a remote whose push URL is a path or a file:// URL, nil for any other.
    func localGitDirectory(ofRemote name: String) throws -> String? {
        guard let url = try transferURL(remote: name, direction: GIT_DIRECTION_PUSH) else { return nil }
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
        return FileManager.default.fileExists(atPath: path + "/refs") ? path : nil
    }

    /// The URL a fetch or push uses: after git's `insteadOf` (or `pushInsteadOf`) rewriting, which
    /// libgit2 applies when it looks the remote up, and the push URL for a push; nil for no remote.
    func transferURL(remote name: String, direction: git_direction) throws -> String? {
        var remote: OpaquePointer?
        let lookup = git_remote_lookup(&remote, pointer, name)
        if lookup == GIT_ENOTFOUND.rawValue || lookup == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(lookup, "git_remote_lookup")
        defer { git_remote_free(remote) }
        return Repository.url(of: remote, direction: direction)
    }

    private static func url(of remote: OpaquePointer?, direction: git_direction) -> String {
        let push = direction == GIT_DIRECTION_PUSH ? git_remote_pushurl(remote) : nil
        return (push ?? git_remote_url(remote)).map { String(cString: $0) } ?? ""
    }

    /// Whether `url` reaches its server unencrypted: http:// and git:// (anyone on the way reads
    /// and can change what goes through).
    static func isInsecure(_ url: String) -> Bool {
        guard let scheme = Origin(url: url)?.scheme else { return false }
        return scheme == "http" || scheme == "git"
    }

    /// Looks up the remote, refuses an insecure URL unless allowed, picks the CA file, installs
    /// rapport's callbacks and connection gate (alive for the whole call) and runs `operation` with
    /// one explicit refspec; a failure becomes a `RemoteError` where one fits.
    @discardableResult
    private func transfer(
        remote name: String, direction: git_direction, refspec: String, options: TransferOptions, function: String,
        _ operation: (OpaquePointer?, UnsafeMutablePointer<git_strarray>, git_remote_callbacks, TransferState) -> Int32
    ) throws -> TransferState {
        var remote: OpaquePointer?
        let lookup = git_remote_lookup(&remote, pointer, name)
        if lookup == GIT_ENOTFOUND.rawValue { throw RemoteError.noRemote(name) }
        try check(lookup, "git_remote_lookup")
        defer { git_remote_free(remote) }
        let url = Repository.url(of: remote, direction: direction)
        if Repository.isInsecure(url), !options.allowInsecure { throw RemoteError.insecure(url: url) }
        // libgit2 sends a password written in the URL by itself, without asking the callback.
        if Repository.isInsecure(url), Origin.carriesPassword(url) {
            throw RemoteError.untrustedHost("its URL carries a password, which rapport never sends over plain http or git://")
        }

        transferLock.lock()
        defer { transferLock.unlock() }
        let authorities = certificateAuthorities(environment: options.environment)
        Libgit2.loadCertificates(from: authorities?.path, source: authorities?.source)
        var callbacks = git_remote_callbacks()
        try check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        let state = TransferState(options: options, url: url)
        if state.origin != nil, let unread = Libgit2.certificateFailure {
            throw RemoteError.untrustedHost("\(unread.source) could not be read (\(Repository.oneLine(unread.error.message)))")
        }
        Repository.install(state, in: &callbacks)
        let result: Int32 = withExtendedLifetime(state) {
            let payload = Unmanaged.passUnretained(state).toOpaque()
            if state.origin != nil {
                _ = rapport_connections_gate({ host, port, payload in
                    guard let host, let port, let payload else { return -1 }
                    let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
                    return state.mayConnect(host: String(cString: host), port: String(cString: port)) ? 0 : -1
                }, payload)
            }
            defer { if state.origin != nil { _ = rapport_connections_gate(nil, nil) } }
            return refspec.withCString { cRefspec in
                var strings: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: cRefspec)]
                return strings.withUnsafeMutableBufferPointer { buffer in
                    var array = git_strarray(strings: buffer.baseAddress, count: 1)
                    return operation(remote, &array, callbacks, state)
                }
            }
        }
        if result != 0 { throw Repository.remoteError(result, function: function, state: state) }
        return state
    }

    /// The CA file https trusts, chosen as git chooses: `GIT_SSL_CAINFO`, then git's
    /// `http.sslCAInfo` (this repository's config, then the global one), then `SSL_CERT_FILE`; nil
    /// for the system's bundle.
    func certificateAuthorities(environment: [String: String]) -> (path: String, source: String)? {
        if let path = environment["GIT_SSL_CAINFO"], !path.isEmpty { return (path, "GIT_SSL_CAINFO (\(path))") }
        if let path = configPath("http.sslCAInfo") { return (path, "http.sslCAInfo (\(path))") }
        if let path = environment["SSL_CERT_FILE"], !path.isEmpty { return (path, "SSL_CERT_FILE (\(path))") }
        return nil
    }

    /// A path from the configuration, with `~/` expanded as git does; nil when unset.
    func configPath(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, pointer) == 0 else { return nil }
        defer { git_config_free(config) }
        var buffer = git_buf()
        guard git_config_get_path(&buffer, config, key) == 0 else { return nil }
        defer { git_buf_dispose(&buffer) }
        guard let raw = buffer.ptr else { return nil }
        let path = String(cString: raw)
        return path.isEmpty ? nil : path
    }

    /// mbedTLS gives one line per reason; an error stays one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// Turns a failed network call into a `RemoteError` where one fits, else a `GitError`.
    static func remoteError(_ code: Int32, function: String, state: TransferState) -> Error {
        let error = GitError.last(code: code, function: function)
        if let problem = state.hostProblem { return RemoteError.untrustedHost(problem) }
        if let redirection = state.redirection { return RemoteError.redirected(redirection) }
        if let raced = state.raced { return RemoteError.raced(raced) }
        // libgit2's own refusal of a redirect to another host (GIT_REMOTE_REDIRECT_NONE).
        if error.message.hasPrefix("cannot redirect from") { return RemoteError.redirected(error.message) }
        if code == GIT_ENONFASTFORWARD.rawValue || code == GIT_EMODIFIED.rawValue { return RemoteError.rejected(error.message) }
        if code == GIT_EAUTH.rawValue || state.credentialAttempts > state.options.maxCredentialAttempts
            || (error.errorClass == Int32(GIT_ERROR_SSH.rawValue) && error.message.lowercased().contains("authentic")) {
            return RemoteError.authentication(state.credentialProblem ?? error.message)
        }
        if code == GIT_ECERTIFICATE.rawValue {
            if let unread = Libgit2.certificateFailure {
                return RemoteError.untrustedHost("\(unread.source) could not be read (\(oneLine(unread.error.message)))")
            }
            return RemoteError.untrustedHost("the server's TLS certificate is not trusted (\(oneLine(error.message)))")
        }
        // Only "could not get there" is temporary; a refusal, a missing repository over http or a
        // local disk error is not something that waiting fixes.
        let message = error.message.lowercased()
        let unreachableMessages = ["failed to resolve path", "could not find repository", "failed to connect",
                                   "failed to resolve address", "connection refused", "could not resolve host",
                                   "timed out", "network is unreachable", "no route to host", "connection reset",
                                   "failed to start ssh session", "unexpected eof", "early eof"]
        if error.errorClass == Int32(GIT_ERROR_NET.rawValue) || unreachableMessages.contains(where: message.contains) {
            return RemoteError.unreachable(error.message)
        }
        return error
    }
}
