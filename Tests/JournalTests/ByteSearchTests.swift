import Foundation
import Testing
@testable import Journal

/// The byte-level readers on hot paths (the search prefilter, matching lines, task lines, line
/// splitting), each against a plain reference: a wrong "no" would hide an entry or an item.
@Suite struct ByteSearchTests {
    /// Lower-cases ASCII letters and compares every starting place.
    static func reference(_ lower: [UInt8], _ haystack: [UInt8]) -> Bool {
        guard !lower.isEmpty else { return true }
        guard haystack.count >= lower.count else { return false }
        let folded = haystack.map { (0x41...0x5a).contains($0) ? $0 + 0x20 : $0 }
        return (0...(folded.count - lower.count)).contains { Array(folded[$0..<$0 + lower.count]) == lower }
    }

    @Test func caseInsensitiveSearchAgreesWithAPlainComparisonAtEveryLengthAndPlace() {
        var generator = SystemRandomNumberGenerator()
        // A small alphabet with both cases, the bytes whose 0x20 bit changes them into a letter
        // ('@', '[', '`', '{'), digits and a non-ASCII byte, so near misses are common.
        let alphabet = Array("abAB@[`{01 \u{e9}".utf8)
        let needles: [[UInt8]] = ["a", "ab", "ba", "abba", "b@", "@a", "0a1", "`a", "{b", "a b", "aaaaaaaaaaaaaaaaab"].map { Array($0.utf8) }
        var found = 0
        for _ in 0..<3000 {
            let haystack = (0..<Int.random(in: 0...70, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            for needle in needles {
                let expected = Self.reference(needle, haystack)
                let actual = haystack.withUnsafeBytes { Bytes.containsIgnoringASCIICase(needle, in: $0) }
                #expect(actual == expected, "\(needle) in \(haystack)")
                if expected { found += 1 }
            }
        }
        #expect(found > 1000)
    }

    @Test func aMatchIsFoundInEveryLaneAndAtTheVeryEnd() {
        let needle = Array("feedback".utf8)
        for length in needle.count...80 {
            for start in 0...(length - needle.count) {
                var haystack = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                haystack.replaceSubrange(start..<start + needle.count, with: Array("FeEdBaCk".utf8))
                #expect(haystack.withUnsafeBytes { Bytes.containsIgnoringASCIICase(needle, in: $0) }, "at \(start) of \(length)")
                haystack[start + needle.count - 1] = UInt8(ascii: "q")
                #expect(!haystack.withUnsafeBytes { Bytes.containsIgnoringASCIICase(needle, in: $0) }, "cut at \(start) of \(length)")
            }
        }
    }

    @Test func matchingLinesAreTheLinesAPerLineComparisonFinds() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abAB \n\n\r-".utf8)
        for _ in 0..<3000 {
            let body = String(decoding: (0..<Int.random(in: 0...90, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! },
                              as: UTF8.self)
            for needle in ["ab", "b", "a b", "aba"] {
                let lower = Array(needle.utf8)
                let expected = Text.lines(body).enumerated().filter { _, line in
                    line.utf8.withContiguousStorageIfAvailable { Bytes.containsIgnoringASCIICase(lower, in: UnsafeRawBufferPointer($0)) } ?? false
                }.map { "\($0.offset):\($0.element)" }
                var found: [String] = []
                var text = body
                let handled = text.withUTF8 { Journal.matchingLines(of: UnsafeRawBufferPointer($0), lower: lower) { found.append("\($0):\($1)") } }
                #expect(handled)
                #expect(found == expected, "\(needle) in \(body.debugDescription)")
            }
        }
        var accented = "caf\u{e9} ab"
        #expect(!accented.withUTF8 { Journal.matchingLines(of: UnsafeRawBufferPointer($0), lower: Array("ab".utf8)) { _, _ in } })
    }

    /// The character-by-character reading of a task line that `ActionItem.task` answers from
    /// bytes when it can.
    static func referenceTask(_ line: Substring) -> (Character, String)? {
        let characters = Array(line.prefix(6))
        guard characters.count >= 5, "-*+".contains(characters[0]), characters[1] == " ", characters[2] == "[",
              characters[4] == "]", " xX".contains(characters[3]) else { return nil }
        guard characters.count == 5 || characters[5] == " " || characters[5] == "\t" else { return nil }
        return (characters[3] == " " ? " " : "x", String(Text.trimmed(line.dropFirst(5))))
    }

    @Test func taskLinesReadFromBytesAgreeWithReadingCharacters() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["-", "*", "+", " ", "[", "]", "x", "X", "\t", "a", "\u{301}", "\u{e9}", "\r", "- [ ]", "- [x] "]
        var tasks = 0
        for _ in 0..<20_000 {
            let line = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = Self.referenceTask(line[...])
            let actual = ActionItem.task(in: line[...])
            #expect(actual?.0 == expected?.0 && actual?.1 == expected?.1, "\(line.debugDescription)")
            if expected != nil { tasks += 1 }
        }
        #expect(tasks > 100)
    }

    @Test func linesAreSplitExactlyAtLineFeeds() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "\n", "\r\n", "\r", "\u{e9}", "e\u{301}", "\n\u{301}", "🇩🇪", " "]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = text.utf8.split(separator: 0x0a, omittingEmptySubsequences: false).map { Array(Substring($0).utf8) }
            #expect(Text.lines(text).map { Array($0.utf8) } == expected, "\(text.debugDescription)")
        }
    }
}
