import Foundation
import GitStore
import Testing
import TestSupport
@testable import Journal
import JournalDemo

@Suite struct JournalLibraryTests {
    let scratch = Scratch()
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func makeJournal() throws -> Journal {
        let journal = try Journal.create(at: scratch.appending("j"), name: "team", author: "Dana Lee <dana@example.com>",
                                         timeZone: berlin, remote: "file:///tmp/shared.git")
        journal.now = try #require(Timestamp(parsing: "2026-11-28T14:30:00+01:00", defaultZone: berlin)).date
        return journal
    }

    @Test func recordsAndReadsBack() throws {
        let journal = try makeJournal()
        try journal.recorder.addPerson(slug: "alice", name: "Alice Chen", role: "ML Engineer", team: "platform", cadence: "weekly",
                              started: "2024-03-01")
        try journal.recorder.addPerson(slug: "bob", name: "Bob Smith", cadence: "biweekly")
        let oneOnOne = try journal.recorder.record(OneOnOneInput(
            person: "alice", mood: 4, energy: 3, workload: 4, tags: ["career"], note: "Talked about the RFC.",
            actions: ["@alice draft the RFC due:2026-12-05", "@me intro to the platform team"], date: "yesterday"))
        let kudos = try journal.recorder.recognize(people: ["bob", "alice", "bob"], text: "Reported the negative result.",
                                                  category: "learning")
        #expect(oneOnOne.date.text == "2026-11-27T12:00:00+01:00")
        #expect(kudos.people.map(\.value) == ["bob", "alice"])

        let scan = journal.reader.scanEntries()
        #expect(scan.problems.isEmpty)
        #expect(scan.entries.map(\.id) == [oneOnOne.id, kudos.id])
        #expect(try journal.reader.entry(String(oneOnOne.id.value.prefix(4)).lowercased()).id == oneOnOne.id)
        #expect(journal.reader.check().problems.isEmpty)

        let (item, changed) = try journal.recorder.setDone("\(oneOnOne.id).1")
        #expect(changed && item.isDone)
        #expect(try journal.recorder.setDone("\(oneOnOne.id).1").changed == false)
        #expect(try journal.recorder.setDone("\(oneOnOne.id).1", done: false).0.isDone == false)

        let repository = try Repository.open(at: journal.root)
        #expect(try repository.log().map(\.summary) == [
            "Reopen action item \(oneOnOne.id).1", "Close action item \(oneOnOne.id).1",
            "Recognize bob, alice (\(kudos.id))", "One-on-one with alice (\(oneOnOne.id))",
            "Add person bob", "Add person alice", "Start journal team",
        ])
        #expect(try repository.log().allSatisfy { $0.author.description == "Dana Lee <dana@example.com>" })
        #expect(try repository.status().isEmpty)
        #expect(try repository.remotes().map(\.url) == ["file:///tmp/shared.git"])
        #expect(fsckProblems(journal.root) == "")

        let due = journal.reader.dueStatuses(in: journal.reader.scanEntries())
        #expect(due.map(\.person.slug.value) == ["bob", "alice"])
        #expect(due[0].state == .overdue && due[0].daysSinceLast == nil)
        #expect(due[1].state == .ok && due[1].daysSinceLast == 1 && due[1].dueInDays == 6)
    }

    @Test func leavingKeepsHandEditsAndRefusesTwice() throws {
        let journal = try makeJournal()
        try journal.recorder.addPerson(slug: "carol", name: "Carol Diaz")
        let path = journal.root + "/people/carol.md"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "name: Carol Diaz\n", with: "name: Carol Diaz\npronouns: she/her # keep\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try journal.recorder.commitHandEdits().committed == ["people/carol.md"])
        let left = try journal.recorder.leave("carol", on: "2026-11-20")
        #expect(left.status == .left && left.left == LocalDay("2026-11-20"))
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after.contains("pronouns: she/her # keep\n"))
        #expect(after.contains("status: left\nleft: 2026-11-20\n"))
        #expect(throws: JournalError.self) { try journal.recorder.leave("carol") }
        #expect(journal.reader.dueStatuses(in: journal.reader.scanEntries()).isEmpty)
    }

    @Test func checkFindsEveryKindOfProblem() throws {
        let journal = try makeJournal()
        try journal.recorder.addPerson(slug: "alice", name: "Alice Chen")
        let entry = try journal.recorder.record(OneOnOneInput(person: "alice", note: "Fine.", actions: ["@alice x"]))
        let root = journal.root
        func write(_ text: String, _ path: String) throws {
            try FileManager.default.createDirectory(atPath: (root + "/" + path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + path))
        }
        try write("---\nkind: one-on-one\nid: \(entry.id)\ndate: 2026-11-01T10:00:00+01:00\nperson: ghost\n---\n- [ ] @nobody due:2026-02-31\n",
                  "entries/2026/11/2026-11-01-one-on-one-ghost-\(entry.id).md")
        try write("---\nkind: recognition\nid: ABCDEF\ndate: 2026-11-02T10:00:00+01:00\npeople: [alice]\ncategory: luck\n---\nx\n",
                  "entries/2026/11/wrong-name-ABCDEF.md")
        try write("---\nkind: person\nslug: dave\nname: Dave\ncadence: sometimes\n---\n", "people/dave.md")
        try write("---\nkind: one-on-one\n---\n", "entries/2026/11/2026-11-03-one-on-one-alice-QQQQQQ.md")
        let problems = journal.reader.check().problems.map(\.description)
        #expect(problems.contains("entries/2026/11/2026-11-01-one-on-one-ghost-\(entry.id).md:5: no person 'ghost' (people/ghost.md is missing)"))
        #expect(problems.contains("entries/2026/11/2026-11-01-one-on-one-ghost-\(entry.id).md:7: 'due:2026-02-31' is not a real day (YYYY-MM-DD)"))
        #expect(problems.contains("entries/2026/11/2026-11-01-one-on-one-ghost-\(entry.id).md:7: no person '@nobody'"))
        #expect(problems.contains { $0.hasPrefix("entries/2026/11/wrong-name-ABCDEF.md:3: the file name does not match") })
        #expect(problems.contains("entries/2026/11/wrong-name-ABCDEF.md:6: 'luck' is not a category (shipping, quality, learning, helping, leadership, customer, craft)"))
        #expect(problems.contains("people/dave.md:5: 'cadence' must be weekly, biweekly, monthly or <n>d, not 'sometimes'"))
        // Every problem of a file, not only the first a read stops at (issue 19).
        for key in ["id", "date", "person"] {
            #expect(problems.contains("entries/2026/11/2026-11-03-one-on-one-alice-QQQQQQ.md:1: missing '\(key)'"), "\(key)")
        }
        #expect(problems.contains("\(entry.path):3: id \(entry.id) is also used by entries/2026/11/2026-11-01-one-on-one-ghost-\(entry.id).md"))
        #expect(problems.count == 10, "\(problems)")
    }

    @Test func demoIsDeterministicAndHasEveryStory() throws {
        var options = DemoOptions()
        options.people = 10
        options.weeks = 30
        options.seed = 7
        options.end = LocalDay("2026-11-27")
        options.timeZone = berlin
        let first = try DemoJournal.generate(at: scratch.appending("a"), options: options)
        let second = try DemoJournal.generate(at: scratch.appending("b"), options: options)
        let headA = try Repository.open(at: scratch.appending("a")).head()
        let headB = try Repository.open(at: scratch.appending("b")).head()
        #expect(headA != nil && headA == headB)
        #expect(first.entries == second.entries)
        #expect(first.closedItems > 0 && first.openItems > 0)

        let journal = try Journal.open(at: scratch.appending("a"))
        journal.now = try #require(Timestamp(parsing: "2026-11-27T18:00:00+01:00", defaultZone: berlin)).date
        #expect(journal.reader.check().problems.isEmpty)
        #expect(fsckProblems(journal.root) == "")
        #expect(git(["status", "--porcelain"], in: journal.root).stdout == "")
        let repository = try Repository.open(at: journal.root)
        let weekly = try repository.log().filter { $0.summary.hasPrefix("Demo week") }
        #expect(weekly.count >= 29 && weekly.count <= 30)

        let people = journal.reader.people().people
        let scan = journal.reader.scanEntries()
        #expect(Set(people.map { $0.cadence(default: .weekly).description }).count >= 3)
        #expect(people.contains { $0.status == .left })
        let recognized = Set(scan.entries.filter { $0.kind == .recognition }.flatMap(\.people))
        #expect(people.contains { $0.isActive && !recognized.contains($0.slug) })
        let overloaded = people.filter { person in
            let last = scan.entries.filter { $0.oneOnOne?.person == person.slug }.suffix(3)
            return last.count == 3 && last.allSatisfy { ($0.oneOnOne?.workload ?? 0) >= 4 }
        }
        #expect(!overloaded.isEmpty)
        let moods = Set(scan.entries.compactMap { $0.oneOnOne?.mood })
        #expect(moods.count >= 3)
        let watch = journal.config.watchWords
        #expect(scan.entries.contains { entry in watch.contains { entry.body.lowercased().contains($0) } })
        let items = journal.reader.actionItems(in: scan)
        #expect(items.contains { $0.item.isDone } && items.contains { !$0.item.isDone })
    }
}
