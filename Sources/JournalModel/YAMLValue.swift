import Foundation
import Yams

/// A front-matter value as rapport reads and writes it. Plain `null`, `~` and empty values are
/// `.null`; other scalars keep their text; anything deeper (a mapping) is kept as `.other`, and is
/// only ever written back verbatim.
public enum YAMLValue: Sendable, Equatable {
    case null
    case scalar(String)
    /// A plain `true` or `false`.
    case boolean(Bool)
    case list([String])
    case other

    public var string: String? {
        switch self {
        case .scalar(let text): text
        case .boolean(let value): value ? "true" : "false"
        default: nil
        }
    }

    public var isNull: Bool { self == .null }

    // MARK: - Writing

    /// The value on one line: plain when YAML reads it back unchanged, else double-quoted.
    var emitted: String {
        switch self {
        case .null, .other: ""
        case .scalar(let text): YAMLValue.emit(text, inFlow: false)
        case .boolean(let value): value ? "true" : "false"
        case .list(let items): "[" + items.map { YAMLValue.emit($0, inFlow: true) }.joined(separator: ", ") + "]"
        }
    }

    static func emit(_ text: String, inFlow: Bool) -> String {
        isPlainSafe(text, inFlow: inFlow) ? text : quoted(text)
    }

    private static let reservedWords: Set<String> = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"]

    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || first == " " || last == " " || last == ":" {
            return false
        }
        if reservedWords.contains(text.lowercased()) { return false }
        if Text.contains(": ", in: text) || Text.contains(" #", in: text) { return false }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\u{FEFF}" || scalar == "\u{85}"
                || scalar == "\u{2028}" || scalar == "\u{2029}" { return false }
            if inFlow, ",[]{}".unicodeScalars.contains(scalar) { return false }
        }
        return true
    }

    /// A double-quoted YAML scalar; escapes follow YAML 1.2 (a subset of JSON's).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\u{FEFF}" || scalar == "\u{85}"
                    || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: - Reading

    /// Reads one top-level field (`key: value` plus its continuation lines). Simple single-line
    /// values are read directly; everything else goes through a full YAML parser.
    static func parse(field raw: String, key: String, line: Int) throws(FrontMatterError) -> YAMLValue {
        // Bytes, not Characters: "\r\n" is a single Character and would hide the line break.
        if !raw.utf8.contains(0x0a), let colon = raw.firstIndex(of: ":") {
            if let value = fastPath(Text.trimmed(raw[raw.index(after: colon)...])) { return value }
        }
        return try parseWithYams(raw, key: key, line: line)
    }

    private static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    private static func fastPath(_ rest: Substring) -> YAMLValue? {
        var trimmed = rest
        if let comment = Text.find(" #", in: trimmed) { trimmed = Text.trimmed(trimmed[..<comment]) }
        if trimmed.hasPrefix("#") { trimmed = "" }
        let text = String(trimmed)
        if nullWords.contains(text) { return .null }
        if text == "true" || text == "false" { return .boolean(text == "true") }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            if inner.contains(where: { "[]{}\"'#&*!|>%@`".contains($0) }) { return nil }
            if Text.trimmed(inner).isEmpty { return .list([]) }
            let items = inner.split(separator: ",", omittingEmptySubsequences: false).map { String(Text.trimmed($0)) }
            guard items.allSatisfy({ !$0.isEmpty && isPlainSafe($0, inFlow: true) && !nullWords.contains($0) }) else {
                return nil
            }
            return .list(items)
        }
        return isPlainSafe(text, inFlow: false) ? .scalar(text) : nil
    }

    private static func parseWithYams(_ raw: String, key: String, line: Int) throws(FrontMatterError) -> YAMLValue {
        let node: Node?
        do {
            // The field ends where the next key starts, so its last line is a complete line.
            // Tags are not resolved (`convert` reads plain scalars itself), as in JournalConfig.
            node = try Yams.compose(yaml: raw + "\n", Yams.Resolver.basic)
        } catch let error as YamlError {
            // libyaml may point just past the end of the field; keep the line inside it.
            let lastLine = line + raw.utf8.filter { $0 == 0x0a }.count
            throw FrontMatterError(line: min(line + errorLine(error) - 1, lastLine),
                                   message: "'\(key)' is not valid YAML: \(problem(error))")
        } catch {
            throw FrontMatterError(line: line, message: "'\(key)' is not valid YAML")
        }
        guard let mapping = node?.mapping, let value = mapping.first?.value else {
            throw FrontMatterError(line: line, message: "expected 'key: value' for '\(key)'")
        }
        return convert(value)
    }

    private static func convert(_ node: Node) -> YAMLValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, nullWords.contains(scalar.string) { return .null }
            if scalar.style == .plain, scalar.string == "true" || scalar.string == "false" { return .boolean(scalar.string == "true") }
            return .scalar(scalar.string)
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else { return .other }
                items.append(scalar.string)
            }
            return .list(items)
        default:
            return .other
        }
    }

    private static func errorLine(_ error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }

    private static func problem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}
