import Foundation
import Testing
import TestSupport

/// Files edited by hand (extra keys, reordered keys, CRLF, non-ASCII names) are read correctly and
/// rewritten by `done` and `person edit` without losing a byte that was not meant to change.
@Suite struct HandEditTests {
    @Test func handEditedFilesSurviveRewrites() throws {
        let cli = CLI().makeJournal()
        let profile = "---\r\nname: \"Zoë Ångström\"\r\nkind: person\r\nslug: zoe\r\npronouns: she/her   # asked for this\r\n"
            + "cadence: biweekly\r\nstarted: 2025-06-01\r\n---\r\nPrefers written feedback.\r\n"
        cli.scratch.write(profile, to: "journal/people/zoe.md")
        let entryPath = "entries/2026/11/2026-11-25-one-on-one-zoe-HAND01.md"
        let entry = "---\r\nperson: zoe\r\ndate: 2026-11-25T10:00:00+01:00\r\nkind: one-on-one\r\nid: HAND01\r\n"
            + "mood: 3\r\nmeeting-room: Ågård 2\r\nlinks:\r\n  - https://example.com/doc\r\n---\r\n"
            + "Zoë talked about the migration.\r\n\r\n- [ ] @zoe write the summary due:2026-12-01\r\n- [ ] @me review it\r\n"
        cli.scratch.write(entry, to: "journal/" + entryPath)
        let committed = cli("commit")
        #expect(committed.status == 0, "\(committed)")
        #expect(cli("check").status == 0)
        cli.expectConsistent()

        let shown = try #require(json(cli("person", "show", "zoe", "--json")) as? [String: Any])
        #expect(shown["name"] as? String == "Zoë Ångström")
        #expect(shown["cadence"] as? String == "biweekly")
        #expect(shown["one_on_ones"] as? Int == 1)
        let listed = try #require(json(cli("list", "--json")) as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed[0]["mood"] as? Int == 3)
        #expect(listed[0]["body"] as? String == "Zoë talked about the migration.\r\n\r\n- [ ] @zoe write the summary due:2026-12-01\r\n- [ ] @me review it\r\n")
        #expect(cli("actions", "--person", "zoe").stdout.contains("HAND01.1"))
        #expect(cli("search", "ZOE TALKED").stdout.contains("HAND01"))

        #expect(cli("done", "HAND01.2").status == 0)
        #expect(cli.file(entryPath) == entry.replacingOccurrences(of: "- [ ] @me review it", with: "- [x] @me review it"))
        cli.expectConsistent()

        #expect(cli("person", "leave", "zoe", "--date", "2026-11-27").status == 0)
        #expect(cli.file("people/zoe.md") == profile.replacingOccurrences(
            of: "cadence: biweekly\r\n", with: "cadence: biweekly\r\nstatus: left\r\nleft: 2026-11-27\r\n"))

        let editor = cli.script("note.sh", "sed -i 's/^Prefers written feedback.\\r$/Prefers written feedback, in advance.\\r/' \"$1\"")
        #expect(cli("person", "edit", "zoe", environment: ["EDITOR": editor]).status == 0)
        let edited = cli.file("people/zoe.md")
        #expect(edited.contains("pronouns: she/her   # asked for this\r\n"))
        #expect(edited.hasSuffix("---\r\nPrefers written feedback, in advance.\r\n"))
        #expect(edited.hasPrefix("---\r\nname: \"Zoë Ångström\"\r\nkind: person\r\n"))
        cli.expectConsistent()
    }
}
