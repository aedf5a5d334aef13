import Foundation
@testable import GitStore
import Testing
import TestSupport

/// A clone of a repository on this file system takes its packs as they are (through the indexer)
/// and its loose objects rehashed; one whose objects live partly elsewhere is cloned the
/// ordinary way.
@Suite struct CloneTests {
    let scratch = Scratch()
    let author = Signature(name: "Dana Lee", email: "dana@example.com",
                           date: Date(timeIntervalSince1970: 1_790_000_000), utcOffsetMinutes: 60)

    /// A bare remote with two commits packed by git and one more pushed loose by the git CLI.
    func remoteWithPackAndLooseObjects() throws -> (remote: String, tip: String, pack: String) {
        let repository = try Repository.create(at: scratch.appending("repo"))
        try repository.commit([.write("a.md", Data("a\n".utf8))], author: author, message: "a")
        try repository.commit([.write("people/b.md", Data("b\n".utf8))], author: author, message: "b")
        let remote = scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: scratch.path).status == 0)
        try repository.addRemote(name: "origin", url: remote)
        try repository.push(remote: "origin", branch: "main", expecting: .exactly(nil))
        #expect(git(["repack", "-q", "-a", "-d"], in: remote).status == 0)
        let other = scratch.appending("other")
        #expect(git(["clone", "-q", remote, other], in: scratch.path).status == 0)
        scratch.write("c\n", to: "other/c.md")
        #expect(git(["add", "."], in: other).status == 0)
        #expect(git(["-c", "user.name=Sam", "-c", "user.email=sam@example.com", "commit", "-q", "-m", "c"], in: other).status == 0)
        #expect(git(["push", "-q", "origin", "main"], in: other).status == 0)
        let tip = git(["rev-parse", "main"], in: remote).stdout.trimmingCharacters(in: .newlines)
        let packs = try FileManager.default.contentsOfDirectory(atPath: remote + "/objects/pack").filter { $0.hasSuffix(".pack") }
        #expect(packs.count == 1)
        #expect(git(["count-objects"], in: remote).stdout.hasPrefix("0 objects") == false)
        return (remote, tip, try #require(packs.first))
    }

    @Test(arguments: ["", "file://"])
    func aLocalCloneTakesTheRemotesPackAndItsLooseObjects(scheme: String) throws {
        let (remote, tip, pack) = try remoteWithPackAndLooseObjects()
        let clone = try Repository.clone(scheme + remote, to: scratch.appending("clone"), branch: "main")
        #expect(try clone.head()?.hex == tip)
        #expect(try clone.resolve("refs/remotes/origin/main").hex == tip)
        let copy = scratch.appending("clone/.git/objects/pack") + "/"
        // The same bytes, so the same name: the pack was indexed as it was, not rebuilt.
        #expect(FileManager.default.fileExists(atPath: copy + pack))
        #expect(FileManager.default.fileExists(atPath: copy + pack.replacingOccurrences(of: ".pack", with: ".idx")))
        #expect(git(["fsck", "--strict", "--no-dangling"], in: scratch.appending("clone")).status == 0)
        #expect(git(["status", "--porcelain"], in: scratch.appending("clone")).stdout.isEmpty)
        #expect(try String(contentsOfFile: scratch.appending("clone/c.md"), encoding: .utf8) == "c\n")
    }

    @Test func aLocalCloneReportsTheObjectsAndBytesIndexed() throws {
        let (remote, _, pack) = try remoteWithPackAndLooseObjects()
        final class Reports: @unchecked Sendable {
            let lock = NSLock()
            var all: [TransferProgress] = []
            func add(_ progress: TransferProgress) { lock.withLock { all.append(progress) } }
        }
        let reports = Reports()
        var options = TransferOptions()
        options.progress = { reports.add($0) }
        _ = try Repository.clone(remote, to: scratch.appending("clone"), branch: "main", options: options)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: remote + "/objects/pack/" + pack)[.size] as? Int)
        let objects = git(["count-objects", "-v"], in: remote).stdout.split(separator: "\n").first { $0.hasPrefix("in-pack: ") }
        let last = try #require(reports.all.last)
        #expect(last.receivedObjects == last.totalObjects && "in-pack: \(last.totalObjects)" == objects.map(String.init))
        #expect(last.receivedBytes == size)
        #expect(reports.all.filter { $0.receivedObjects == $0.totalObjects }.count == 1)
    }

    @Test func aRemoteBorrowingObjectsIsClonedTheOrdinaryWay() throws {
        let (remote, tip, pack) = try remoteWithPackAndLooseObjects()
        // A shared clone keeps its objects in `remote` and names it in objects/info/alternates.
        let shared = scratch.appending("shared.git")
        #expect(git(["clone", "-q", "--bare", "--shared", remote, shared], in: scratch.path).status == 0)
        let clone = try Repository.clone(shared, to: scratch.appending("clone"), branch: "main")
        #expect(try clone.head()?.hex == tip)
        #expect(!FileManager.default.fileExists(atPath: scratch.appending("clone/.git/objects/pack") + "/" + pack))
        #expect(git(["fsck", "--strict", "--no-dangling"], in: scratch.appending("clone")).status == 0)
    }

    /// Someone who can write the shared remote links a pack of another repository on the
    /// colleague's machine into it: the local way reads no linked file, and the clone holds none
    /// of that repository's objects.
    @Test func aLinkedPackInTheRemoteIsNotRead() throws {
        let (remote, tip, _) = try remoteWithPackAndLooseObjects()
        let secret = scratch.appending("secret")
        #expect(git(["init", "-q", "-b", "main", secret], in: scratch.path).status == 0)
        scratch.write("private notes\n", to: "secret/notes.md")
        #expect(git(["add", "."], in: secret).status == 0)
        #expect(git(["-c", "user.name=V", "-c", "user.email=v@example.com", "commit", "-q", "-m", "s"], in: secret).status == 0)
        #expect(git(["repack", "-q", "-a", "-d"], in: secret).status == 0)
        let blob = git(["rev-parse", "HEAD:notes.md"], in: secret).stdout.trimmingCharacters(in: .newlines)
        for name in try FileManager.default.contentsOfDirectory(atPath: secret + "/.git/objects/pack") {
            try FileManager.default.createSymbolicLink(atPath: remote + "/objects/pack/" + name,
                                                       withDestinationPath: secret + "/.git/objects/pack/" + name)
        }
        let empty = try Repository.create(at: scratch.appending("empty"))
        #expect(try empty.fetchLocally(from: remote, remote: "origin", branch: "main") == nil)
        let clone = try Repository.clone(remote, to: scratch.appending("clone"), branch: "main")
        #expect(try clone.head()?.hex == tip)
        #expect(git(["cat-file", "-e", blob], in: scratch.appending("clone")).status != 0)
        #expect(git(["fsck", "--strict", "--no-dangling"], in: scratch.appending("clone")).status == 0)
    }

    @Test func aLocalRemoteWithoutTheBranchIsNoBranch() throws {
        let remote = scratch.appending("empty.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: scratch.path).status == 0)
        #expect(throws: RemoteError.noBranch("main")) {
            try Repository.clone(remote, to: scratch.appending("clone"), branch: "main")
        }
    }
}
