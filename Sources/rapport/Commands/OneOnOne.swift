import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct OneOnOne: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "1on1",
            abstract: "Log a one-on-one.",
            discussion: """
                With --note (or --note - to read standard input) the entry is written at once. Without it, \
                $EDITOR opens a template with the person's open action items from earlier one-on-ones; tick \
                one there to close it in the same commit. Saving an empty or unchanged note records nothing.

                Example: rapport 1on1 alice --mood 4 --energy 3 --workload 4 --tag career \\
                    --note "Talked about the RFC." --action "@alice draft the RFC due:2026-12-05"
                """)

        @Argument(help: "The person's slug.", completion: Completions.people)
        var slug: String

        @Option(help: ArgumentHelp("How they feel, 1 (low) to 5 (great).", valueName: "1-5"))
        var mood: Int?

        @Option(help: ArgumentHelp("Their energy, 1 (drained) to 5 (high).", valueName: "1-5"))
        var energy: Int?

        @Option(help: ArgumentHelp("Their workload, 1 (idle), 3 (sustainable) to 5 (overloaded).", valueName: "1-5"))
        var workload: Int?

        @Option(name: .customLong("tag"), help: "A tag; repeat for more.")
        var tags: [String] = []

        @Option(parsing: .unconditional, help: ArgumentHelp("The note; '-' reads it from standard input.", valueName: "text"))
        var note: String?

        @Option(name: .customLong("action"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
            "An action item, such as \"@alice send the RFC due:2026-12-05\" or \"@me book the room\"; repeat for more.",
            valueName: "text"))
        var actions: [String] = []

        @Option(parsing: .unconditional, help: "When it happened (default: now). An earlier day alone is taken as its midday; today is now.")
        var date: String?

        @Flag(name: .customLong("private"), help: "Only for you: encrypted to your own age key (see `rapport keys init`) and left out of manager and team digests.")
        var isPrivate = false

        @Flag(help: "Reopen the newest draft an editor session kept for this person (in .git/rapport/drafts) and record it.")
        var resume = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            try OptionValue.require([note], for: "--note")
            try OptionValue.require(actions, for: "--action")
            try OptionValue.require([date], for: "--date")
        }

        func run() throws {
            let journal = try global.openJournal()
            let entry: Entry
            if resume {
                guard note == nil, mood == nil, energy == nil, workload == nil, tags.isEmpty, actions.isEmpty, date == nil, !isPrivate else {
                    throw JournalError.usage("--resume reopens a kept draft as it was written; give no other option with it.")
                }
                guard let recorded = try resumeKeptDraft(journal) else { return }
                entry = recorded
            } else if let note {
                let text = note == "-" ? try Input.readStandardInput() : note
                entry = try journal.recorder.record(OneOnOneInput(
                    person: slug, mood: mood, energy: energy, workload: workload, tags: tags, note: text,
                    actions: actions, date: date, isPrivate: isPrivate))
            } else {
                guard mood == nil, energy == nil, workload == nil, tags.isEmpty, actions.isEmpty else {
                    throw JournalError.usage("Give --note TEXT (or --note -) with --mood, --energy, --workload, --tag or --action; without --note the editor opens.")
                }
                if isPrivate, journal.willEncrypt(isPrivate: true), !journal.hasIdentity {
                    // Refused before the editor opens, so nothing typed is lost.
                    throw JournalError.failure("A private entry is encrypted to your own age key, and there is none at \(journal.keys.identityPath()): create one with `rapport keys init`, or set RAPPORT_IDENTITY. Nothing was recorded.")
                }
                let draft = try journal.recorder.draft(for: slug, date: date, isPrivate: isPrivate)
                let name = "one-on-one-\(draft.id)"
                let location = try Draft.forEntry(journal, name: name, encrypted: journal.willEncrypt(isPrivate: isPrivate),
                                                  resume: "Reopen it with `rapport 1on1 \(slug) --resume`.")
                let outcome = try Editor.session(initial: Data(draft.text.utf8), draft: location) { text in
                    try journal.recorder.record(draft, edited: text)
                }
                switch outcome {
                case .unchanged:
                    throw JournalError.failure("Aborting: the note was not changed, so nothing was recorded.")
                case .empty:
                    throw JournalError.failure("Aborting: the note is empty, so nothing was recorded.")
                case .recorded(let recorded, let closed):
                    entry = recorded
                    if !closed.isEmpty { print("Closed \(closed.joined(separator: ", ")).") }
                }
            }
            let person = try journal.reader.person(slug)
            Output.warnIfNotStarted([person], on: entry.date.localDay)
            Output.warnIfPlain(entry, journal: journal)
            print("Recorded one-on-one \(entry.id) with \(person.name): \(entry.path)")
        }
    }
}

extension Rapport.OneOnOne {
    /// Opens the newest kept draft for the person in the editor and records it; the kept file goes
    /// once the entry is recorded, or once the session kept the text again under a new name.
    /// Nil when the draft was emptied in the editor (it is discarded).
    func resumeKeptDraft(_ journal: Journal) throws -> Entry? {
        let kept = try journal.recorder.keptDrafts(for: slug)
        guard let newest = kept.first else {
            throw JournalError.usage("No kept draft for \(slug); a draft is kept in .git/rapport/drafts when an editor session ends without recording it.")
        }
        let location = try Draft.forEntry(journal, name: "one-on-one-\(newest.draft.id)", encrypted: newest.isEncrypted,
                                          resume: "Reopen it with `rapport 1on1 \(slug) --resume`.")
        var recorded: Entry?
        defer {
            let keptAgain = (try? journal.recorder.keptDrafts(for: slug))?.contains { $0.draft.id == newest.draft.id && $0.path != newest.path } ?? false
            if recorded != nil || keptAgain { journal.recorder.discard(newest) }
        }
        let outcome = try Editor.session(initial: Data(newest.draft.text.utf8), draft: location) { text in
            try journal.recorder.record(newest.draft, edited: text, resumed: true)
        }
        switch outcome {
        case .unchanged, .empty:
            journal.recorder.discard(newest)
            print("The draft was emptied, so nothing was recorded and the kept draft is discarded.")
            return nil
        case .recorded(let entry, let closed):
            recorded = entry
            if !closed.isEmpty { print("Closed \(closed.joined(separator: ", ")).") }
            if kept.count > 1 {
                print("\(kept.count - 1) more kept draft\(kept.count == 2 ? "" : "s") for \(slug): run `rapport 1on1 \(slug) --resume` again.")
            }
            return entry
        }
    }
}

enum Input {
    /// Standard input as UTF-8 text; anything else is refused.
    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(validating: data, as: UTF8.self) else {
            throw JournalError.usage("Standard input is not valid UTF-8 text.")
        }
        guard !text.contains("\0") else { throw JournalError.usage("Standard input contains a NUL byte.") }
        return text
    }
}
