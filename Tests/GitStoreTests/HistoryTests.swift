import Foundation
import GitStore
import Testing
import TestSupport

@Suite struct HistoryTests {
    let scratch = Scratch()

    func signature(_ seconds: TimeInterval) -> Signature {
        Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: seconds), utcOffsetMinutes: 0)
    }

    @Test func changedFilesAgreeWithGitDiff() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        let first = try #require(try repository.commit([
            .write("entries/2026/10/a.md", Data("a\n".utf8)), .write("entries/2026/11/b.md", Data("b\n".utf8)),
            .write("entries/2026/11/c.md", Data("c\n".utf8)), .write("people/x.md", Data("x\n".utf8)),
        ], author: signature(1000), message: "one"))
        let second = try #require(try repository.commit([
            .write("entries/2026/11/b.md", Data("b2\n".utf8)), .remove("entries/2026/11/c.md"),
            .write("entries/2026/12/d.md", Data("d\n".utf8)), .write("people/x.md", Data("x2\n".utf8)),
        ], author: signature(2000), message: "two"))

        let changed = try repository.changedFiles(under: "entries", from: first, to: second)
        let expected = git(["diff", "--name-only", first.description, second.description, "--", "entries"], in: path)
            .stdout.split(separator: "\n").map(String.init)
        #expect(changed.map(\.path) == expected)
        #expect(changed.map(\.path) == ["entries/2026/11/b.md", "entries/2026/11/c.md", "entries/2026/12/d.md"])
        #expect(changed[1].new == nil && changed[1].old != nil && changed[2].old == nil)
        // From nothing: every file under the prefix is new; an unchanged pair of commits gives nothing.
        #expect(try repository.changedFiles(under: "entries", from: nil, to: first).map(\.path)
                == ["entries/2026/10/a.md", "entries/2026/11/b.md", "entries/2026/11/c.md"])
        #expect(try repository.changedFiles(under: "entries", from: second, to: second).isEmpty)
        #expect(try repository.changedFiles(under: "absent", from: first, to: second).isEmpty)

        #expect(try repository.firstParentCommit(before: Date(timeIntervalSince1970: 1500), from: second) == first)
        #expect(try repository.firstParentCommit(before: Date(timeIntervalSince1970: 2001), from: second) == second)
        #expect(try repository.firstParentCommit(before: Date(timeIntervalSince1970: 1000), from: second) == nil)
        #expect(try repository.names(in: "entries/2026").map(\.name) == ["10", "11", "12"])
        #expect(try repository.names(in: "entries/2026/11").map(\.isFolder) == [false])
        #expect(try repository.names(in: "nowhere").isEmpty)
    }
}
