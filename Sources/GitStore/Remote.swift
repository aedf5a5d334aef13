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

    public init() {}
}

/// Why a push or fetch failed, in terms a caller can act on.
public enum RemoteError: Error, Equatable, Sendable {
    /// The remote could not be reached (no such path, host down, name unresolved): try later.
    case unreachable(String)
    /// Credentials were refused or none were available.
    case authentication(String)
    /// The remote's branch moved since the fetch: fetch, merge and push again.
    case rejected(String)
    case noRemote(String)
    /// The ssh host key is not in known_hosts, or differs from it; the message says how to trust it.
    case untrustedHost(String)
    /// The remote has no such branch (an empty repository, for instance).
    case noBranch(String)
}

/// Per-operation state the C callbacks reach through their payload pointer.
final class TransferState {
    enum SSHMethod { case agent, keyFile(String) }

    let options: TransferOptions
    /// The port the URL names (22 for ssh without one), for known_hosts' `[host]:port`.
    let port: Int
    var credentialAttempts = 0
    var rejections: [String] = []
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
    var hostProblem: String?

    init(options: TransferOptions, url: String) {
        self.options = options
        port = TransferState.port(in: url)
    }

    static func port(in url: String) -> Int {
        guard url.hasPrefix("ssh://") || url.hasPrefix("ssh+git://") || url.hasPrefix("git+ssh://"),
              let authority = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first else { return 22 }
        let hostPort = authority.split(separator: "@").last ?? authority
        if let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]) { return port }
        return 22
    }
}

extension Repository {
    /// Fills `callbacks` with rapport's credentials, progress and push-status handlers, whose
    /// payload is `state` (kept alive by the caller for the whole operation).
    static func install(_ state: TransferState, in callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        callbacks.credentials = { out, url, usernameFromURL, allowed, payload in
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
            // A token or password goes only to an https remote, never over ssh or plain http.
            if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let url, String(cString: url).hasPrefix("https://") {
                if let token = state.options.token {
                    return git_credential_userpass_plaintext_new(out, user ?? "x-access-token", token)
                }
                // Asked once: a helper that gave a refused password would give it again.
                if state.credentialAttempts == 1, let filled = state.options.credentialHelper?(String(cString: url)) {
                    return git_credential_userpass_plaintext_new(out, filled.user, filled.password)
                }
            }
            return GIT_PASSTHROUGH.rawValue
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
        callbacks.push_update_reference = { reference, status, payload in
            guard let status, let payload else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(payload).takeUnretainedValue()
            state.rejections.append("\(reference.map { String(cString: $0) } ?? "?"): \(String(cString: status))")
            return 0
        }
    }

    /// Adds a remote with git's default fetch refspec.
    public func remoteURL(_ name: String) throws -> String? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "git_remote_lookup")
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { String(cString: $0) }
    }

    /// Fetches `branch` from the remote `name` into `refs/remotes/<name>/<branch>` and returns
    /// its tip, nil when the remote has no such branch.
    public func fetch(remote name: String, branch: String, options: TransferOptions = TransferOptions()) throws -> ObjectID? {
        let tracking = "refs/remotes/\(name)/\(branch)"
        try transfer(remote: name, refspec: "+refs/heads/\(branch):\(tracking)", options: options,
                     function: "git_remote_fetch") { remote, refspecs, callbacks in
            var fetchOptions = git_fetch_options()
            guard git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION)) == 0 else { return -1 }
            fetchOptions.callbacks = callbacks
            return git_remote_fetch(remote, refspecs, &fetchOptions, "rapport: fetch")
        }
        var oid = git_oid()
        let resolved = git_reference_name_to_id(&oid, pointer, tracking)
        if resolved == GIT_ENOTFOUND.rawValue { return nil }
        try check(resolved, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// Pushes the local `branch` to the same branch of the remote with an explicit refspec (with
    /// none, libgit2 pushes nothing and reports success). A rejection is `.rejected`.
    public func push(remote name: String, branch: String, options: TransferOptions = TransferOptions()) throws {
        // libgit2 pushes to a remote on this file system in-process, locking the remote's ref
        // itself: say where, so a writer killed meanwhile can have that lock cleared (WriteLock).
        let marker = gitDirectory + "/" + WriteLock.localPushName
        if let directory = localGitDirectory(ofRemote: name) {
            try? AtomicFile.write(Data(directory.utf8), to: marker)
        }
        defer { unlink(marker) }
        let state = try transfer(remote: name, refspec: "refs/heads/\(branch):refs/heads/\(branch)", options: options,
                                 function: "git_remote_push") { remote, refspecs, callbacks in
            var pushOptions = git_push_options()
            guard git_push_options_init(&pushOptions, UInt32(GIT_PUSH_OPTIONS_VERSION)) == 0 else { return -1 }
            pushOptions.callbacks = callbacks
            return git_remote_push(remote, refspecs, &pushOptions)
        }
        if let rejection = state.rejections.first { throw RemoteError.rejected(rejection) }
    }

    /// The git directory of a remote given as a path or a file:// URL, nil for any other remote.
    func localGitDirectory(ofRemote name: String) -> String? {
        guard let url = (try? remoteURL(name)) ?? nil else { return nil }
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

    /// Looks up the remote, installs rapport's callbacks (alive for the whole call) and runs
    /// `operation` with one explicit refspec; a failure becomes a `RemoteError` where one fits.
    @discardableResult
    private func transfer(
        remote name: String, refspec: String, options: TransferOptions, function: String,
        _ operation: (OpaquePointer?, UnsafeMutablePointer<git_strarray>, git_remote_callbacks) -> Int32
    ) throws -> TransferState {
        Libgit2.loadCertificates()
        var remote: OpaquePointer?
        let lookup = git_remote_lookup(&remote, pointer, name)
        if lookup == GIT_ENOTFOUND.rawValue { throw RemoteError.noRemote(name) }
        try check(lookup, "git_remote_lookup")
        defer { git_remote_free(remote) }
        var callbacks = git_remote_callbacks()
        try check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        let state = TransferState(options: options, url: git_remote_url(remote).map { String(cString: $0) } ?? "")
        Repository.install(state, in: &callbacks)
        let result: Int32 = withExtendedLifetime(state) {
            refspec.withCString { cRefspec in
                var strings: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: cRefspec)]
                return strings.withUnsafeMutableBufferPointer { buffer in
                    var array = git_strarray(strings: buffer.baseAddress, count: 1)
                    return operation(remote, &array, callbacks)
                }
            }
        }
        if result != 0 { throw Repository.remoteError(result, function: function, state: state) }
        return state
    }

    /// Turns a failed network call into a `RemoteError` where one fits, else a `GitError`.
    static func remoteError(_ code: Int32, function: String, state: TransferState) -> Error {
        let error = GitError.last(code: code, function: function)
        if let problem = state.hostProblem { return RemoteError.untrustedHost(problem) }
        if code == GIT_ENONFASTFORWARD.rawValue || code == GIT_EMODIFIED.rawValue { return RemoteError.rejected(error.message) }
        if code == GIT_EAUTH.rawValue || state.credentialAttempts > state.options.maxCredentialAttempts
            || (error.errorClass == Int32(GIT_ERROR_SSH.rawValue) && error.message.lowercased().contains("authentic")) {
            return RemoteError.authentication(error.message)
        }
        if code == GIT_ECERTIFICATE.rawValue {
            // mbedTLS gives one line per reason; the error stays one line.
            func oneLine(_ text: String) -> String {
                text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    .joined(separator: "; ")
            }
            if let unread = Libgit2.certificateFailure {
                return RemoteError.untrustedHost("the system's trusted certificates could not be read (\(oneLine(unread.message)))")
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
