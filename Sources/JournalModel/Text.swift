import Glibc

/// Small string helpers over UTF-8 bytes. Foundation's trimming and searching bridge through
/// NSString on Linux and dominated parse time; these stay in the standard library.
package enum Text {
    /// Space, tab, and the carriage return a CRLF line keeps after splitting at `\n`.
    package static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0d }

    package static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d }

    /// `text` without leading and trailing spaces, tabs and carriage returns (all whitespace, with `newlines`).
    package static func trimmed(_ text: Substring, newlines: Bool = false) -> Substring {
        let bytes = text.utf8
        let strip = newlines ? isWhitespace : isSpace
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, strip(bytes[start]) { start = bytes.index(after: start) }
        while end > start {
            let previous = bytes.index(before: end)
            guard strip(bytes[previous]) else { break }
            end = previous
        }
        return text[start..<end]
    }

    package static func trimmed(_ text: String, newlines: Bool = false) -> String {
        String(trimmed(Substring(text), newlines: newlines))
    }

    /// The lines of `text` split at `\n`, empty ones kept.
    package static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        // Line breaks found with memchr; each line keeps exactly its bytes (a "\r" before the
        // "\n" stays with its line, as a Character it would not).
        let breaks = utf8.withContiguousStorageIfAvailable { bytes -> [Int] in
            var found: [Int] = []
            while let position = Bytes.firstIndex(of: 0x0a, in: UnsafeRawBufferPointer(bytes), from: (found.last ?? -1) + 1) {
                found.append(position)
            }
            return found
        }
        guard let breaks else { return utf8.split(separator: 0x0a, omittingEmptySubsequences: false).map { Substring($0) } }
        var lines: [Substring] = []
        lines.reserveCapacity(breaks.count + 1)
        var start = utf8.startIndex
        for position in breaks {
            let end = utf8.index(utf8.startIndex, offsetBy: position)
            lines.append(Substring(utf8[start..<end]))
            start = utf8.index(after: end)
        }
        lines.append(Substring(utf8[start...]))
        return lines
    }

    /// The index where `needle` (ASCII) first starts in `text`, if anywhere.
    package static func find(_ needle: StaticString, in text: Substring) -> String.Index? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return text.startIndex }
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == first {
                var candidate = index
                var matched = true
                for byte in pattern {
                    guard candidate < bytes.endIndex, bytes[candidate] == byte else {
                        matched = false
                        break
                    }
                    candidate = bytes.index(after: candidate)
                }
                if matched { return index }
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// A piece of user input for an error message: on one line, control characters shown
    /// escaped, and shortened, so an error never spans lines or floods the terminal.
    package static func shown(_ text: some StringProtocol, limit: Int = 60) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            if result.count > limit { return String(result.prefix(limit - 3)) + "..." }
        }
        return result
    }

    package static func contains(_ needle: StaticString, in text: some StringProtocol) -> Bool {
        find(needle, in: Substring(text)) != nil
    }
}

/// Byte-level checks used on hot paths: file names, cached records, search.
package enum Bytes {
    package static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return true }
        while index + 8 <= count {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Whether `lower` (lower-case ASCII) occurs in `haystack` in any mix of ASCII case.
    package static func containsIgnoringASCIICase(_ lower: [UInt8], in haystack: UnsafeRawBufferPointer) -> Bool {
        firstIndexIgnoringASCIICase(lower, in: haystack) != nil
    }

    /// Where `lower` first occurs in `haystack` in any mix of ASCII case, as an offset. Sixteen
    /// starting places at a time are sifted by the needle's first two bytes (a letter compared
    /// with its 0x20 bit set, which matches exactly its two cases); each survivor is compared in full.
    package static func firstIndexIgnoringASCIICase(_ lower: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let first = lower.first else { return 0 }
        guard let base = haystack.baseAddress, haystack.count >= lower.count else { return nil }
        let lastStart = haystack.count - lower.count
        func folding(_ byte: UInt8) -> UInt8 { (0x61...0x7a).contains(byte) ? 0x20 : 0 }
        func matches(at start: Int) -> Bool {
            for offset in 0..<lower.count {
                var other = base.load(fromByteOffset: start + offset, as: UInt8.self)
                if (0x41...0x5a).contains(other) { other += 0x20 }
                if other != lower[offset] { return false }
            }
            return true
        }
        var start = 0
        if lower.count >= 2 {
            let second = lower[1]
            let firstWanted = SIMD16<UInt8>(repeating: first), firstFold = SIMD16<UInt8>(repeating: folding(first))
            let secondWanted = SIMD16<UInt8>(repeating: second), secondFold = SIMD16<UInt8>(repeating: folding(second))
            // Loads at start and start + 1 stay inside the haystack: start + 16 <= count - 1.
            while start + 17 <= haystack.count && start + 15 <= lastStart {
                let here = base.loadUnaligned(fromByteOffset: start, as: SIMD16<UInt8>.self)
                let next = base.loadUnaligned(fromByteOffset: start + 1, as: SIMD16<UInt8>.self)
                let candidates = ((here | firstFold) .== firstWanted) .& ((next | secondFold) .== secondWanted)
                // The mask's lanes are 0 or all ones: read as two words, each set byte is a lane.
                let words = unsafeBitCast(candidates, to: SIMD2<UInt64>.self)
                for half in 0..<2 {
                    var rest = words[half]
                    while rest != 0 {
                        let byte = rest.trailingZeroBitCount / 8
                        if matches(at: start + half * 8 + byte) { return start + half * 8 + byte }
                        rest &= ~(UInt64(0xff) << UInt64(byte * 8))
                    }
                }
                start += 16
            }
        }
        while start <= lastStart {
            if matches(at: start) { return start }
            start += 1
        }
        return nil
    }

    /// Where `byte` first occurs in `bytes` from `start` up to (not including) `end`, by memchr.
    package static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int, before end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        guard let base = bytes.baseAddress, start < end, let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Whether `needle` occurs in `haystack` (memmem).
    package static func contains(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Bool {
        guard !needle.isEmpty else { return true }
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        return needle.withUnsafeBytes { pattern in
            var offset = 0
            let last = haystack.count - needle.count
            while let found = firstIndex(of: needle[0], in: haystack, from: offset, before: last + 1) {
                offset = found
                if memcmp(base + offset, pattern.baseAddress!, needle.count) == 0 { return true }
                offset += 1
            }
            return false
        }
    }
}
