import Age
import Foundation
import GitStore
import JournalModel

extension Journal {
    /// The manager's age identity and the journal's recipients (`.rapport/recipients`): what
    /// encrypts an entry and what opens it.
    public struct Keys {
        let journal: Journal
    }

    /// The identity that opens this journal's encrypted files and the recipients they are encrypted to.
    public var keys: Keys { Keys(journal: self) }
}

extension Journal.Keys {
    public static let recipientsPath = ".rapport/recipients"

    /// Where the identity is: `$RAPPORT_IDENTITY`, else this clone's `rapport config identity`,
    /// else `${XDG_CONFIG_HOME:-~/.config}/rapport/identity.txt`. Never the shared settings: whoever
    /// can push could otherwise choose the key a private entry is encrypted to.
    public func identityPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["RAPPORT_IDENTITY"], !path.isEmpty { return Self.expandingTilde(path, environment) }
        if let path = journal.local.identity, !path.isEmpty { return Self.expandingTilde(path, environment) }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return configHome + "/rapport/identity.txt"
    }

    static func expandingTilde(_ path: String, _ environment: [String: String]) -> String {
        path.hasPrefix("~/") ? (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst(1) : path
    }

    /// The identities in the identity file; a clear error when there is none.
    public func identities(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [AgeIdentity] {
        let path = identityPath(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError(.noIdentity(path: path))
        }
        do {
            return try AgeIdentity.parseFile(String(decoding: data, as: UTF8.self))
        } catch {
            throw JournalError.data("\(path) is not an age identity file (AGE-SECRET-KEY-1... lines): \(error)")
        }
    }

    /// The recipients listed in `.rapport/recipients`, in file order.
    public func recipients() throws -> [AgeRecipient] { try Self.members(in: recipientsText()).map(\.recipient) }

    /// `.rapport/recipients` as it is ("" when there is none); a link is refused, never followed.
    func recipientsText() throws -> String {
        switch NoFollow.read(Self.recipientsPath, under: journal.root) {
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .absent: return ""
        case .refused(let reason): throw FileProblem(path: Self.recipientsPath, line: 1, message: "\(reason); rapport never reads through links")
        }
    }

    /// The recipient and the name on one line (`age1... # Dana Lee`: what follows a # is the
    /// name `keys add --name` wrote); nil for a blank or comment line. Not parsed as a recipient.
    static func fields(of line: Substring) -> (recipient: String, name: String?)? {
        let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let recipient = parts[0].trimmingCharacters(in: .whitespaces)
        guard !recipient.isEmpty else { return nil }
        let name = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        return (recipient, name.isEmpty ? nil : name)
    }

    /// The recipients in a recipients file's `text`, with their names (blank lines and `#`
    /// comments skipped). A line that is not a recipient is reported by number only: quoted back,
    /// it could print a secret key that a link or a careless paste put there.
    static func members(in text: String) throws -> [(recipient: AgeRecipient, name: String?)] {
        var members: [(recipient: AgeRecipient, name: String?)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let (text, name) = fields(of: line) else { continue }
            do { members.append((try AgeRecipient(string: text), name)) } catch let error as AgeError {
                let why = SecretKey.appears(in: Data(text.utf8)) ? "a secret key (AGE-SECRET-KEY-1...), which must never be in the journal"
                    : error.detail.contains("low-order") ? "a low-order X25519 point, which anyone could decrypt for" : "not an age recipient (age1...)"
                throw FileProblem(path: Self.recipientsPath, line: index + 1, message: "this line is \(why)")
            }
        }
        return members
    }

    /// The recipients file with one more line, `recipient # name`.
    func adding(_ recipient: AgeRecipient, name: String?) throws -> FileChange {
        var text = try recipientsText()
        if text.isEmpty { text = "# age recipients that encrypted entries are readable by, one per line\n" }
        if !text.hasSuffix("\n") { text += "\n" }
        text += recipient.description + (name.map { " # " + $0 } ?? "") + "\n"
        return .write(Self.recipientsPath, Data(text.utf8))
    }

    public struct Outcome: Sendable {
        public let recipient: AgeRecipient
        public let identityPath: String
        /// A new identity file was written (else an existing one was used).
        public let created: Bool
        /// The recipient was added to `.rapport/recipients` in a commit.
        public let added: Bool
    }

    /// Writes a new identity (mode 0600, in a 0700 folder) unless one exists, then lists its
    /// recipient in `.rapport/recipients` with a commit when it is not there yet.
    public func initialize(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Outcome {
        let path = identityPath(environment: environment)
        if journal.pathInWorkTree(Journal.absolutePath(path)) != nil {
            throw JournalError.usage("The identity \(path) is inside the journal, where a sync would share it; keep it outside (the default is ~/.config/rapport/identity.txt).")
        }
        var created = false
        let identity: AgeIdentity
        if FileManager.default.fileExists(atPath: path) {
            identity = try identities(environment: environment)[0]
        } else {
            identity = AgeIdentity()
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let text = "# created: \(Timestamp(journal.now, in: journal.timeZone).text)\n# public key: \(identity.recipient)\n\(identity)\n"
            // O_EXCL and mode 0600 from the start: the key is never readable by others, not even briefly.
            let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw JournalError.failure("Cannot create \(path): \(String(cString: strerror(errno))).") }
            let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do {
                try file.write(contentsOf: Data(text.utf8))
                try file.synchronize()
                try file.close()
            } catch {
                unlink(path)
                throw JournalError.failure("Cannot write \(path).")
            }
            created = true
        }
        let recipient = identity.recipient
        // A clone with a key encrypts private entries from now on, whatever the shared file says
        // (a journal cloned after someone lowered it to `none` would otherwise start there).
        if (journal.local.encryptFloor ?? .none) < .private {
            try journal.repository.setConfigValues(LocalSettings.Key.encrypt.gitKey, to: [JournalConfig.Encryption.private.rawValue])
        }
        let added = try journal.transaction { _ in
            if try recipients().contains(recipient) { return ([], "", false) }
            return ([try adding(recipient, name: nil)], "Add age recipient \(recipient)", true)
        }
        return Outcome(recipient: recipient, identityPath: path, created: created, added: added)
    }
}
