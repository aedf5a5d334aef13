import Foundation
import Testing
import TestSupport

/// `rapport import jrnl` (issue 19, item 5): one commit, idempotent, and says what it skipped.
@Suite struct ImportTests {
    @Test func aThousandNoteJrnlExportImportsOnceAndASecondImportAddsNothing() throws {
        let cli = CLI().makeJournal()
        var notes: [[String: Any]] = []
        for index in 0..<1000 {
            let day = 1 + index % 28, month = 1 + (index / 28) % 10
            notes.append(["title": "Note \(index), talked about the roadmap.", "body": "Line \"two\" of \(index).",
                          "date": String(format: "2026-%02d-%02d", month, day), "time": String(format: "%02d:%02d", 8 + index % 10, index % 60),
                          "tags": [index % 2 == 0 ? "@alice" : "@bob", "@roadmap"], "starred": false])
        }
        notes.append(["title": "Lunch alone", "body": "", "date": "2026-11-03", "time": "12:00", "tags": [String](), "starred": false])
        notes.append(["title": "Next year", "body": "", "date": "2027-02-01", "time": "09:00", "tags": ["@alice"], "starred": false])
        let file = cli.scratch.appending("jrnl.json")
        try JSONSerialization.data(withJSONObject: ["tags": ["@alice": 501], "entries": notes]).write(to: URL(fileURLWithPath: file))

        let before = cli.commitCount
        let imported = cli("import", "jrnl", file)
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout == "Imported 1000 one-on-ones; skipped 2.\n", "\(imported)")
        #expect(imported.stderr.contains("skipped entry 1001 (2026-11-03 Lunch alone): it names no person"), "\(imported)")
        #expect(imported.stderr.contains("skipped entry 1002 (2027-02-01 Next year): it is dated in the future"), "\(imported)")
        #expect(cli.commitCount == before + 1)
        #expect(cli.entryFiles.count == 1000)
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "Import 1000 one-on-ones from jrnl\n")
        let listed = try #require(json(cli("list", "--json", "--person", "bob")) as? [[String: Any]])
        #expect(listed.count == 500)
        #expect(listed.contains { ($0["body"] as? String) == "Note 1, talked about the roadmap.\n\nLine \"two\" of 1.\n" && ($0["tags"] as? [String]) == ["roadmap"] })
        #expect(cli("check").status == 0)

        let again = cli("import", "jrnl", file)
        #expect(again.status == 0 && again.stdout == "Imported 0 one-on-ones; 1000 imported before; skipped 2.\n", "\(again)")
        #expect(cli.commitCount == before + 1 && cli.entryFiles.count == 1000)
        // With --person every note is about that person, and those imported before stay skipped.
        let mapped = cli("import", "jrnl", file, "--person", "alice")
        #expect(mapped.stdout == "Imported 1 one-on-one; 1000 imported before; skipped 1.\n", "\(mapped)")
        #expect(cli("import", "jrnl", cli.scratch.appending("missing.json")).status == 64)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: cli.scratch.appending("bad.json")))
        #expect(cli("import", "jrnl", cli.scratch.appending("bad.json")).status == 65)
        cli.expectConsistent()
    }
}
