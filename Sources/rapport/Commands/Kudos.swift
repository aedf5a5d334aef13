import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct Kudos: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kudos",
            abstract: "Recognize one or more people for something they did.",
            discussion: """
                The last argument is the text ('-' reads it from standard input); the ones before it name \
                people. Text that starts with '-' goes after `--`: rapport kudos bob -- "-20% latency". Categories come from journal.yml: shipping, quality, learning, helping, leadership, \
                customer and craft by default. A failed experiment reported well counts as learning.

                Example: rapport kudos bob carol "Reported the negative result in detail" --category learning
                """)

        @Argument(help: ArgumentHelp("People's slugs, then the text.", valueName: "slug... text"), completion: Completions.people)
        var words: [String] = []

        @Option(help: "The kind of contribution (see journal.yml's categories).", completion: Completions.categories)
        var category: String?

        @Option(name: .customLong("tag"), help: "A tag; repeat for more.")
        var tags: [String] = []

        @Option(parsing: .unconditional, help: "When it happened (default: now). An earlier day alone is taken as its midday; today is now.")
        var date: String?

        @Flag(name: .customLong("private"), help: "Only for you (visibility: private): encrypted to your own age key and left out of manager and team digests.")
        var isPrivate = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([date], for: "--date")
        }

        func run() throws {
            guard words.count >= 2 else {
                if let only = words.first {
                    throw JournalError.usage("The recognition has no text: rapport kudos \(only) \"what they did\"")
                }
                throw JournalError.usage("Name at least one person and the text: rapport kudos SLUG... \"what they did\"")
            }
            let journal = try global.openJournal()
            let known = journal.reader.people().people.map(\.slug.value)
            if let last = words.last, known.contains(last) {
                throw JournalError.usage("The recognition has no text (\"\(last)\" is a person): rapport kudos \(words.joined(separator: " ")) \"what they did\"")
            }
            // A one-word "text" one letter away from a person is most likely a mistyped name.
            if let last = words.last, !last.contains(" "), let nearest = known.first(where: { JournalError.distance(last, $0) == 1 }) {
                throw JournalError.usage("'\(JournalError.shown(last))' looks like a mistyped person (did you mean '\(nearest)'?); put the text last, in quotes.")
            }
            let text = words.last == "-" ? try Input.readStandardInput() : words.last!
            let entry = try journal.recorder.recognize(people: Array(words.dropLast()), text: text, category: category,
                                                      tags: tags, date: date, isPrivate: isPrivate)
            let people = entry.people.compactMap { slug in try? journal.reader.person(slug.value) }
            let names = entry.people.map { slug in people.first { $0.slug == slug }?.name ?? slug.value }
            Output.warnIfNotStarted(people, on: entry.date.localDay)
            Output.warnIfPlain(entry, journal: journal)
            print("Recorded recognition \(entry.id) for \(names.joined(separator: ", ")): \(entry.path)")
        }
    }
}
