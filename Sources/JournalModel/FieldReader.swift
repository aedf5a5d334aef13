import Foundation

/// Typed access to a parsed front matter, turning every bad value into a `FileProblem` on the
/// key's line.
struct FieldReader {
    let document: FrontMatterDocument
    let path: String

    func problem(_ key: String?, _ message: String) -> FileProblem {
        FileProblem(path: path, line: key.flatMap { document.line(of: $0) } ?? 1, message: message)
    }

    func has(_ key: String) -> Bool {
        guard let value = document[key] else { return false }
        return !value.isNull
    }

    func string(_ key: String) throws(FileProblem) -> String? {
        guard let value = document[key], !value.isNull else { return nil }
        guard let text = value.string else { throw problem(key, "'\(key)' must be a single value") }
        return text
    }

    func requiredString(_ key: String) throws(FileProblem) -> String {
        guard let text = try string(key), !Text.trimmed(text).isEmpty else {
            throw problem(nil, "missing '\(key)'")
        }
        return text
    }

    func slug(_ key: String) throws(FileProblem) -> Slug {
        let text = try requiredString(key)
        guard Slug.isValid(text) else { throw problem(key, "'\(key)' is not a valid slug: '\(Text.shown(text))'") }
        return Slug(trusted: text)
    }

    func slugs(_ key: String) throws(FileProblem) -> [Slug] {
        let texts = try list(key)
        guard !texts.isEmpty else { throw problem(has(key) ? key : nil, "missing '\(key)'") }
        return try texts.map { (text) throws(FileProblem) in
            guard Slug.isValid(text) else { throw problem(key, "'\(key)' has an invalid slug: '\(Text.shown(text))'") }
            return Slug(trusted: text)
        }
    }

    /// A list; a single scalar counts as a list of one, as people write `tags: career`.
    func list(_ key: String) throws(FileProblem) -> [String] {
        switch document[key] {
        case nil, .null?: return []
        case .scalar(let text)?: return [text]
        case .boolean(let value)?: return [value ? "true" : "false"]
        case .list(let items)?: return items
        case .other?: throw problem(key, "'\(key)' must be a list such as [a, b]")
        }
    }

    func scale(_ key: String) throws(FileProblem) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text), (1...5).contains(value) else {
            throw problem(key, "'\(key)' must be a whole number from 1 to 5, not '\(Text.shown(text))'")
        }
        return value
    }

    func bool(_ key: String, default fallback: Bool) throws(FileProblem) -> Bool {
        guard let text = try string(key) else { return fallback }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw problem(key, "'\(key)' must be true or false, not '\(Text.shown(text))'")
        }
    }

    func day(_ key: String) throws(FileProblem) -> LocalDay? {
        guard let text = try string(key) else { return nil }
        guard let day = LocalDay(text) else { throw problem(key, "'\(key)' must be a real day as YYYY-MM-DD, not '\(Text.shown(text))'") }
        return day
    }

    func timestamp(_ key: String, zone: TimeZone) throws(FileProblem) -> Timestamp {
        let text = try requiredString(key)
        guard let timestamp = Timestamp(parsing: text, defaultZone: zone) else {
            throw problem(key, "'\(key)' must be an ISO 8601 time such as 2026-11-28T14:30:00+01:00, not '\(Text.shown(text))'")
        }
        return timestamp
    }

    func oneOf(_ key: String, _ allowed: [String], default fallback: String) throws(FileProblem) -> String {
        guard let text = try string(key) else { return fallback }
        guard allowed.contains(text) else {
            throw problem(key, "'\(key)' must be one of \(allowed.joined(separator: ", ")), not '\(Text.shown(text))'")
        }
        return text
    }
}

/// Reads field after field and keeps every problem instead of stopping at the first, which is
/// what `check` reports; a field with a problem reads as nil.
struct ProblemCollector {
    var problems: [FileProblem] = []

    mutating func field<T>(_ read: () throws(FileProblem) -> T) -> T? {
        do { return try read() } catch { problems.append(error); return nil }
    }

    /// Every problem in a file: its front matter's syntax, else what `read` collects from it.
    static func problems(in data: Data, path: String, _ read: (FrontMatterDocument, inout ProblemCollector) -> Void) -> [FileProblem] {
        let document: FrontMatterDocument
        do {
            document = try FrontMatterDocument.parse(data)
        } catch {
            return [error.problem(in: path)]
        }
        var collector = ProblemCollector()
        read(document, &collector)
        return collector.problems
    }
}
