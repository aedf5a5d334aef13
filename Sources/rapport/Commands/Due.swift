import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "due",
            abstract: "Who is due or overdue for a one-on-one today, by their cadence.",
            discussion: """
                Days count whole calendar days in the journal's time zone from the latest one-on-one. \
                Someone is due on the day their cadence comes round and overdue after it, or when they \
                have never had one. Exits 3 when anyone is overdue, so cron can act on it.
                """)

        @Flag(help: "Everyone active, not just those due.")
        var all = false

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let (statuses, problems) = journal.reader.dueStatuses()
            Output.warnSkipped(problems)
            let shown = all ? statuses : statuses.filter { $0.state != .ok }
            if output.json {
                print(JSONOutput.string(shown.map { $0.json() }))
            } else if shown.isEmpty {
                if let next = statuses.first, let days = next.dueInDays {
                    print("Nobody is due for a one-on-one today. Next: \(next.person.name) in \(Output.plural(days, "day")).")
                } else {
                    print("Nobody is due for a one-on-one today.")
                }
            } else {
                let style = global.style
                print(Output.table(shown.map { status in
                    let last = status.last.map { "last \($0.date.localDay), \(DueText.daysAgo(status.daysSinceLast ?? 0))" } ?? "never met"
                    return [style.bold(status.person.slug.value), status.person.name, status.cadence.description, last,
                            DueText.state(status, style: style)]
                }))
            }
            if statuses.contains(where: { $0.state == .overdue }) {
                throw ExitCode(3)
            }
        }
    }
}
