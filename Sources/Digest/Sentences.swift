import Foundation

/// Sentences of a note body: headings, task lines and blank lines are skipped, list markers
/// dropped, and each line split after `.`, `!` or `?` followed by a space.
enum Sentences {
    static func split(_ body: String) -> [String] {
        var sentences: [String] = []
        for rawLine in body.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine).trimmingCharacters(in: .whitespaces)[...]
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("<!--") || line.hasPrefix("|") { continue }
            if line.hasPrefix("- [") || line.hasPrefix("* [") { continue }
            for marker in ["- ", "* ", "+ ", "> "] where line.hasPrefix(marker) {
                line = line.dropFirst(marker.count)
                break
            }
            var current = ""
            var previous: Character?
            for character in line {
                if character == " ", let previous, ".!?".contains(previous) {
                    appendTrimmed(current, to: &sentences)
                    current = ""
                } else {
                    current.append(character)
                }
                previous = character
            }
            appendTrimmed(current, to: &sentences)
        }
        return sentences
    }

    private static func appendTrimmed(_ text: String, to sentences: inout [String]) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { sentences.append(trimmed) }
    }
}

/// Whole-word, case-insensitive matching of the journal's watch words (which may be phrases).
enum WatchWords {
    /// The first watch word `sentence` contains, as configured.
    static func first(in sentence: String, of words: [String]) -> String? {
        let lowered = sentence.lowercased()
        for word in words {
            let needle = word.lowercased().trimmingCharacters(in: .whitespaces)
            guard !needle.isEmpty else { continue }
            var searchStart = lowered.startIndex
            while let range = lowered.range(of: needle, range: searchStart..<lowered.endIndex) {
                let before = range.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: range.lowerBound)]
                let after = range.upperBound == lowered.endIndex ? nil : lowered[range.upperBound]
                if !isWordCharacter(before), !isWordCharacter(after) { return word }
                searchStart = lowered.index(after: range.lowerBound)
            }
        }
        return nil
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_"
    }
}

enum Plain {
    /// A note body on one line: lines trimmed and joined with spaces.
    static func text(_ body: String) -> String {
        body.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
