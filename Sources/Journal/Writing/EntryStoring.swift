import Age
import Foundation
import GitStore
import JournalModel

/// Entries as stored: encrypted to the recipients docs/Encryption.md names when the entry or the journal
/// asks for it, with commit messages that say nothing of an encrypted entry's text.
extension Journal {
    /// Whether `entry` is stored encrypted: when it already is (an encrypted entry never goes back
    /// to plain text by itself), when the journal encrypts every entry, or when it is marked private
    /// and the journal encrypts private entries (the default).
    func encrypts(_ entry: Entry) -> Bool {
        entry.isEncrypted || config.encrypt == .all || (entry.isMarkedPrivate && config.encrypt == .private)
    }

    /// Who can read `entry` once encrypted: a private entry, its author's own identity only; any
    /// other, every recipient in `.rapport/recipients` and the author's identity.
    func recipients(for entry: Entry) throws -> [AgeRecipient] {
        let own: [AgeRecipient]
        do {
            own = try readingIdentities().map(\.recipient)
        } catch {
            if entry.isMarkedPrivate {
                throw JournalError(.privateEntryWithoutIdentity(cause: error))
            }
            own = []
        }
        if entry.isMarkedPrivate { return own }
        return try journalRecipients(own: own)
    }

    /// Every recipient in `.rapport/recipients`, and the manager's own.
    func journalRecipients(own: [AgeRecipient]? = nil) throws -> [AgeRecipient] {
        let own = own ?? ((try? readingIdentities())?.map(\.recipient) ?? [])
        var all: [AgeRecipient] = []
        for recipient in try keys.recipients() + own where !all.contains(recipient) { all.append(recipient) }
        guard !all.isEmpty else {
            throw JournalError(.noRecipients(path: Keys.recipientsPath))
        }
        return all
    }

    /// The file changes that store `entry`, encrypted or not (see `encrypts`), at the path that
    /// matches, removing `replacing` when the entry lived elsewhere; and the entry at its new path.
    func storing(_ entry: Entry, replacing old: String? = nil) throws -> (entry: Entry, changes: [FileChange]) {
        let encrypted = encrypts(entry)
        let stored = try Entry(document: entry.document, path: entry.expectedPath(encrypted: encrypted), zone: timeZone)
        let markdown = entry.document.data
        let bytes = encrypted ? try Age.encrypt(markdown, to: try recipients(for: entry)) : markdown
        var changes: [FileChange] = [.write(stored.path, bytes)]
        if let old, old != stored.path {
            if FileManager.default.fileExists(atPath: root + "/" + stored.path) {
                throw JournalError.failure("Cannot move the entry to \(stored.path): a file is already there.")
            }
            changes.append(.remove(old))
            if encrypted, !old.hasSuffix(".age"), (try? repository.contents(of: old)) != nil {
                warn(.plainTextInHistory(path: old))
            }
        }
        return (stored, changes)
    }

    /// A commit message that names an encrypted entry by its id only.
    static func message(for entry: Entry, _ plain: String) -> String {
        entry.isEncrypted ? "Record entry \(entry.id) (encrypted)" : plain
    }

    /// The Markdown of a file to commit by hand, moved to its encrypted path and encrypted when
    /// it is an entry the journal encrypts (a hand-written `private: true`, or any entry with
    /// `encrypt: all`); nil when it stays as it is.
    /// A file that should be encrypted but does not parse is refused, even by `commit --force`:
    /// it is never committed in the clear.
    /// A conflict copy (the other side's version of an entry, kept beside it) is encrypted as its
    /// entry would be, at its own name plus `.age`.
    func encryptingHandEdit(_ path: String) throws -> [FileChange]? {
        guard path.hasPrefix("entries/"), path.hasSuffix(".md"), let data = contents(of: path) else { return nil }
        let copyOf = ConflictCopy.original(of: path)
        let entry: Entry
        do {
            entry = try Entry(data: data, path: copyOf ?? path, zone: timeZone)
        } catch {
            if config.encrypt == .all || (config.encrypt == .private && Journal.looksPrivate(data)) {
                throw JournalError(.encryptedEditUnparsed(problem: error, path: path))
            }
            return nil
        }
        guard encrypts(entry) else { return nil }
        guard copyOf != nil else { return try storing(entry, replacing: path).changes }
        return [.write(path + ".age", try Age.encrypt(data, to: try recipients(for: entry))), .remove(path)]
    }

    /// Whether malformed entry text says it is private (`private: true`, `visibility: private`),
    /// read loosely, line by line.
    static func looksPrivate(_ data: Data) -> Bool {
        String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).contains { line in
            let text = line.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\t", with: "")
            return text.hasPrefix("private:") && !text.hasPrefix("private:false") && !text.hasPrefix("private:no")
                || text.hasPrefix("visibility:private")
        }
    }

    /// Whether there is an identity to read and keep encrypted text with.
    public var hasIdentity: Bool { (try? readingIdentities()) != nil }

    /// Whether a new entry, private or not, will be stored encrypted: its editor draft is then kept
    /// off the journal's disk too.
    public func willEncrypt(isPrivate: Bool) -> Bool {
        config.encrypt == .all || (isPrivate && config.encrypt == .private)
    }

    /// Keeps the text of an editor session that gave up, encrypted to the manager's own identity, in
    /// `.git/rapport/drafts/<name>.md.age` (mode 0600); returns its path.
    public func keepEncryptedDraft(_ text: Data, name: String) throws -> String {
        let recipients = try readingIdentities().map(\.recipient)
        let path = try draftPath(name, suffix: ".md.age")
        do {
            // draftPath made the file with mode 0600; writing into it keeps that mode.
            try Age.encrypt(text, to: recipients).write(to: URL(fileURLWithPath: path))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw JournalError.failure("Could not keep the draft in \(path): \(error.localizedDescription)")
        }
        return path
    }
}
