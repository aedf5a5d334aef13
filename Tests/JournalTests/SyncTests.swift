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
        try origin.addPerson(slug: "alice", name: "Alice Chen")
        try origin.addPerson(slug: "bob", name: "Bob Smith")
        _ = try origin.sync()
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
                ? try journal.recordOneOnOne(OneOnOneInput(person: "alice", mood: 3, note: "\(label) note \(index).", date: "2026-01-20"))
                : try journal.recordRecognition(people: ["bob"], text: "\(label) thanks \(index).", date: "2026-01-21")
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
        let originals = Set(first.scanEntries().entries.map(\.id.value))
        let firstIDs = try record(500, in: first, label: "first")
        let secondIDs = try record(500, in: second, label: "second")
        let firstCommits = commits(first.root)
        let secondCommits = commits(second.root)

        let order = firstSyncsFirst ? [first, second, first] : [second, first, second]
        let outcomes = try order.map { try $0.sync() }
        #expect(outcomes[0].pushed && outcomes[0].change == .localAhead)
        #expect(outcomes[1].change == .merged && outcomes[1].pushed && outcomes[1].conflicts.isEmpty)
        #expect(outcomes[2].change == .fastForward && !outcomes[2].pushed)

        let everything = originals.union(firstIDs).union(secondIDs)
        #expect(everything.count == originals.count + 1000)
        for journal in [first, second] {
            let scan = journal.scanEntries()
            #expect(scan.problems.isEmpty)
            #expect(Set(scan.entries.map(\.id.value)) == everything)
            #expect(commits(journal.root).isSuperset(of: firstCommits.union(secondCommits)))
            #expect(git(["status", "--porcelain"], in: journal.root).stdout == "")
            #expect(journal.check().problems.isEmpty)
        }
        #expect(commits(remote).isSuperset(of: firstCommits.union(secondCommits)))
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: first.root).stdout)
        for path in [remote, first.root, second.root] { #expect(fsckProblems(path) == "", "\(path)") }
    }
}
