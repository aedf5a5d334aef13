import Foundation
import Yams

/// `.rapport/journal.yml`: the settings shared with everyone who syncs the journal. Every key is
/// optional; missing ones take the defaults below, and unknown keys are left alone (rapport never
/// rewrites this file). The file comes from the shared remote, so it decides nothing that is the
/// reader's own: keys that are local settings (`LocalSettings`) are reported and ignored, and a
/// journal's encryption can be raised here but not lowered (docs/Trust.md).
public struct JournalConfig: Sendable, Equatable {
    public enum Encryption: String, Sendable, Comparable, CaseIterable {
        case none, `private`, all

        public static func < (lhs: Encryption, rhs: Encryption) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// A local-only key the shared file sets, which is ignored.
    public struct IgnoredKey: Sendable, Equatable {
        public let key: String
        public let line: Int
    }

    public struct HealthWeights: Sendable, Equatable {
        public var mood = 0.30
        public var energy = 0.20
        public var cadence = 0.25
        public var recognition = 0.25

        public init() {}
    }

    public var name = "journal"
    public var timeZone: TimeZone = .current
    /// 1 = Sunday ... 7 = Saturday, as `Calendar` counts; Monday by default.
    public var weekStart = 2
    public var defaultCadence = Cadence.weekly
    public var categories = ["shipping", "quality", "learning", "helping", "leadership", "customer", "craft"]
    public var watchWords = [
        "burnout", "burned out", "exhausted", "overwhelmed", "stressed", "quit", "quitting", "leaving", "interview",
        "impostor", "frustrated", "blocked", "unfair", "isolated",
    ]
    public var healthWeights = HealthWeights()
    /// Days without recognition, counted from the later of `started:` and the last recognition,
    /// after which the digest signals a recognition gap.
    public var recognitionGapDays = 35
    public var encrypt = Encryption.private
    /// `Name <email>` for commits; else git's user.name and user.email.
    public var author: String?
    /// Local settings the file sets anyway (`identity`, `sync.auto`, `sync.allow_insecure`, with a
    /// value other than the default): ignored, and reported by the journal when it opens.
    public var ignoredLocalKeys: [IgnoredKey] = []

    public static let path = ".rapport/journal.yml"
    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    public init() {}

    /// The file `rapport init` writes: every setting spelled out, so it can be edited in place.
    public static func initialText(name: String, timeZone: TimeZone, author: String?, encrypt: Encryption = .private) -> String {
        let defaults = JournalConfig()
        var lines = [
            "# rapport journal settings. Every key is optional; these are the defaults.",
            "name: " + YAMLValue.emit(name, inFlow: false),
            "timezone: " + timeZone.identifier,
        ]
        if let author { lines.append("author: " + YAMLValue.emit(author, inFlow: false)) }
        lines += [
            "week_start: monday",
            "default_cadence: weekly",
            "encrypt: " + encrypt.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0) + "# none | private | all",
            "categories: [" + defaults.categories.joined(separator: ", ") + "]",
            "watch_words: [" + defaults.watchWords.joined(separator: ", ") + "]",
            "health_weights:",
            "  mood: 0.30",
            "  energy: 0.20",
            "  cadence: 0.25",
            "  recognition: 0.25",
            "# Settings of your own clone (identity, sync.auto, the encryption floor) are not kept here:",
            "# see `rapport config`.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads the settings; a bad value is a problem on its line.
    public static func parse(_ data: Data, path: String = JournalConfig.path) throws(FileProblem) -> JournalConfig {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw FileProblem(path: path, line: 1, message: "the file is not valid UTF-8")
        }
        let root: Node?
        do {
            // Only the text of scalars is used, never a resolved tag: the default resolver would
            // compile its dozen regular expressions on every command.
            root = try Yams.compose(yaml: text, Yams.Resolver.basic)
        } catch let error as YamlError {
            var line = 1
            if case .scanner(_, _, let mark, _) = error { line = mark.line }
            if case .parser(_, _, let mark, _) = error { line = mark.line }
            if case .composer(_, _, let mark, _) = error { line = mark.line }
            throw FileProblem(path: path, line: line, message: "not valid YAML")
        } catch {
            throw FileProblem(path: path, line: 1, message: "not valid YAML")
        }
        var config = JournalConfig()
        guard let root else { return config }
        guard let mapping = root.mapping else { throw FileProblem(path: path, line: 1, message: "expected 'key: value' lines") }

        func problem(_ node: Node, _ message: String) -> FileProblem {
            FileProblem(path: path, line: node.mark?.line ?? 1, message: message)
        }
        func string(_ node: Node, _ key: String) throws(FileProblem) -> String {
            guard let text = node.scalar?.string, !text.isEmpty else { throw problem(node, "'\(key)' must be a single value") }
            return text
        }
        func strings(_ node: Node, _ key: String) throws(FileProblem) -> [String] {
            guard let sequence = node.sequence else { throw problem(node, "'\(key)' must be a list such as [a, b]") }
            var result: [String] = []
            for item in sequence {
                guard let text = item.scalar?.string, !text.isEmpty else { throw problem(item, "'\(key)' must list words") }
                result.append(text)
            }
            return result
        }

        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { continue }
            switch key {
            case "name":
                config.name = try string(value, key)
                guard !config.name.contains(where: \.isNewline) else { throw problem(value, "'name' must be one line") }
            case "timezone":
                let identifier = try string(value, key)
                guard let zone = TimeZone(identifier: identifier) else {
                    throw problem(value, "'timezone' must be an IANA time zone such as Europe/Berlin, not '\(identifier)'")
                }
                config.timeZone = zone
            case "week_start":
                let day = try string(value, key).lowercased()
                guard let index = weekdays.firstIndex(of: day) else {
                    throw problem(value, "'week_start' must be a weekday such as monday, not '\(day)'")
                }
                config.weekStart = index + 1
            case "default_cadence":
                let text = try string(value, key)
                guard let cadence = Cadence(text) else {
                    throw problem(value, "'default_cadence' must be weekly, biweekly, monthly or <n>d, not '\(text)'")
                }
                config.defaultCadence = cadence
            case "categories":
                let categories = try strings(value, key)
                guard !categories.isEmpty, categories.allSatisfy(Slug.isValid) else {
                    throw problem(value, "'categories' must be a non-empty list of lower-case words")
                }
                config.categories = categories
            case "watch_words":
                config.watchWords = try strings(value, key)
            case "recognition_gap_days":
                guard let days = Int(try string(value, key)), (7...365).contains(days) else {
                    throw problem(value, "'recognition_gap_days' must be a whole number of days from 7 to 365")
                }
                config.recognitionGapDays = days
            case "health_weights":
                guard let weights = value.mapping else { throw problem(value, "'health_weights' must map components to numbers") }
                for (componentNode, weightNode) in weights {
                    let component = componentNode.scalar?.string ?? ""
                    // `inf`, `nan` and `1e309` parse as numbers too; none of them is a weight.
                    guard let weight = Double(weightNode.scalar?.string ?? ""), weight.isFinite, weight >= 0 else {
                        throw problem(weightNode, "weight of '\(component)' must be a finite number of 0 or more")
                    }
                    switch component {
                    case "mood": config.healthWeights.mood = weight
                    case "energy": config.healthWeights.energy = weight
                    case "cadence": config.healthWeights.cadence = weight
                    case "recognition": config.healthWeights.recognition = weight
                    default: throw problem(componentNode, "unknown health component '\(component)' (mood, energy, cadence, recognition)")
                    }
                }
            case "encrypt":
                let text = try string(value, key)
                guard let mode = Encryption(rawValue: text) else {
                    throw problem(value, "'encrypt' must be none, private or all, not '\(text)'")
                }
                config.encrypt = mode
            case "sync":
                // Pushing after each write, and over an insecure transport, is each reader's choice.
                for (name, setting) in value.mapping ?? [:] {
                    guard let name = name.scalar?.string, ["auto", "allow_insecure"].contains(name),
                          !["false", "no", "off", ""].contains(setting.scalar?.string.lowercased() ?? "x") else { continue }
                    config.ignoredLocalKeys.append(IgnoredKey(key: "sync." + name, line: setting.mark?.line ?? 1))
                }
            case "identity", "encrypt_floor", "trusted_templates":
                // Which key decrypts, the encryption floor and trusted templates are each reader's own.
                config.ignoredLocalKeys.append(IgnoredKey(key: key, line: value.mark?.line ?? 1))
            case "author":
                let text = try string(value, key)
                guard text.contains("<"), text.hasSuffix(">") else {
                    throw problem(value, "'author' must look like 'Dana Lee <dana@example.com>', not '\(text)'")
                }
                config.author = text
            default:
                continue
            }
        }
        return config
    }
}
