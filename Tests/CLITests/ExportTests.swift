import Foundation
import Testing
import TestSupport

/// `rapport export` (issue 19, item 5): every readable entry, as one JSON document or as CSV.
@Suite struct ExportTests {
    /// A small RFC 4180 reader, to read back what the export wrote.
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { cell.append("\""); characters.removeFirst() } else { quoted = false }
                } else { cell.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { row.append(cell); cell = "" }
            else if character == "\n" { row.append(cell); rows.append(row); row = []; cell = "" }
            else { cell.append(character) }
        }
        return rows
    }

    static func journal() -> (CLI, [String]) {
        let cli = CLI().makeJournal()
        #expect(cli("keys", "init").status == 0)
        let ids = [
            cli("1on1", "alice", "--mood", "4", "--note", "Line one, with a comma.\nLine \"two\".", "--action", "@alice send it", "--date", "2026-11-02"),
            cli("kudos", "bob", "alice", "=HYPERLINK(\"http://evil.example\",\"x\")", "--category", "quality", "--date", "2026-11-10"),
            cli("1on1", "bob", "--private", "--note", "Private: health.", "--date", "2026-11-20"),
        ].compactMap { entryID(in: $0.stdout) }
        #expect(ids.count == 3)
        return (cli, ids)
    }

    @Test func jsonHoldsEveryReadableEntryWithItsSchema() throws {
        let (cli, ids) = Self.journal()
        let result = cli("export", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let document = try #require(json(result) as? [String: Any])
        #expect(document["schema"] as? String == "rapport.export/v1")
        #expect(document["journal"] as? String == "team")
        #expect(document["commit"] as? String == git(["rev-parse", "HEAD"], in: cli.journal).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(document["exported_at"] as? String == "2026-11-28T14:30:00+01:00")
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ids)
        // The private entry is decrypted: the export is the owner's own copy.
        #expect(entries[2]["body"] as? String == "Private: health.\n" && entries[2]["private"] as? Bool == true)
        #expect((document["skipped"] as? [Any])?.isEmpty == true)
        // The same entries as `list --json`, filtered the same way.
        let listed = try #require(json(cli("list", "--json", "--person", "bob")) as? [[String: Any]])
        let exported = try #require(json(cli("export", "--format", "json", "--person", "bob")) as? [String: Any])
        #expect((exported["entries"] as? [[String: Any]])?.map { $0["id"] as? String } == listed.map { $0["id"] as? String })
        #expect((json(cli("export", "--format", "json", "--since", "2026-11-15")) as? [String: Any])
            .flatMap { $0["entries"] as? [[String: Any]] }?.map { $0["id"] as? String } == [ids[2]])
    }

    @Test func csvHasOneRowPerEntryQuotedAndFormulaSafe() throws {
        let (cli, ids) = Self.journal()
        let result = cli("export", "--format", "csv", "--kind", "1on1")
        #expect(result.status == 0, "\(result)")
        let rows = Self.rows(result.stdout)
        #expect(rows.first == ["id", "kind", "date", "people", "author", "mood", "energy", "workload", "category", "private", "tags",
                               "open_items", "done_items", "note"])
        #expect(rows.dropFirst().map(\.first) == [ids[0], ids[2]])
        #expect(rows.allSatisfy { $0.count == 14 })
        #expect(rows[1][5] == "4" && rows[1][11] == "1" && rows[1][9] == "false")
        #expect(rows[1][13].hasPrefix("Line one, with a comma.\nLine \"two\"."), "\(rows[1][13])")
        let kudos = Self.rows(cli("export", "--format", "csv", "--kind", "kudos").stdout)
        #expect(kudos[1][3] == "bob alice" && kudos[1][8] == "quality")
        #expect(kudos[1][13] == "'=HYPERLINK(\"http://evil.example\",\"x\")", "a formula never starts a cell: \(kudos[1][13])")
    }

    @Test func anExportFileIsTheOwnersAndNeverInsideTheJournal() throws {
        let (cli, _) = Self.journal()
        let before = cli.commitCount
        let inside = cli("export", "--format", "csv", "--out", "people/export.csv")
        #expect(inside.status == 64 && inside.stderr.contains("which a sync shares"), "\(inside)")
        #expect(!FileManager.default.fileExists(atPath: cli.journal + "/people/export.csv"))
        let file = cli.scratch.appending("export.json")
        let written = cli("export", "--format", "json", "--out", file)
        #expect(written.status == 0 && written.stdout.isEmpty && written.stderr == "Wrote \(file).\n", "\(written)")
        let mode = try #require(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == cli("export", "--format", "json").stdout)
        #expect(cli("export", "--format", "xml").status == 64)
        #expect(cli.commitCount == before)
        cli.expectConsistent()
    }
}
