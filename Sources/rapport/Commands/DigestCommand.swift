import ArgumentParser
import Digest
import Foundation
import Journal

extension Rapport {
    struct DigestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest",
            abstract: "A team-health digest: health score, who needs attention and why, recognition, action items.",
            discussion: """
                Default: the current week so far, for yourself, as Markdown on stdout. --week, \
                --month and --quarter take a label (2026-W48, 2026-11, 2026-Q4), `last`, or nothing \
                for the current one. \
                Dates are days in the journal's time zone; the digest counts up to the period's end, \
                or today if that is earlier. It reads the journal's last commit and names it; hand edits \
                not yet committed are left out, with a warning (`rapport commit` records them). \
                --out FILE writes the format its extension names (.html or .htm, .json, .md or \
                .markdown) unless --format says otherwise; --format wins.

                Audiences: self shows everything; manager (a skip-level) shows team aggregates and \
                per-person cadence, without notes, moods or anything private; team shows the health \
                index, its trend and team-visible recognition. For both, mood and energy are only a \
                band (low, steady, high) and their score counts cadence and recognition, so two \
                digests differenced give back no one's score; aggregates over fewer than 3 people \
                are withheld.
                """)

        // `--week` alone means this week (an empty label): `.next` takes only the argument right
        // after it, and only when that is not an option (`--week --format json`, `--since -7d --week`).
        @Option(defaultAsFlag: "", parsing: .next, help: ArgumentHelp("An ISO week: YYYY-Www, last, or nothing for this week.", valueName: "week"))
        var week: String? = nil

        @Option(defaultAsFlag: "", parsing: .next, help: ArgumentHelp("A month: YYYY-MM, last, or nothing for this month.", valueName: "month"))
        var month: String? = nil

        @Option(defaultAsFlag: "", parsing: .next, help: ArgumentHelp("A quarter: YYYY-Qn, last, or nothing for this quarter.", valueName: "quarter"))
        var quarter: String? = nil

        // Unconditional, as in `list`: a date such as -7d starts with a dash (validate() refuses an option).
        @Option(parsing: .unconditional, help: ArgumentHelp("The first day of a custom range.", valueName: "date"))
        var since: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("The last day of a custom range (default: today).", valueName: "date"))
        var until: String?

        @Option(help: ArgumentHelp("self, manager or team.", valueName: "audience"), completion: Completions.audiences)
        var audience: String = "self"

        @Option(help: ArgumentHelp("md, html or json (default: what --out's extension names, else md).", valueName: "format"),
                completion: Completions.formats)
        var format: String?

        @Option(help: ArgumentHelp("Write to this file instead of stdout; .html, .htm, .json, .md or .markdown names the format.",
                                   valueName: "file"))
        var out: String?

        @Flag(help: "Commit the Markdown digest under digests/ (private entries left out), so it can be diffed later.")
        var save = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([since], for: "--since")
            try OptionValue.require([until], for: "--until")
            try OptionValue.require([out], for: "--out")
        }

        func run() throws {
            guard let audience = Audience(rawValue: audience.lowercased()) else {
                throw ValidationError("'\(JournalError.shown(audience))' is not an audience: use self, manager or team.")
            }
            // As with `git archive -o`: the file's extension names the format unless --format is given.
            let typed = format ?? out.flatMap(DigestFormat.init(fileName:))?.rawValue ?? "md"
            guard let format = DigestFormat(rawValue: typed.lowercased() == "markdown" ? "md" : typed.lowercased()) else {
                throw ValidationError("'\(JournalError.shown(typed))' is not a format: use md, html or json.")
            }
            if save, format != .md || out != nil {
                throw ValidationError("--save commits the Markdown digest; leave out --format and --out.")
            }
            let journal = try global.openJournal()
            if let out, let folder = journal.journalFolder(containing: Journal.absolutePath(out)) {
                throw JournalError.usage("--out \(JournalError.shown(out)) is inside the journal's \(folder) folder, which a sync shares; write it outside the journal, or keep it in the journal with --save (private entries left out).")
            }
            let period = try Period.parse(week: week, month: month, quarter: quarter, since: since, until: until, today: journal.today,
                                          now: journal.now, zone: journal.timeZone, weekStart: journal.config.weekStart)
            let report = try Digest.build(journal: journal, period: period, audience: audience, now: journal.now,
                                          includePrivate: !save)
            Output.warnSkipped(report.skipped, leftOutOf: "the digest")
            if let first = report.uncommitted.first {
                let count = report.uncommitted.count
                Output.warning("\(Output.plural(count, "file")) changed since the last commit \(count == 1 ? "is" : "are") not in this digest (\(first)\(count > 1 ? ", ..." : "")); `rapport commit` records \(count == 1 ? "it" : "them").")
            }
            let text = try report.render(format, templates: journal.templates, moreHint: "see --format json")
            if save {
                let path = Journal.digestPath(label: period.label, audience: audience.rawValue)
                let (saved, changed) = try journal.recorder.saveDigest(text, at: path, label: period.label, builtFrom: report.commit)
                print(changed ? "Saved \(saved)." : "\(saved) is already up to date.")
            } else if let out {
                try Output.write(text, to: out)
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
