import Foundation
import Journal

/// What to look at before the next one-on-one with one person.
public struct PrepSheet: Sendable {
    public let person: Person
    public let cadence: Cadence
    public let today: LocalDay
    public let daysSinceLast: Int?
    public let last: Entry?
    /// The day they left, when they have (nil for a `status: left` with no `left:` day): the sheet is
    /// then their history, with no cadence and no talking points.
    public let leftOn: LocalDay?
    public let hasLeft: Bool
    /// Open items in the person's one-on-ones: the ones the manager owns and the ones they own.
    public let myItems: [ActionItem]
    public let theirItems: [ActionItem]
    /// Open items they own that were written down in another entry of the last 90 days (someone
    /// else's one-on-one, a recognition), with where: the overdue ones are in their talking points too.
    public let theirItemsElsewhere: [(item: ActionItem, recordedIn: String)]
    /// Mood, energy and workload in the latest one-on-ones, oldest first (nil where not recorded).
    public let recent: [Entry]
    public let recognition: [Entry]
    public let talkingPoints: [String]
    public let commit: String?
    /// Files that could not be read (encrypted ones this machine has no identity for, or malformed).
    public let unreadable: [FileProblem]

    public static let recentCount = 12
    public static let recognitionDays = 90

    /// Reads the person's one-on-ones (found by file name) and the last 90 days of entries, from HEAD.
    public static func build(journal: Journal, person typed: String, now: Date) throws -> PrepSheet {
        let person = try journal.reader.person(typed)
        let source = try journal.committed()
        let zone = journal.timeZone
        let today = Timestamp(now, in: zone).day(in: zone)
        let scan = source.oneOnOnes(with: person.slug)
        let meetings = scan.entries.filter { $0.date.date <= now }
        let items = meetings.flatMap(\.actionItems).filter { !$0.isDone }
        let window = Period.range(from: today.adding(days: -27), through: today)
        let moment = Moment(period: window, now: now, zone: zone)
        let data = Dataset.load(from: source, boundary: today.adding(days: -(Digest.lookbackDays + 1)), through: today,
                                trendStart: today.adding(days: -366_000), firstCutoff: moment.cutoff, only: person.slug,
                                keepPrivate: true)
        let calculator = Calculator(data: data, config: journal.config, audience: .self)
        let state = calculator.state(of: person, at: moment)
        // Someone who has left has no next one-on-one: no cadence, no signals, only their history.
        let hasLeft = person.hasLeft(by: today)
        var points: [String]
        if hasLeft {
            points = ["None: \(person.name) has left; what follows is their history."]
        } else {
            let signals = calculator.signals([state], at: moment, items: calculator.itemsInWindow(at: moment)).filter { $0.person == person.slug }.sorted(by: Signal.moreUrgent)
            points = signals.filter { $0.kind != .actionOverdue }.map(\.detail)
            let overdueItems = signals.filter { $0.kind == .actionOverdue }.reduce(0) { $0 + $1.marks.count }
            if overdueItems > 0 { points.append("Go through the \(overdueItems) overdue action item\(overdueItems == 1 ? "" : "s") below.") }
            if state.overload == nil, let workload = state.workload?.value, workload >= 4 {
                points.append("Last workload was \(workload) of 5: check whether it is easing.")
            }
            if points.isEmpty { points.append("No signals: ask what is on their mind, and what would make the next month better.") }
        }
        // Their items written down elsewhere are in the entries that name them (all `data` holds),
        // of the same 90 days the overdue-item signals look at.
        let names = Dictionary(data.people.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        let elsewhere = data.entries.filter { $0.date.date <= now && $0.oneOnOne?.person != person.slug }.flatMap { entry in
            entry.actionItems.filter { !$0.isDone && $0.owner == .person(person.slug) }.map { item in
                let day = entry.date.localDay.description
                let place = entry.oneOnOne.map { "\(names[$0.person] ?? $0.person.value)'s one-on-one, \(day)" } ?? "a recognition, \(day)"
                return (item: item, recordedIn: place)
            }
        }
        let recognitionStart = today.adding(days: -(recognitionDays - 1))
        let recognition = data.entries.filter {
            $0.kind == .recognition && $0.people.contains(person.slug) && $0.date.day(in: zone) >= recognitionStart
                && $0.date.date <= now
        }
        return PrepSheet(
            person: person, cadence: state.cadence, today: today, daysSinceLast: meetings.last.map { $0.date.day(in: zone).days(until: today) },
            last: meetings.last, leftOn: hasLeft ? person.left : nil, hasLeft: hasLeft, myItems: items.filter { $0.owner == .me },
            theirItems: items.filter { $0.owner != .me }, theirItemsElsewhere: elsewhere,
            recent: Array(meetings.suffix(recentCount)), recognition: recognition, talkingPoints: points,
            commit: source.commitID,
            unreadable: scan.problems + data.problems.filter { problem in !scan.problems.contains { $0.path == problem.path } })
    }

    /// The sheet as Markdown through the `prep.md` template.
    public func render(templates: Templates) throws -> String {
        let dueLine: String
        if hasLeft {
            let lastLine = last.map { "the last one-on-one was on \($0.date.localDay)." } ?? "no one-on-one on record."
            if let leftOn {
                let ago = leftOn.days(until: today)
                dueLine = "Left on \(leftOn) (\(ago == 0 ? "today" : "\(ago) day\(ago == 1 ? "" : "s") ago")); " + lastLine
            } else {
                dueLine = "Has left (no leaving day on record); " + lastLine
            }
        } else if let days = daysSinceLast {
            let remaining = cadence.days - days
            dueLine = "\(days) day\(days == 1 ? "" : "s") since the last one-on-one; cadence \(cadence) (\(cadence.days) days): "
                + (remaining > 0 ? "due in \(remaining) day\(remaining == 1 ? "" : "s")." : remaining == 0 ? "due today." : "overdue by \(-remaining) day\(remaining == -1 ? "" : "s").")
        } else {
            dueLine = "No one-on-one on record yet; cadence \(cadence) (\(cadence.days) days)."
        }
        func series(_ value: (Entry.OneOnOne) -> Int?) -> String {
            let values = recent.map { $0.oneOnOne.flatMap(value) }
            guard values.contains(where: { $0 != nil }) else { return "no data" }
            return Sparkline.text(values) + "  " + values.map { $0.map(String.init) ?? "·" }.joined(separator: " ")
        }
        let context: [String: Any] = [
            "name": person.name, "slug": person.slug.value, "role": person.role ?? "", "has_role": person.role != nil,
            "today": today.description, "due_line": dueLine,
            "has_last": last != nil, "last_date": last.map { $0.date.localDay.description } ?? "",
            "last_id": last?.id.value ?? "", "last_notes": last.map { Plain.trimmedBody($0.body) } ?? "",
            "has_left": hasLeft, "left_date": leftOn?.description ?? "",
            "my_items": myItems.map { PrepSheet.itemContext($0) },
            "their_items": theirItems.map { PrepSheet.itemContext($0) } + theirItemsElsewhere.map { PrepSheet.itemContext($0.item, recordedIn: $0.recordedIn) },
            "has_my_items": !myItems.isEmpty, "has_their_items": !theirItems.isEmpty || !theirItemsElsewhere.isEmpty,
            "meetings_in_trend": recent.count,
            "mood": series(\.mood), "energy": series(\.energy), "workload": series(\.workload),
            "recognition": recognition.map { entry -> [String: Any] in
                // "shipping · private", "private", or nothing: never a made-up category.
                let label = [entry.recognition?.category, entry.isMarkedPrivate ? "private" : nil].compactMap { $0 }.joined(separator: " · ")
                return ["date": entry.date.localDay.description, "id": entry.id.value, "label": label, "has_label": !label.isEmpty,
                        "category": entry.recognition?.category ?? "", "text": Plain.text(entry.body)]
            },
            "has_recognition": !recognition.isEmpty, "recognition_days": PrepSheet.recognitionDays,
            "profile_notes": person.writtenNotes, "has_profile_notes": !person.writtenNotes.isEmpty,
            "talking_points": talkingPoints.map { ["text": $0] },
        ]
        return try templates.render("prep.md", context)
    }

    static func itemContext(_ item: ActionItem, recordedIn: String? = nil) -> [String: Any] {
        ["ref": item.reference, "text": item.text, "due": item.due?.description ?? "", "has_due": item.due != nil,
         "recorded_in": recordedIn ?? "", "has_recorded_in": recordedIn != nil]
    }
}

/// Unicode block sparklines for the terminal: 1 is the lowest bar, 5 the highest, a gap is a space.
enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▄", "▆", "█"]

    static func text(_ values: [Int?]) -> String {
        String(values.map { value in value.map { bars[min(max($0, 1), 5) - 1] } ?? " " })
    }
}

extension Plain {
    /// A body without leading and trailing blank lines or an editor comment.
    static func trimmedBody(_ body: String) -> String {
        body.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
