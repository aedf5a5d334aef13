import Foundation

/// Output formats of `rapport digest`.
public enum DigestFormat: String, Sendable, CaseIterable {
    case md, html, json

    /// The format a file name's extension names, in any case (`.md` or `.markdown`, `.html` or
    /// `.htm`, `.json`); nil for any other, whose format the caller chooses.
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "md", "markdown": self = .md
        case "html", "htm": self = .html
        case "json": self = .json
        default: return nil
        }
    }
}
