import Foundation
@testable import GitStore
import Testing
import TestSupport

/// The index rapport writes itself, read back by the git command line: git must find in it the
/// stat data rapport recorded, and nothing to refresh or list.
@Suite struct IndexFileTests {
    let scratch = Scratch()

    func signature(_ seconds: TimeInterval) -> Signature {
        Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: seconds), utcOffsetMinutes: 0)
    }

    /// `git ls-files --debug`'s stat data per path: ctime, mtime, inode and size as it prints them.
    func gitStatData(in path: String) -> [String: [String: String]] {
        var entries: [String: [String: String]] = [:]
        var current: String?
        for line in git(["ls-files", "--debug"], in: path).stdout.split(separator: "\n") {
            guard line.hasPrefix("  ") else {
                current = String(line)
                continue
            }
            guard let current else { continue }
            for field in line.split(whereSeparator: { $0 == "\t" }) {
                let parts = field.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                entries[current, default: [:]][String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return entries
    }

    @Test func afterManyWritesGitListsNothingAndSeesTheRecordedStatData() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        // Quick succession: every write after the first finds the one before as new as the index.
        for number in 1...6 {
            _ = try repository.commit([.write("entries/\(number).md", Data("entry \(number)\n".utf8))],
                                      author: signature(Double(1000 + number)), message: "entry \(number)")
            #expect(git(["diff-files", "--name-only"], in: path).stdout == "", "after write \(number)")
        }
        let recorded = gitStatData(in: path)
        #expect(recorded.count == 6)
        for number in 1...6 {
            let file = "entries/\(number).md"
            let info = try #require(FileStat.of(path + "/" + file))
            let entry = try #require(recorded[file])
            #expect(entry["mtime"] == "\(info.modified.seconds):\(info.modified.nanoseconds)", "\(file)")
            #expect(entry["ctime"] == "\(info.changed.seconds):\(info.changed.nanoseconds)", "\(file)")
            #expect(entry["ino"] == "\(info.inode)", "\(file)")
            #expect(entry["size"] == "\(info.size)", "\(file)")
        }
        // git's own refresh finds nothing to change, and the index's tree is HEAD's.
        let before = try Data(contentsOf: URL(fileURLWithPath: path + "/.git/index"))
        #expect(git(["update-index", "--refresh"], in: path).status == 0)
        #expect(gitStatData(in: path) == recorded)
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["write-tree"], in: path).stdout == git(["rev-parse", "HEAD^{tree}"], in: path).stdout)
        #expect(!before.isEmpty)
        #expect(fsckProblems(path) == "")
    }

    /// Under `feature.manyFiles` git writes index version 4, whose paths are compressed against
    /// the entry before; rapport's splice copies entries as bytes and leaves such an index to
    /// libgit2, which keeps it at version 4 and records the same stat data.
    @Test func aVersionFourIndexIsWrittenThroughLibgit2AndStaysVersionFour() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        _ = try repository.commit([.write("entries/1.md", Data("one\n".utf8))], author: signature(1000), message: "one")
        #expect(git(["update-index", "--index-version", "4"], in: path).status == 0)
        #expect(try repository.loadIndexFile() == nil, "version 4 is not spliced")
        for number in 2...4 {
            _ = try repository.commit([.write("entries/\(number).md", Data("entry \(number)\n".utf8))],
                                      author: signature(Double(1000 + number)), message: "entry \(number)")
        }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/.git/index")))
        #expect(IndexFile.u32(bytes, 4) == 4)
        #expect(git(["diff-files", "--name-only"], in: path).stdout == "")
        #expect(git(["ls-files"], in: path).stdout == "entries/1.md\nentries/2.md\nentries/3.md\nentries/4.md\n")
        #expect(git(["status", "--porcelain"], in: path).stdout == "")
        #expect(git(["write-tree"], in: path).stdout == git(["rev-parse", "HEAD^{tree}"], in: path).stdout)
        #expect(fsckProblems(path) == "")
    }
}
