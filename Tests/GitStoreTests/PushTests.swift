import Foundation
@testable import GitStore
import Testing
import TestSupport

/// A push moves the remote's branch by compare-and-swap, here on a remote on this file system,
/// where rapport moves the ref itself (libgit2's local transport would not check its old value).
@Suite struct PushTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com",
                           date: Date(timeIntervalSince1970: 1_790_000_000), utcOffsetMinutes: 60)

    /// A repository with one commit, pushed to a bare remote, and the git CLI's clone of that remote.
    func pushed() throws -> (repository: Repository, remote: String, first: ObjectID) {
        let repository = try Repository.create(at: scratch.appending("repo"))
        try repository.commit([.write("a.md", Data("a\n".utf8))], author: author, message: "a")
        let remote = scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: scratch.path).status == 0)
        try repository.addRemote(name: "origin", url: remote)
        try repository.push(remote: "origin", branch: "main", expecting: .exactly(nil))
        let first = try #require(try repository.head())
        return (repository, remote, first)
    }

    func remoteMain(_ remote: String) -> String {
        git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.trimmingCharacters(in: .newlines)
    }

    /// Another writer's commit on the remote, made with the git CLI.
    func pushFromElsewhere(_ remote: String) {
        let other = scratch.appending("other")
        #expect(git(["clone", "-q", remote, other], in: scratch.path).status == 0)
        scratch.write("b\n", to: "other/b.md")
        #expect(git(["add", "."], in: other).status == 0)
        #expect(git(["-c", "user.name=Sam", "-c", "user.email=sam@example.com", "commit", "-q", "-m", "b"], in: other).status == 0)
        #expect(git(["push", "-q", "origin", "main"], in: other).status == 0)
    }

    @Test func aPushMovesTheBranchFromTheExpectedCommitOnly() throws {
        let (repository, remote, first) = try pushed()
        #expect(remoteMain(remote) == first.hex)
        #expect(try repository.resolve("refs/remotes/origin/main") == first)
        try repository.commit([.write("c.md", Data("c\n".utf8))], author: author, message: "c")
        let second = try #require(try repository.head())

        // Expected at a commit the remote is not at, or expected empty: the remote is left alone.
        pushFromElsewhere(remote)
        let theirs = remoteMain(remote)
        for expected in [ExpectedTip.exactly(first), .exactly(nil)] {
            #expect {
                try repository.push(remote: "origin", branch: "main", expecting: expected)
            } throws: { error in
                if case RemoteError.raced = error { return true }
                return false
            }
            #expect(remoteMain(remote) == theirs)
        }
        // A fast-forward over a commit this repository never saw is refused too.
        #expect {
            try repository.push(remote: "origin", branch: "main", expecting: .fastForward)
        } throws: { error in
            if case RemoteError.rejected = error { return true }
            return false
        }
        #expect(remoteMain(remote) == theirs)

        // From what the remote holds, it moves; the tracking branch follows.
        let fetched = try #require(try repository.fetch(remote: "origin", branch: "main"))
        #expect(fetched.hex == theirs)
        let merged = try repository.merge(fetched, author: author, message: "Merge")
        #expect(merged.conflicts.isEmpty)
        let tip = try #require(try repository.head())
        try repository.push(remote: "origin", branch: "main", expecting: .exactly(fetched))
        #expect(remoteMain(remote) == tip.hex && tip != second)
        #expect(try repository.resolve("refs/remotes/origin/main") == tip)
        #expect(fsckProblems(remote) == "")
        // Nothing but main is left in the remote: no temporary ref, no lock.
        #expect(git(["for-each-ref", "--format=%(refname)"], in: remote).stdout == "refs/heads/main\n")
        #expect(!FileManager.default.fileExists(atPath: remote + "/refs/heads/main.lock"))
    }

    /// A local pack that also holds an object no pushed commit reaches (a note amended away) is
    /// not sent as it is: that object never reaches the shared remote; the pushed ones do.
    @Test func aPackHoldingAnUnreachableObjectIsNotSentAsItIs() throws {
        let (repository, remote, _) = try pushed()
        try repository.commit([.write("c.md", Data("c\n".utf8))], author: author, message: "c")
        let repo = scratch.appending("repo")
        scratch.write("the note before it was amended\n", to: "secret.txt")
        let blob = git(["hash-object", "-w", scratch.appending("secret.txt")], in: repo).stdout.trimmingCharacters(in: .newlines)
        #expect(git(["repack", "-q", "-a", "-d", "--keep-unreachable"], in: repo).status == 0)
        #expect(git(["cat-file", "-e", blob], in: repo).status == 0)
        #expect(try repository.push(remote: "origin", branch: "main", expecting: .fastForward))
        #expect(git(["cat-file", "-e", blob], in: remote).status != 0, "the unreachable object reached the remote")
        #expect(remoteMain(remote) == (try repository.head())?.hex)
        #expect(fsckProblems(remote) == "")
    }

    /// A ref lock another writer holds is a lost race, not a failure, and moves nothing.
    @Test func aHeldRefLockIsARace() throws {
        let (repository, remote, first) = try pushed()
        try repository.commit([.write("c.md", Data("c\n".utf8))], author: author, message: "c")
        scratch.write("\(first.hex)\n", to: "remote.git/refs/heads/main.lock")
        #expect {
            try repository.push(remote: "origin", branch: "main", expecting: .exactly(first))
        } throws: { error in
            if case RemoteError.raced = error { return true }
            return false
        }
        #expect(remoteMain(remote) == first.hex)
        #expect(try repository.resolve("refs/remotes/origin/main") == first)
        #expect(FileManager.default.fileExists(atPath: remote + "/refs/heads/main.lock"))
    }

    /// Objects already packed here go over in their pack, as it is (so under the same name), when
    /// the remote lacks most of them; what is loose goes as a new pack. Both sides stay clean.
    @Test func aPackTheRemoteLacksGoesOverAsItIs() throws {
        let (repository, remote, _) = try pushed()
        for name in ["b", "c", "d"] {
            try repository.commit([.write("people/\(name).md", Data("\(name)\n".utf8))], author: author, message: name)
        }
        #expect(try repository.packLooseObjects() > 0)
        try repository.commit([.write("e.md", Data("e\n".utf8))], author: author, message: "e")
        let packs = try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack")).filter { $0.hasSuffix(".pack") }
        try repository.push(remote: "origin", branch: "main", expecting: .fastForward)
        let sent = try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack")
        #expect(packs.count == 1 && packs.allSatisfy(sent.contains))
        #expect(sent.filter { $0.hasSuffix(".pack") }.count == 3)
        #expect(remoteMain(remote) == (try repository.head())?.hex)
        #expect(fsckProblems(remote) == "" && fsckProblems(scratch.appending("repo")) == "")
    }

    /// A pack of which the remote has most objects is not sent again: the packbuilder sends the
    /// few it lacks.
    @Test func aPackMostlyOnTheRemoteIsNotSentAgain() throws {
        let (repository, remote, _) = try pushed()
        for name in ["b", "c", "d"] {
            try repository.commit([.write("\(name).md", Data("\(name)\n".utf8))], author: author, message: name)
        }
        try repository.push(remote: "origin", branch: "main", expecting: .fastForward)
        try repository.commit([.write("e.md", Data("e\n".utf8))], author: author, message: "e")
        #expect(try repository.packLooseObjects() > 0)
        let packs = try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack")).filter { $0.hasSuffix(".pack") }
        try repository.push(remote: "origin", branch: "main", expecting: .fastForward)
        let sent = try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack")
        #expect(packs.count == 1 && !packs.contains(where: sent.contains))
        #expect(git(["count-objects", "-v"], in: remote).stdout.contains("in-pack: 15\n"))
        #expect(remoteMain(remote) == (try repository.head())?.hex)
        #expect(fsckProblems(remote) == "" && fsckProblems(scratch.appending("repo")) == "")
    }

    @Test func originsAndInsecureURLs() {
        #expect(Origin(url: "https://git.example.com/team/journal.git") == Origin(scheme: "https", host: "git.example.com", port: "443"))
        #expect(Origin(url: "https://dana:secret@Git.Example.com:8443/x") == Origin(scheme: "https", host: "git.example.com", port: "8443"))
        #expect(Origin(url: "http://[::1]:8080/x") == Origin(scheme: "http", host: "::1", port: "8080"))
        #expect(Origin(url: "HTTP://localhost/x") == Origin(scheme: "http", host: "localhost", port: "80"))
        #expect(Origin(url: "git://example.com/x")?.port == "9418")
        #expect(Origin(url: "/srv/journal.git") == nil && Origin(url: "dana@example.com:journal.git") == nil)
        #expect(Origin.carriesPassword("https://dana:secret@example.com/x") && !Origin.carriesPassword("https://dana@example.com/x"))
        #expect(Repository.isInsecure("http://example.com/x") && Repository.isInsecure("git://example.com/x"))
        #expect(Repository.isInsecure("HTTP://example.com/x"))
        for url in ["https://example.com/x", "ssh://dana@example.com/x", "dana@example.com:x", "/srv/x", "file:///srv/x"] {
            #expect(!Repository.isInsecure(url), "\(url)")
        }
        // A connection is at the origin only with the same host (any case) and port.
        #expect(Origin(scheme: "https", host: "localhost", port: "443").isReached(host: "LOCALHOST", port: "443"))
        #expect(!Origin(scheme: "https", host: "localhost", port: "443").isReached(host: "localhost", port: "8443"))
    }

    /// Which CA file https trusts, in git's order: GIT_SSL_CAINFO, http.sslCAInfo, SSL_CERT_FILE.
    @Test func theCertificateAuthoritiesComeFromWhereGitTakesThem() throws {
        let repository = try Repository.create(at: scratch.appending("ca"))
        #expect(repository.certificateAuthorities(environment: [:]) == nil)
        #expect(repository.certificateAuthorities(environment: ["SSL_CERT_FILE": "/c"])?.path == "/c")
        try repository.setConfigValue("http.sslCAInfo", to: "/b")
        #expect(repository.certificateAuthorities(environment: ["SSL_CERT_FILE": "/c"])?.path == "/b")
        let chosen = repository.certificateAuthorities(environment: ["GIT_SSL_CAINFO": "/a", "SSL_CERT_FILE": "/c"])
        #expect(chosen?.path == "/a" && chosen?.source == "GIT_SSL_CAINFO (/a)")
        #expect(repository.certificateAuthorities(environment: ["GIT_SSL_CAINFO": ""])?.path == "/b")
    }
}
