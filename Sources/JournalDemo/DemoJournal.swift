import Age
import Foundation
import GitStore
import Journal

/// Writes a realistic synthetic journal as ordinary journal files, one commit per week: varied
/// cadences, moods and energy drifting over time, one person overloaded twice (mid-history and at
/// the end), a mood slump, one person never recognized and one with a recognition gap, missed
/// one-on-ones, action items opened and closed, someone who leaves, and notes that now and then
/// carry watch words. The deliberate stories come back as `DemoSummary.episodes`. The same
/// options always give the same files and commits.
public enum DemoJournal {
    public static func generate(at directory: String, options: DemoOptions, now: Date = Date()) throws -> DemoSummary {
        guard (1...2000).contains(options.people) else { throw JournalError(.demoPeopleOutOfRange(options.people)) }
        guard (1...1040).contains(options.weeks) else { throw JournalError(.demoWeeksOutOfRange(options.weeks)) }
        guard Signature(parsing: options.author) != nil else {
            throw JournalError.usage("'\(Text.shown(options.author))' is not an author such as 'Dana Lee <dana@example.com>'.")
        }
        let zone = options.timeZone
        let today = Timestamp(now, in: zone).day(in: zone)
        let end = options.end ?? today
        guard end <= today else { throw JournalError(.demoEndInFuture(end)) }
        let firstMonday = end.adding(days: -end.weekdayFromMonday - 7 * (options.weeks - 1))
        guard firstMonday.year >= 1971 else { throw JournalError(.demoStartsBefore1971) }
        if FileManager.default.fileExists(atPath: directory),
           !((try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty ?? true) {
            throw JournalError.usage("'\(Text.shown(directory, limit: 200))' already exists and is not empty; remove it or pick another folder.")
        }
        let existed = FileManager.default.fileExists(atPath: directory)
        do {
            return try write(at: directory, options: options, zone: zone, firstMonday: firstMonday, end: end)
        } catch {
            // A demo that failed half-way is worth nothing; leave the folder as it was.
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                    try? FileManager.default.removeItem(atPath: directory + "/" + name)
                }
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
            throw error
        }
    }

    private static func write(
        at directory: String, options: DemoOptions, zone: TimeZone, firstMonday: LocalDay, end: LocalDay
    ) throws -> DemoSummary {
        let startInstant = DemoJournal.instant(firstMonday.adding(days: -1), hour: 9, zone: zone)
        // Without a key the demo's private recognitions could not be encrypted, so the demo says
        // `encrypt: none`; with --encrypt-to every entry, private ones too, goes to its recipients.
        let journal = try Journal.create(at: directory, name: "demo", author: options.author, timeZone: zone, remote: nil,
                                         now: startInstant, encrypt: options.encryptTo.isEmpty ? .none : .all)
        var builder = try Builder(options: options, zone: zone, firstMonday: firstMonday, end: end)
        let importer = try BulkImport(repositoryAt: journal.root)
        var parent = try journal.repository.head()
        var commits = 0
        if !options.encryptTo.isEmpty {
            let recipients = "# age recipients that encrypted entries are readable by, one per line\n"
                + options.encryptTo.map { $0.description + "\n" }.joined()
            parent = try importer.commit(files: [(Journal.Keys.recipientsPath, Data(recipients.utf8))],
                                         parent: parent, author: Signature(parsing: options.author, date: startInstant, timeZone: zone)!,
                                         message: "Add age recipients")
            commits += 1
        }
        for week in 0..<options.weeks {
            var files = try builder.week(week)
            if !options.encryptTo.isEmpty { files = try files.map { try $0.encrypted(to: options.encryptTo) } }
            guard !files.isEmpty else { continue }
            let weekStart = firstMonday.adding(days: 7 * week)
            let lastDay = min(weekStart.adding(days: 4), end)
            let date = DemoJournal.instant(lastDay, hour: 18, zone: zone)
            let author = Signature(parsing: options.author, date: date, timeZone: zone)!
            let entries = files.filter { $0.path.hasPrefix("entries/") && $0.isNew }.count
            parent = try importer.commit(files: files.map { ($0.path, $0.bytes) }, parent: parent, author: author,
                                         message: "Demo week \(weekStart.isoWeekLabel) (\(entries) new entries)")
            commits += 1
        }
        if let parent { try importer.finish(head: parent) }
        builder.finishEpisodes()
        return DemoSummary(people: builder.people.count, oneOnOnes: builder.oneOnOnes, recognitions: builder.recognitions,
                           commits: commits + 1, openItems: builder.openItemCount, closedItems: builder.closedItems,
                           episodes: builder.episodes.sorted {
                               ($0.firstWeek, $0.person, $0.kind.rawValue) < ($1.firstWeek, $1.person, $1.kind.rawValue)
                           })
    }

    static func instant(_ day: LocalDay, hour: Int, minute: Int = 0, zone: TimeZone) -> Date {
        Timestamp.instant(localSeconds: day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60, in: zone)
    }

    struct File {
        let path: String
        let bytes: Data
        let isNew: Bool

        /// An entry file as `encrypt: all` stores it (`<date>-<id>.md.age`); other files as they are.
        func encrypted(to recipients: [AgeRecipient]) throws -> File {
            guard path.hasPrefix("entries/"), path.hasSuffix(".md"), let id = Entry.id(fromFileName: path) else { return self }
            let folder = (path as NSString).deletingLastPathComponent
            let day = (path as NSString).lastPathComponent.prefix(10)
            return File(path: "\(folder)/\(day)-\(id).md.age", bytes: try Age.encrypt(bytes, to: recipients), isNew: isNew)
        }
    }

    final class DemoPerson {
        let slug: Slug
        let name: String
        let firstName: String
        let cadence: Cadence
        let started: LocalDay
        let leavesInWeek: Int?
        let plan: Plan
        var nextDue: LocalDay
        var mood: Double
        var energy: Double
        var workload: Double
        let baseMood: Double
        let baseEnergy: Double
        let baseWorkload: Double
        var profile: Person
        var openItems: [(path: String, number: Int)] = []
        var hasLeft = false
        var lastRecognized: LocalDay?
        /// The week a missed one-on-one made this person overdue, until the next one happens.
        var missedSince: Int?

        /// The weeks of this person's deliberate stories.
        struct Plan {
            var overloads: [Range<Int>] = []
            var slump: Range<Int> = 0..<0
            /// Due one-on-ones in these weeks do not happen.
            var missed: Range<Int> = 0..<0
            /// Nobody recognizes this person in these weeks.
            var unrecognized: Range<Int> = 0..<0
            var neverRecognized = false

            func isOverloaded(in week: Int) -> Bool { overloads.contains { $0.contains(week) } }

            /// In the four weeks after an overload or a slump, when mood and energy come back.
            func isRecovering(in week: Int) -> Bool {
                (overloads + [slump]).contains { !$0.isEmpty && ($0.upperBound..<($0.upperBound + 4)).contains(week) }
            }
        }

        init(slug: Slug, name: String, firstName: String, cadence: Cadence, started: LocalDay, leavesInWeek: Int?,
             plan: Plan, nextDue: LocalDay, baseMood: Double, baseEnergy: Double, baseWorkload: Double, profile: Person) {
            self.slug = slug
            self.name = name
            self.firstName = firstName
            self.cadence = cadence
            self.started = started
            self.leavesInWeek = leavesInWeek
            self.plan = plan
            self.nextDue = nextDue
            self.baseMood = baseMood
            self.baseEnergy = baseEnergy
            self.baseWorkload = baseWorkload
            mood = baseMood
            energy = baseEnergy
            workload = baseWorkload
            self.profile = profile
        }
    }

    /// A first name as a slug: accents folded, lower case, other characters dropped.
    static func slugBase(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased()
        let kept = folded.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        let slug = String(String.UnicodeScalarView(kept))
        return slug.isEmpty ? "person" : String(slug.prefix(30))
    }
}
