import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

/// Markdown digests are published and opened in Markdown viewers: text from the journal must not
/// become an HTML tag, a link or an image there. In CommonMark a raw HTML tag and an autolink
/// start with `<`, and a link, an image and a link reference definition with `[`; so when every
/// `<`, `>`, `[` and `]` in a digest is backslash-escaped (and no backslash of the journal's own
/// cancels an escape), none of them can form.
@Suite struct MarkdownEscapingTests {
    /// The offending characters of `text` that no backslash escapes, with a little context.
    static func unescaped(_ characters: String, in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var found: [String] = []
        var backslashes = 0
        for (index, scalar) in scalars.enumerated() {
            if characters.unicodeScalars.contains(scalar), backslashes % 2 == 0 {
                let context = scalars[max(0, index - 20)..<min(scalars.count, index + 20)]
                found.append(String(String.UnicodeScalarView(context)))
            }
            backslashes = scalar == "\\" ? backslashes + 1 : 0
        }
        return found
    }

    /// Every string in a template context, however deeply nested.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let dictionary as [String: Any]: dictionary.values.flatMap(strings)
        case let array as [Any]: array.flatMap(strings)
        default: []
        }
    }

    /// Hostile names, a note, an action item, recognition, a category and the journal's name.
    func hostileJournal(_ scratch: Scratch) throws -> Journal {
        let team = try TeamJournal(scratch: scratch)
        let names = [
            "alice": "Alice <img src=x onerror=alert(1)>", "bob": "Bob [click](javascript:alert(1))",
            "carol": "Carol ![pixel](http://evil.example/p.png) | x", "dan": "Dan O'Neil & *co* \\<b>bold\\</b>",
        ]
        for slug in names.keys.sorted() {
            try team.journal.recorder.addPerson(slug: slug, name: names[slug]!, cadence: "weekly", started: "2024-01-01")
        }
        for slug in ["alice", "bob", "carol"] { try team.oneOnOne(slug, "2026-11-10T10:00:00", mood: 4, energy: 3) }
        try team.oneOnOne("alice", "2026-11-17T10:00:00", mood: 2, energy: 2, note: """
            Alice is exhausted <script>alert(1)</script> after the launch. See [the doc](javascript:alert(1)) and \
            ![x](http://evil.example/p.png) or <http://evil.example/a>, \\<i>not escaped\\</i>.
            [ref]: http://evil.example/ref
            """, actions: ["@alice read <img src=http://evil.example/i.png> [here](javascript:alert(1)) due:2026-11-18"])
        try team.kudos(["bob", "carol"], "2026-11-18T10:00:00",
                       text: "Great <script>alert(2)</script> [work](javascript:alert(2)) ![p](http://evil.example/k.png)")
        try team.handWritten("entries/2026/11/2026-11-19-recognition-dan-H0ST1C.md", """
            ---
            kind: recognition
            id: H0ST1C
            date: 2026-11-19T10:00:00+01:00
            people: [dan]
            author: Dana Lee <dana@example.com>
            category: "<img src=x onerror=alert(3)>"
            visibility: team
            tags: []
            ---
            Helped | a lot.

            """, at: "2026-11-19T10:00:00")
        let settings = ".rapport/journal.yml"
        let text = try String(contentsOfFile: team.journal.root + "/" + settings, encoding: .utf8)
            .replacingOccurrences(of: "name: team", with: "name: '<script>alert(4)</script> [j](javascript:alert(4))'")
        try team.handWritten(settings, text, at: "2026-11-20T10:00:00")
        let journal = try Journal.open(at: team.journal.root)
        #expect(journal.config.name.hasPrefix("<script>"))
        return journal
    }

    @Test func journalTextCannotBecomeMarkupInAnyMarkdownDigest() throws {
        let scratch = Scratch()
        let journal = try hostileJournal(scratch)
        let period = try Period.parseWeek("2026-W47", today: LocalDay("2030-01-01")!, weekStart: 2)
        let now = Timestamp(parsing: "2026-11-28T12:00:00+01:00", defaultZone: journal.timeZone)!.date
        // Self as printed and as saved (`--save` leaves private entries out), manager, team.
        let reports = try [(Audience.`self`, true), (.`self`, false), (.manager, true), (.team, true)].map { audience, includePrivate in
            try Digest.build(journal: journal, period: period, audience: audience, now: now, includePrivate: includePrivate)
        }
        for report in reports {
            // Whatever a template does with them, `{{{ }}}` included, no value opens markup or splits a cell.
            let context = report.context(html: false)
            for text in MarkdownEscapingTests.strings(in: context) {
                #expect(MarkdownEscapingTests.unescaped("<>[]|", in: text).isEmpty, "\(report.audience): \(text)")
            }
            #expect(context["journal"] as? String == "\\<script\\>alert(4)\\</script\\> \\[j\\](javascript:alert(4))")

            let markdown = try report.render(.md, templates: journal.templates)
            #expect(MarkdownEscapingTests.unescaped("<>[]", in: markdown).isEmpty, "\(report.audience):\n\(markdown)")
            // The hostile text is there, escaped, not dropped; table rows keep their columns.
            #expect(markdown.contains("| Alice \\<img src=x onerror=alert(1)\\> |") == (report.audience != .team))
            // Carol and Dan are recognized this week: even the team digest names them, escaped.
            #expect(markdown.contains("Carol !\\[pixel\\](http://evil.example/p.png) \\| x"))
            #expect(markdown.contains("Dan O'Neil & *co* \\\\\\<b\\>bold\\\\\\</b\\>"))
            for table in markdown.components(separatedBy: "\n\n") where table.hasPrefix("|") {
                let columns = Set(table.split(separator: "\n").map { MarkdownEscapingTests.unescaped("|", in: String($0)).count })
                #expect(columns.count == 1, "\(table)")
            }
        }
        let own = try reports[0].render(.md, templates: journal.templates)
        #expect(own.contains("Alice is exhausted \\<script\\>alert(1)\\</script\\> after the launch."))
        #expect(own.contains("\\[ref\\]: http://evil.example/ref"))
        #expect(own.contains("read \\<img src=http://evil.example/i.png\\> \\[here\\](javascript:alert(1))"))
        let team = try reports[3].render(.md, templates: journal.templates)
        #expect(team.contains("Great \\<script\\>alert(2)\\</script\\> \\[work\\](javascript:alert(2)) !\\[p\\](http://evil.example/k.png)"))
        #expect(team.contains(" · \\<img src=x onerror=alert(3)\\>: Helped \\| a lot."))

        // HTML templates get the text as it is, for Mustache to escape as HTML.
        let html = try reports[0].render(.html, templates: journal.templates)
        #expect(html.contains("Alice &lt;img src=x onerror=alert(1)&gt;") && html.contains("Dan O&#39;Neil &amp; *co* \\&lt;b&gt;"))
        #expect(!html.contains("<script>") && !html.contains("<img"))
    }

    @Test func escapingIsScalarByScalarAndKeepsOneLine() {
        // `[` with a combining mark is one Character, but a Markdown parser still reads a `[`.
        #expect(MarkdownText.escaped("[\u{338}x](javascript:alert(1))") == "\\[\u{338}x\\](javascript:alert(1))")
        #expect(MarkdownText.escaped("one\r\ntwo\nthree") == "one  two three")
        #expect(MarkdownText.escaped("a \\ b") == "a \\\\ b")
        #expect(MarkdownText.escaped("Zoë's *great* #1 release & more: 3 > 2") == "Zoë's *great* #1 release & more: 3 \\> 2")
    }
}
