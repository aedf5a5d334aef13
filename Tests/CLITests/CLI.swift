import Foundation
import Testing
import TestSupport

/// Runs the built `rapport` binary against a scratch journal, with a private HOME so neither git
/// nor rapport sees the machine's configuration.
final class CLI: @unchecked Sendable {
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["RAPPORT_BIN"] { return path }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("rapport").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return ".build/debug/rapport"
    }()

    static let now = "2026-11-28T14:30:00+01:00"

    let scratch: Scratch
    let home: String
    var journal: String { scratch.appending("journal") }
    var extraEnvironment: [String: String] = [:]

    init(_ label: String = #function) {
        scratch = Scratch(label)
        home = scratch.appending("home")
        try! FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        hermeticEnvironment(home: home, extra: ["RAPPORT_NOW": CLI.now, "RAPPORT_LOCK_TIMEOUT": "20"]
            .merging(extraEnvironment) { $1 }.merging(extra) { $1 })
    }

    /// `rapport ARGS` run inside the journal folder.
    @discardableResult
    func callAsFunction(_ arguments: String..., stdin: String? = nil, environment extra: [String: String] = [:],
                        in directory: String? = nil) -> ProcessResult {
        run(arguments, stdin: stdin, environment: extra, in: directory)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:],
             in directory: String? = nil) -> ProcessResult {
        let folder = directory ?? (FileManager.default.fileExists(atPath: journal) ? journal : scratch.path)
        return TestSupport.run(CLI.binary, arguments, in: folder, environment: environment(extra), stdin: stdin)
    }

    /// A journal in Europe/Berlin with a configured author, plus alice (weekly) and bob (biweekly).
    @discardableResult
    func makeJournal(people: Bool = true) -> CLI {
        let created = run(["init", journal, "--author", "Dana Lee <dana@example.com>", "--timezone", "Europe/Berlin", "--name", "team"],
                          in: scratch.path)
        #expect(created.status == 0, "\(created)")
        if people {
            #expect(self("person", "add", "alice", "--name", "Alice Chen", "--role", "ML Engineer", "--team", "platform",
                         "--started", "2024-03-01").status == 0)
            #expect(self("person", "add", "bob", "--name", "Bob Smith", "--cadence", "biweekly").status == 0)
        }
        return self
    }

    /// An executable script in the scratch folder (for EDITOR).
    func script(_ name: String, _ body: String) -> String {
        scratch.write("#!/bin/sh\n" + body + "\n", to: "bin/" + name, executable: true)
        return scratch.appending("bin/" + name)
    }

    var commitCount: Int {
        Int(git(["rev-list", "--count", "HEAD"], in: journal).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func file(_ path: String) -> String {
        (try? String(contentsOfFile: journal + "/" + path, encoding: .utf8)) ?? ""
    }

    /// Paths of entry files, sorted.
    var entryFiles: [String] {
        git(["ls-files", "entries"], in: journal).stdout.split(separator: "\n").map(String.init).sorted()
    }

    /// What every command must leave: a clean fsck, nothing uncommitted, the configured author.
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fsckProblems(journal) == "", sourceLocation: sourceLocation)
        #expect(git(["status", "--porcelain", "--untracked-files=all"], in: journal).stdout == "", sourceLocation: sourceLocation)
        let authors = Set(git(["log", "--format=%an <%ae>|%cn <%ce>"], in: journal).stdout.split(separator: "\n"))
        #expect(authors == ["Dana Lee <dana@example.com>|Dana Lee <dana@example.com>"], sourceLocation: sourceLocation)
        // Nothing a write leaves beside the index while it works: the new index, the replaced
        // one's second name, git's lock, the rollback file.
        let leftovers = ["index.rapport-new", "index.rapport-old", "index.lock", "rapport-rollback"]
            .filter { FileManager.default.fileExists(atPath: journal + "/.git/" + $0) }
        #expect(leftovers.isEmpty, "\(leftovers)", sourceLocation: sourceLocation)
    }
}

/// The first entry id (6 upper-case letters and digits) in a command's output, such as
/// "Recorded one-on-one K3F9X2 with ..."; nil when there is none.
func entryID(in text: String) -> String? {
    let words: [Substring] = text.split(whereSeparator: { (character: Character) in " \n:".contains(character) })
    return words.first { $0.count == 6 && $0.allSatisfy { $0.isUppercase || $0.isNumber } }.map(String.init)
}

/// Parses `--json` output.
func json(_ result: ProcessResult) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
}
