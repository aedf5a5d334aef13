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
        let own = ((try? journal.readingIdentities()) ?? []).map(\.recipient)
        return try Self.members(in: recipientsText()).map { Member(recipient: $0.recipient, name: $0.name, isYou: own.contains($0.recipient)) }
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
            return ([try adding(recipient, name: cleanName)], "Add age recipient \(cleanName)", Member(recipient: recipient, name: cleanName, isYou: false))
        }
    }

    /// What `rekey` did.
    public struct Rekeyed: Sendable {
        /// Entries re-encrypted to the current recipients.
        public let entries: Int
        /// Who opens the shared ones now: "you", a member's name, or a recipient without one.
        public let readers: [String]
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
            // The age1... string first; a name only when it names one recipient (lines pushed
            // twice, or a name copied onto another key, must not block the removal).
            let exact = members.filter { $0.recipient.description == typed }
            let named = members.filter { $0.name == typed }
            var matches = Array(exact.prefix(1))
            for member in named where exact.isEmpty && !matches.contains(where: { $0.recipient == member.recipient }) { matches.append(member) }
            guard matches.count == 1, let member = matches.first else {
                throw JournalError(matches.isEmpty ? .noSuchRecipient(typed: Text.shown(typed)) : .ambiguousRecipient(typed: Text.shown(typed)))
            }
            let kept = try recipientsText().split(separator: "\n", omittingEmptySubsequences: false)
                .filter { Self.fields(of: $0)?.recipient != member.recipient.description }.joined(separator: "\n")
            let (changes, rekeyed) = try reencryptingEntries(to: Self.members(in: kept))
            return ([.write(Self.recipientsPath, Data(kept.utf8))] + changes, "Remove age recipient \(member.name ?? member.recipient.description); re-encrypt \(rekeyed.entries) entries", (member, rekeyed))
        }
    }

    /// Re-encrypts every encrypted entry this identity opens to the recipients it is stored for
    /// now (a private entry: your own identity; any other: `.rapport/recipients` and yours), in one
    /// commit, so a co-manager added later reads the older shared entries.
    public func rekey() throws -> Rekeyed {
        try journal.transaction { _ in
            let (changes, rekeyed) = try reencryptingEntries(to: Self.members(in: recipientsText()))
            return (changes, "Re-encrypt \(rekeyed.entries) entries to the current recipients", rekeyed)
        }
    }

    /// Every entry this identity opens, encrypted again: a private one to this identity, any
    /// other to `shared` and this identity.
    private func reencryptingEntries(to shared: [(recipient: AgeRecipient, name: String?)]) throws -> ([FileChange], Rekeyed) {
        let identities = try journal.readingIdentities()
        let own = identities.map(\.recipient)
        let everyone = (shared.map(\.recipient) + own).reduce(into: [AgeRecipient]()) { if !$0.contains($1) { $0.append($1) } }
        // Named in the output: whoever can push may have added a recipient of their own.
        let readers = everyone.map { recipient in
            own.contains(recipient) ? "you" : shared.first { $0.recipient == recipient }?.name ?? recipient.description
        }
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
        return (changes, Rekeyed(entries: changes.count, readers: readers, unreadable: unreadable))
    }
}
