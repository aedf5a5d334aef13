import Foundation
import Testing
import TestSupport

/// https remotes: the server's certificate is checked against the system's trusted ones, or a
/// company CA named as git names one.
@Suite(.serialized) struct TLSTests {
    @Test func aServerWhoseCertificateNoOneTrustsIsRefusedAndNothingChanges() throws {
        let cli = CLI().makeJournal()
        let server = try TLSServer(in: cli.scratch.appending("tls"))
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        #expect(cli("remote", "add", "origin", server.url("/journal.git")).status == 0)
        for arguments in [["sync"], ["push"], ["pull"]] {
            let refused = cli.run(arguments)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("the server's TLS certificate is not trusted"), "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        }
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", server.url("/journal.git"), target)
        #expect(clone.status == 1 && clone.stderr.contains("TLS certificate is not trusted"), "\(clone)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        cli.expectConsistent()
        _ = server
    }

    /// Seen with strace: a company CA named in the environment is read only by a command that
    /// talks to a remote, before it connects (a local remote here, so it needs no TLS, but rapport
    /// cannot tell in advance which transport a URL's rewrite rules lead to). The system's bundle
    /// is libgit2's own, read at its start-up.
    @Test func aCompanyCAIsReadOnlyByCommandsThatTalkToARemote() throws {
        let cli = CLI().makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        let company = try TestCA(in: cli.scratch.appending("company")).certificate
        func opensCompanyCA(_ arguments: [String]) throws -> Bool {
            let log = cli.scratch.appending("strace-\(arguments[0])")
            let traced = run("strace", ["-f", "-e", "trace=openat,open", "-o", log, CLI.binary] + arguments,
                             in: cli.journal, environment: cli.environment(["GIT_SSL_CAINFO": company]))
            #expect(traced.status == 0, "\(traced)")
            return try String(contentsOfFile: log, encoding: .utf8).contains("\"\(company)\"")
        }
        #expect(try !opensCompanyCA(["1on1", "alice", "--note", "Local."]))
        #expect(try !opensCompanyCA(["list"]))
        #expect(try opensCompanyCA(["sync"]))
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: cli.journal).stdout)
    }
}
