import Foundation
import GitStore
import JournalModel
import Age

/// A new one-on-one prepared for the editor: the front matter to fill in, the note template, and
/// the person's open action items to review.
public struct OneOnOneDraft: Sendable {
    public let id: EntryID
    public let person: Slug
    public let text: String
}

/// What came back from the editor.
public enum DraftOutcome: Sendable {
    /// Saved as it was opened: nothing is recorded, as `git commit` aborts on an untouched message.
    case unchanged
    /// Nothing written (no note, scores or ticked items): nothing is recorded.
    case empty
    /// Recorded, with the earlier action items ticked in the draft now closed in the same commit.
    case recorded(Entry, closed: [String])
}

extension Journal {
    static let draftCommentStart = "<!-- rapport:"
}

extension Journal.Recorder {
    /// The text `rapport 1on1 SLUG` opens in the editor.
    public func draft(for typed: String, date typedDate: String? = nil, isPrivate: Bool = false) throws -> OneOnOneDraft {
        let person = try journal.reader.person(typed)
        let date = try journal.entryDate(typedDate)
        try Journal.requireNotLeft([person], on: date)
        let signature = try journal.author()
        let open = journal.reader.actionItems(in: journal.reader.scanEntries()).filter {
            !$0.item.isDone && $0.entry.kind == .oneOnOne && $0.entry.people.contains(person.slug)
        }
        let body = try journal.templates.render("one-on-one.md", [
            "person": person.slug.value,
            "name": person.name,
            "has_open_items": !open.isEmpty,
            // "-->" in an item would end the help comment early.
            "open_items": open.map { ["ref": $0.item.reference, "text": $0.item.text.replacingOccurrences(of: "-->", with: "-- >")] },
        ])
        let id = journal.freshID()
        let document = FrontMatterDocument(fields: [
            ("kind", .scalar(EntryKind.oneOnOne.rawValue)), ("id", .scalar(id.value)), ("date", .scalar(date.text)),
            ("person", .scalar(person.slug.value)), ("author", .scalar(signature.description)),
            ("mood", .null), ("energy", .null), ("workload", .null), ("tags", .list([])), ("private", .boolean(isPrivate)),
        ], body: body)
        return OneOnOneDraft(id: id, person: person.slug, text: document.rendered())
    }

    /// Records what the editor returned. Throws a `FileProblem` (with the draft's line) or a
    /// `JournalError` when the text is not a valid one-on-one, so the caller can reopen it.
    /// A `resumed` draft was already written in an earlier session: saved as it is, it is recorded.
    public func record(_ draft: OneOnOneDraft, edited: String, resumed: Bool = false) throws -> DraftOutcome {
        if edited == draft.text, !resumed { return .unchanged }
        if edited.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .empty }
        let draftPath = "draft \(draft.id)"
        var document: FrontMatterDocument
        do {
            document = try FrontMatterDocument.parse(Data(edited.utf8))
        } catch {
            throw error.problem(in: draftPath)
        }
        let stripped = Journal.stripDraftComment(document.body)
        let ticked = stripped.ticked
        document.body = stripped.body
        let entry: Entry
        do {
            let parsed = try Entry(document: document, path: draftPath, zone: journal.timeZone)
            guard parsed.kind == .oneOnOne else {
                throw FileProblem(path: draftPath, line: document.line(of: "kind") ?? 1, message: "a one-on-one must keep 'kind: one-on-one'")
            }
            guard parsed.id == draft.id else {
                throw FileProblem(path: draftPath, line: document.line(of: "id") ?? 1, message: "the id must stay \(draft.id)")
            }
            let scores = parsed.oneOnOne.map { [$0.mood, $0.energy, $0.workload].compactMap { $0 } } ?? []
            if Journal.isSkeleton(stripped.body), scores.isEmpty, ticked.isEmpty { return .empty }
            // The person and the date may have changed in the editor, or since the draft was kept.
            if let person = parsed.oneOnOne?.person, let profile = try? journal.reader.person(person.value) {
                try Journal.requireNotLeft([profile], on: parsed.date)
            }
            if parsed.date.day(in: journal.timeZone) > journal.today {
                throw FileProblem(path: draftPath, line: document.line(of: "date") ?? 1, message: "the date is in the future")
            }
            try journal.checkReferences(parsed)
            // Scores left empty are left out of the file, as when recording with flags.
            for key in ["mood", "energy", "workload"] where document[key]?.isNull ?? false {
                document.set(key, nil)
            }
            entry = try Entry(document: document, path: parsed.expectedPath, zone: journal.timeZone)
        } catch let problem as FileProblem {
            throw FileProblem(path: problem.path, line: stripped.editorLine(problem.line, bodyLine: document.bodyLine),
                              message: problem.message, hint: problem.hint)
        }

        return try journal.transaction { _ in
            var closing: [String: Entry] = [:]
            var closed: [String] = []
            for reference in ticked {
                let (earlier, item) = try journal.reader.actionItem(reference)
                guard !item.isDone else { continue }
                let base = closing[earlier.path] ?? earlier
                closing[earlier.path] = try base.withBody(ActionItem.setting(item.number, done: true, in: base.body)!,
                                                          zone: journal.timeZone)
                closed.append(item.reference)
            }
            let (stored, changes) = try journal.storing(entry)
            var allChanges = changes
            var closesEncrypted = false
            for earlier in closing.values.sorted(by: { $0.path < $1.path }) {
                let (moved, changes) = try journal.storing(earlier, replacing: earlier.path)
                allChanges += changes
                closesEncrypted = closesEncrypted || moved.isEncrypted
            }
            if journal.isUsed(entry.id) {
                throw JournalError.failure("Entry id \(entry.id) was taken meanwhile; run the command again.")
            }
            let message = Journal.message(for: stored, "One-on-one with \(draft.person) (\(entry.id))")
                + (closed.isEmpty ? "" : closesEncrypted ? "; close \(closed.count) action item\(closed.count == 1 ? "" : "s")"
                    : "; close \(closed.joined(separator: ", "))")
            return (allChanges, message, .recorded(stored, closed: closed))
        }
    }

}

extension Journal {
    /// The body without the `<!-- rapport: ... -->` help block, the references ticked in it, and
    /// where lines went missing, so errors can name the line the user sees in the editor.
    struct StrippedDraft {
        var body: String
        var ticked: [String] = []
        /// Index (in the body) of the first removed line, and how many lines were removed there.
        var removedAt = Int.max
        var removedCount = 0

        /// The editor's line for a line of the stripped document whose body starts at `bodyLine`.
        func editorLine(_ line: Int, bodyLine: Int) -> Int {
            line >= bodyLine + removedAt ? line + removedCount : line
        }
    }

    static func stripDraftComment(_ body: String) -> StrippedDraft {
        var lines = Text.lines(body).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(draftCommentStart) }),
              let end = lines[start...].firstIndex(where: { Text.trimmed(Substring($0)).hasSuffix("-->") }) else {
            return StrippedDraft(body: body)
        }
        var stripped = StrippedDraft(body: "", removedAt: start, removedCount: end - start + 1)
        for line in lines[start...end] {
            guard let (mark, text) = ActionItem.task(in: Substring(line)), mark == "x",
                  let reference = text.split(separator: " ").first, reference.contains(".") else { continue }
            stripped.ticked.append(String(reference))
        }
        lines.removeSubrange(start...end)
        while start < lines.count, Text.trimmed(Substring(lines[start])).isEmpty {
            lines.remove(at: start)
            stripped.removedCount += 1
        }
        var text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix("## Action items") {
            text = String(text.dropLast("## Action items".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        stripped.body = text.isEmpty ? "" : text + "\n"
        return stripped
    }

    /// True when the body holds only headings and empty task lines, as the template left it.
    static func isSkeleton(_ body: String) -> Bool {
        Text.lines(body).allSatisfy { line in
            let trimmed = Text.trimmed(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
            if let (_, text) = ActionItem.task(in: trimmed) { return text.isEmpty }
            return false
        }
    }
}

/// A one-on-one an editor session kept in `.git/rapport/drafts` because it ended without
/// recording it (an invalid draft, a failed editor, a lock held too long).
public struct KeptDraft: Sendable {
    public let path: String
    public let draft: OneOnOneDraft
    /// Kept encrypted to this machine's identity (`.md.age`).
    public let isEncrypted: Bool
    public let modified: Date
}

extension Journal.Recorder {
    /// The kept one-on-one drafts about `typed`, newest first. Encrypted ones are opened with this
    /// machine's identity; one it cannot open, or that names nobody, is left alone.
    public func keptDrafts(for typed: String) throws -> [KeptDraft] {
        let person = try journal.reader.person(typed)
        let folder = journal.repository.gitDirectory + "/rapport/drafts"
        var found: [KeptDraft] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("one-on-one-") && (name.hasSuffix(".md") || name.hasSuffix(".md.age")) {
            let path = folder + "/" + name
            let isEncrypted = name.hasSuffix(".md.age")
            guard case .bytes(let stored) = NoFollow.read(name, under: folder),
                  let data = isEncrypted ? (try? journal.readingIdentities()).flatMap({ try? Age.decrypt(stored, identities: $0) }) : stored,
                  let text = String(validating: data, as: UTF8.self) else { continue }
            // The front matter's first `id:` and `person:` lines; an error block the editor showed may come first.
            func value(_ key: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(key + ": ") }.map { String(Text.trimmed($0.dropFirst(key.count + 2))) }
            }
            guard value("person") == person.slug.value, let id = value("id").flatMap(EntryID.init) else { continue }
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            found.append(KeptDraft(path: path, draft: OneOnOneDraft(id: id, person: person.slug, text: text),
                                   isEncrypted: isEncrypted, modified: modified))
        }
        return found.sorted { ($0.modified, $0.path) > ($1.modified, $1.path) }
    }

    /// Removes a kept draft once it is recorded or kept again under another name.
    public func discard(_ kept: KeptDraft) {
        try? FileManager.default.removeItem(atPath: kept.path)
    }
}
