import Age
import Foundation
import GitStore
import Journal

extension DemoJournal {
    /// Builds the journal week by week from the seed: the people, their moods and workloads, the
    /// entries and action items, and the episodes it puts in on purpose.
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
}
