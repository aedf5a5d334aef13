import ArgumentParser
import Foundation
import Journal

/// Flags every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The journal's folder (default: $RAPPORT_JOURNAL, the enclosing journal, or ~/.local/share/rapport/journal).",
        valueName: "path"))
    var journal: String?

    @Flag(name: .long, help: "Never colour the output (colour is also off when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    var style: Style { Style(enabled: !noColor) }

    /// Finds and opens the journal, with the lock timeout and clock the environment may set.
    func openJournal() throws -> Journal {
        let environment = ProcessInfo.processInfo.environment
        let root = try Journal.locate(explicit: journal, environment: environment,
                                      currentDirectory: FileManager.default.currentDirectoryPath)
        let opened = try Journal.open(at: root)
        configure(opened, environment: environment)
        opened.warn = { Output.warning($0) }
        opened.openingWarnings.forEach { Output.warning($0) }
        return opened
    }

    func configure(_ journal: Journal, environment: [String: String]) {
        if let timeout = environment["RAPPORT_LOCK_TIMEOUT"].flatMap(Double.init), timeout >= 0 {
            journal.lockTimeout = timeout
        }
        if let pinned = environment["RAPPORT_NOW"], !pinned.isEmpty,
           let timestamp = Timestamp(parsing: pinned, defaultZone: journal.timeZone) {
            journal.now = timestamp.date
        }
    }
}

/// Which entries: `list` and `export` take the same filters.
struct EntryFilters: ParsableArguments {
    @Option(help: "Only entries about this person.", completion: Completions.people)
    var person: String?

    @Option(help: "one-on-one (1on1) or recognition (kudos).")
    var kind: String?

    @Option(parsing: .unconditional, help: "From this date on (a whole day counts from its start).")
    var since: String?

    @Option(parsing: .unconditional, help: "Up to this date (a whole day counts to its end).")
    var until: String?

    func validate() throws {
        try OptionValue.require([since], for: "--since")
        try OptionValue.require([until], for: "--until")
    }

    func query(_ journal: Journal, tag: String? = nil) throws -> EntryQuery {
        try journal.reader.query(person: person, kind: kind, since: since, until: until, tag: tag)
    }
}

/// `--json`, for the commands that print data.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false
}

/// Options that take any value (so `--date -3d` and `--note "- a bullet"` work) must not take the
/// next option by mistake: `--note --help` would otherwise record a note reading "--help".
enum OptionValue {
    static func require(_ values: [String?], for option: String) throws {
        for case let value? in values where looksLikeAnOption(value) {
            throw ValidationError("\(option) needs a value, but the next argument is the option '\(JournalError.shown(value))'.")
        }
    }

    static func looksLikeAnOption(_ value: String) -> Bool {
        if value == "-h" { return true }
        guard value.hasPrefix("--"), let first = value.dropFirst(2).first, first.isLetter else { return false }
        return !value.contains(" ")
    }
}
