import Foundation

/// git's smart HTTP server for tests: `git http-backend` behind Debian's lighttpd (installed by
/// `make deps`), on 127.0.0.1, with TLS (a certificate for `localhost`, since mbedTLS matches host
/// names) or without, basic auth for every request (unless `users` is empty: then anyone may push),
/// and an access log of each request's line,
/// status and Authorization header. Repositories live under `root`. It stops when the value goes,
/// or after `timeLimit` seconds whatever happens.
public final class GitHTTPServer: @unchecked Sendable {
    public let folder: String
    public let root: String
    public let port: Int
    public let scheme: String
    private let process: DetachedProcess
    private let authenticates: Bool

    /// A prefix of this server's URLs answered with a redirect to `target` (the rest of the path
    /// appended), after asking for credentials first when `afterAuthentication`.
    public struct Redirect: Sendable {
        public let prefix: String
        public let target: String
        public let afterAuthentication: Bool

        public init(_ prefix: String, to target: String, afterAuthentication: Bool = false) {
            self.prefix = prefix
            self.target = target
            self.afterAuthentication = afterAuthentication
        }
    }

    /// One logged request.
    public struct Request: Sendable, CustomStringConvertible {
        /// Such as `GET /git/journal.git/info/refs?service=git-upload-pack HTTP/1.1`.
        public let line: String
        public let status: Int
        /// Such as `git/2.0 (libgit2 1.5.1)`, which tells rapport's requests from the git CLI's.
        public let userAgent: String
        /// The Authorization header the client sent, nil when it sent none.
        public let authorization: String?

        public var description: String {
            "\(line) -> \(status) (\(userAgent))\(authorization.map { " [Authorization: \($0)]" } ?? "")"
        }
    }

    public init(in folder: String, tls: (certificate: String, key: String)?, users: [String: String],
                redirects: [Redirect] = [], timeLimit: Int = 300) throws {
        self.folder = folder
        root = folder + "/repositories"
        scheme = tls == nil ? "http" : "https"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/www", withIntermediateDirectories: true)
        try users.map { "\($0.key):\($0.value)\n" }.joined().write(toFile: folder + "/users", atomically: true, encoding: .utf8)
        authenticates = !users.isEmpty
        var attempt = 0
        while true {
            attempt += 1
            let port = Int.random(in: 20_000...60_000)
            try GitHTTPServer.configuration(folder: folder, root: root, port: port, tls: tls, authenticates: !users.isEmpty,
                                            redirects: redirects)
                .write(toFile: folder + "/lighttpd.conf", atomically: true, encoding: .utf8)
            let process = try DetachedProcess.start("/usr/sbin/lighttpd -D -f '\(folder)/lighttpd.conf'", in: folder,
                                                    limit: timeLimit, log: folder + "/lighttpd.out")
            // Ready when it accepts connections; gone at once when some other program has the port.
            for _ in 0..<200 where process.isRunning && !DetachedProcess.isListening(port) { usleep(25_000) }
            if process.isRunning && DetachedProcess.isListening(port) {
                (self.port, self.process) = (port, process)
                return
            }
            process.stop()
            if attempt == 5 {
                let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
                let output = (try? String(contentsOfFile: folder + "/lighttpd.out", encoding: .utf8)) ?? ""
                throw DetachedProcess.NotStarted(description: "lighttpd did not start (run `make deps`): \(log)\(output)")
            }
        }
    }

    /// A bare repository `name` under `root` on branch main, made with the git CLI.
    @discardableResult
    public func makeRepository(_ name: String) -> String {
        let path = root + "/" + name
        run("git", ["init", "-q", "--bare", "-b", "main", path], in: folder)
        // git's http-backend takes pushes from authenticated users only, unless told otherwise.
        if !authenticates { run("git", ["config", "http.receivepack", "true"], in: path) }
        return path
    }

    /// The URL of the repository `name` (`localhost`: the certificate's name).
    public func url(_ name: String) -> String { "\(scheme)://localhost:\(port)/git/\(name)" }

    /// The URL of `path` under a redirect's prefix.
    public func url(_ name: String, under redirect: Redirect) -> String { "\(scheme)://localhost:\(port)\(redirect.prefix)\(name)" }

    /// The requests logged so far. lighttpd writes its log in batches, so this stops the server first.
    public func requests() -> [Request] {
        stop()
        let log = (try? String(contentsOfFile: folder + "/access.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count >= 4, let status = Int(fields[fields.count - 3]) else { return nil }
            let authorization = String(fields[fields.count - 1])
            return Request(line: fields.dropLast(3).joined(separator: "|"), status: status, userAgent: String(fields[fields.count - 2]),
                           authorization: authorization == "-" || authorization.isEmpty ? nil : authorization)
        }
    }

    public func stop() { process.stop() }

    deinit { process.stop() }

    private static func configuration(folder: String, root: String, port: Int, tls: (certificate: String, key: String)?,
                                      authenticates: Bool, redirects: [Redirect]) -> String {
        let authentication = authenticates
            ? #"auth.require = ("" => ("method" => "basic", "realm" => "rapport test", "require" => "valid-user"))"# : ""
        var text = """
            server.modules = ("mod_openssl", "mod_auth", "mod_authn_file", "mod_cgi", "mod_accesslog", "mod_setenv", "mod_alias", "mod_redirect")
            server.document-root = "\(folder)/www"
            server.bind = "127.0.0.1"
            server.port = \(port)
            server.errorlog = "\(folder)/error.log"
            server.upload-dirs = ("\(folder)")
            accesslog.filename = "\(folder)/access.log"
            accesslog.format = "%r|%>s|%{User-Agent}i|%{Authorization}i"
            auth.backend = "plain"
            auth.backend.plain.userfile = "\(folder)/users"
            alias.url = ("/git" => "/usr/lib/git-core/git-http-backend")
            $HTTP["url"] =~ "^/git/" {
                cgi.assign = ("" => "")
                setenv.set-environment = ("GIT_PROJECT_ROOT" => "\(root)", "GIT_HTTP_EXPORT_ALL" => "1")
                \(authentication)
            }

            """
        if let tls {
            text += """
                ssl.engine = "enable"
                ssl.pemfile = "\(tls.certificate)"
                ssl.privkey = "\(tls.key)"

                """
        }
        for redirect in redirects where redirect.afterAuthentication {
            text += "$HTTP[\"url\"] =~ \"^\(redirect.prefix)\" {\n    \(authentication)\n}\n"
        }
        let rules = redirects.map { "\"^\($0.prefix)(.*)$\" => \"\($0.target)$1\"" }
        if !rules.isEmpty { text += "url.redirect = (\(rules.joined(separator: ", ")))\nurl.redirect-code = 302\n" }
        return text
    }
}
