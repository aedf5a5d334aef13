import Glibc
import Foundation
import GitStore
import JournalModel

/// What a write checks before it commits: the file as it is now, a fresh id, typed dates, the
/// people an entry names, and typed text made safe for a one-line field.
extension Journal {
    /// The bytes of a journal file as they are now (what an editor should start from); nil when
    /// it is absent, or when reading it would follow a symbolic link (docs/Trust.md).
    public func contents(of path: String) -> Data? {
        NoFollow.contents(path, under: root)
    }

    /// `original` is the Markdown the editor started from (decrypted, for an encrypted entry).
    func requireUnchanged(_ path: String, since original: Data) throws {
        guard currentMarkdown(of: path) == original else {
            throw JournalError.failure("\(path) changed while you were editing it (another command wrote it), so your version was not saved.")
        }
    }

    /// An unused id, checked under the write lock against every committed entry (in the index,
    /// read as bytes) and the files in this month's folder; without a readable index, against every
    /// entry file in the work tree. An uncommitted hand-written file in an older folder is the one
    /// place not looked at: a clash there needs the same 30 random bits, and `check` reports it.
    func freshID() -> EntryID {
        while true {
            let id = EntryID.random()
            if !isUsed(id) { return id }
        }
    }

    func isUsed(_ id: EntryID) -> Bool {
        let suffixes = [Array("-\(id.value).md".utf8), Array("-\(id.value).md.age".utf8)]
        guard let tracked = repository.indexHasPath(startingWith: Array("entries/".utf8), endingWithAnyOf: suffixes) else {
            return usedIDs().contains(id)
        }
        if tracked { return true }
        let folder = today.entryFolder
        // An untracked file this month may hold the id too: its name ends the same way.
        var found = false
        DirectoryWalk.forEachName(in: root + "/" + folder) { _, name, _, _ in
            guard !found else { return }
            for suffix in suffixes where name.count >= suffix.count && name.last == suffix.last
                && memcmp(name.baseAddress! + name.count - suffix.count, suffix, suffix.count) == 0 {
                found = true
            }
        }
        return found
    }

    /// The entry time for a typed date; dates after today are refused.
    func entryDate(_ typed: String?) throws -> Timestamp {
        let date = try DateInput.entryTimestamp(typed, now: now, zone: timeZone).canonical
        if date.day(in: timeZone) > today {
            throw JournalError.usage("\(date.localDay) is in the future; a journal records what happened (today is \(today)).")
        }
        return date
    }

    /// A whole day typed on the command line.
    func day(from typed: String) throws -> LocalDay {
        switch try DateInput.parse(typed, now: now, zone: timeZone) {
        case .day(let day): return day
        case .instant(let timestamp): return timestamp.day(in: timeZone)
        }
    }

    /// People named in `@mentions` must exist (`@me` is the author).
    func checkMentions(in lines: [String]) throws {
        guard !lines.isEmpty else { return }
        let known = Set(reader.people().people.map(\.slug))
        for line in lines {
            let (owner, _, invalidDue, badMention) = ActionItem.interpret(line)
            if let badMention {
                throw JournalError.usage("'@\(Text.shown(badMention))' is not a person's slug; slugs are lower case, such as @\(Text.shown(badMention.lowercased())).")
            }
            if case .person(let slug) = owner, !known.contains(slug) { throw unknownPerson(slug.value) }
            if let invalidDue {
                throw JournalError.usage("'due:\(invalidDue)' is not a real day: write due:YYYY-MM-DD.")
            }
        }
    }

    /// Every person an entry names, and every @mention in its action items, exists.
    /// Refuses an entry about someone who had left before its day (the day as written; their
    /// last day itself is fine): a one-on-one or a recognition after someone left is most likely
    /// a mistyped slug or a missing `--date`.
    static func requireNotLeft(_ people: [Person], on date: Timestamp) throws {
        let day = date.localDay
        if let gone = people.first(where: { $0.status == .left && ($0.left.map { $0 < day } ?? true) }) {
            throw JournalError(.personHadLeft(name: gone.name, slug: gone.slug.value, left: gone.left, day: day))
        }
    }

    func checkReferences(_ entry: Entry) throws {
        let known = Set(reader.people().people.map(\.slug))
        for slug in entry.people where !known.contains(slug) {
            throw FileProblem(path: entry.path, line: entry.document.line(of: entry.kind == .oneOnOne ? "person" : "people") ?? 1,
                              message: "no person '\(slug)'", hint: .listPeople)
        }
        for item in entry.actionItems {
            if case .person(let slug) = item.owner, !known.contains(slug) {
                throw FileProblem(path: entry.path, line: item.line, message: "no person '@\(slug)'", hint: .listPeople)
            }
            if let invalidDue = item.invalidDue {
                throw FileProblem(path: entry.path, line: item.line, message: "'due:\(Text.shown(invalidDue))' is not a real day (YYYY-MM-DD)")
            }
            if let badMention = item.invalidMention {
                throw FileProblem(path: entry.path, line: item.line, message: "'@\(Text.shown(badMention))' is not a person's slug (slugs are lower case)")
            }
        }
    }

    /// Text typed or piped in, with CRLF and lone CR line breaks made LF, so a new file never
    /// mixes line endings.
    static func unixLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func singleLine(_ text: String, what: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw JournalError.usage("\(what) is empty.") }
        guard !trimmed.contains(where: \.isNewline), !trimmed.contains("\0") else {
            throw JournalError.usage("\(what) must be one line.")
        }
        guard trimmed.count <= 200 else { throw JournalError.usage("\(what) is longer than 200 characters.") }
        return trimmed
    }

    static func tag(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60, !trimmed.contains(where: { $0.isNewline || $0 == "," || $0 == "\0" }) else {
            throw JournalError.usage("'\(Text.shown(trimmed))' is not a tag: use a short word or phrase without commas.")
        }
        return trimmed
    }
}
