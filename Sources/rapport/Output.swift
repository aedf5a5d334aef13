import Foundation
import Journal

/// Printing: results to stdout, errors and warnings to stderr, one line each.
enum Output {
    static func error(_ message: String, hint: String? = nil) {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(shortened)
        var text = "error: " + lines.joined(separator: "\n")
        if let hint { text += " " + hint }
        standardError(text)
    }

    static func warning(_ message: String) {
        standardError("warning: " + shortened(Substring(message)))
    }

    static func warning(_ warning: JournalWarning) { self.warning(ErrorMessages.text(for: warning)) }

    /// Writes an `--out` file in one step, readable by its owner only (even when it replaces an
    /// older file with wider permissions), and says so on stderr.
    static func write(_ text: String, to out: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            chmod(out, 0o600)
        } catch {
            throw JournalError.failure("Cannot write \(out): \(error.localizedDescription)")
        }
        standardError("Wrote \(out).")
    }

    /// "active", "starts 2027-01-10", "left 2026-10-01" or "left".
    static func standing(_ standing: Person.Standing) -> String {
        switch standing {
        case .active: "active"
        case .starts(let day): "starts \(day)"
        case .left(let day): "left" + (day.map { " \($0)" } ?? "")
        }
    }

    /// The same warning from `1on1` and `kudos` about someone whose `started:` day is after the
    /// entry's (a talk before they join is legitimate; a mistyped slug or date shows). Entries
    /// after someone left are refused by the library.
    static func warnIfNotStarted(_ people: [Person], on day: LocalDay) {
        for person in people {
            if case .starts(let started) = person.standing(on: day) {
                warning("\(person.name) (\(person.slug)) starts on \(started), after this entry's day \(day).")
            }
        }
    }

    /// A line with any very long word (a 100 KB argument quoted back, a path the system refused)
    /// cut in the middle, so an error stays one readable line.
    static func shortened(_ line: Substring) -> String {
        guard line.utf8.count > 400 else { return String(line) }
        return line.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard word.count > 120 else { return String(word) }
            return String(word.prefix(60)) + "…(\(word.count) characters)…" + String(word.suffix(20))
        }.joined(separator: " ")
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(Terminal.safe(text + "\n").utf8))
    }

    /// Warns once for each file a read had to skip, and once for all the encrypted entries this
    /// machine has no identity to open (how many, and why).
    static func warnSkipped(_ problems: [FileProblem], leftOutOf what: String? = nil) {
        guard !problems.isEmpty else { return }
        var locked: [(message: String, count: Int)] = []
        for problem in problems {
            if problem.isLocked {
                let message = ErrorMessages.message(of: problem)
                if let index = locked.firstIndex(where: { $0.message == message }) {
                    locked[index].count += 1
                } else {
                    locked.append((message, 1))
                }
            } else {
                warning("skipped \(ErrorMessages.text(for: problem))")
            }
        }
        for (message, count) in locked {
            let leftOut = what.map { "; \($0) leaves \(count == 1 ? "it" : "them") out" } ?? ""
            warning("\(plural(count, "entry", "entries")) could not be read: \(message)\(leftOut).")
        }
        if problems.contains(where: { !$0.isLocked }) { standardError("(run `rapport check` for details)") }
    }

    /// A private entry in a journal with `encrypt: none` is stored in plain text: say so.
    static func warnIfPlain(_ entry: Entry, journal: Journal) {
        if entry.isMarkedPrivate, !entry.isEncrypted {
            warning("this journal does not encrypt (encrypt: none in .rapport/journal.yml), so the private entry is stored in plain text; it is still left out of manager and team digests.")
        }
    }

    static func exitCode(for kind: FailureKind) -> Int32 {
        switch kind {
        case .usage: 64
        case .data: 65
        case .temporary: 75
        case .failure: 1
        }
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max(), columns > 0 else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Style.visibleWidth(cell)) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - Style.visibleWidth(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The first line of prose in a note, shortened for one-line listings.
    static func summary(of body: String, limit: Int = 60) -> String {
        // Split on "\n" as a scalar: as a Character, "\r\n" is one grapheme and would not split.
        let line = body.unicodeScalars.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            .first { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("<!--") } ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? word : plural ?? word + "s")
    }
}

/// ANSI colour, only on a terminal and never with NO_COLOR or --no-color.
struct Style {
    let enabled: Bool

    init(enabled: Bool) {
        // no-color.org: NO_COLOR set to anything but the empty string turns colour off.
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        self.enabled = enabled && !noColor && isatty(STDOUT_FILENO) == 1
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func dim(_ text: String) -> String { wrap(text, "2") }

    /// The colour code is written as `Terminal.colour`, which `Terminal.safe` turns into the
    /// escape sequence as the text is printed.
    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\(Terminal.colour)\(code)m\(text)\(Terminal.colour)0m" : text
    }

    /// Width on screen, ignoring colour codes.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inColour = false
        for character in text.replacingOccurrences(of: Terminal.colour, with: "\u{1B}") {
            if character == "\u{1B}" { inColour = true; continue }
            if inColour { if character == "m" { inColour = false }; continue }
            width += 1
        }
        return width
    }
}

/// What reaches the terminal. Journal files come from whoever can push to the shared remote, and
/// an escape sequence in a name or a note could recolour, hide or rewrite what a manager reads, set
/// the window title or the clipboard (OSC), or draw a fake prompt. So every control character but
/// tab and newline, C1 ones included, is printed as a visible escape (`\u001b`), and the only
/// escape sequences that reach the terminal are `Style`'s colours, marked with a token drawn at
/// start that no file can contain (docs/Trust.md).
enum Terminal {
    /// Stands for ESC [ in `Style`'s own codes.
    static let colour = "\u{E000}" + String(UInt64.random(in: 1...UInt64.max), radix: 36) + "\u{E000}"

    static func safe(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEE }) else {
            return text
        }
        return text.components(separatedBy: colour).map(escapingControls).joined(separator: "\u{1B}[")
    }

    private static func escapingControls(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A: result.unicodeScalars.append(scalar)
            // JSON's own escape, so `--json` output stays valid JSON (JSONEncoder leaves DEL
            // and C1 characters raw) and reads back as the same text.
            case 0..<0x20, 0x7F...0x9F: result += "\\u00" + (scalar.value & 0xFF < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Everything the commands print goes through `Terminal.safe` (this shadows the standard
/// library's `print` in the executable).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(Terminal.safe(items.map { "\($0)" }.joined(separator: separator) + terminator), terminator: "")
}
