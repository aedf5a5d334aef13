import Foundation
import GitStore

/// Settings for a generated journal.
public struct DemoOptions: Sendable {
    public var people = 8
    public var weeks = 26
    public var seed: UInt64 = 1
    /// The last day of the history (default: today in `timeZone`).
    public var end: LocalDay?
    public var timeZone: TimeZone = .current
    public var author = "Dana Lee <dana@example.com>"

    public init() {}
}

/// What was generated.
public struct DemoSummary: Sendable {
    public let people: Int
    public let oneOnOnes: Int
    public let recognitions: Int
    public let commits: Int
    public let openItems: Int
    public let closedItems: Int
    public var entries: Int { oneOnOnes + recognitions }
}

/// Writes a realistic synthetic journal as ordinary journal files, one commit per week: varied
/// cadences, moods and energy drifting over time, one person overloaded for weeks, one never
/// recognized, action items opened and closed, someone who leaves, and notes that now and then
/// carry watch words. The same options always give the same files and commits.
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
        let journal = try Journal.create(at: directory, name: "demo", author: options.author, timeZone: zone, remote: nil,
                                         now: startInstant)
        var builder = try Builder(options: options, zone: zone, firstMonday: firstMonday, end: end)
        let importer = try BulkImport(repositoryAt: journal.root)
        var parent = try journal.repository.head()
        var commits = 0
        for week in 0..<options.weeks {
            let files = try builder.week(week)
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
        return DemoSummary(people: builder.people.count, oneOnOnes: builder.oneOnOnes, recognitions: builder.recognitions,
                           commits: commits + 1, openItems: builder.openItemCount, closedItems: builder.closedItems)
    }

    static func instant(_ day: LocalDay, hour: Int, minute: Int = 0, zone: TimeZone) -> Date {
        Timestamp.instant(localSeconds: day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60, in: zone)
    }

    struct File {
        let path: String
        let bytes: Data
        let isNew: Bool
    }

    final class DemoPerson {
        let slug: Slug
        let name: String
        let firstName: String
        let cadence: Cadence
        let started: LocalDay
        let leavesInWeek: Int?
        let overloadWeeks: Range<Int>
        let neverRecognized: Bool
        var nextDue: LocalDay
        var mood: Double
        var energy: Double
        var workload: Double
        let baseMood: Double
        let baseEnergy: Double
        var profile: Person
        var openItems: [(path: String, number: Int)] = []
        var hasLeft = false

        init(slug: Slug, name: String, firstName: String, cadence: Cadence, started: LocalDay, leavesInWeek: Int?,
             overloadWeeks: Range<Int>, neverRecognized: Bool, nextDue: LocalDay, baseMood: Double, baseEnergy: Double,
             profile: Person) {
            self.slug = slug
            self.name = name
            self.firstName = firstName
            self.cadence = cadence
            self.started = started
            self.leavesInWeek = leavesInWeek
            self.overloadWeeks = overloadWeeks
            self.neverRecognized = neverRecognized
            self.nextDue = nextDue
            self.baseMood = baseMood
            self.baseEnergy = baseEnergy
            mood = baseMood
            energy = baseEnergy
            workload = 3
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

        var openItemCount: Int { people.reduce(0) { $0 + $1.openItems.count } }

        init(options: DemoOptions, zone: TimeZone, firstMonday: LocalDay, end: LocalDay) throws {
            self.options = options
            self.zone = zone
            self.firstMonday = firstMonday
            self.end = end
            random = SeededGenerator(seed: options.seed)
            people = try makePeople()
        }

        mutating func makePeople() throws -> [DemoPerson] {
            let count = options.people
            let weeks = options.weeks
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
                let overloaded = count >= 2 && index == 1
                let roll = Double.random(in: 0..<1, using: &random)
                // The overloaded person meets weekly, so the weeks of overload show in the notes.
                let cadence: Cadence = overloaded || roll < 0.5 ? .weekly : roll < 0.8 ? .biweekly : roll < 0.9 ? .monthly : .days(10)
                // About one in seven joins during the history; the rest were there before it.
                let joinsLater = index >= 4 && random.chance(0.15) && weeks > 4
                let started = joinsLater
                    ? firstMonday.adding(days: 7 * Int.random(in: 1..<(weeks - 1), using: &random))
                    : firstMonday.adding(days: -Int.random(in: 60...1500, using: &random))
                let overloadLength = max(3, min(10, weeks / 5))
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
                let firstDue = max(started.adding(days: 2), firstMonday.adding(days: Int.random(in: 0..<cadence.days, using: &random)))
                result.append(DemoPerson(
                    slug: slugValue, name: name, firstName: first, cadence: cadence, started: started,
                    leavesInWeek: leaver ? Int(Double(weeks) * 0.7) : nil,
                    overloadWeeks: overloaded ? (weeks - overloadLength)..<weeks : 0..<0,
                    neverRecognized: count >= 3 && index == 2, nextDue: firstDue,
                    baseMood: Double.random(in: 3.0...4.4, using: &random),
                    baseEnergy: Double.random(in: 2.8...4.2, using: &random), profile: profile))
            }
            return result
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
                    continue
                }
                drift(person, week: week)
                guard person.nextDue <= friday else { continue }
                if random.chance(0.08), !person.overloadWeeks.contains(week) {
                    person.nextDue = person.nextDue.adding(days: 7)
                    continue
                }
                let day = min(max(person.nextDue, weekStart, person.started), friday)
                guard day <= end else { continue }
                files += try oneOnOne(with: person, on: day, week: week)
                person.nextDue = day.adding(days: person.cadence.days)
            }
            files += try kudos(weekStart: weekStart)
            return files
        }

        mutating func drift(_ person: DemoPerson, week: Int) {
            let overloaded = person.overloadWeeks.contains(week)
            person.mood += random.gaussian(deviation: 0.22) + 0.12 * (person.baseMood - person.mood) - (overloaded ? 0.18 : 0)
            person.energy += random.gaussian(deviation: 0.22) + 0.12 * (person.baseEnergy - person.energy) - (overloaded ? 0.22 : 0)
            person.workload = overloaded ? Double.random(in: 4.2...5.0, using: &random)
                : min(4.4, max(1.6, person.workload + random.gaussian(deviation: 0.3) + 0.2 * (3 - person.workload)))
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

            let overloaded = person.overloadWeeks.contains(week)
            let leavingSoon = person.leavesInWeek.map { week >= $0 - 4 } ?? false
            var sentences = [phrase(DemoText.updates, peerOf: person)]
            if random.chance(0.5) { sentences.append(phrase(random.chance(0.5) ? DemoText.career : DemoText.team, peerOf: person)) }
            if random.chance(0.35) { sentences.append(phrase(DemoText.updates, peerOf: person)) }
            if random.chance(0.2) { sentences.append(phrase(DemoText.personal, peerOf: person)) }
            if overloaded, random.chance(0.8) { sentences.insert(phrase(DemoText.overloaded, peerOf: person), at: 1) }
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

            let scored = overloaded || random.chance(0.9)
            let minute = random.pick([0, 15, 30, 45])
            let date = Timestamp(DemoJournal.instant(day, hour: Int.random(in: 9...16, using: &random), minute: minute, zone: zone), in: zone)
            var tags: [String] = []
            if random.chance(0.4) { tags.append(random.pick(DemoText.tags)) }
            if overloaded { tags.append("wellbeing") }
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

        mutating func kudos(weekStart: LocalDay) throws -> [File] {
            let candidates = people.filter {
                !$0.hasLeft && !$0.neverRecognized && $0.started <= weekStart.adding(days: 4)
            }
            guard !candidates.isEmpty else { return [] }
            let expected = Double(candidates.count) * 0.12
            var count = Int(expected.rounded(.down))
            if random.chance(expected - Double(count)) { count += 1 }
            var files: [File] = []
            for _ in 0..<count {
                let day = weekStart.adding(days: Int.random(in: 0...4, using: &random))
                guard day <= end else { continue }
                var chosen = [random.pick(candidates)]
                if candidates.count > 1, random.chance(0.2) {
                    let other = random.pick(candidates)
                    if other !== chosen[0] { chosen.append(other) }
                }
                let (category, template) = random.pick(DemoText.kudos)
                let text = phrase([template], peerOf: chosen[0])
                let date = Timestamp(DemoJournal.instant(day, hour: Int.random(in: 9...17, using: &random), zone: zone), in: zone)
                let entry = try Entry.newRecognition(
                    id: freshID(), date: date, people: chosen.map(\.slug), author: options.author, category: category,
                    visibility: random.chance(0.9) ? .team : .private, tags: [], body: text + "\n", zone: zone)
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
