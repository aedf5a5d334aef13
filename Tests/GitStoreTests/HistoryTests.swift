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

@Suite struct WorkTreeChangesTests {
    let scratch = Scratch()

    @Test func foldersAreComparedWithTheCommitByHash() throws {
        let path = scratch.appending("repo")
        let repository = try Repository.create(at: path)
        let author = Signature(name: "Dana Lee", email: "dana@example.com", date: Date(timeIntervalSince1970: 1000),
                               utcOffsetMinutes: 0)
        try repository.commit([
            .write("entries/2026/10/a.md", Data("a\n".utf8)), .write("entries/2026/11/b.md", Data("b\n".utf8)),
            .write("entries/2026/1/c.md", Data("c\n".utf8)), .write("people/x.md", Data("x\n".utf8)),
        ], author: author, message: "one")
        for (file, text) in [("entries/2026/10/a.md", "a2\n"), ("entries/2026/11/new.md", "n\n"), ("entries/2026/1/c.md", "c2\n"),
                             ("people/x.md", "x2\n")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + file))
        }
        try FileManager.default.removeItem(atPath: path + "/entries/2026/11/b.md")
        #expect(try repository.workTreeChanges(in: ["entries/2026/11", "people"])
                == ["entries/2026/11/b.md", "entries/2026/11/new.md", "people/x.md"])
        #expect(try repository.workTreeChanges(in: ["entries/2026/1"]) == ["entries/2026/1/c.md"])
        #expect(try repository.workTreeChanges(in: ["entries/2025/01"]).isEmpty)
        #expect(try repository.status().count == 5)
        // Rewriting the same bytes is no change.
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: path + "/entries/2026/10/a.md"))
        #expect(try repository.workTreeChanges(in: ["entries/2026/10"]).isEmpty)
    }
}
