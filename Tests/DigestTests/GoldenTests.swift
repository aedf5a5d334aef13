import Foundation
import Testing
import TestSupport
import Digest
import Journal
import JournalDemo

/// The Markdown and JSON digests of a fixed seeded demo journal, pinned: any change in wording or
/// numbers shows up here as a diff to review. After a deliberate change, regenerate with
/// `RAPPORT_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and read the diff before committing.
@Suite struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: [("self", "2026-W47"), ("manager", "2026-W47"), ("team", "2026-W47"), ("self", "2026-10")])
    func pinnedDigest(audience: String, label: String) throws {
        let scratch = Scratch()
        var options = DemoOptions()
        options.people = 7
        options.weeks = 30
        options.seed = 2026
        options.end = LocalDay("2026-11-27")
        options.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let now = Timestamp(parsing: "2026-11-28T12:00:00+01:00", defaultZone: options.timeZone)!.date
        _ = try DemoJournal.generate(at: scratch.appending("demo"), options: options, now: now)
        let journal = try Journal.open(at: scratch.appending("demo"))
        journal.now = now
        let today = journal.today
        let period = try Period.parse(week: label.contains("W") ? label : nil, month: label.contains("W") ? nil : label,
                                      since: nil, until: nil, today: today, now: now, zone: journal.timeZone, weekStart: 2)
        let report = try Digest.build(journal: journal, period: period, audience: Audience(rawValue: audience)!, now: now)
        for format in [DigestFormat.md, .json] {
            let text = try report.render(format, templates: journal.templates)
            let file = GoldenTests.folder.appendingPathComponent("digest-\(label)-\(audience).\(format.rawValue)")
            if ProcessInfo.processInfo.environment["RAPPORT_UPDATE_GOLDEN"] != nil {
                try Data(text.utf8).write(to: file)
                continue
            }
            let pinned = try String(contentsOf: file, encoding: .utf8)
            #expect(text == pinned, "\(file.lastPathComponent) changed; if on purpose, regenerate it (see GoldenTests)")
        }
    }
}
