import Foundation
import Testing
import TestSupport

/// https remotes: the server's certificate is checked against the system's trusted ones, which
/// rapport reads only when a command talks to a remote (not at every start).
@Suite(.serialized) struct TLSTests {
    /// The CA bundle Debian's libgit2 reads.
    static let bundle = "/etc/ssl/certs/ca-certificates.crt"

    @Test func aServerWhoseCertificateNoOneTrustsIsRefusedAndNothingChanges() throws {
        let cli = CLI().makeJournal()
        let folder = cli.scratch.appending("tls")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let made = run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                                   "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], in: folder)
        try #require(made.status == 0, "\(made)")
        // A TLS server on a loopback port with that self-signed certificate, left running by a
        // shell for two minutes at most. It must hold none of the descriptors the shell
        // inherited: Foundation's `Process` waits until every holder of one of them has exited.
        // A port some other program holds makes the server exit; then another is tried.
        let started = run("bash", ["-c", """
            for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            for attempt in 1 2 3 4 5; do
                port=$(( 20000 + RANDOM % 30000 ))
                timeout 120 openssl s_server -quiet -www -accept 127.0.0.1:$port -cert cert.pem -key key.pem >/dev/null 2>&1 &
                pid=$!
                for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
                if kill -0 $pid 2>/dev/null; then echo "$pid $port"; exit 0; fi
            done
            exit 1
            """], in: folder)
        let fields = started.stdout.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        defer { if let pid = fields.first { kill(pid, SIGTERM) } }
        try #require(fields.count == 2, "\(started)")
        let port = fields[1]

        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        #expect(cli("remote", "add", "origin", "https://127.0.0.1:\(port)/journal.git").status == 0)
        for arguments in [["sync"], ["push"], ["pull"]] {
            let refused = cli.run(arguments)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("the server's TLS certificate is not trusted"), "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        }
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", "https://127.0.0.1:\(port)/journal.git", target)
        #expect(clone.status == 1 && clone.stderr.contains("TLS certificate is not trusted"), "\(clone)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        cli.expectConsistent()
    }

    /// Seen with strace: a command that stays local never opens the bundle; one that talks to a
    /// remote reads it before it connects (a local remote here, so it needs no TLS, but rapport
    /// cannot tell in advance which transport a URL's rewrite rules lead to).
    @Test func theTrustedCertificatesAreReadOnlyByCommandsThatTalkToARemote() throws {
        let cli = CLI().makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        func opensBundle(_ arguments: [String]) throws -> Bool {
            let log = cli.scratch.appending("strace-\(arguments[0])")
            let traced = run("strace", ["-f", "-e", "trace=openat,open", "-o", log, CLI.binary] + arguments,
                             in: cli.journal, environment: cli.environment())
            #expect(traced.status == 0, "\(traced)")
            return try String(contentsOfFile: log, encoding: .utf8).contains("\"\(TLSTests.bundle)\"")
        }
        #expect(try !opensBundle(["1on1", "alice", "--note", "Local."]))
        #expect(try !opensBundle(["list"]))
        // Where the system has no bundle there is nothing to read, then or later.
        let hasBundle = FileManager.default.fileExists(atPath: TLSTests.bundle)
        #expect(try opensBundle(["sync"]) == hasBundle)
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: cli.journal).stdout)
    }
}
