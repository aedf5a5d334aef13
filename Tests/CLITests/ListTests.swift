import Foundation
import Testing
import TestSupport

@Suite struct ListTests {
    /// `list -n N` reads month folders newest first and stops: its answer must still be the last N
    /// lines of the whole list, including an entry filed a month later than its instant (written in
    /// +14:00 just after midnight) and one outside the `YYYY/MM` layout, counted once.
    @Test func latestNAreTheTailOfTheWholeList() throws {
        let cli = CLI().makeJournal()
        let dates = ["2025-11-03", "2026-01-15", "2026-01-30", "2026-02-10", "2026-02-28T20:00:00+01:00",
                     "2026-03-01T05:00:00+14:00", "2026-05-04", "2026-05-05"]
        for (number, date) in dates.enumerated() {
            let person = number.isMultiple(of: 2) ? "alice" : "bob"
            #expect(cli("1on1", person, "--date", date, "--mood", "3", "--note", "Meeting \(number)").status == 0)
        }
        #expect(cli("kudos", "alice", "--date", "2026-04-02", "--category", "craft", "Shipped it").status == 0)
        // The +14:00 entry is filed under 2026/03 but happened on 2026-02-28 at 15:00 UTC, before
        // the 20:00 Berlin one filed under 2026/02.
        #expect(cli.entryFiles.contains { $0.hasPrefix("entries/2026/03/") })
        let moved = try #require(cli.entryFiles.first { $0.hasPrefix("entries/2025/11/") })
        try FileManager.default.createDirectory(atPath: cli.journal + "/entries/imported", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: cli.journal + "/" + moved,
                                         toPath: cli.journal + "/entries/imported/" + (moved as NSString).lastPathComponent)

        let whole = cli("list", "--json")
        #expect(whole.status == 0, "\(whole)")
        let all = try #require(json(whole) as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(all.count == 9)
        for limit in 1...10 {
            let latest = try #require(json(cli("list", "-n", "\(limit)", "--json")) as? [[String: Any]])
            #expect(latest.compactMap { $0["id"] as? String } == Array(all.suffix(limit)), "-n \(limit)")
        }
        for filter in [["--person", "bob"], ["--kind", "1on1"], ["--until", "2026-03-01"], ["--since", "2026-02-01"]] {
            let filtered = try #require(json(cli.run(["list", "--json"] + filter)) as? [[String: Any]]).compactMap { $0["id"] as? String }
            for limit in [1, 2, 3] {
                let latest = try #require(json(cli.run(["list", "-n", "\(limit)", "--json"] + filter)) as? [[String: Any]])
                #expect(latest.compactMap { $0["id"] as? String } == Array(filtered.suffix(limit)), "\(filter) -n \(limit)")
            }
        }
    }

    /// The month below the oldest folder read decides: the one entry under 2026/03 happened
    /// (in +14:00) before the one under 2026/02, which is therefore among the latest two.
    @Test func theMonthBelowTheOldestFolderReadIsReadToo() throws {
        let cli = CLI().makeJournal()
        for (date, note) in [("2026-02-28T20:00:00+01:00", "late February"), ("2026-03-01T05:00:00+14:00", "early March, far east"),
                             ("2026-04-10", "April")] {
            #expect(cli("1on1", "alice", "--date", date, "--mood", "3", "--note", note).status == 0)
        }
        let latest = try #require(json(cli("list", "-n", "2", "--json")) as? [[String: Any]])
        let whole = try #require(json(cli("list", "--json")) as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(latest.compactMap { $0["id"] as? String } == Array(whole.suffix(2)))
        #expect(cli("list", "-n", "2").stdout.contains("late February"))
    }
}
