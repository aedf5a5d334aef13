import Foundation
import Yams

/// A Markdown file with a YAML front matter block, kept as written. Each top-level key's lines are
/// stored verbatim, each line with its own ending (LF, CRLF, even a stray CR), so rewriting one
/// key leaves every other byte of the file as the author left it: other keys, unknown keys, key
/// order, comments, blank lines and the body.
public struct FrontMatterDocument: Sendable, Equatable {
    /// One top-level key and the lines that belong to it.
    public struct Field: Sendable, Equatable {
        /// nil for comment or blank lines before the first key.
        public let key: String?
        /// The key's line and its continuation lines, verbatim.
        package var valueRaw: String
        /// Blank and comment lines after the value; they stay when the value is rewritten.
        package var trailingRaw: String?
        /// A `# comment` written after a one-line value (with the spaces before it).
        package var inlineComment: String?
        /// "\r" when the key's line ended with CRLF.
        package var lineEnding: String
        /// 1-based line of the key in the file.
        public let line: Int
        public var value: YAMLValue

        public var raw: String { valueRaw + (trailingRaw.map { "\n" + $0 } ?? "") }

        /// Every part, for the entry cache, which stores parsed documents verbatim.
        package init(key: String?, valueRaw: String, trailingRaw: String?, inlineComment: String?, lineEnding: String,
                     line: Int, value: YAMLValue) {
            self.key = key
            self.valueRaw = valueRaw
            self.trailingRaw = trailingRaw
            self.inlineComment = inlineComment
            self.lineEnding = lineEnding
            self.line = line
            self.value = value
        }
    }

    public var fields: [Field]
    /// The Markdown after the closing `---` line, verbatim.
    public var body: String
    /// 1-based file line where the body starts.
    public package(set) var bodyLine: Int
    package var byteOrderMark = false
    package var openingLine = "---"
    package var closingLine = "---"
    /// False only when the file ends right after the closing `---`, with no line break.
    package var closingHasNewline = true

    /// A new document whose fields are written canonically, in the given order.
    public init(fields: [(String, YAMLValue)], body: String) {
        self.fields = fields.enumerated().map { index, field in
            Field(key: field.0, valueRaw: FrontMatterDocument.line(field.0, field.1), trailingRaw: nil, inlineComment: nil,
                  lineEnding: "", line: index + 2, value: field.1)
        }
        self.body = body
        self.bodyLine = fields.count + 3
    }

    public subscript(key: String) -> YAMLValue? {
        fields.first { $0.key == key }?.value
    }

    public func line(of key: String) -> Int? {
        fields.first { $0.key == key }?.line
    }

    public var keys: [String] { fields.compactMap(\.key) }

    /// Sets a key's value in place: the key keeps its position, its line ending, a comment after
    /// the value and the comment lines below it. A new key goes after `after` when given, else at
    /// the end; nil removes the key.
    public mutating func set(_ key: String, _ value: YAMLValue?, after: String? = nil) {
        if let index = fields.firstIndex(where: { $0.key == key }) {
            guard let value else {
                // The comment lines below the key often describe the next one: they stay.
                if let trailing = fields[index].trailingRaw {
                    fields[index] = Field(key: nil, valueRaw: trailing, trailingRaw: nil, inlineComment: nil, lineEnding: "",
                                          line: fields[index].line, value: .null)
                } else {
                    fields.remove(at: index)
                }
                return
            }
            let field = fields[index]
            fields[index].valueRaw = FrontMatterDocument.line(key, value) + (field.inlineComment ?? "") + field.lineEnding
            fields[index].value = value
            return
        }
        guard let value else { return }
        let position = after.flatMap { name in fields.lastIndex { $0.key == name }.map { $0 + 1 } } ?? fields.count
        let ending = position > 0 ? fields[position - 1].lineEnding : (openingLine.hasSuffix("\r") ? "\r" : "")
        let field = Field(key: key, valueRaw: FrontMatterDocument.line(key, value) + ending, trailingRaw: nil,
                          inlineComment: nil, lineEnding: ending, line: 0, value: value)
        // A new key goes before the comment lines that close the field it follows.
        if position > 0, let trailing = fields[position - 1].trailingRaw {
            fields[position - 1].trailingRaw = nil
            var moved = field
            moved.trailingRaw = trailing
            fields.insert(moved, at: position)
        } else {
            fields.insert(field, at: position)
        }
    }

    /// The file's text, byte for byte as parsed apart from what was set.
    public func rendered() -> String {
        var text = byteOrderMark ? "\u{FEFF}" : ""
        text += openingLine + "\n"
        for field in fields { text += field.raw + "\n" }
        text += closingLine + (closingHasNewline ? "\n" : "") + body
        return text
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
        var document = try parse(text)
        document.byteOrderMark = bom
        return document
    }

    private static func parse(_ text: String) throws(FrontMatterError) -> FrontMatterDocument {
        // Only the front matter is split into lines; the body stays one slice of the text.
        var lines: [Substring] = []
        var closing: Int?
        var bodyStart = text.endIndex
        var closingHasNewline = true
        var lineStart = text.utf8.startIndex
        while true {
            let lineEnd = text.utf8[lineStart...].firstIndex(of: 0x0a) ?? text.utf8.endIndex
            let line = text[lineStart..<lineEnd]
            lines.append(line)
            let atEnd = lineEnd == text.utf8.endIndex
            bodyStart = atEnd ? lineEnd : text.utf8.index(after: lineEnd)
            let trimmed = Text.trimmed(line)
            if lines.count == 1 {
                guard trimmed == "---" else {
                    throw FrontMatterError(line: 1, message: "missing front matter: the file must start with a '---' line")
                }
            } else if trimmed == "---" || trimmed == "..." {
                closing = lines.count - 1
                closingHasNewline = !atEnd
                break
            }
            if atEnd { break }
            lineStart = bodyStart
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
            if !isContinuation(line) {
                guard let parsedKey = self.key(of: line) else {
                    throw FrontMatterError(line: index + 1, message: "expected 'key: value', found '\(Text.shown(line))'")
                }
                if let previous = seen[parsedKey] {
                    throw FrontMatterError(line: index + 1, message: "duplicate key '\(parsedKey)' (first on line \(previous))")
                }
                seen[parsedKey] = index + 1
                key = parsedKey
            }
            index += 1
            while index < closing, isContinuation(lines[index]) { index += 1 }
            // Blank lines and column-0 comments at the end are kept when the value is rewritten;
            // indented lines, even ones starting with '#', may be part of the value (a block scalar).
            var valueEnd = index
            while valueEnd > start + 1, isTrailing(lines[valueEnd - 1]) { valueEnd -= 1 }
            let valueRaw = lines[start..<valueEnd].joined(separator: "\n")
            let trailingRaw = valueEnd < index ? lines[valueEnd..<index].joined(separator: "\n") : nil
            let value: YAMLValue
            if let key {
                value = try YAMLValue.parse(field: lines[start..<index].joined(separator: "\n"), key: key, line: start + 1)
            } else {
                value = .null
            }
            fields.append(Field(
                key: key, valueRaw: valueRaw, trailingRaw: trailingRaw,
                inlineComment: valueEnd == start + 1 ? inlineComment(of: line) : nil,
                lineEnding: line.hasSuffix("\r") ? "\r" : "", line: start + 1, value: value))
        }
        var document = FrontMatterDocument(fields: [], body: String(text[bodyStart...]))
        document.fields = fields
        document.openingLine = String(lines[0])
        document.closingLine = String(lines[closing])
        document.closingHasNewline = closingHasNewline
        document.bodyLine = closing + 2
        return document
    }

    /// Lines that continue the previous key: indented, blank, comments, and `- item` lines of a
    /// block sequence written at column 0.
    private static func isContinuation(_ line: Substring) -> Bool {
        guard let first = line.first else { return true }
        if first == " " || first == "\t" || first == "#" { return true }
        if line.hasPrefix("- ") || Text.trimmed(line) == "-" { return true }
        return Text.trimmed(line).isEmpty
    }

    private static func isTrailing(_ line: Substring) -> Bool {
        line.hasPrefix("#") || Text.trimmed(line).isEmpty
    }

    private static func key(of line: Substring) -> String? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let after = line.index(after: colon)
        guard after == line.endIndex || line[after] == " " || line[after] == "\t" || line[after] == "\r" else { return nil }
        let key = String(Text.trimmed(line[..<colon]))
        guard !key.isEmpty, !key.contains(Character(" ")), key.first.map({ !"\"'[{&*!|>%@`".contains($0) }) ?? false else {
            return nil
        }
        return key
    }

    /// The ` # comment` after a plain one-line value (or after an empty one), kept when the value
    /// is rewritten.
    private static func inlineComment(of line: Substring) -> String? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let afterColon = line[line.index(after: colon)...]
        let value = Text.trimmed(afterColon)
        if value.hasPrefix("#") {
            return " " + String(value)
        }
        guard let first = value.first, first != "\"", first != "'",
              let hash = Text.find(" #", in: value) ?? Text.find("\t#", in: value) else { return nil }
        var start = hash
        while start > value.startIndex, let previous = value.utf8[..<start].last, previous == 0x20 || previous == 0x09 {
            start = value.utf8.index(before: start)
        }
        return String(value[start...])
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

    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public func problem(in path: String) -> FileProblem {
        FileProblem(path: path, line: line, message: message)
    }
}
