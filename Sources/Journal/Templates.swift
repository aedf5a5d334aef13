import Foundation
import GitStore
import JournalModel
import Mustache

/// The Mustache templates: a journal's own `.rapport/templates/<name>.mustache` when this clone
/// trusts it, else the built-in one compiled from the repository's `templates/` folder.
///
/// A template in the journal came from whoever can push to the shared remote, and it renders
/// private notes, so it runs only when the reader approved its exact bytes (`rapport templates
/// trust` keeps its blob id in local config). One that changed since (a pull, an edit) gives a
/// warning and the built-in runs until it is trusted again (docs/Trust.md).
public struct Templates: Sendable {
    /// The journal's work tree.
    let root: String
    /// Blob ids of approved templates.
    let trusted: Set<String>
    let warn: @Sendable (JournalWarning) -> Void

    public static let folder = ".rapport/templates"

    static let builtIn: [String: [UInt8]] = [
        "one-on-one.md": PackageResources.one_on_one_md_mustache,
        "person.md": PackageResources.person_md_mustache,
        "digest.md": PackageResources.digest_md_mustache,
        "digest.html": PackageResources.digest_html_mustache,
        "prep.md": PackageResources.prep_md_mustache,
    ]

    /// The names a journal may override, sorted.
    public static var names: [String] { builtIn.keys.sorted() }

    /// A template file in the journal, and whether this clone trusts it.
    public struct Override: Sendable, Equatable {
        public let name: String
        public let path: String
        /// Its blob id, nil when it cannot be read (a link, not a regular file).
        public let blob: String?
        public let isTrusted: Bool
        /// Why it cannot be read, if it cannot.
        public let refusal: String?
    }

    /// The journal's template for `name`, if it has one, with its bytes when they can be read.
    func override(_ name: String) -> (found: Override, data: Data?)? {
        let path = Templates.folder + "/" + name + ".mustache"
        switch NoFollow.read(path, under: root) {
        case .absent: return nil
        case .refused(let reason): return (Override(name: name, path: path, blob: nil, isTrusted: false, refusal: reason), nil)
        case .bytes(let data):
            let blob = ObjectID.blob(hashing: data)?.description
            return (Override(name: name, path: path, blob: blob, isTrusted: blob.map(trusted.contains) ?? false, refusal: nil), data)
        }
    }

    /// Every template the journal overrides.
    public var overrides: [Override] { Templates.names.compactMap { override($0)?.found } }

    /// The template text, and where it came from (for error messages).
    public func source(_ name: String) throws -> (text: String, origin: String) {
        guard let bytes = Templates.builtIn[name] else {
            throw JournalError.failure("There is no template named '\(name)'.")
        }
        if let (found, data) = override(name) {
            if found.isTrusted, let data {
                guard let text = String(validating: data, as: UTF8.self) else {
                    throw JournalError.data("\(found.path) is not valid UTF-8.")
                }
                return (text, found.path)
            }
            let why = found.refusal.map { "it cannot be used (\($0))" }
                ?? "this clone has not trusted its current version (it is new, or changed since you trusted it)"
            warn(.templateNotUsed(path: found.path, name: name, why: why))
        }
        return (String(decoding: bytes, as: UTF8.self), "built-in \(name)")
    }

    public func render(_ name: String, _ context: [String: Any]) throws -> String {
        let (text, origin) = try source(name)
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: text)
        } catch {
            throw Templates.problem(error, path: origin)
        }
        return template.render(context)
    }

    /// Why Mustache refused a template, as a problem on its line.
    static func problem(_ error: Error, path: String) -> FileProblem {
        guard let parse = error as? MustacheTemplate.ParserError else {
            return FileProblem(path: path, line: 1, message: "not a valid Mustache template")
        }
        let why: String
        switch parse.error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: why = "a section is closed with another name than the one it opened with"
        case .unfinishedName?: why = "a tag is not closed with }}"
        case .expectedSectionEnd?: why = "a section is never closed (its {{/name}} is missing)"
        case .invalidSetDelimiter?: why = "a set-delimiter tag ({{=<% %>=}}) is malformed"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: why = "a {{% ...}} setting is not one Mustache knows"
        default: why = "not valid Mustache here"
        }
        return FileProblem(path: path, line: parse.context.lineNumber, message: "column \(parse.context.columnNumber): \(why)")
    }

    /// What `check` reports about the journal's own templates, trusted or not: each that does not
    /// parse, and each file in the folder that is no template rapport uses (it is ignored).
    public var problems: [FileProblem] {
        var problems: [FileProblem] = []
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + Templates.folder)) ?? []
        for file in files.sorted() where !file.hasPrefix(".") {
            let path = Templates.folder + "/" + file
            guard file.hasSuffix(".mustache"), Templates.builtIn[String(file.dropLast(".mustache".count))] != nil else {
                problems.append(FileProblem(path: path, line: 1, message: "not a template rapport uses, so it is ignored; they are "
                    + Templates.names.map { $0 + ".mustache" }.joined(separator: ", ")))
                continue
            }
            guard case .bytes(let data) = NoFollow.read(path, under: root) else { continue }  // links: reported by check
            guard let text = String(validating: data, as: UTF8.self) else {
                problems.append(FileProblem(path: path, line: 1, message: "not valid UTF-8"))
                continue
            }
            do { _ = try MustacheTemplate(string: text) } catch { problems.append(Templates.problem(error, path: path)) }
        }
        return problems
    }
}

extension Journal {
    public var templates: Templates { Templates(root: root, trusted: local.trustedTemplates, warn: warn) }

    /// Trusts the templates `names` gives (as `digest.html`, or its file name or path) as they are
    /// now: each one by name, so a template a sync just brought in is never trusted unread along
    /// with the others. The trusted set is rewritten to hold only ids of templates present now.
    /// Returns what is trusted.
    @discardableResult
    public func trustTemplates(_ names: [String]) throws -> [Templates.Override] {
        let overrides = templates.overrides
        guard !names.isEmpty else {
            let untrusted = overrides.filter { !$0.isTrusted }.map(\.name)
            throw JournalError.usage(untrusted.isEmpty ? "Name the templates to trust; every template in \(Templates.folder) is trusted already."
                : "Name the templates to trust once you have read them: \(untrusted.joined(separator: ", ")).")
        }
        let wanted = names.map { name in
            String(name.split(separator: "/").last ?? "").replacingOccurrences(of: ".mustache", with: "")
        }
        for (name, typed) in zip(wanted, names) where !overrides.contains(where: { $0.name == name }) {
            let known = overrides.map(\.name)
            throw JournalError.usage("The journal has no template '\(Text.shown(typed))'"
                + (known.isEmpty ? " (there is none in \(Templates.folder))." : "; it has \(known.joined(separator: ", "))."))
        }
        let chosen = overrides.filter { wanted.contains($0.name) }
        if let unreadable = chosen.first(where: { $0.blob == nil }) {
            throw JournalError.data("\(unreadable.refusal ?? unreadable.path): it cannot be trusted. Replace it with a plain file.")
        }
        let kept = overrides.filter { $0.isTrusted && !chosen.contains($0) }.compactMap(\.blob)
        try repository.setConfigValues(LocalSettings.trustedTemplateKey, to: Array(Set(kept + chosen.compactMap(\.blob))).sorted())
        return chosen
    }
}
