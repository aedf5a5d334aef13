import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct PackingAndIndexTests {
    let scratch = Scratch()

    func signature(_ seconds: TimeInterval) -> Signature {
        Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: seconds), utcOffsetMinutes: 0)
    }

    func looseObjects(_ path: String) -> Int {
        let counts = git(["count-objects", "-v"], in: path).stdout
        return counts.split(separator: "\n").first { $0.hasPrefix("count: ") }.flatMap { Int($0.dropFirst(7)) } ?? -1
    }

    func packCount(_ path: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/.git/objects/pack")) ?? []).count { $0.hasSuffix(".idx") }
    }

    @Test func smallPacksAreMergedPastTheLimitAndNothingIsLost() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        var commits: [ObjectID] = []
        // Twelve small packs, as twelve fetches or packings of loose objects would leave.
        for round in 0..<12 {
            for number in round * 5..<round * 5 + 5 {
                let folder = "entries/2026/\(number % 12 + 1 < 10 ? "0" : "")\(number % 12 + 1)"
                commits.append(try #require(try repository.commit([.write("\(folder)/\(number).md", Data("entry \(number)\n".utf8))],
                                                                   author: signature(Double(1000 + number)), message: "entry \(number)")))
            }
            #expect(try repository.packLooseObjects() > 0)
        }
        #expect(packCount(path) == 12)
        #expect(looseObjects(path) == 0)
        // Up to the limit nothing happens; past it the small packs become one.
        #expect(try repository.packObjectsIfNeeded(looseLimit: 1_000_000, packLimit: 12) == 0)
        #expect(packCount(path) == 12)
        // Each commit added a blob, four trees and itself: the count given is each object once.
        let merged = try repository.packObjectsIfNeeded(looseLimit: 1_000_000, packLimit: 11)
        #expect(packCount(path) == 1)
        let inPack = git(["count-objects", "-v"], in: path).stdout.split(separator: "\n").first { $0.hasPrefix("in-pack: ") }
        #expect(merged >= 60 * 5 && inPack == "in-pack: \(merged)", "\(merged) \(inPack ?? "")")
        #expect(fsckProblems(path) == "")
        #expect(git(["log", "--oneline"], in: path).stdout.split(separator: "\n").count == 60)
        #expect(git(["cat-file", "-p", commits[7].description + ":entries/2026/08/7.md"], in: path).stdout == "entry 7\n")
        // The repository still reads and writes through libgit2, and git agrees with it.
        #expect(try repository.names(in: "entries/2026/01").count == 5)
        #expect(try repository.commit([.write("entries/2026/12/after.md", Data("after\n".utf8))], author: signature(5000),
                                      message: "after") != nil)
        #expect(fsckProblems(path) == "")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
    }

    @Test func looseObjectsArePackedOnceThereAreManyAndNothingIsLost() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("first.md", Data("first\n".utf8))], author: signature(999), message: "first")
        // git's own commits leave loose objects, as libgit2's route does.
        for number in 0..<40 {
            try Data("p \(number)\n".utf8).write(to: URL(fileURLWithPath: path + "/p\(number).md"))
            #expect(git(["add", "p\(number).md"], in: path).status == 0)
            #expect(git(["-c", "user.name=Dana", "-c", "user.email=d@example.com", "commit", "-q", "-m", "p \(number)"], in: path).status == 0)
        }
        let loose = looseObjects(path)
        #expect(loose >= 40 * 3)
        // Below the limit nothing happens; above it every loose object goes into one new pack.
        #expect(try repository.packObjectsIfNeeded(looseLimit: 1_000_000) == 0)
        #expect(looseObjects(path) == loose)
        // The estimate (one fan-out folder times 256, as git's auto-gc counts) drives the packing:
        // past the limit every loose object is packed; with none left, nothing is.
        #expect(try repository.packObjectsIfNeeded(looseLimit: -1) == loose)
        #expect(try repository.packObjectsIfNeeded(looseLimit: -1) == 0)
        #expect(repository.estimatedLooseObjects() == 0 && looseObjects(path) == 0)
        #expect(fsckProblems(path) == "")
        #expect(git(["log", "--oneline"], in: path).stdout.split(separator: "\n").count == 41)
        #expect(try repository.commit([.write("after.md", Data("after\n".utf8))], author: signature(5000), message: "after") != nil)
        #expect(fsckProblems(path) == "")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
    }

    @Test func theIndexWrittenDirectlyIsTheOneGitWrites() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        var files: [FileChange] = []
        for number in 0..<200 { files.append(.write("entries/2026/\(number % 2 == 0 ? "10" : "11")/\(number).md", Data("n \(number)\n".utf8))) }
        _ = try repository.commit(files, author: signature(1000), message: "many")
        _ = try repository.commit([.write("entries/2026/10/z.md", Data("z\n".utf8)), .remove("entries/2026/11/1.md"),
                                   .write("entries/2026/10/0.md", Data("changed\n".utf8)), .write("a-top.md", Data("top\n".utf8))],
                                  author: signature(2000), message: "mixed")
        // git re-reads every file and compares stat data: nothing is modified or staged.
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["diff", "--cached", "--quiet"], in: path).status == 0)
        #expect(git(["write-tree"], in: path).stdout == git(["rev-parse", "HEAD^{tree}"], in: path).stdout)
        // git's own rewrite of the index (with refreshed stat data) lists the same entries.
        let before = git(["ls-files", "--stage"], in: path).stdout
        // Files written in the same second as the index are "racily clean" and not trusted; one
        // dated ten seconds back, refreshed by git, is.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-10)],
                                              ofItemAtPath: path + "/entries/2026/10/2.md")
        #expect(git(["update-index", "--refresh"], in: path).status == 0)
        #expect(git(["ls-files", "--stage"], in: path).stdout == before)
        #expect(before.split(separator: "\n").count == 201)
        // A work-tree file whose stat data still matches is known without reading it.
        let indexed = try #require(repository.indexedStat())
        let changedPath = "entries/2026/10/2.md"
        var info = try #require(FileStat.of(path + "/" + changedPath))
        let blob = git(["rev-parse", "HEAD:" + changedPath], in: path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let known = indexed.blob(for: changedPath, stat: info)
        #expect(known.map { $0.map { String(format: "%02x", $0) }.joined() } == blob)
        // The entries of one folder only, walked from the mapped file: the same answers there, none elsewhere.
        // A repository that read the whole index already answers from that read.
        #expect(repository.indexedStat(pathsIn: ["entries/2026/10/"..<"entries/2026/100"])?.file.count == 201)
        let reopened = try Repository.open(at: path)
        let folder = try #require(reopened.indexedStat(pathsIn: ["entries/2026/10/"..<"entries/2026/100"]))
        #expect(folder.file.count == 101)
        #expect(folder.blob(for: changedPath, stat: info) == known)
        #expect(folder.recordedBlob(for: "entries/2026/11/3.md") == nil)
        #expect(indexed.recordedBlob(for: "entries/2026/11/3.md") != nil)
        let both = try #require(Repository.open(at: path).indexedStat(pathsIn: ["a"..<"b", "entries/2026/11/"..<"entries/2026/110"]))
        #expect(both.file.count == 100)
        #expect(both.recordedBlob(for: "a-top.md") != nil && both.recordedBlob(for: changedPath) == nil)
        // A changed size or time is not trusted.
        info.size += 1
        #expect(indexed.blob(for: changedPath, stat: info) == nil)
        #expect(folder.blob(for: changedPath, stat: info) == nil)
    }
}
