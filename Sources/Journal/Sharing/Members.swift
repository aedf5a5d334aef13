import Age
import Foundation
import GitStore
import JournalModel

/// Co-managers' keys: the recipients in `.rapport/recipients`, each optionally named
/// (`age1... # Dana Lee`), and re-encrypting entries when they change (docs/Encryption.md).
extension Journal.Keys {
    /// A recipient an entry can be encrypted to, and the name it was added with.
    public struct Member: Sendable, Equatable {
        public let recipient: AgeRecipient
        public let name: String?
        /// This machine's identity opens what is encrypted to it.
        public let isYou: Bool
    }

    /// Every recipient in `.rapport/recipients`, in file order.
    public func members() throws -> [Member] {
        let own = Set(((try? journal.readingIdentities()) ?? []).map(\.recipient.description))
        let lines = NoFollow.contents(Self.recipientsPath, under: journal.root).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var names: [String: String] = [:]
        for line in lines.split(separator: "\n") {
            let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = parts[1].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names[parts[0].trimmingCharacters(in: .whitespaces)] = name }
        }
        return try recipients().map { Member(recipient: $0, name: names[$0.description], isYou: own.contains($0.description)) }
    }

    /// Adds a co-manager's recipient, named, in one commit. Entries already encrypted stay readable
    /// only by their earlier recipients until `rekey`.
    public func add(_ typed: String, name: String) throws -> Member {
        let recipient: AgeRecipient
        do { recipient = try AgeRecipient(string: typed.trimmingCharacters(in: .whitespaces)) } catch {
            throw JournalError(SecretKey.appears(in: Data(typed.utf8)) ? .secretKeyGivenAsRecipient : .notARecipient(typed: Text.shown(typed)))
        }
        let cleanName = name.trimmingCharacters(in: .whitespaces)
        guard !cleanName.isEmpty, !cleanName.contains(where: { $0.isNewline || $0 == "#" }) else {
            throw JournalError(.badMemberName(typed: Text.shown(name)))
        }
        return try journal.transaction { _ in
            if let existing = try members().first(where: { $0.recipient == recipient }) {
                throw JournalError(.recipientExists(name: existing.name ?? existing.recipient.description))
            }
            var text = NoFollow.contents(Self.recipientsPath, under: journal.root).map { String(decoding: $0, as: UTF8.self) }
                ?? "# age recipients that encrypted entries are readable by, one per line\n"
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += "\(recipient) # \(cleanName)\n"
            return ([.write(Self.recipientsPath, Data(text.utf8))], "Add age recipient \(cleanName)", Member(recipient: recipient, name: cleanName, isYou: false))
        }
    }

    /// What `rekey` did.
    public struct Rekeyed: Sendable {
        /// Entries re-encrypted to the current recipients.
        public let entries: Int
        /// Encrypted entries this machine's identity cannot open (a co-manager's private ones):
        /// left as they are.
        public let unreadable: [String]
    }

    /// Removes a recipient (by its age1... string or the name it was added with) and re-encrypts
    /// every entry this identity opens to those left, in one commit. What they could read before
    /// stays readable to them in history and in their clone.
    public func remove(_ typed: String) throws -> (member: Member, rekeyed: Rekeyed) {
        try journal.transaction { _ in
            let members = try members()
            let matches = members.filter { $0.recipient.description == typed || $0.name == typed }
            guard matches.count == 1, let member = matches.first else {
                throw JournalError(matches.isEmpty ? .noSuchRecipient(typed: Text.shown(typed)) : .ambiguousRecipient(typed: Text.shown(typed)))
            }
            let text = NoFollow.contents(Self.recipientsPath, under: journal.root).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                    .trimmingCharacters(in: .whitespaces) != member.recipient.description
            }.joined(separator: "\n")
            let file = FileChange.write(Self.recipientsPath, Data(kept.utf8))
            let (changes, rekeyed) = try reencryptingEntries(besides: [file], recipientsFile: Data(kept.utf8))
            return ([file] + changes, "Remove age recipient \(member.name ?? member.recipient.description); re-encrypt \(rekeyed.entries) entries", (member, rekeyed))
        }
    }

    /// Re-encrypts every encrypted entry this identity opens to the recipients it is stored for
    /// now (a private entry: your own identity; any other: `.rapport/recipients` and yours), in one
    /// commit, so a co-manager added later reads the older shared entries.
    public func rekey() throws -> Rekeyed {
        try journal.transaction { _ in
            let (changes, rekeyed) = try reencryptingEntries(besides: [], recipientsFile: nil)
            return (changes, "Re-encrypt \(rekeyed.entries) entries to the current recipients", rekeyed)
        }
    }

    /// The re-encrypted entries; with `recipientsFile`, as if `.rapport/recipients` held that.
    private func reencryptingEntries(besides: [FileChange], recipientsFile: Data?) throws -> ([FileChange], Rekeyed) {
        let identities = try journal.readingIdentities()
        let own = identities.map(\.recipient)
        var shared: [AgeRecipient] = []
        if let recipientsFile {
            for line in String(decoding: recipientsFile, as: UTF8.self).split(separator: "\n") {
                let text = (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmingCharacters(in: .whitespaces)
                if !text.isEmpty, let recipient = try? AgeRecipient(string: text) { shared.append(recipient) }
            }
        } else {
            shared = try recipients()
        }
        let everyone = (shared + own).reduce(into: [AgeRecipient]()) { if !$0.contains($1) { $0.append($1) } }
        var changes: [FileChange] = []
        var unreadable: [String] = []
        for path in DirectoryWalk.regularFiles(in: journal.root, under: "entries").sorted()
        where path.hasSuffix(".md.age") && !ConflictCopy.isCopy(path) {
            guard case .bytes(let stored) = NoFollow.read(path, under: journal.root),
                  let markdown = try? Age.decrypt(stored, identities: identities),
                  let entry = try? Entry(data: markdown, path: path, zone: journal.timeZone) else {
                unreadable.append(path)
                continue
            }
            changes.append(.write(path, try Age.encrypt(markdown, to: entry.isMarkedPrivate ? own : everyone)))
        }
        return (changes, Rekeyed(entries: changes.count, unreadable: unreadable))
    }
}
