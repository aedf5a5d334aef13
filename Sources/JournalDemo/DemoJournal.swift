import Age
import Foundation
import GitStore
import Journal

/// Settings for a generated journal.
public struct DemoOptions: Sendable {
    public var people = 8
    public var weeks = 26
    public var seed: UInt64 = 1
    /// The last day of the history (default: today in `timeZone`).
    public var end: LocalDay?
    public var timeZone: TimeZone = .current
    public var author = "Dana Lee <dana@example.com>"
    /// When set, the journal has `encrypt: all`: these recipients are listed in
    /// `.rapport/recipients` and every entry is encrypted to them.
    public var encryptTo: [AgeRecipient] = []

    public init() {}

    /// Adds an age recipient (`age1...`) written as text; false when the text is not one, so the
    /// caller, which knows where the text came from, words the error.
    public mutating func encrypt(to recipient: String) -> Bool {
        guard let parsed = try? AgeRecipient(string: recipient) else { return false }
        encryptTo.append(parsed)
        return true
    }
}

/// What was generated.
public struct DemoSummary: Sendable {
    public let people: Int
    public let oneOnOnes: Int
    public let recognitions: Int
    public let commits: Int
    public let openItems: Int
    public let closedItems: Int
    /// The stories the generator wrote on purpose, in order of their first week.
    public let episodes: [DemoEpisode]
    public var entries: Int { oneOnOnes + recognitions }
}

/// A story the demo put into the journal on purpose: the ground truth to measure the digest's
/// signals against.
public struct DemoEpisode: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case overload, moodSlump = "mood_slump", recognitionGap = "recognition_gap", missedCadence = "missed_cadence"
    }

    public let kind: Kind
    public let person: Slug
    /// Weeks of the demo counted from 0, both included: from the week the story starts (for a
    /// recognition gap, the first week whose 30-day window holds none) to the last week it is true.
    public let firstWeek: Int
    public let lastWeek: Int
    /// The Monday of `firstWeek`.
    public let start: LocalDay
    /// The Sunday of `lastWeek`.
    public let end: LocalDay
}

/// Writes a realistic synthetic journal as ordinary journal files, one commit per week: varied
/// cadences, moods and energy drifting over time, one person overloaded twice (mid-history and at
/// the end), a mood slump, one person never recognized and one with a recognition gap, missed
/// one-on-ones, action items opened and closed, someone who leaves, and notes that now and then
/// carry watch words. The deliberate stories come back as `DemoSummary.episodes`. The same
/// options always give the same files and commits.
public enum DemoJournal {
    public static func generate(at directory: String, options: DemoOptions, now: Date = Date()) throws -> DemoSummary {
        guard (1...2000).contains(options.people) else { throw JournalError.usage("--people must be from 1 to 2000.") }
        guard (1...1040).contains(options.weeks) else { throw JournalError.usage("--weeks must be from 1 to 1040.") }
        guard Signature(parsing: options.author) != nil else {
            throw JournalError.usage("'\(Text.shown(options.author))' is not an author such as 'Dana Lee <dana@example.com>'.")
        }
        let zone = options.timeZone
        let today = Timestamp(now, in: zone).day(in: zone)
        let end = options.end ?? today
        guard end <= today else { throw JournalError.usage("--end \(end) is in the future; the demo records a past.") }
        let firstMonday = end.adding(days: -end.weekdayFromMonday - 7 * (options.weeks - 1))
        guard firstMonday.year >= 1971 else { throw JournalError.usage("The demo would start before 1971; give a later --end or fewer --weeks.") }
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

    struct Builder {
        let options: DemoOptions
        let zone: TimeZone
        let firstMonday: LocalDay
        let end: LocalDay
        var random: SeededGenerator
        var people: [DemoPerson] = []
        var usedIDs = Set<EntryID>()
        /// Entries whose action items may still be closed, by path.
        var openDocuments: [String: Entry] = [:]
        var oneOnOnes = 0
        var recognitions = 0
        var closedItems = 0
        var episodes: [DemoEpisode] = []

        var openItemCount: Int { people.reduce(0) { $0 + $1.openItems.count } }

        init(options: DemoOptions, zone: TimeZone, firstMonday: LocalDay, end: LocalDay) throws {
            self.options = options
            self.zone = zone
            self.firstMonday = firstMonday
            self.end = end
            random = SeededGenerator(seed: options.seed)
            people = try makePeople()
        }

        /// Who carries which story: 0 a mood slump, 1 two overloads, 2 never recognized, 3 leaves,
        /// 4 misses two one-on-ones in a row, 5 a recognition gap. Only long histories get the
        /// stories in the middle; the last weeks' overload and the never-recognized person are
        /// always there.
        mutating func makePeople() throws -> [DemoPerson] {
            let count = options.people
            let weeks = options.weeks
            // Room for bounded stories after the first month (when the 30-day windows fill) and
            // before the end-of-history overload.
            let middle = weeks >= 20
            var slugs = Set<String>()
            var result: [DemoPerson] = []
            for index in 0..<count {
                let first = index < DemoText.firstNames.count ? DemoText.firstNames[index] : random.pick(DemoText.firstNames)
                let last = random.pick(DemoText.lastNames)
                let name = first == "Zoë" ? "Zoë Ångström" : "\(first) \(last)"
                var slug = DemoJournal.slugBase(first)
                if slugs.contains(slug) { slug += "-" + DemoJournal.slugBase(String(last.prefix(1))) }
                var suffix = 2
                let base = slug
                while slugs.contains(slug) {
                    slug = "\(base)\(suffix)"
                    suffix += 1
                }
                slugs.insert(slug)
                var plan = DemoPerson.Plan()
                func window(at fraction: Double, length: Int) -> Range<Int> {
                    let start = Int(Double(weeks) * fraction) + Int.random(in: -1...1, using: &random)
                    return start..<(start + length)
                }
                let overloaded = count >= 2 && index == 1
                if overloaded {
                    if middle { plan.overloads.append(window(at: 0.3, length: Int.random(in: 4...6, using: &random))) }
                    plan.overloads.append((weeks - max(3, min(10, weeks / 5)))..<weeks)
                }
                let slumps = count >= 2 && index == 0 && middle
                if slumps { plan.slump = window(at: 0.5, length: Int.random(in: 4...6, using: &random)) }
                plan.neverRecognized = count >= 3 && index == 2
                let missesTwo = index == 4 && middle
                if missesTwo { plan.missed = window(at: 0.4, length: 4) }
                if index == 5 && middle { plan.unrecognized = window(at: 0.6, length: Int.random(in: 7...8, using: &random)) }
                let roll = Double.random(in: 0..<1, using: &random)
                // The overloaded and the slumping person meet weekly, so their weeks show in the notes.
                let cadence: Cadence = overloaded || slumps || roll < 0.5 ? .weekly
                    : missesTwo || roll < 0.8 ? .biweekly : roll < 0.9 ? .monthly : .days(10)
                // About one in seven joins during the history; the rest were there before it. The
                // people with stories were all there from the start.
                let joinsLater = index >= 6 && random.chance(0.15) && weeks > 4
                let started = joinsLater
                    ? firstMonday.adding(days: 7 * Int.random(in: 1..<(weeks - 1), using: &random))
                    : firstMonday.adding(days: -Int.random(in: 60...1500, using: &random))
                let leaver = count >= 4 && index == 3 && weeks >= 6
                let team = DemoText.teams[(index / 6) % DemoText.teams.count]
                let role = random.pick(DemoText.roles)
                let notes = "## Context\nWorks on the \(team) team as \(role.lowercased()).\n\n## Career goals\n"
                    + random.pick(["Grow towards a staff role.", "Lead a project end to end.", "Get deeper in distributed systems.",
                                   "Move into management in a year or two.", "Become the go-to person for \(random.pick(DemoText.tech))."])
                    + "\n\n## How \(first) likes feedback\n"
                    + random.pick(["Direct and written, before the meeting.", "In person, with examples.",
                                   "Short and often.", "Privately first, then in writing."]) + "\n"
                let slugValue = Slug(trusted: slug)
                let profile = try Person.new(slug: slugValue, name: name, role: role, team: team, started: started,
                                              cadence: cadence, notes: notes)
                // A new joiner has a first one-on-one in their first week.
                let firstDue = joinsLater
                    ? started.adding(days: 2) : firstMonday.adding(days: Int.random(in: 0..<cadence.days, using: &random))
                result.append(DemoPerson(
                    slug: slugValue, name: name, firstName: first, cadence: cadence, started: started,
                    leavesInWeek: leaver ? Int(Double(weeks) * 0.7) : nil, plan: plan, nextDue: firstDue,
                    baseMood: Double.random(in: 3.0...4.4, using: &random),
                    baseEnergy: Double.random(in: 2.8...4.2, using: &random),
                    baseWorkload: Double.random(in: 2.4...3.2, using: &random), profile: profile))
            }
            for person in result {
                for overload in person.plan.overloads { record(.overload, person, weeks: overload) }
                record(.moodSlump, person, weeks: person.plan.slump)
            }
            return result
        }

        /// The week of the demo that holds `day`.
        func week(of day: LocalDay) -> Int {
            let days = firstMonday.days(until: day)
            return days < 0 ? -((6 - days) / 7) : days / 7
        }

        mutating func record(_ kind: DemoEpisode.Kind, _ person: DemoPerson, weeks: Range<Int>) {
            let clipped = weeks.clamped(to: 0..<options.weeks)
            guard !clipped.isEmpty else { return }
            episodes.append(DemoEpisode(
                kind: kind, person: person.slug, firstWeek: clipped.lowerBound, lastWeek: clipped.upperBound - 1,
                start: firstMonday.adding(days: 7 * clipped.lowerBound), end: firstMonday.adding(days: 7 * clipped.upperBound - 1)))
        }

        /// Records the stories still running when the history ends.
        mutating func finishEpisodes() {
            for person in people {
                if let since = person.missedSince {
                    record(.missedCadence, person, weeks: since..<options.weeks)
                    person.missedSince = nil
                }
                if person.plan.neverRecognized {
                    // The signal needs 30 days without recognition, and the journal says nothing
                    // about the time before the history: the gap counts from the week whose Sunday
                    // closes the first 30-day window the person spent entirely unrecognized.
                    let eligible = max(person.started, firstMonday)
                    // A history shorter than that window holds no gap at all.
                    let first = week(of: eligible.adding(days: 29))
                    if first < options.weeks { record(.recognitionGap, person, weeks: first..<options.weeks) }
                }
            }
        }

        /// The files one week adds or changes.
        mutating func week(_ week: Int) throws -> [File] {
            let weekStart = firstMonday.adding(days: 7 * week)
            let friday = weekStart.adding(days: 4)
            var files: [File] = []
            for person in people {
                if person.hasLeft { continue }
                let joinsThisWeek = person.started >= weekStart && person.started <= weekStart.adding(days: 6)
                if (week == 0 && person.started < weekStart) || joinsThisWeek {
                    files.append(File(path: person.profile.path, bytes: person.profile.document.data, isNew: true))
                }
                guard person.started <= friday else { continue }
                if let leaves = person.leavesInWeek, week == leaves {
                    let day = min(weekStart.adding(days: 4), end)
                    person.profile = try person.profile.leaving(on: day)
                    files.append(File(path: person.profile.path, bytes: person.profile.document.data, isNew: false))
                    person.hasLeft = true
                    if let since = person.missedSince { record(.missedCadence, person, weeks: since..<week) }
                    person.missedSince = nil
                    continue
                }
                drift(person, week: week)
                // A one-on-one due on a Saturday happens on the Friday before, so only a missed one
                // makes someone overdue by Sunday.
                guard person.nextDue <= friday.adding(days: 1) else { continue }
                if person.plan.missed.contains(week) || (random.chance(0.08) && !person.plan.isOverloaded(in: week)) {
                    person.nextDue = person.nextDue.adding(days: 7)
                    if person.missedSince == nil { person.missedSince = week }
                    continue
                }
                let day = min(max(person.nextDue, weekStart, person.started), friday)
                guard day <= end else { continue }
                files += try oneOnOne(with: person, on: day, week: week)
                if let since = person.missedSince { record(.missedCadence, person, weeks: since..<(week + 1)) }
                person.missedSince = nil
                person.nextDue = day.adding(days: person.cadence.days)
            }
            files += try kudos(weekStart: weekStart, week: week)
            return files
        }

        mutating func drift(_ person: DemoPerson, week: Int) {
            let overloaded = person.plan.isOverloaded(in: week)
            let slumping = person.plan.slump.contains(week)
            // A slump pulls mood about 1.8 points under the person's usual level within two weeks,
            // and both slumps and overloads wear off faster than the everyday drift moves.
            let pull = slumping ? 0.6 : person.plan.isRecovering(in: week) ? 0.35 : 0.12
            let moodTarget = person.baseMood - (slumping ? 1.8 : 0)
            let energyTarget = person.baseEnergy - (slumping ? 0.5 : 0)
            person.mood += random.gaussian(deviation: 0.22) + pull * (moodTarget - person.mood) - (overloaded ? 0.18 : 0)
            person.energy += random.gaussian(deviation: 0.22) + pull * (energyTarget - person.energy) - (overloaded ? 0.22 : 0)
            if overloaded {
                person.workload = Double.random(in: 4.2...5.0, using: &random)
            } else if person.plan.isOverloaded(in: week - 1) {
                // The overload ends because work was taken off their plate.
                person.workload = person.baseWorkload
            } else {
                // Outside a story the workload wanders around the person's usual level: a 4 now and
                // then, rarely two in a row.
                person.workload = min(4.4, max(1.6, person.workload + random.gaussian(deviation: 0.3)
                    + 0.35 * (person.baseWorkload - person.workload)))
            }
            person.mood = min(5, max(1, person.mood))
            person.energy = min(5, max(1, person.energy))
        }

        mutating func freshID() -> EntryID {
            while true {
                let id = EntryID.random(using: &random)
                if usedIDs.insert(id).inserted { return id }
            }
        }

        mutating func phrase(_ pool: [String], peerOf person: DemoPerson) -> String {
            let peers = people.filter { $0 !== person }
            let peer = peers.isEmpty ? "the team" : random.pick(peers).firstName
            return DemoText.fill(random.pick(pool), project: random.pick(DemoText.projects), peer: peer, tech: random.pick(DemoText.tech))
        }

        mutating func oneOnOne(with person: DemoPerson, on day: LocalDay, week: Int) throws -> [File] {
            var files: [File] = []
            // Close some of the items opened in earlier one-on-ones.
            var stillOpen: [(path: String, number: Int)] = []
            for item in person.openItems {
                guard random.chance(0.6), let entry = openDocuments[item.path],
                      let body = ActionItem.setting(item.number, done: true, in: entry.body) else {
                    stillOpen.append(item)
                    continue
                }
                let updated = try entry.withBody(body, zone: zone)
                openDocuments[item.path] = updated
                files.removeAll { $0.path == item.path }
                files.append(File(path: item.path, bytes: updated.document.data, isNew: false))
                closedItems += 1
            }
            person.openItems = stillOpen

            let overloaded = person.plan.isOverloaded(in: week)
            let slumping = person.plan.slump.contains(week)
            let leavingSoon = person.leavesInWeek.map { week >= $0 - 4 } ?? false
            let longMiss = person.missedSince.map { week - $0 >= 2 } ?? false
            var sentences = [phrase(DemoText.updates, peerOf: person)]
            if random.chance(0.5) { sentences.append(phrase(random.chance(0.5) ? DemoText.career : DemoText.team, peerOf: person)) }
            if random.chance(0.35) { sentences.append(phrase(DemoText.updates, peerOf: person)) }
            if random.chance(0.2) { sentences.append(phrase(DemoText.personal, peerOf: person)) }
            if overloaded, random.chance(0.8) { sentences.insert(phrase(DemoText.overloaded, peerOf: person), at: 1) }
            if slumping, random.chance(0.7) { sentences.insert(phrase(DemoText.slump, peerOf: person), at: 0) }
            if longMiss { sentences.insert(phrase(DemoText.catchUp, peerOf: person), at: 0) }
            if leavingSoon, random.chance(0.7) { sentences.append(phrase(DemoText.leaving, peerOf: person)) }
            if random.chance(0.07) { sentences.append(phrase(DemoText.watchful, peerOf: person)) }
            if random.chance(0.1) { sentences.append(phrase(DemoText.learning, peerOf: person)) }
            var body = sentences.prefix(2).joined(separator: " ") + "\n"
            if sentences.count > 2 { body += "\n" + sentences.dropFirst(2).joined(separator: " ") + "\n" }

            var actions: [String] = []
            let actionCount = random.chance(0.35) ? 0 : (random.chance(0.6) ? 1 : 2)
            for _ in 0..<actionCount {
                if random.chance(0.45) {
                    actions.append(phrase(DemoText.myActions, peerOf: person))
                } else {
                    let due = day.adding(days: Int.random(in: 5...21, using: &random))
                    actions.append("@\(person.slug) " + phrase(DemoText.theirActions, peerOf: person) + " due:\(due)")
                }
            }
            if !actions.isEmpty { body += "\n## Action items\n" + actions.map { "- [ ] \($0)\n" }.joined() }

            let scored = overloaded || slumping || random.chance(0.9)
            let minute = random.pick([0, 15, 30, 45])
            let date = Timestamp(DemoJournal.instant(day, hour: Int.random(in: 9...16, using: &random), minute: minute, zone: zone), in: zone)
            var tags: [String] = []
            if random.chance(0.4) { tags.append(random.pick(DemoText.tags)) }
            if overloaded || slumping { tags.append("wellbeing") }
            let entry = try Entry.newOneOnOne(
                id: freshID(), date: date, person: person.slug, author: options.author,
                mood: scored ? Int(person.mood.rounded()) : nil, energy: scored ? Int(person.energy.rounded()) : nil,
                workload: scored ? Int(person.workload.rounded()) : nil, tags: Array(Set(tags)).sorted(), body: body, zone: zone)
            oneOnOnes += 1
            files.append(File(path: entry.path, bytes: entry.document.data, isNew: true))
            if !actions.isEmpty {
                openDocuments[entry.path] = entry
                for item in entry.actionItems { person.openItems.append((entry.path, item.number)) }
            }
            return files
        }

        /// Each person has a one-in-four chance of recognition a week, and anyone not recognized for
        /// three weeks gets some, so a 30-day gap happens only where a story puts one.
        mutating func kudos(weekStart: LocalDay, week: Int) throws -> [File] {
            let friday = weekStart.adding(days: 4)
            let candidates = people.filter {
                !$0.hasLeft && !$0.plan.neverRecognized && !$0.plan.unrecognized.contains(week) && $0.started <= friday
            }
            for person in people where !person.plan.unrecognized.isEmpty && person.plan.unrecognized.lowerBound == week {
                // The signal can fire once the last recognition before the gap is 30 days old.
                let last = person.lastRecognized ?? max(person.started, firstMonday).adding(days: -1)
                record(.recognitionGap, person, weeks: self.week(of: last.adding(days: 30))..<(person.plan.unrecognized.upperBound + 1))
            }
            var files: [File] = []
            for person in candidates {
                let since = (person.lastRecognized ?? max(person.started, firstMonday)).days(until: friday)
                guard person.lastRecognized.map({ $0 < weekStart }) ?? true, since >= 21 || random.chance(0.25) else { continue }
                let day = weekStart.adding(days: Int.random(in: 0...4, using: &random))
                guard day <= end else { continue }
                var chosen = [person]
                if candidates.count > 1, random.chance(0.2) {
                    let other = random.pick(candidates)
                    if other !== person { chosen.append(other) }
                }
                let (category, template) = random.pick(DemoText.kudos)
                let text = phrase([template], peerOf: person)
                let date = Timestamp(DemoJournal.instant(day, hour: Int.random(in: 9...17, using: &random), zone: zone), in: zone)
                let entry = try Entry.newRecognition(
                    id: freshID(), date: date, people: chosen.map(\.slug), author: options.author, category: category,
                    visibility: random.chance(0.9) ? .team : .private, tags: [], body: text + "\n", zone: zone)
                for someone in chosen { someone.lastRecognized = max(someone.lastRecognized ?? day, day) }
                recognitions += 1
                files.append(File(path: entry.path, bytes: entry.document.data, isNew: true))
            }
            return files
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
