import Foundation

/// Journal text (names, notes, recognition, categories) as it goes into a Markdown digest, which
/// is published and opened in Markdown viewers: a note must not become an HTML tag, a link or an
/// image there, whatever template renders it, `{{{ }}}` included.
enum MarkdownText {
    /// `text` with a backslash before each character that can open raw HTML, an autolink, a link
    /// or an image (`<`, `>`, `[`, `]`), split a table cell (`|`) or undo such an escape (`\`),
    /// and with line breaks turned into spaces, since every value sits inside one line. The rest
    /// stays as typed, to read well in a terminal: `*` or `#` can only change how text looks.
    /// Scalar by scalar, as Markdown parsers read: `[` with a combining mark is one Character but
    /// still opens a link.
    static func escaped(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\r": result.append(" ")
            case "\\", "<", ">", "[", "]", "|": result.append("\\"); result.append(scalar)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
