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

/// Case-insensitive matching of the journal's watch words (which may be phrases), word by word
/// and by stem, so "interview" finds "interviewing", "quit" finds "quitting" and "burned out"
/// finds "burned-out" and "burnt out". The stemmer is deliberately small (English suffixes -ing,
/// -ed, -es, -s, then a doubled last consonant): both sides go through it, so a watch word
/// matches exactly the words that share its stem.
struct WatchWords {
    /// Each configured word or phrase with its stems, and the bytes every sentence that holds it
    /// must contain (its first stem but the last letter: any inflection begins with those).
    private let phrases: [(word: String, stems: [String], clue: [UInt8])]

    init(_ words: [String]) {
        phrases = words.map { word in
            let stems = WatchWords.stems(of: word)
            return (word, stems, Array((stems.first ?? "").utf8.dropLast()))
        }.filter { !$0.stems.isEmpty }
    }

    /// The first watch word `sentence` contains, as configured.
    func first(in sentence: String) -> String? {
        let lowered = Array(sentence.lowercased().utf8)
        var text: [String]?
        for phrase in phrases where WatchWords.contains(phrase.clue, in: lowered) {
            if text == nil { text = WatchWords.stems(of: sentence) }
            guard let text, phrase.stems.count <= text.count else { continue }
            for start in 0...(text.count - phrase.stems.count) where (text[start] == phrase.stems[0]) {
                if text[start..<start + phrase.stems.count].elementsEqual(phrase.stems) { return phrase.word }
            }
        }
        return nil
    }

    static func first(in sentence: String, of words: [String]) -> String? { WatchWords(words).first(in: sentence) }

    private static func contains(_ needle: [UInt8], in hay: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard hay.count >= needle.count else { return false }
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            if hay[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// The stems of the words in `text`: runs of letters and digits (a hyphen or an apostrophe
    /// splits words), lower-cased.
    static func stems(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map { stem(String($0)) }
    }

    static func stem(_ word: String) -> String {
        if let irregular = irregular[word] { return irregular }
        var stem = word
        func strip(_ suffix: String, keeping minimum: Int) -> Bool {
            guard stem.hasSuffix(suffix), stem.count - suffix.count >= minimum else { return false }
            stem.removeLast(suffix.count)
            return true
        }
        if strip("ies", keeping: 2) {
            stem += "y"
        } else if strip("ing", keeping: 3) || strip("ed", keeping: 3) {
            // quitting -> quitt -> quit; but stress, fall and buzz keep their pair.
            if let last = stem.last, let before = stem.dropLast().last, last == before, !"slz".contains(last) { stem.removeLast() }
        } else if ["sses", "xes", "zes", "ches", "shes"].contains(where: stem.hasSuffix) {
            stem.removeLast(2)
        } else if !stem.hasSuffix("ss"), !stem.hasSuffix("us"), !stem.hasSuffix("is") {
            _ = strip("s", keeping: 3)
        }
        return stem
    }

    /// Past forms that no suffix rule reaches.
    static let irregular = ["burnt": "burn"]
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
