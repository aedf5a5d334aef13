import Foundation
@testable import GitStore
import Testing
import TestSupport

/// A fetch from a repository on this file system takes the packs this repository lacks as they
/// are (through its own indexer), as a local clone does; anything else is left to libgit2's fetch.
/// The remote is written by colleagues, so links, borrowed objects and damaged packs are refused.
@Suite struct LocalFetchTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com",
                           date: Date(timeIntervalSince1970: 1_790_000_000), utcOffsetMinutes: 60)

    /// This repository, pushed to a bare remote, and a colleague's two commits pushed there by the
    /// git CLI and packed (as a push of 100 objects or more arrives). Returns the new pack's name.
    func remoteAhead() throws -> (repository: Repository, remote: String, tip: String, pack: String) {
        let repository = try Repository.create(at: scratch.appending("repo"))
        try repository.commit([.write("a.md", Data("a\n".utf8))], author: author, message: "a")
        let remote = scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: scratch.path).status == 0)
        try repository.addRemote(name: "origin", url: remote)
        try repository.push(remote: "origin", branch: "main", expecting: .exactly(nil))
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack"))
        let other = scratch.appending("other")
        #expect(git(["clone", "-q", remote, other], in: scratch.path).status == 0)
        for name in ["b", "c"] {
            scratch.write("\(name)\n", to: "other/people/\(name).md")
            #expect(git(["add", "."], in: other).status == 0)
            #expect(git(["-c", "user.name=Sam", "-c", "user.email=sam@example.com", "commit", "-q", "-m", name], in: other).status == 0)
        }
        #expect(git(["push", "-q", "origin", "main"], in: other).status == 0)
        #expect(git(["repack", "-q", "-d"], in: remote).status == 0)
        let packs = try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack").filter { !before.contains($0) && $0.hasSuffix(".pack") }
        #expect(packs.count == 1)
        let tip = git(["rev-parse", "main"], in: remote).stdout.trimmingCharacters(in: .newlines)
        return (repository, remote, tip, try #require(packs.first))
    }

    func hasPack(_ repository: String, _ pack: String) -> Bool {
        FileManager.default.fileExists(atPath: repository + "/.git/objects/pack/" + pack)
    }

    @Test func aPullTakesTheRemotesNewPackAsItIs() throws {
        let (repository, remote, tip, pack) = try remoteAhead()
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
        #expect(try repository.resolve("refs/remotes/origin/main").hex == tip)
        // The same bytes, so the same name: the pack was indexed as it was, not rebuilt.
        #expect(hasPack(scratch.appending("repo"), pack))
        try repository.fastForward(to: try #require(ObjectID(hex: tip)), message: "pull")
        #expect(fsckProblems(scratch.appending("repo")) == "")
        #expect(try String(contentsOfFile: scratch.appending("repo/people/c.md"), encoding: .utf8) == "c\n")
        // Nothing new there: nothing is taken again.
        let packs = try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack"))
        #expect(try repository.fetchLocally(from: remote, remote: "origin", branch: "main")?.hex == tip)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack")) == packs)
    }

    /// After `git gc` there, one pack holds everything, most of it known here: a big one is left
    /// to the ordinary fetch, which sends only what is missing; a small one is taken.
    @Test func aPackMostlyKnownHereIsLeftToTheOrdinaryFetch() throws {
        let (repository, remote, _, _) = try remoteAhead()
        let tracking = try repository.resolve("refs/remotes/origin/main")
        try repository.fastForward(to: try #require(try repository.fetch(remote: "origin", branch: "main")), message: "pull")
        for index in 0..<4 {
            try repository.commit([.write("mine-\(index).md", Data("\(index)\n".utf8))], author: author, message: "m\(index)")
        }
        try repository.push(remote: "origin", branch: "main")
        let other = scratch.appending("other")
        #expect(git(["pull", "-q", "origin", "main"], in: other).status == 0)
        scratch.write("d\n", to: "other/d.md")
        #expect(git(["add", "."], in: other).status == 0)
        #expect(git(["-c", "user.name=Sam", "-c", "user.email=sam@example.com", "commit", "-q", "-m", "d"], in: other).status == 0)
        #expect(git(["push", "-q", "origin", "main"], in: other).status == 0)
        #expect(git(["repack", "-q", "-a", "-d"], in: remote).status == 0)
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack").first { $0.hasSuffix(".pack") })
        let tip = git(["rev-parse", "main"], in: remote).stdout.trimmingCharacters(in: .newlines)
        #expect(try repository.fetchLocally(from: remote, remote: "origin", branch: "main", bigPack: 20) == nil)
        #expect(!hasPack(scratch.appending("repo"), pack))
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
        #expect(try repository.resolve("refs/remotes/origin/main") != tracking)
        #expect(hasPack(scratch.appending("repo"), pack))
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }

    /// A colleague links another repository's pack, and one of its loose objects, into the shared
    /// remote: the local way reads neither, and no object of that repository arrives here.
    @Test func linksInTheRemotesObjectsAreNotRead() throws {
        let (repository, remote, tip, _) = try remoteAhead()
        let secret = scratch.appending("secret")
        #expect(git(["init", "-q", "-b", "main", secret], in: scratch.path).status == 0)
        scratch.write("private notes\n", to: "secret/notes.md")
        scratch.write("more private notes\n", to: "secret/more.md")
        #expect(git(["add", "notes.md"], in: secret).status == 0)
        #expect(git(["-c", "user.name=V", "-c", "user.email=v@example.com", "commit", "-q", "-m", "s"], in: secret).status == 0)
        #expect(git(["repack", "-q", "-a", "-d"], in: secret).status == 0)
        #expect(git(["add", "more.md"], in: secret).status == 0)
        let blob = git(["rev-parse", "HEAD:notes.md"], in: secret).stdout.trimmingCharacters(in: .newlines)
        let loose = git(["rev-parse", ":more.md"], in: secret).stdout.trimmingCharacters(in: .newlines)
        for name in try FileManager.default.contentsOfDirectory(atPath: secret + "/.git/objects/pack") {
            try FileManager.default.createSymbolicLink(atPath: remote + "/objects/pack/" + name,
                                                       withDestinationPath: secret + "/.git/objects/pack/" + name)
        }
        let folder = "/objects/" + loose.prefix(2)
        try FileManager.default.createDirectory(atPath: remote + folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: remote + folder + "/" + loose.dropFirst(2),
                                                   withDestinationPath: secret + "/.git" + folder + "/" + loose.dropFirst(2))
        #expect(try repository.fetchLocally(from: remote, remote: "origin", branch: "main") == nil)
        // Only the link to the loose object: the local way stops at it.
        for name in try FileManager.default.contentsOfDirectory(atPath: secret + "/.git/objects/pack") {
            try FileManager.default.removeItem(atPath: remote + "/objects/pack/" + name)
        }
        #expect(throws: GitError.self) { try repository.fetchLocally(from: remote, remote: "origin", branch: "main") }
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
        for id in [blob, loose] {
            #expect(git(["cat-file", "-e", id], in: scratch.appending("repo")).status != 0)
        }
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }

    /// A FIFO (or any non-file) among the remote's packs or loose objects would block a read for
    /// ever: the local way refuses it before opening anything, and the fetch still completes.
    @Test func aFIFOInTheRemotesObjectsIsNeverOpened() throws {
        let (repository, remote, tip, _) = try remoteAhead()
        #expect(mkfifo(remote + "/objects/pack/pack-0000000000000000000000000000000000000000.pack", 0o644) == 0)
        #expect(try repository.fetchLocally(from: remote, remote: "origin", branch: "main") == nil)
        try FileManager.default.removeItem(atPath: remote + "/objects/pack/pack-0000000000000000000000000000000000000000.pack")
        try FileManager.default.createDirectory(atPath: remote + "/objects/ab", withIntermediateDirectories: true)
        #expect(mkfifo(remote + "/objects/ab/" + String(repeating: "c", count: 38), 0o644) == 0)
        #expect(throws: GitError.self) { try repository.fetchLocally(from: remote, remote: "origin", branch: "main") }
        try FileManager.default.removeItem(atPath: remote + "/objects/ab")
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
    }

    /// A pack in the remote under the name of one this repository has is passed over unread, so
    /// a colleague could rename one to hide objects: every object of the new commits is checked to
    /// be here, and the ordinary fetch takes over.
    @Test func aPackNamedLikeOneHereIsNotTrustedBlindly() throws {
        let (repository, remote, tip, pack) = try remoteAhead()
        #expect(try repository.packLooseObjects() > 0)
        let mine = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack"))
            .first { $0.hasSuffix(".pack") })
        for suffix in [".pack", ".idx"] {
            try FileManager.default.moveItem(atPath: remote + "/objects/pack/" + pack.replacingOccurrences(of: ".pack", with: suffix),
                                             toPath: remote + "/objects/pack/" + mine.replacingOccurrences(of: ".pack", with: suffix))
        }
        #expect(throws: GitError.self) { try repository.fetchLocally(from: remote, remote: "origin", branch: "main") }
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
        try repository.fastForward(to: try #require(ObjectID(hex: tip)), message: "pull")
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }

    /// A remote that borrows objects from another repository (objects/info/alternates) is left
    /// to the ordinary fetch, which sends only what the branch holds.
    @Test func aRemoteWithAlternatesIsFetchedTheOrdinaryWay() throws {
        let (repository, remote, tip, pack) = try remoteAhead()
        let elsewhere = scratch.appending("elsewhere.git")
        #expect(git(["init", "-q", "--bare", elsewhere], in: scratch.path).status == 0)
        scratch.write(elsewhere + "/objects\n", to: "remote.git/objects/info/alternates")
        #expect(try repository.fetchLocally(from: remote, remote: "origin", branch: "main") == nil)
        #expect(try repository.fetch(remote: "origin", branch: "main")?.hex == tip)
        #expect(!hasPack(scratch.appending("repo"), pack))
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }

    /// A damaged pack in the remote is refused by this repository's indexer and never lands here;
    /// the ordinary fetch then fails on it too, and the tracking branch stays where it was.
    @Test func aCorruptPackInTheRemoteIsRefused() throws {
        let (repository, remote, _, pack) = try remoteAhead()
        let path = remote + "/objects/pack/" + pack
        let tracking = try repository.resolve("refs/remotes/origin/main")
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try repository.fetchLocally(from: remote, remote: "origin", branch: "main") }
        #expect(throws: (any Error).self) { try repository.fetch(remote: "origin", branch: "main") }
        // Nothing half-written is left beside this repository's packs either.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.appending("repo/.git/objects/pack"))
        #expect(!hasPack(scratch.appending("repo"), pack) && left.allSatisfy { $0.hasPrefix("pack-") })
        #expect(try repository.resolve("refs/remotes/origin/main") == tracking)
        #expect(fsckProblems(scratch.appending("repo")) == "")
    }
}
