import Foundation
import Yams

/// A Markdown file with a YAML front matter block, kept as written: each top-level key's lines are
/// stored verbatim, so rewriting one key leaves every other key, comment, unknown key, the key order
/// and the line endings exactly as the author left them.
public struct FrontMatterDocument: Sendable, Equatable {
    /// One top-level key and the lines that belong to it (continuations, comments after it).
    public struct Field: Sendable, Equatable {
        /// nil for comment or blank lines before the first key.
        public let key: String?
        public var raw: String
        /// 1-based line of the key in the file.
        public let line: Int
        public var value: YAMLValue
    }

    public var fields: [Field]
    /// The Markdown after the closing `---` line, with `\n` line endings.
    public var body: String
    /// 1-based file line where the body starts.
    public private(set) var bodyLine: Int
    public var usesCRLF: Bool
    var byteOrderMark: Bool
    var openingLine: String
    var closingLine: String

    /// A new document whose fields are written canonically, in the given order.
    public init(fields: [(String, YAMLValue)], body: String) {
        self.fields = fields.enumerated().map { index, field in
            Field(key: field.0, raw: FrontMatterDocument.line(field.0, field.1), line: index + 2, value: field.1)
        }
        self.body = body
        self.bodyLine = fields.count + 3
        usesCRLF = false
        byteOrderMark = false
        openingLine = "---"
        closingLine = "---"
    }

    public subscript(key: String) -> YAMLValue? {
        fields.first { $0.key == key }?.value
    }

    public func line(of key: String) -> Int? {
        fields.first { $0.key == key }?.line
    }

    public var keys: [String] { fields.compactMap(\.key) }

    /// Sets a key's value in place (the key keeps its position); a new key goes after `after`
    /// when given, else at the end; nil removes the key.
    public mutating func set(_ key: String, _ value: YAMLValue?, after: String? = nil) {
        if let index = fields.firstIndex(where: { $0.key == key }) {
            if let value {
                fields[index].raw = FrontMatterDocument.line(key, value)
                fields[index].value = value
            } else {
                fields.remove(at: index)
            }
            return
        }
        guard let value else { return }
        let field = Field(key: key, raw: FrontMatterDocument.line(key, value), line: 0, value: value)
        if let after, let index = fields.lastIndex(where: { $0.key == after }) {
            fields.insert(field, at: index + 1)
        } else {
            fields.append(field)
        }
    }

    /// The file's text: verbatim fields, the body, the original line endings.
    public func rendered() -> String {
        var text = openingLine + "\n"
        for field in fields { text += field.raw + "\n" }
        text += closingLine + "\n" + body
        if usesCRLF { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        return (byteOrderMark ? "\u{FEFF}" : "") + text
    }

    public var data: Data { Data(rendered().utf8) }

    static func line(_ key: String, _ value: YAMLValue) -> String {
        let emitted = value.emitted
        return emitted.isEmpty ? key + ":" : key + ": " + emitted
    }

    // MARK: - Parsing

    /// Parses a file's bytes; errors carry the 1-based line of the problem.
    public static func parse(_ data: Data) throws(FrontMatterError) -> FrontMatterDocument {
        guard var text = String(validating: data, as: UTF8.self) else {
            throw FrontMatterError(line: FrontMatterDocument.firstInvalidUTF8Line(data), message: "the file is not valid UTF-8")
        }
        if text.utf8.contains(0) {
            let prefix = text.utf8.prefix { $0 != 0 }
            throw FrontMatterError(line: prefix.filter { $0 == 0x0a }.count + 1, message: "the file contains a NUL byte")
        }
        var bom = false
        if text.hasPrefix("\u{FEFF}") {
            bom = true
            text.removeFirst()
        }
        let crlf = Text.contains("\r\n", in: text)
        if crlf { text = String(decoding: text.utf8.filter { $0 != 0x0d }, as: UTF8.self) }
        return try parse(normalized: text, crlf: crlf, bom: bom)
    }

    private static func parse(normalized text: String, crlf: Bool, bom: Bool) throws(FrontMatterError) -> FrontMatterDocument {
        // Only the front matter is split into lines; the body is kept as one slice of the text.
        var lines: [Substring] = []
        var closing: Int?
        var bodyStart = text.endIndex
        var lineStart = text.utf8.startIndex
        while lineStart < text.utf8.endIndex || lines.isEmpty {
            let lineEnd = text.utf8[lineStart...].firstIndex(of: 0x0a) ?? text.utf8.endIndex
            let line = text[lineStart..<lineEnd]
            lines.append(line)
            bodyStart = lineEnd < text.utf8.endIndex ? text.utf8.index(after: lineEnd) : lineEnd
            if lines.count == 1 {
                guard Text.trimmed(line) == "---" else {
                    throw FrontMatterError(line: 1, message: "missing front matter: the file must start with a '---' line")
                }
            } else {
                let trimmed = Text.trimmed(line)
                if trimmed == "---" || trimmed == "..." {
                    closing = lines.count - 1
                    break
                }
            }
            lineStart = bodyStart
            if lineEnd == text.utf8.endIndex { break }
        }
        guard let closing else {
            throw FrontMatterError(line: 1, message: "the front matter block is not closed by a '---' line")
        }
        var fields: [Field] = []
        var seen: [String: Int] = [:]
        var index = 1
        while index < closing {
            let start = index
            let line = lines[index]
            var key: String?
            if !FrontMatterDocument.isContinuation(line) {
                guard let parsedKey = FrontMatterDocument.key(of: line) else {
                    throw FrontMatterError(line: index + 1, message: "expected 'key: value', found '\(line.prefix(60))'")
                }
                if let previous = seen[parsedKey] {
                    throw FrontMatterError(line: index + 1, message: "duplicate key '\(parsedKey)' (first on line \(previous))")
                }
                seen[parsedKey] = index + 1
                key = parsedKey
            }
            index += 1
            while index < closing, FrontMatterDocument.isContinuation(lines[index]) { index += 1 }
            // Trailing blank and comment lines stay with this field, so rewriting it keeps them.
            let raw = index == start + 1 ? String(line) : lines[start..<index].joined(separator: "\n")
            let value: YAMLValue
            if let key {
                value = try YAMLValue.parse(field: raw, key: key, line: start + 1)
            } else {
                value = .null
            }
            fields.append(Field(key: key, raw: raw, line: start + 1, value: value))
        }
        var document = FrontMatterDocument(fields: [], body: String(text[bodyStart...]))
        document.fields = fields
        document.usesCRLF = crlf
        document.byteOrderMark = bom
        document.openingLine = String(lines[0])
        document.closingLine = String(lines[closing])
        document.bodyLine = closing + 2
        return document
    }

    /// Lines that continue the previous key: indented, blank, comments, and `- item` lines of a
    /// block sequence written at column 0.
    private static func isContinuation(_ line: Substring) -> Bool {
        guard let first = line.first else { return true }
        if first == " " || first == "\t" || first == "#" { return true }
        if line == "-" || line.hasPrefix("- ") { return true }
        return Text.trimmed(line).isEmpty
    }

    private static func key(of line: Substring) -> String? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let after = line.index(after: colon)
        guard after == line.endIndex || line[after] == " " || line[after] == "\t" else { return nil }
        let key = String(Text.trimmed(line[..<colon]))
        guard !key.isEmpty, !key.contains(Character(" ")), key.first.map({ !"\"'[{&*!|>%@`".contains($0) }) ?? false else {
            return nil
        }
        return key
    }

    private static func firstInvalidUTF8Line(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        for index in data.indices where data[index] == 0x0a {
            if String(validating: data[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

/// A malformed front matter block, with the 1-based line of the problem.
public struct FrontMatterError: Error, Sendable, Equatable {
    public let line: Int
    public let message: String

    public func problem(in path: String) -> FileProblem {
        FileProblem(path: path, line: line, message: message)
    }
}
