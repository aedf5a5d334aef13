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
        let asciiText = lowered.utf8.allSatisfy { $0 < 0x80 }
        for word in words {
            let needle = word.lowercased().trimmingCharacters(in: .whitespaces)
            guard !needle.isEmpty else { continue }
            // ASCII text and word: a byte search gives the same answer without Foundation's bridge.
            if asciiText, needle.utf8.allSatisfy({ $0 < 0x80 }) {
                if asciiWord(needle, in: lowered) { return word }
                continue
            }
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

    /// Whether `needle` occurs in `text` (both ASCII) with no letter, digit or `_` either side.
    private static func asciiWord(_ needle: String, in text: String) -> Bool {
        let hay = Array(text.utf8), pattern = Array(needle.utf8)
        guard hay.count >= pattern.count else { return false }
        func isWord(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) || byte == 0x5f
        }
        for start in 0...(hay.count - pattern.count) where hay[start] == pattern[0] {
            guard hay[start..<start + pattern.count].elementsEqual(pattern) else { continue }
            let before = start == 0 ? nil : hay[start - 1]
            let after = start + pattern.count == hay.count ? nil : hay[start + pattern.count]
            if !(before.map(isWord) ?? false), !(after.map(isWord) ?? false) { return true }
        }
        return false
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
