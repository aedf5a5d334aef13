import Glibc
import Foundation
import GitStore
import JournalModel

/// What `rapport 1on1` was given on the command line.
public struct OneOnOneInput: Sendable {
    public var person: String
    public var mood: Int?
    public var energy: Int?
    public var workload: Int?
    public var tags: [String] = []
    public var note: String
    public var actions: [String] = []
    public var date: String?
    /// `private: true`: encrypted to the manager's own key (unless the journal has `encrypt: none`)
    /// and kept out of manager and team digests.
    public var isPrivate: Bool

    public init(person: String, mood: Int? = nil, energy: Int? = nil, workload: Int? = nil, tags: [String] = [],
                note: String, actions: [String] = [], date: String? = nil, isPrivate: Bool = false) {
        self.isPrivate = isPrivate
        self.person = person
        self.mood = mood
        self.energy = energy
        self.workload = workload
        self.tags = tags
        self.note = note
        self.actions = actions
        self.date = date
    }
}

extension Journal {
    /// Every write a command makes to the journal, one commit each: people, entries, action
    /// items, edits made in an editor and hand edits.
    public struct Recorder {
        let journal: Journal
    }

    /// The journal's writes.
    public var recorder: Recorder { Recorder(journal: self) }
}

extension Journal.Recorder {
    // MARK: - People

    /// Adds a profile; the slug must be new.
    @discardableResult
    public func addPerson(
        slug typed: String, name: String, role: String? = nil, team: String? = nil, cadence: String? = nil,
        started: String? = nil
    ) throws -> Person {
        let slug = try Slug(validating: typed)
        let name = try Journal.singleLine(name, what: "The name")
        let role = try role.map { try Journal.singleLine($0, what: "The role") }
        let team = try team.map { try Journal.singleLine($0, what: "The team") }
        let cadence = try cadence.map(Cadence.parse) ?? journal.config.defaultCadence
        let startedDay = try started.map { try journal.day(from: $0) }
        let notes = try journal.templates.render("person.md", [
            "name": name, "first_name": name.split(separator: " ").first.map(String.init) ?? name, "slug": slug.value,
        ])
        let person = try Person.new(slug: slug, name: name, role: role, team: team, started: startedDay,
                                    cadence: cadence, notes: notes)
        return try journal.transaction { _ in
            if FileManager.default.fileExists(atPath: journal.root + "/" + person.path) {
                throw JournalError(.personExists(slug: slug.value))
            }
            return ([.write(person.path, person.document.data)], "Add person \(slug)", person)
        }
    }

    /// Marks a person as left; their entries stay.
    @discardableResult
    public func leave(_ typed: String, on date: String? = nil) throws -> Person {
        let leftOn = try date.map { try journal.day(from: $0) } ?? journal.today
        return try journal.transaction { _ in
            let person = try journal.reader.person(typed)
            guard person.isActive else {
                throw JournalError.failure("\(person.name) (\(person.slug)) is already marked as left.")
            }
            let updated = try person.leaving(on: leftOn)
            return ([.write(updated.path, updated.document.data)], "Mark \(person.slug) as left", updated)
        }
    }

    /// Records a known absence, `from` through `until` (both included): while away a person is
    /// not overdue and no signal names them, and the days away do not count against the cadence.
    public func away(_ typed: String, from: String, until: String) throws -> (person: Person, span: ClosedRange<LocalDay>) {
        let first = try journal.day(from: from), last = try journal.day(from: until)
        guard first <= last else {
            throw JournalError.usage("The absence ends (\(last)) before it starts (\(first)).")
        }
        // A typo such as 2072 would silence someone for decades.
        guard first.days(until: last) < 366 else {
            throw JournalError.usage("An absence of \(first.days(until: last) + 1) days (\(first)..\(last)) is longer than a year; record it in parts, or mark the person as left.")
        }
        return try journal.transaction { _ in
            let person = try journal.reader.person(typed)
            guard person.isActive else {
                throw JournalError.failure("\(person.name) (\(person.slug)) is marked as left; an absence no longer applies.")
            }
            guard !person.away.contains(where: { $0.overlaps(first...last) }) else {
                throw JournalError.usage("\(person.name) is already away during part of \(first)..\(last); edit people/\(person.slug.value).md to change it.")
            }
            let updated = try person.adding(awayFrom: first, until: last)
            return ([.write(updated.path, updated.document.data)], "Mark \(person.slug) away \(first)..\(last)", (updated, first...last))
        }
    }

    /// Replaces a profile with edited text; the slug cannot change. `original` is what the editor
    /// started from: if the file changed meanwhile (another command wrote it), nothing is saved
    /// rather than silently undoing that change. Returns nil when the text is unchanged.
    public func replacePerson(_ person: Person, original: Data, with data: Data) throws -> Person? {
        guard data != original else { return nil }
        let updated = try Person(data: data, path: person.path)
        return try journal.transaction { _ in
            try journal.requireUnchanged(person.path, since: original)
            return ([.write(person.path, data)], "Edit person \(person.slug)", updated)
        }
    }

}

extension Journal.Recorder {
    // MARK: - Entries

    /// Records a one-on-one from command-line values.
    @discardableResult
    public func record(_ input: OneOnOneInput) throws -> Entry {
        let person = try journal.reader.person(input.person)
        for (label, value) in [("mood", input.mood), ("energy", input.energy), ("workload", input.workload)] {
            if let value, !(1...5).contains(value) {
                throw JournalError(.scoreOutOfRange(label: label, value: value))
            }
        }
        let note = Journal.unixLines(input.note).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty || !input.actions.isEmpty || input.mood != nil || input.energy != nil || input.workload != nil else {
            throw JournalError(.emptyNote)
        }
        let tags = try input.tags.map(Journal.tag)
        var actions: [String] = []
        for action in input.actions {
            let text = Journal.unixLines(action).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, !text.contains("\n") else {
                throw JournalError(.actionNotOneLine(person: person.slug.value))
            }
            actions.append(text)
        }
        try journal.checkMentions(in: actions)
        var body = note.isEmpty ? "" : note + "\n"
        if !actions.isEmpty {
            body += (body.isEmpty ? "" : "\n") + "## Action items\n" + actions.map { "- [ ] " + $0 + "\n" }.joined()
        }
        let date = try journal.entryDate(input.date)
        try Journal.requireNotLeft([person], on: date)
        return try journal.transaction { signature in
            let id = journal.freshID()
            let (entry, changes) = try journal.storing(Entry.newOneOnOne(
                id: id, date: date, person: person.slug, author: signature.description, mood: input.mood,
                energy: input.energy, workload: input.workload, tags: tags, body: body, isPrivate: input.isPrivate,
                zone: journal.timeZone))
            return (changes, Journal.message(for: entry, "One-on-one with \(person.slug) (\(id))"), entry)
        }
    }

    /// Records a recognition of one or more people.
    @discardableResult
    public func recognize(
        people typed: [String], text: String, category: String? = nil, tags: [String] = [], date: String? = nil,
        isPrivate: Bool = false
    ) throws -> Entry {
        guard !typed.isEmpty else { throw JournalError(.kudosWithoutPeople) }
        var people: [Person] = []
        for name in typed {
            let person = try journal.reader.person(name)
            if !people.contains(where: { $0.slug == person.slug }) { people.append(person) }
        }
        let slugs = people.map(\.slug)
        let body = Journal.unixLines(text).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else {
            throw JournalError(.kudosWithoutText(people: slugs.map(\.value)))
        }
        if let category, !journal.config.categories.contains(category) {
            let hint = Suggestion.nearest(to: category, in: journal.config.categories).map { " Did you mean '\($0)'?" } ?? ""
            throw JournalError.usage("'\(Text.shown(category))' is not a category.\(hint) Use one of: \(journal.config.categories.joined(separator: ", ")).")
        }
        let tags = try tags.map(Journal.tag)
        let date = try journal.entryDate(date)
        try Journal.requireNotLeft(people, on: date)
        return try journal.transaction { signature in
            let id = journal.freshID()
            let (entry, changes) = try journal.storing(Entry.newRecognition(
                id: id, date: date, people: slugs, author: signature.description, category: category,
                visibility: isPrivate ? .private : .team, tags: tags, body: body + "\n", zone: journal.timeZone))
            return (changes, Journal.message(for: entry, "Recognize \(slugs.map(\.value).joined(separator: ", ")) (\(id))"), entry)
        }
    }

    /// Ticks (or unticks) an action item; returns the item and whether anything changed.
    public func setDone(_ reference: String, done: Bool = true) throws -> (ActionItem, changed: Bool) {
        try journal.transaction { _ in
            let (entry, item) = try journal.reader.actionItem(reference)
            guard item.isDone != done else { return ([], "", (item, false)) }
            let updated = try entry.withBody(ActionItem.setting(item.number, done: done, in: entry.body)!, zone: journal.timeZone)
            let verb = done ? "Close" : "Reopen"
            let newItem = updated.actionItems.first { $0.number == item.number }!
            return (try journal.storing(updated, replacing: entry.path).changes, "\(verb) action item \(item.reference)", (newItem, true))
        }
    }

    /// Replaces an entry with edited text. The id and kind cannot change; a new date or person
    /// moves the file to its new name in the same commit. `original` is what the editor started
    /// from, as for `replacePerson`. Returns nil when the text is unchanged.
    public func replaceEntry(_ entry: Entry, original: Data, with data: Data) throws -> Entry? {
        guard data != original else { return nil }
        let updated = try Entry(data: data, path: entry.path, zone: journal.timeZone)
        guard updated.id == entry.id else {
            throw FileProblem(path: entry.path, line: updated.document.line(of: "id") ?? 1,
                              message: "the id cannot change (it was \(entry.id))")
        }
        guard updated.kind == entry.kind else {
            throw FileProblem(path: entry.path, line: updated.document.line(of: "kind") ?? 1,
                              message: "the kind cannot change (it was \(entry.kind.rawValue))")
        }
        try journal.checkReferences(updated)
        return try journal.transaction { _ in
            try journal.requireUnchanged(entry.path, since: original)
            let (moved, changes) = try journal.storing(updated, replacing: entry.path)
            return (changes, "Edit entry \(entry.id)", moved)
        }
    }

}

extension Journal {
    /// What `commitHandEdits` did.
    public struct HandEdits: Sendable {
        /// Paths committed (empty when nothing needed committing).
        public let committed: [String]
        /// Paths left alone, with why: files outside the journal's folders, nested repositories,
        /// symbolic links.
        public let skipped: [(path: String, reason: String)]
        /// Plain entries the journal encrypts, and the `.md.age` path each was committed as instead.
        public var encrypted: [(from: String, to: String)] = []
    }

    /// The folders a journal commits by itself; anything else in the work tree is the user's to
    /// commit with git (a digest written with --out, notes of their own).
    public static let journalFolders = ["people/", "entries/", "digests/", ".rapport/"]

    /// The journal folder (`entries/`, ...) that `absolutePath` is in, links resolved; nil when it
    /// is in none of them. A file written there by hand would be committed and shared by a sync.
    public func journalFolder(containing absolutePath: String) -> String? {
        guard let relative = pathInWorkTree(absolutePath) else { return nil }
        return Journal.journalFolders.first { (relative + "/").hasPrefix($0) }
    }

    /// Where `absolutePath` is inside the work tree (links resolved; "" for the work tree itself),
    /// nil when it is outside. The file itself may not exist yet: its folder is resolved.
    func pathInWorkTree(_ absolutePath: String) -> String? {
        let url = URL(fileURLWithPath: absolutePath)
        let resolved = url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
        let top = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        if resolved == top { return "" }
        return resolved.hasPrefix(top + "/") ? String(resolved.dropFirst(top.count + 1)) : nil
    }

}

extension Journal.Recorder {
    /// Commits files edited, added or deleted by hand. Malformed journal files are refused
    /// (with file:line) unless `force`, so the history keeps passing `rapport check`. Only the
    /// journal's folders are committed; nested repositories and symbolic links never are, nor
    /// any file holding an age secret key.
    public func commitHandEdits(force: Bool = false) throws -> Journal.HandEdits {
        let signature = try journal.author()
        let edits = try journal.repository.withWriteLock(timeout: journal.lockTimeout) {
            try journal.commitHandEditsHoldingLock(signature: signature, force: force)
        }
        if !edits.committed.isEmpty { journal.remotes.autoSync() }
        return edits
    }

}
