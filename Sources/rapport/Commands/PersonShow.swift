import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct PersonShow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a person's profile, cadence and counts.")

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let person = try journal.reader.person(slug)
            let scan = journal.reader.scanEntries()
            Output.warnSkipped(scan.problems)
            let entries = scan.entries.filter { $0.people.contains(person.slug) }
            let oneOnOnes = entries.filter { $0.kind == .oneOnOne }
            let recognitions = entries.filter { $0.kind == .recognition }
            let open = journal.reader.actionItems(in: scan).filter { !$0.item.isDone && $0.person == person.slug }
            let due = journal.reader.dueStatuses(in: scan).first { $0.person.slug == person.slug }

            if output.json {
                let counts = Counts(oneOnOnes: oneOnOnes.count, recognitions: recognitions.count, openActionItems: open.count,
                                    lastOneOnOne: oneOnOnes.last?.date.text, notes: person.notes)
                print(JSONOutput.string(MergedJSON(person.json(defaultCadence: journal.config.defaultCadence), counts)))
                return
            }
            let style = global.style
            let cadence = person.cadence(default: journal.config.defaultCadence)
            print(style.bold("\(person.name) (\(person.slug))") + [person.role, person.team].compactMap { $0 }.map { " · " + $0 }.joined())
            let standing = person.standing(on: journal.today)
            var facts = ["\(cadence) one-on-ones", Output.standing(standing)]
            if let started = person.started, standing != .starts(started) { facts.insert("started \(started)", at: 0) }
            print(facts.joined(separator: " · "))
            if let last = oneOnOnes.last {
                let days = last.date.day(in: journal.timeZone).days(until: journal.today)
                var line = "Last one-on-one: \(last.date.localDay) (\(DueText.daysAgo(days))), \(last.id)"
                if let due { line += " · " + DueText.state(due, style: style) }
                print(line)
            } else {
                print("Last one-on-one: never")
            }
            print("One-on-ones: \(oneOnOnes.count) · recognitions: \(recognitions.count) · open action items: \(open.count)")
            let notes = person.writtenNotes
            if !notes.isEmpty { print("\n" + notes) }
        }

        /// What `--json` adds to the person's own keys.
        struct Counts: Encodable {
            let oneOnOnes: Int
            let recognitions: Int
            let openActionItems: Int
            @Nullable var lastOneOnOne: String?
            let notes: String
        }
    }
}

/// Shared wording for cadence status.
enum DueText {
    static func daysAgo(_ days: Int) -> String {
        switch days {
        case 0: "today"
        case 1: "yesterday"
        default: "\(days) days ago"
        }
    }

    static func state(_ status: DueStatus, style: Style) -> String {
        guard let dueIn = status.dueInDays else { return style.red("overdue") }
        switch status.state {
        case .overdue: return style.red("overdue by \(Output.plural(-dueIn, "day"))")
        case .due: return style.yellow("due today")
        case .ok: return "due in \(Output.plural(dueIn, "day"))"
        }
    }
}
