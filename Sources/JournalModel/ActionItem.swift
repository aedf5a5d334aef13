import Foundation

/// A GitHub-style task line in an entry: `- [ ] @alice draft the RFC due:2026-12-05`.
public struct ActionItem: Sendable, Equatable {
    public enum Owner: Sendable, Equatable, CustomStringConvertible {
        /// The author (`@me`, or no `@mention` at all: an item the manager wrote down is theirs).
        case me
        case person(Slug)

        public var description: String {
            switch self {
            case .me: "me"
            case .person(let slug): slug.value
            }
        }
    }

    public let entryID: EntryID
    /// The item's number among the file's task lines, from 1.
    public let number: Int
    public let isDone: Bool
    public let text: String
    public let owner: Owner
    public let due: LocalDay?
    /// The `due:` text when it is not a real day (reported by `rapport check`).
    public let invalidDue: String?
    /// An `@Mention` that is a slug but for its case, such as `@Bob` (reported by `rapport check`).
    public let invalidMention: String?
    /// 1-based line in the file.
    public let line: Int

    /// `<entry id>.<n>`, what `rapport done` takes.
    public var reference: String { "\(entryID.value).\(number)" }

    /// Every task line of the body, numbered from 1; lines inside fenced code blocks are not tasks.
    static func parse(_ document: FrontMatterDocument, entryID: EntryID) -> [ActionItem] {
        var items: [ActionItem] = []
        var number = 0
        forEachTaskLine(in: document.body) { index, marker, text in
            number += 1
            guard !text.isEmpty else { return }
            let (owner, due, invalidDue, invalidMention) = interpret(text)
            items.append(ActionItem(entryID: entryID, number: number, isDone: marker != " ", text: text, owner: owner,
                                    due: due, invalidDue: invalidDue, invalidMention: invalidMention,
                                    line: document.bodyLine + index))
        }
        return items
    }

    /// Calls `body` with (line index in `text`, checkbox character, item text) for each task line.
    static func forEachTaskLine(in text: String, _ body: (Int, Character, String) -> Void) {
        var inFence = false
        for (index, line) in Text.lines(text).enumerated() {
            let trimmed = Text.trimmed(line)
            // Most lines are prose: only a fence (` or ~) or a list marker (- * +) can matter.
            guard let first = trimmed.utf8.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~")
                || (!inFence && (first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+"))) else { continue }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            guard !inFence, let (marker, itemText) = task(in: trimmed) else { continue }
            body(index, marker, itemText)
        }
    }

    /// `- [ ] text` (also `*` or `+`, and `[x]`/`[X]`): the checkbox character and the text.
    package static func task(in line: Substring) -> (Character, String)? {
        // Six ASCII bytes followed by an ASCII byte (or nothing) are six whole characters: a
        // combining mark or other extension would be a non-ASCII byte. Then bytes decide.
        let bytes = line.utf8
        if bytes.prefix(7).allSatisfy({ $0 < 0x80 }) {
            let head = Array(bytes.prefix(6))
            guard head.count >= 5, head[0] == UInt8(ascii: "-") || head[0] == UInt8(ascii: "*") || head[0] == UInt8(ascii: "+"),
                  head[1] == UInt8(ascii: " "), head[2] == UInt8(ascii: "["), head[4] == UInt8(ascii: "]"),
                  head[3] == UInt8(ascii: " ") || head[3] == UInt8(ascii: "x") || head[3] == UInt8(ascii: "X") else { return nil }
            guard head.count == 5 || head[5] == UInt8(ascii: " ") || head[5] == UInt8(ascii: "\t") else { return nil }
            return (head[3] == UInt8(ascii: " ") ? " " : "x", String(Text.trimmed(line.dropFirst(5))))
        }
        let characters = Array(line.prefix(6))
        guard characters.count >= 5, "-*+".contains(characters[0]), characters[1] == " ", characters[2] == "[",
              characters[4] == "]", " xX".contains(characters[3]) else { return nil }
        guard characters.count == 5 || characters[5] == " " || characters[5] == "\t" else { return nil }
        let text = String(Text.trimmed(line.dropFirst(5)))
        return (characters[3] == " " ? " " : "x", text)
    }

    /// The owner (the first `@slug` or `@me`; none means the author), the `due:` day, and what
    /// could not be read: a `due:` that is not a day, an `@Mention` whose case makes it no slug.
    package static func interpret(_ text: String) -> (Owner, LocalDay?, String?, String?) {
        var owner = Owner.me
        var foundOwner = false
        var due: LocalDay?
        var invalidDue: String?
        var invalidMention: String?
        // ASCII text splits at space and tab bytes exactly as at those characters (anywhere else a
        // combining mark could join a space into another character).
        let words: [Substring] = text.utf8.allSatisfy({ $0 < 0x80 })
            ? text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { Substring($0) }
            : text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        for word in words {
            if !foundOwner, word.hasPrefix("@") {
                var handle = Substring(String(word.dropFirst().reversed().drop { ".,;:!?)".contains($0) }.reversed()))
                for possessive in ["'s", "’s"] where handle.hasSuffix(possessive) { handle = handle.dropLast(2) }
                if handle == "me" {
                    foundOwner = true
                } else if Slug.isValid(String(handle)) {
                    owner = .person(Slug(trusted: String(handle)))
                    foundOwner = true
                } else if Slug.isValid(handle.lowercased()), invalidMention == nil {
                    invalidMention = String(handle)
                }
            } else if word.hasPrefix("due:") {
                let value = String(word.dropFirst(4).reversed().drop { ".,;)".contains($0) }.reversed())
                if let day = LocalDay(value) { due = day } else { invalidDue = value }
            }
        }
        return (owner, due, invalidDue, invalidMention)
    }

    /// The body with task `number` ticked (`done`) or unticked; nil when there is no such item.
    package static func setting(_ number: Int, done: Bool, in body: String) -> String? {
        var lines = Text.lines(body).map(String.init)
        var target: Int?
        var count = 0
        forEachTaskLine(in: body) { index, _, _ in
            count += 1
            if count == number { target = index }
        }
        guard let target else { return nil }
        let line = lines[target]
        guard let open = line.firstIndex(of: "[") else { return nil }
        let mark = line.index(after: open)
        lines[target] = String(line[..<mark]) + (done ? "x" : " ") + String(line[line.index(after: mark)...])
        return lines.joined(separator: "\n")
    }
}
