import Foundation
import Testing
import TestSupport

/// https end to end against git's http-backend behind lighttpd (Tests/TestSupport/GitHTTPServer),
/// whose certificate comes from a test CA trusted the way git users trust a company's CA.
@Suite(.serialized) struct HTTPSTests {
    static let token = "t0ken-\(UInt32.random(in: 0...UInt32.max))"
    static let users = ["x-access-token": token, "dana": "helper-pa55"]

    /// A journal in `cli`, a test CA, and an https server (its certificate signed by that CA) with
    /// an empty `journal.git`, recorded as origin.
    struct Fixture {
        let cli: CLI
        let ca: TestCA
        let server: GitHTTPServer
        let remote: String
        var trust: [String: String] { ["GIT_SSL_CAINFO": ca.certificate] }
        var token: [String: String] { trust.merging(["RAPPORT_GIT_TOKEN": HTTPSTests.token]) { $1 } }

        init(_ label: String = #function, ca: TestCA? = nil, redirects: [GitHTTPServer.Redirect] = []) throws {
            cli = CLI(label).makeJournal()
            self.ca = try ca ?? TestCA(in: cli.scratch.appending("ca"))
            server = try GitHTTPServer(in: cli.scratch.appending("https"), tls: self.ca.issue("server"), users: HTTPSTests.users,
                                       redirects: redirects)
            remote = server.makeRepository("journal.git")
            #expect(cli("remote", "add", "origin", server.url("journal.git")).status == 0)
        }

        var remoteMain: String { git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout }
        var head: String { git(["rev-parse", "HEAD"], in: cli.journal).stdout }

        /// A git credential helper (git's own `store`) that knows dana's password for this server.
        func storeCredentials() {
            let store = cli.home + "/git-credentials"
            cli.scratch.write("https://dana:\(HTTPSTests.users["dana"]!)@localhost:\(server.port)\n", to: "home/git-credentials")
            #expect(git(["config", "--global", "credential.helper", "store --file=\(store)"], in: cli.home, home: cli.home).status == 0)
        }
    }

    @Test func cloneSyncAndPushWithAToken() throws {
        let fixture = try Fixture()
        let cli = fixture.cli
        let synced = cli("sync", environment: fixture.token)
        #expect(synced.status == 0 && synced.stdout == "Origin was empty; pushed.\n", "\(synced)")
        #expect(fixture.remoteMain == fixture.head && !fixture.head.isEmpty)

        let other = cli.scratch.appending("other")
        let cloned = cli("clone", fixture.server.url("journal.git"), other, environment: fixture.token)
        #expect(cloned.status == 0 && cloned.stderr.isEmpty, "\(cloned)")
        #expect(cli("kudos", "bob", "Shipped over https.", in: other).status == 0)
        let pushed = cli("push", environment: fixture.token, in: other)
        #expect(pushed.status == 0 && pushed.stdout == "Pushed to origin.\n", "\(pushed)")
        let again = cli("push", environment: fixture.token, in: other)
        #expect(again.status == 0 && again.stdout == "Nothing to push: origin has every commit of this journal.\n", "\(again)")
        #expect(cli("1on1", "alice", "--note", "Merged over https.").status == 0)
        let merged = cli("sync", environment: fixture.token)
        #expect(merged.status == 0 && merged.stdout == "Merged origin; pushed.\n", "\(merged)")
        #expect(fixture.remoteMain == fixture.head)
        #expect(cli("sync", environment: fixture.token, in: other).stdout == "Fast-forwarded to origin.\n")
        #expect(cli("search", "Shipped over https").stdout.contains("bob"))
        for path in [fixture.remote, cli.journal, other] { #expect(fsckProblems(path) == "", "\(path)") }
        cli.expectConsistent()

        // The git CLI reads what rapport pushed, through the same server.
        let reader = cli.scratch.appending("reader")
        let url = fixture.server.url("journal.git").replacingOccurrences(of: "https://", with: "https://x-access-token:\(HTTPSTests.token)@")
        let read = run("git", ["clone", "-q", url, reader], in: cli.scratch.path,
                       environment: hermeticEnvironment(home: cli.home, extra: fixture.trust))
        #expect(read.status == 0, "\(read)")
        #expect(git(["rev-parse", "HEAD"], in: reader).stdout == fixture.head)
        // Each of rapport's requests but the first of each exchange carried the token.
        let requests = fixture.server.requests().filter { $0.userAgent.contains("libgit2") }
        #expect(requests.contains { $0.line.contains("git-receive-pack") && $0.status == 200 }, "\(requests)")
        #expect(requests.allSatisfy { $0.status == 401 || $0.authorization == basic("x-access-token", HTTPSTests.token) }, "\(requests)")
    }

    @Test func cloneSyncAndPushWithAGitCredentialHelper() throws {
        let fixture = try Fixture()
        let cli = fixture.cli
        fixture.storeCredentials()
        let synced = cli("sync", environment: fixture.trust)
        #expect(synced.status == 0 && synced.stdout == "Origin was empty; pushed.\n", "\(synced)")
        let other = cli.scratch.appending("other")
        #expect(cli("clone", fixture.server.url("journal.git"), other, environment: fixture.trust).status == 0)
        #expect(cli("kudos", "bob", "Helped by a helper.", in: other).status == 0)
        let pushed = cli("push", environment: fixture.trust, in: other)
        #expect(pushed.status == 0, "\(pushed)")
        #expect(cli("sync", environment: fixture.trust).stdout == "Fast-forwarded to origin.\n")
        #expect(fixture.remoteMain == fixture.head)
        for path in [fixture.remote, cli.journal, other] { #expect(fsckProblems(path) == "", "\(path)") }
        let requests = fixture.server.requests()
        #expect(requests.contains { $0.line.contains("git-receive-pack") && $0.status == 200 }, "\(requests)")
        #expect(requests.allSatisfy { $0.status == 401 || $0.authorization == basic("dana", HTTPSTests.users["dana"]!) }, "\(requests)")
    }

    /// A refused token or password: one line, exit 1, and nothing changed here or there.
    @Test func wrongCredentialsChangeNothing() throws {
        let fixture = try Fixture()
        let cli = fixture.cli
        #expect(cli("sync", environment: fixture.token).status == 0)
        #expect(cli("kudos", "alice", "Not to be pushed.").status == 0)
        let (head, remoteMain) = (fixture.head, fixture.remoteMain)
        let wrong = fixture.trust.merging(["RAPPORT_GIT_TOKEN": "not-the-token"]) { $1 }
        for arguments in [["sync"], ["push"], ["pull"]] {
            let refused = cli.run(arguments, environment: wrong)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("origin refused the credentials (the server did not accept the token)"), "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        }
        // No token and no helper: the same, saying why.
        let none = cli("sync", environment: fixture.trust)
        #expect(none.status == 1 && none.stderr.contains("there is no token and no git credential helper"), "\(none)")
        #expect(none.stderr.split(separator: "\n").count == 1, "\(none)")
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", fixture.server.url("journal.git"), target, environment: wrong)
        #expect(clone.status == 1 && !FileManager.default.fileExists(atPath: target), "\(clone)")
        #expect(fixture.head == head && fixture.remoteMain == remoteMain)
        cli.expectConsistent()
        // The wrong token was offered once per command, not again and again.
        let wrongHeader = basic("x-access-token", "not-the-token")
        let offers = fixture.server.requests().filter { $0.authorization == wrongHeader }
        #expect(offers.count == 4, "\(offers)")
    }

    /// The token or password goes only to the remote's own scheme, host and port: a redirect to
    /// another port (another origin) never receives it, whether the server redirects at once or
    /// after the credentials were accepted.
    @Test(arguments: [(true, false), (true, true), (false, false), (false, true)])
    func aRedirectToAnotherOriginNeverGetsTheCredentials(token: Bool, afterAuthentication: Bool) throws {
        let scratch = Scratch()
        let ca = try TestCA(in: scratch.appending("ca"))
        let elsewhere = try GitHTTPServer(in: scratch.appending("elsewhere"), tls: ca.issue("elsewhere"), users: HTTPSTests.users)
        elsewhere.makeRepository("journal.git")
        // The detector works: a client that does send credentials there is seen doing so.
        let control = run("git", ["ls-remote", elsewhere.url("journal.git").replacingOccurrences(of: "https://", with: "https://dana:probe@")],
                          in: scratch.path, environment: hermeticEnvironment(home: scratch.path, extra: [
                              "GIT_SSL_CAINFO": ca.certificate, "GIT_TERMINAL_PROMPT": "0",
                          ]))
        #expect(control.status != 0)
        let redirect = GitHTTPServer.Redirect("/moved/", to: "https://localhost:\(elsewhere.port)/git/", afterAuthentication: afterAuthentication)
        let fixture = try Fixture(ca: ca, redirects: [redirect])
        let cli = fixture.cli
        let moved = fixture.server.url("journal.git", under: redirect)
        #expect(git(["remote", "set-url", "origin", moved], in: cli.journal).status == 0)
        let environment = token ? fixture.token : fixture.trust
        if !token { fixture.storeCredentials() }
        let head = fixture.head

        let synced = cli("sync", environment: environment)
        #expect(synced.status == 1, "\(synced)")
        #expect(synced.stderr.contains("Refused to fetch with origin: it sent rapport on to localhost:\(elsewhere.port)"), "\(synced)")
        #expect(synced.stderr.contains("credentials go only to https://localhost:\(fixture.server.port)"), "\(synced)")
        #expect(synced.stderr.split(separator: "\n").count == 1, "\(synced)")
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", moved, target, environment: environment)
        #expect(clone.status == 1 && clone.stderr.contains("it sent rapport on to"), "\(clone)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(fixture.head == head && fixture.remoteMain.isEmpty)

        // The redirect was served (to each command, after a challenge when asked for)...
        let served = fixture.server.requests().filter { $0.line.hasPrefix("GET /moved/") && $0.status == 302 }
        #expect(served.count == 2, "\(fixture.server.requests())")
        // ...and the other origin got no credentials from rapport (libgit2's user agent), only the
        // probe's from the git CLI.
        let seen = elsewhere.requests()
        #expect(seen.contains { $0.authorization == basic("dana", "probe") && !$0.userAgent.contains("libgit2") }, "\(seen)")
        let fromRapport = seen.filter { $0.userAgent.contains("libgit2") }
        #expect(fromRapport.allSatisfy { $0.authorization == nil }, "\(seen)")
        if token || afterAuthentication {
            // With credentials in play from the start, rapport does not even connect there.
            #expect(fromRapport.isEmpty, "\(seen)")
        } else {
            // Without, it follows the redirect, and declines when asked for credentials there.
            #expect(!fromRapport.isEmpty, "\(seen)")
        }
    }

    /// Which certificates https trusts, as git decides: GIT_SSL_CAINFO, then http.sslCAInfo (the
    /// repository's config or the global one), then SSL_CERT_FILE, then the system's bundle.
    @Test func aCompanyCAIsTrustedFromEachPlaceGitTakesItFrom() throws {
        let fixture = try Fixture()
        let cli = fixture.cli
        let stranger = try TestCA(in: cli.scratch.appending("stranger"))
        let token = ["RAPPORT_GIT_TOKEN": HTTPSTests.token]
        func sync(_ environment: [String: String] = [:]) -> ProcessResult {
            cli.run(["sync"], environment: token.merging(environment) { $1 })
        }
        func setConfig(_ scope: String, _ value: String?) {
            let arguments = value.map { [scope, "http.sslCAInfo", $0] } ?? [scope, "--unset", "http.sslCAInfo"]
            #expect(git(["config"] + arguments, in: cli.journal, home: cli.home).status == 0)
        }
        func expectRefused(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == 1 && result.stderr.contains("the server's TLS certificate is not trusted"), "\(result)",
                    sourceLocation: sourceLocation)
            #expect(result.stderr.split(separator: "\n").count == 1, sourceLocation: sourceLocation)
        }
        let ca = fixture.ca.certificate
        expectRefused(sync())
        #expect(fixture.remoteMain.isEmpty)
        #expect(sync(["GIT_SSL_CAINFO": ca]).stdout == "Origin was empty; pushed.\n")
        #expect(sync(["SSL_CERT_FILE": ca]).status == 0)
        setConfig("--local", ca)
        #expect(sync().status == 0)
        setConfig("--local", nil)
        setConfig("--global", "~/company-ca.pem")  // a path git expands
        try FileManager.default.copyItem(atPath: ca, toPath: cli.home + "/company-ca.pem")
        #expect(sync().status == 0)
        let cloned = cli("clone", fixture.server.url("journal.git"), cli.scratch.appending("clone"), environment: token)
        #expect(cloned.status == 0, "\(cloned)")
        // The order: each source hides those after it.
        expectRefused(sync(["GIT_SSL_CAINFO": stranger.certificate]))
        setConfig("--global", stranger.certificate)
        expectRefused(sync(["SSL_CERT_FILE": ca]))
        #expect(sync(["GIT_SSL_CAINFO": ca, "SSL_CERT_FILE": stranger.certificate]).status == 0)
        setConfig("--global", nil)
        // A file that cannot be read is named, and nothing connects.
        let missing = sync(["GIT_SSL_CAINFO": cli.scratch.appending("nowhere.pem")])
        #expect(missing.status == 1 && missing.stderr.contains("GIT_SSL_CAINFO (\(cli.scratch.appending("nowhere.pem"))) could not be read"),
                "\(missing)")
        #expect(missing.stderr.split(separator: "\n").count == 1)
        #expect(fixture.remoteMain == fixture.head)
        cli.expectConsistent()
    }

    /// http:// and git:// carry the journal unencrypted: refused, before anything connects, unless
    /// the journal's local setting allows them; `clone --allow-insecure` sets it.
    @Test func insecureRemotesNeedTheLocalSetting() throws {
        let cli = CLI().makeJournal()
        let refusing = try GitHTTPServer(in: cli.scratch.appending("refusing"), tls: nil, users: [:])
        let remote = refusing.makeRepository("journal.git")
        let url = refusing.url("journal.git")
        #expect(cli("remote", "add", "origin", url).status == 0)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        for arguments in [["sync"], ["push"], ["pull"]] {
            let refused = cli.run(arguments, environment: ["RAPPORT_GIT_TOKEN": HTTPSTests.token])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("origin is \(url), which is not encrypted"), "\(refused)")
            #expect(refused.stderr.contains("rapport config sync.allow_insecure true"), "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        }
        // What git's URL rewriting makes of an https URL is what counts.
        #expect(git(["remote", "set-url", "origin", "https://journal.example.invalid/team/journal.git"], in: cli.journal).status == 0)
        #expect(git(["config", "--global", "url.\(refusing.url("")).insteadOf", "https://journal.example.invalid/team/"],
                    in: cli.journal, home: cli.home).status == 0)
        let rewritten = cli("sync")
        #expect(rewritten.status == 1 && rewritten.stderr.contains("origin is \(url), which is not encrypted"), "\(rewritten)")
        #expect(cli("remote", "add", "daemon", "git://localhost:9/journal.git").status == 0)
        let daemon = cli("pull", "--remote", "daemon")
        #expect(daemon.status == 1 && daemon.stderr.contains("git://localhost:9/journal.git, which is not encrypted"), "\(daemon)")
        for value in ["false", "no", "0"] {
            #expect(git(["config", "rapport.allowInsecure", value], in: cli.journal).status == 0)
            #expect(cli("sync").status == 1)
        }
        // A value that is no boolean is a usage error naming the setting.
        #expect(git(["config", "rapport.allowInsecure", "maybe"], in: cli.journal).status == 0)
        let maybe = cli("sync")
        #expect(maybe.status == 64 && maybe.stderr.contains("not a value of sync.allow_insecure"), "\(maybe)")
        #expect(git(["config", "rapport.allowInsecure", "false"], in: cli.journal).status == 0)
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", url, target)
        #expect(clone.status == 1 && clone.stderr.contains("not encrypted") && clone.stderr.contains("--allow-insecure"), "\(clone)")
        #expect(clone.stderr.split(separator: "\n").count == 1 && !FileManager.default.fileExists(atPath: target))
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        #expect(git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.isEmpty)
        #expect(refusing.requests().isEmpty, "nothing may have connected")

        // Allowed: it works, both ways.
        let open = try GitHTTPServer(in: cli.scratch.appending("open"), tls: nil, users: [:])
        let second = open.makeRepository("journal.git")
        #expect(git(["remote", "set-url", "origin", open.url("journal.git")], in: cli.journal).status == 0)
        for value in ["true", "yes", "on", "1", "TRUE"] {
            #expect(git(["config", "rapport.allowInsecure", value], in: cli.journal).status == 0)
            let synced = cli("sync")
            #expect(synced.status == 0, "\(value): \(synced)")
        }
        #expect(git(["rev-parse", "main"], in: second).stdout == head)
        let allowed = cli("clone", "--allow-insecure", open.url("journal.git"), target)
        #expect(allowed.status == 0, "\(allowed)")
        #expect(git(["config", "--local", "rapport.allowInsecure"], in: target).stdout == "true\n")
        #expect(cli("kudos", "bob", "Over plain http.", in: target).status == 0)
        #expect(cli("sync", in: target).stdout == "Origin had nothing new; pushed.\n")
        #expect(cli("pull").stdout == "Fast-forwarded to origin.\n")
        #expect(fsckProblems(second) == "" && fsckProblems(target) == "")
        cli.expectConsistent()

        // A token never goes over plain http, allowed or not: a server that asks gets none.
        let guarded = try GitHTTPServer(in: cli.scratch.appending("guarded"), tls: nil, users: HTTPSTests.users)
        guarded.makeRepository("journal.git")
        #expect(git(["remote", "set-url", "origin", guarded.url("journal.git")], in: cli.journal).status == 0)
        let asked = cli("sync", environment: ["RAPPORT_GIT_TOKEN": HTTPSTests.token])
        #expect(asked.status == 1 && asked.stderr.contains("refused the credentials"), "\(asked)")
        let requests = guarded.requests()
        #expect(!requests.isEmpty && requests.allSatisfy { $0.authorization == nil }, "\(requests)")
        // Nor a password written in the URL, which libgit2 would send by itself.
        let withPassword = guarded.url("journal.git").replacingOccurrences(of: "http://", with: "http://\(HTTPSTests.users.keys.first ?? "dana"):secret@")
        #expect(git(["remote", "set-url", "origin", withPassword], in: cli.journal).status == 0)
        let embedded = cli("sync")
        #expect(embedded.status == 1 && embedded.stderr.contains("carries a password") && !embedded.stderr.contains("secret"), "\(embedded)")
        #expect(guarded.requests().count == requests.count, "nothing more may have connected")
    }
}

/// The Authorization header of basic auth with `user` and `password`.
func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}
