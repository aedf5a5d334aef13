import Foundation
import GitStore
import Journal

/// A world written as a journal.
public struct WrittenJournal: Sendable {
    public let root: String
    /// The last commit: two journals with the same head have the same files and history.
    public let head: String
    public let commits: Int
    public let entries: Int
}

/// Writes a `World` as ordinary journal files, one commit per week of history, through the
/// library's bulk path (as `rapport demo` does): objects collect in memory and reach disk as
/// one pack, with no index or work tree touched until the end. A profile changes in the week
/// something about it does: a vacation is announced (`away:`) the week before it starts, a
/// leaver's `status: left` comes in their last week.
public enum JournalWriter {
    public static let author = "Sam Rivera <sam@example.com>"

    public static func write(_ world: World, at directory: String) throws -> WrittenJournal {
        let options = world.options
        let zone = options.timeZone
        let journal = try Journal.create(at: directory, name: "evaluation", author: author, timeZone: zone, remote: nil,
                                         now: instant(options.historyStart.adding(days: -1), hour: 9, zone), encrypt: .none)
        let importer = try BulkImport(repositoryAt: journal.root)
        var parent = try Repository.open(at: journal.root).head()
        // Entry ids and note text come from a stream of their own, so they never shift the world.
        var text = SplitMix64(seed: options.seed ^ 0xA409_3822_299F_31D0)
        var usedIDs = Set<EntryID>()
        var profiles: [Slug: Data] = [:]
        var commits = 1
        var entries = 0
        let categories = JournalConfig().categories
        for week in 0..<(options.warmUpWeeks + options.evaluatedWeeks) {
            let monday = options.historyStart.adding(days: 7 * week)
            let days = DayRange(from: monday, until: monday.adding(days: 6))
            var files: [(path: String, bytes: Data?)] = []
            for person in world.people where person.started <= days.until {
                let bytes = try profile(of: person, asOf: days.until)
                guard profiles[person.slug] != bytes else { continue }
                profiles[person.slug] = bytes
                files.append((Person.path(for: person.slug), bytes))
            }
            var happenings: [(day: LocalDay, hour: Int, person: SimulatedPerson, meeting: Meeting?)] = []
            for person in world.people {
                happenings += person.meetings.filter { days.contains($0.day) }.map { ($0.day, $0.hour, person, $0) }
                happenings += person.recognitions.filter { days.contains($0) }.map { ($0, 17, person, nil) }
            }
            // A fixed order, so the ids drawn for them are the same on every run.
            happenings.sort {
                ($0.day, $0.hour, $0.person.slug, $0.meeting == nil ? 1 : 0) < ($1.day, $1.hour, $1.person.slug, $1.meeting == nil ? 1 : 0)
            }
            for happening in happenings {
                var id = EntryID.random(using: &text)
                while !usedIDs.insert(id).inserted { id = EntryID.random(using: &text) }
                let date = Timestamp(instant(happening.day, hour: happening.hour, zone), in: zone)
                let entry: Entry
                if let meeting = happening.meeting {
                    entry = try Entry.newOneOnOne(
                        id: id, date: date, person: happening.person.slug, author: author, mood: meeting.scores.mood,
                        energy: meeting.scores.energy, workload: meeting.scores.workload, tags: [],
                        body: NoteText.oneOnOne(&text), zone: zone)
                } else {
                    entry = try Entry.newRecognition(
                        id: id, date: date, people: [happening.person.slug], author: author, category: text.pick(categories),
                        visibility: .team, tags: [], body: NoteText.recognition(&text), zone: zone)
                }
                files.append((entry.path, entry.document.data))
                entries += 1
            }
            guard !files.isEmpty else { continue }
            guard let signature = Signature(parsing: author, date: instant(monday.adding(days: 4), hour: 18, zone), timeZone: zone) else {
                throw EvaluationError.options("'\(author)' is not an author.")
            }
            parent = try importer.commit(files: files, parent: parent, author: signature,
                                         message: "Evaluation week \(monday.isoWeekLabel) (\(happenings.count) new entries)")
            commits += 1
        }
        guard let head = parent else { throw EvaluationError.options("the world wrote no commit.") }
        try importer.finish(head: head)
        return WrittenJournal(root: journal.root, head: head.description, commits: commits, entries: entries)
    }

    /// The profile as it stands at the end of `day`: the recorded vacations announced a week
    /// ahead (a forgotten one never), and the leaving recorded once it happened.
    static func profile(of person: SimulatedPerson, asOf day: LocalDay) throws -> Data {
        var profile = try Person.new(slug: person.slug, name: person.name, role: "Software engineer", team: "Platform",
                                     started: person.started, cadence: person.cadence, notes: "")
        let announced = person.recordedVacations.filter { $0.from.adding(days: -7) <= day }
        if !announced.isEmpty {
            var document = profile.document
            document.set("away", .list(announced.map(\.description)), after: "status")
            profile = try Person(document: document, path: profile.path)
        }
        if let left = person.left, left <= day { profile = try profile.leaving(on: left) }
        return profile.document.data
    }

    static func instant(_ day: LocalDay, hour: Int, _ zone: TimeZone) -> Date {
        day.start(in: zone).addingTimeInterval(TimeInterval(hour * 3600))
    }
}
