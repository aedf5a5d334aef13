import Foundation
import Mustache

/// The Mustache templates: a journal's own `.rapport/templates/<name>.mustache` when present,
/// else the built-in one compiled from the repository's `templates/` folder.
public struct Templates: Sendable {
    public let overrideDirectory: String

    static let builtIn: [String: [UInt8]] = [
        "one-on-one.md": PackageResources.one_on_one_md_mustache,
        "person.md": PackageResources.person_md_mustache,
        "digest.md": PackageResources.digest_md_mustache,
        "digest.html": PackageResources.digest_html_mustache,
        "prep.md": PackageResources.prep_md_mustache,
    ]

    /// The template text, and where it came from (for error messages).
    public func source(_ name: String) throws -> (text: String, origin: String) {
        let overridePath = overrideDirectory + "/" + name + ".mustache"
        if let data = FileManager.default.contents(atPath: overridePath) {
            guard let text = String(validating: data, as: UTF8.self) else {
                throw JournalError.data("\(overridePath) is not valid UTF-8.")
            }
            return (text, overridePath)
        }
        guard let bytes = Templates.builtIn[name] else {
            throw JournalError.failure("There is no template named '\(name)'.")
        }
        return (String(decoding: bytes, as: UTF8.self), "built-in \(name)")
    }

    public func render(_ name: String, _ context: [String: Any]) throws -> String {
        let (text, origin) = try source(name)
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: text)
        } catch {
            throw JournalError.data("The template \(origin) is not valid Mustache: \(error)")
        }
        return template.render(context)
    }
}

extension Journal {
    public var templates: Templates { Templates(overrideDirectory: root + "/.rapport/templates") }
}
