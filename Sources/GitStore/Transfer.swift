import CConnections
import CGit2
import Foundation

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
    /// The remote's branch held the pushed commit already: nothing moved.
    var alreadyThere = false

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
                if found == ObjectID(update.dst) { (state.confirmed, state.alreadyThere) = (true, true) }
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
    func transfer(
        remote name: String, direction: git_direction, refspec: String, options: TransferOptions, function: String,
        _ operation: (Managed<GitRemote>, UnsafeMutablePointer<git_strarray>, git_remote_callbacks, TransferState) -> Int32
    ) throws -> TransferState {
        guard let remote = try Managed<GitRemote>.ifFound("git_remote_lookup", { git_remote_lookup(&$0, pointer, name) }) else {
            throw RemoteError.noRemote(name)
        }
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
        guard let config = try? configSnapshot() else { return nil }
        var buffer = git_buf()
        guard git_config_get_path(&buffer, config.pointer, key) == 0 else { return nil }
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
