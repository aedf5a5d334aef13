import Foundation
import GitStore
import Testing
import TestSupport
@testable import Journal

/// Divergent clones at scale, through the library (500 commits a side through the CLI would
/// spend most of the test starting processes).
@Suite struct SyncTests {
    let scratch = Scratch()
    let zone = TimeZone(identifier: "Europe/Berlin")!

    func instant(_ text: String) -> Date { Timestamp(parsing: text, defaultZone: zone)!.date }

    /// A bare remote holding a journal with two people, and two clones of it.
    func twoClones(_ tag: String) throws -> (remote: String, first: Journal, second: Journal) {
        let remote = scratch.appending("\(tag)-remote.git")
        #expect(git(["init", "-q", "--bare", remote], in: scratch.path).status == 0)
        let origin = try Journal.create(at: scratch.appending("\(tag)-origin"), name: "team", author: "Dana Lee <dana@example.com>",
                                        timeZone: zone, remote: remote, now: instant("2026-01-05T09:00:00"))
        origin.now = instant("2026-01-05T09:01:00")
        try origin.recorder.addPerson(slug: "alice", name: "Alice Chen")
        try origin.recorder.addPerson(slug: "bob", name: "Bob Smith")
        _ = try origin.remotes.sync()
        let first = try Journal.clone(remote, to: scratch.appending("\(tag)-first"))
        let second = try Journal.clone(remote, to: scratch.appending("\(tag)-second"))
        return (remote, first, second)
    }

    /// Records `count` entries offline, alternating one-on-ones and recognition, one commit each.
    func record(_ count: Int, in journal: Journal, label: String) throws -> Set<String> {
        var ids = Set<String>()
        for index in 0..<count {
            journal.now = instant("2026-02-01T09:00:00").addingTimeInterval(Double(index) * 60)
            let entry = index % 2 == 0
                ? try journal.recorder.record(OneOnOneInput(person: "alice", mood: 3, note: "\(label) note \(index).", date: "2026-01-20"))
                : try journal.recorder.recognize(people: ["bob"], text: "\(label) thanks \(index).", date: "2026-01-21")
            ids.insert(entry.id.value)
        }
        return ids
    }

    func commits(_ path: String) -> Set<String> {
        Set(git(["rev-list", "--all"], in: path).stdout.split(separator: "\n").map(String.init))
    }

    @Test(arguments: [true, false])
    func divergentClonesMergeEverything(firstSyncsFirst: Bool) throws {
        let (remote, first, second) = try twoClones(firstSyncsFirst ? "ab" : "ba")
        let originals = Set(first.reader.scanEntries().entries.map(\.id.value))
        let firstIDs = try record(500, in: first, label: "first")
        let secondIDs = try record(500, in: second, label: "second")
        let firstCommits = commits(first.root)
        let secondCommits = commits(second.root)

        let order = firstSyncsFirst ? [first, second, first] : [second, first, second]
        let outcomes = try order.map { try $0.remotes.sync() }
        #expect(outcomes[0].pushed && outcomes[0].change == .localAhead)
        #expect(outcomes[1].change == .merged && outcomes[1].pushed && outcomes[1].conflicts.isEmpty)
        #expect(outcomes[2].change == .fastForward && !outcomes[2].pushed)

        let everything = originals.union(firstIDs).union(secondIDs)
        #expect(everything.count == originals.count + 1000)
        for journal in [first, second] {
            let scan = journal.reader.scanEntries()
            #expect(scan.problems.isEmpty)
            #expect(Set(scan.entries.map(\.id.value)) == everything)
            #expect(commits(journal.root).isSuperset(of: firstCommits.union(secondCommits)))
            #expect(git(["status", "--porcelain"], in: journal.root).stdout == "")
            #expect(journal.reader.check().problems.isEmpty)
        }
        #expect(commits(remote).isSuperset(of: firstCommits.union(secondCommits)))
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: first.root).stdout)
        for path in [remote, first.root, second.root] { #expect(fsckProblems(path) == "", "\(path)") }
    }
}

@Suite struct CredentialTests {
    @Test func gitCredentialHelpersAnswerForHTTPS() throws {
        let scratch = Scratch()
        let home = scratch.appending("home")
        scratch.write("""
            [credential]
            \thelper = "!f() { test \\"$1\\" = get && echo username=dana && echo password=t0ken-from-helper; }; f"

            """, to: "home/.gitconfig")
        let environment = hermeticEnvironment(home: home)
        let filled = try #require(GitCredentials.fill(url: "https://git.example.invalid/team/journal.git", environment: environment))
        #expect(filled.user == "dana" && filled.password == "t0ken-from-helper")
        // No helper: nothing, and no prompt.
        #expect(GitCredentials.fill(url: "https://git.example.invalid/x.git", environment: hermeticEnvironment(home: scratch.appending("empty"))) == nil)
    }
}

@Suite struct BinaryConflictTests {
    @Test func anEncryptedFileChangedOnBothSidesIsKeptBesideNeverTextMerged() throws {
        let scratch = Scratch()
        let (remote, origin) = try journalWithRemote(scratch)
        let path = "entries/2026/11/2026-11-20-K3F9X2.md.age"
        let base = Data("age-encryption.org/v1\n-> X25519 base\n".utf8) + Data((0..<64).map { UInt8($0) })
        try origin.repository.withWriteLock(timeout: 5) {
            _ = try origin.repository.commit([.write(path, base)], author: try origin.author(), message: "Private entry K3F9X2")
        }
        _ = try origin.remotes.sync()
        let other = try Journal.clone(remote, to: scratch.appending("b"))
        #expect(try String(contentsOfFile: other.root + "/.gitattributes", encoding: .utf8).contains("*.age binary"))
        let mine = base + Data([1, 2, 3])
        let theirs = Data([0xFF, 0x00]) + base
        try other.repository.withWriteLock(timeout: 5) {
            _ = try other.repository.commit([.write(path, theirs)], author: try other.author(), message: "Edit K3F9X2")
        }
        _ = try other.remotes.sync()
        try origin.repository.withWriteLock(timeout: 5) {
            _ = try origin.repository.commit([.write(path, mine)], author: try origin.author(), message: "Edit K3F9X2")
        }
        let outcome = try origin.remotes.sync()
        #expect(outcome.conflicts.count == 1)
        let copy = try #require(outcome.conflicts.first?.copy)
        #expect(copy.hasPrefix("entries/2026/11/2026-11-20-K3F9X2.conflict-") && copy.hasSuffix(".md.age"))
        #expect(FileManager.default.contents(atPath: origin.root + "/" + path) == mine)
        #expect(FileManager.default.contents(atPath: origin.root + "/" + copy) == theirs)
        #expect(origin.reader.check().problems.map(\.path).contains(copy))
        #expect(fsckProblems(origin.root) == "" && git(["status", "--porcelain"], in: origin.root).stdout == "")
    }
}


@Suite struct MergeShapeTests {
    @Test func aDeletedEntryAndASimilarNewOneAreNeverTakenForARename() throws {
        let scratch = Scratch()
        let (remote, origin) = try journalWithRemote(scratch)
        try origin.recorder.addPerson(slug: "alice", name: "Alice Chen")
        let first = try origin.recorder.record(OneOnOneInput(person: "alice", mood: 3, note: "A long shared paragraph about the roadmap, the hiring plan and the on-call rotation.", date: "2026-11-20"))
        _ = try origin.remotes.sync()
        let other = try Journal.clone(remote, to: scratch.appending("b"))
        // Theirs: edit the entry.
        let edited = try String(contentsOfFile: other.root + "/" + first.path, encoding: .utf8) + "Their addition.\n"
        try other.repository.withWriteLock(timeout: 5) {
            _ = try other.repository.commit([.write(first.path, Data(edited.utf8))], author: try other.author(), message: "Edit")
        }
        _ = try other.remotes.sync()
        // Ours: delete it and record a near-copy under another id.
        let copyText = try String(contentsOfFile: origin.root + "/" + first.path, encoding: .utf8)
            .replacingOccurrences(of: first.id.value, with: "ZZZZ99")
        let copyPath = first.path.replacingOccurrences(of: first.id.value, with: "ZZZZ99")
        try origin.repository.withWriteLock(timeout: 5) {
            _ = try origin.repository.commit([.remove(first.path), .write(copyPath, Data(copyText.utf8))],
                                             author: try origin.author(), message: "Replace")
        }
        _ = try origin.remotes.sync()
        // Their edit stays in its own file (modified beats deleted); the new entry is untouched.
        #expect(try String(contentsOfFile: origin.root + "/" + first.path, encoding: .utf8) == edited)
        #expect(try String(contentsOfFile: origin.root + "/" + copyPath, encoding: .utf8) == copyText)
        #expect(fsckProblems(origin.root) == "" && git(["status", "--porcelain"], in: origin.root).stdout == "")
    }

    @Test func syncRefusesWhenHEADIsNotMain() throws {
        let scratch = Scratch()
        let (remote, journal) = try journalWithRemote(scratch)
        #expect(git(["switch", "-q", "-c", "drafts"], in: journal.root).status == 0)
        #expect(throws: JournalError.self) { try journal.remotes.sync() }
        #expect(git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.isEmpty)
    }
}

/// A bare remote on `main` and a journal in `a` that records it as origin.
func journalWithRemote(_ scratch: Scratch, zone: TimeZone = TimeZone(identifier: "Europe/Berlin")!) throws -> (remote: String, journal: Journal) {
    let remote = scratch.appending("remote.git")
    #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: scratch.path).status == 0)
    let journal = try Journal.create(at: scratch.appending("a"), name: "team", author: "Dana Lee <dana@example.com>",
                                     timeZone: zone, remote: remote)
    return (remote, journal)
}
