import ArgumentParser
import Foundation
import Journal

/// What the shells' completion scripts offer where rapport knows the values: people's slugs,
/// entry ids, action items, categories and remotes come from the journal the command line names
/// (`--journal PATH`), else the one rapport would find from the current folder; nothing when
/// there is none. Completion never writes, and prints nothing but the values.
enum Completions {
    static let people = CompletionKind.custom { words, _, prefix in
        matching(journal(words)?.reader.people().people.map(\.slug.value), prefix)
    }
    /// The ids of the newest 200 entries, newest first.
    static let entryIDs = CompletionKind.custom { words, _, prefix in
        matching(journal(words)?.reader.latestEntries(matching: EntryQuery(), limit: 200).entries.reversed().map(\.id.value), prefix)
    }
    /// Open action items (ENTRY-ID.N) of the newest 200 entries.
    static let actionItems = CompletionKind.custom { words, _, prefix in
        let entries = journal(words)?.reader.latestEntries(matching: EntryQuery(), limit: 200).entries.reversed() ?? []
        return matching(entries.flatMap { $0.actionItems.filter { !$0.isDone }.map(\.reference) }, prefix)
    }
    static let categories = CompletionKind.custom { words, _, prefix in
        matching(journal(words)?.config.categories, prefix)
    }
    static let remotes = CompletionKind.custom { words, _, prefix in
        matching((try? journal(words)?.remotes.list())?.map(\.name), prefix)
    }
    static let members = CompletionKind.custom { words, _, prefix in
        matching((try? journal(words)?.keys.members())?.map { member in
            member.name.flatMap { isShellSafe($0) ? $0 : nil } ?? member.recipient.description
        }, prefix)
    }
    static let audiences = CompletionKind.list(["self", "manager", "team"])
    static let formats = CompletionKind.list(["md", "html", "json"])
    static let templates = CompletionKind.list(Templates.names)

    /// Only values a shell takes as they are: bash's completion script hands them to
    /// `compgen -W`, which expands `$(...)` and backquotes in each word, and a name or category
    /// comes from whoever can push (a member named `$(curl ...|sh)` would run on Tab).
    static func matching(_ values: [String]?, _ prefix: String) -> [String] {
        (values ?? []).filter { $0.hasPrefix(prefix) && isShellSafe($0) }
    }

    static func isShellSafe(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-+@:".unicodeScalars.contains($0)) }
    }

    /// The journal for the words typed so far.
    static func journal(_ words: [String]) -> Journal? {
        let explicit = words.firstIndex(of: "--journal").flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
        guard let root = try? Journal.locate(explicit: explicit, environment: ProcessInfo.processInfo.environment,
                                             currentDirectory: FileManager.default.currentDirectoryPath) else { return nil }
        return try? Journal.open(at: root)
    }
}
