import Foundation
import Journal

/// The days a digest covers, in the journal's time zone: a week (ISO numbering, starting on the
/// journal's `week_start`), a calendar month, a calendar quarter, or a custom range of whole days.
public struct Period: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case week, month, quarter, range }

    public let kind: Kind
    /// `2026-W48`, `2026-11`, `2026-Q4` or `2026-11-01..2026-11-15`.
    public let label: String
    public let start: LocalDay
    /// The last day, included.
    public let end: LocalDay

    public var description: String { label }
    public var days: Int { start.days(until: end) + 1 }

    public static func range(from start: LocalDay, through end: LocalDay) -> Period {
        Period(kind: .range, label: "\(start)..\(end)", start: start, end: end)
    }

    public static func month(year: Int, month: Int) -> Period? {
        guard let first = LocalDay(year: year, month: month, day: 1) else { return nil }
        let next = month == 12 ? LocalDay(year: year + 1, month: 1, day: 1) : LocalDay(year: year, month: month + 1, day: 1)
        let last = next?.adding(days: -1) ?? LocalDay(year: year, month: 12, day: 31)!
        return Period(kind: .month, label: String(first.description.prefix(7)), start: first, end: last)
    }

    /// Quarter `quarter` (1-4) of `year`: January-March, April-June, July-September, October-December.
    public static func quarter(year: Int, quarter: Int) -> Period? {
        guard (1...4).contains(quarter), let first = LocalDay(year: year, month: 3 * quarter - 2, day: 1) else { return nil }
        let last = (quarter == 4 ? LocalDay(year: year + 1, month: 1, day: 1) : LocalDay(year: year, month: 3 * quarter + 1, day: 1))?
            .adding(days: -1) ?? LocalDay(year: year, month: 12, day: 31)!
        return Period(kind: .quarter, label: "\(String(first.description.prefix(4)))-Q\(quarter)", start: first, end: last)
    }

    /// The quarter that holds `day`.
    public static func quarter(containing day: LocalDay) -> Period {
        Period.quarter(year: day.year, quarter: (day.month - 1) / 3 + 1)!
    }

    /// The week that holds `day`. `weekStart` counts as `Calendar` does (1 = Sunday, 2 = Monday).
    /// A week is labelled with the ISO week of its Monday, so a Sunday-start week is named after
    /// the ISO week that begins the next day.
    public static func week(containing day: LocalDay, weekStart: Int) -> Period {
        let startIndex = (weekStart + 5) % 7  // 0 = Monday ... 6 = Sunday
        let start = day.adding(days: -((day.weekdayFromMonday - startIndex + 7) % 7))
        let monday = start.adding(days: (7 - startIndex) % 7)
        return Period(kind: .week, label: monday.isoWeekLabel, start: start, end: start.adding(days: 6))
    }

    /// ISO week `week` of `year`, shifted to the journal's week start; nil when the year has no
    /// such week (only years whose 28 December falls in week 53 have a W53).
    public static func week(year: Int, week: Int, weekStart: Int) -> Period? {
        guard let january4 = LocalDay(year: year, month: 1, day: 4), let december28 = LocalDay(year: year, month: 12, day: 28),
              (1...december28.isoWeek.week).contains(week) else { return nil }
        let monday = january4.adding(days: -january4.weekdayFromMonday + 7 * (week - 1))
        return Period.week(containing: monday, weekStart: weekStart)
    }

    /// The period of the same kind just before this one: the previous week or month, or the
    /// same number of days before a custom range.
    public func previous(weekStart: Int) -> Period {
        switch kind {
        case .week:
            return Period.week(containing: start.adding(days: -1), weekStart: weekStart)
        case .month:
            let day = start.adding(days: -1)
            return Period.month(year: day.year, month: day.month)!
        case .quarter:
            return Period.quarter(containing: start.adding(days: -1))
        case .range:
            return Period.range(from: start.adding(days: -days), through: start.adding(days: -1))
        }
    }

    /// What `--week`, `--month`, `--quarter` and `--since/--until` mean. `week`, `month` and
    /// `quarter` take a label, `last`, or an empty string for the current one.
    public static func parse(week: String?, month: String?, quarter: String? = nil, since: String?, until: String?,
                             today: LocalDay, now: Date, zone: TimeZone, weekStart: Int) throws -> Period {
        let chosen = [week != nil, month != nil, quarter != nil, since != nil || until != nil].filter { $0 }.count
        guard chosen <= 1 else {
            throw JournalError(.severalPeriods)
        }
        let period: Period
        if let month {
            period = try parseMonth(month, today: today)
        } else if let quarter {
            period = try parseQuarter(quarter, today: today)
        } else if since != nil || until != nil {
            guard let since else {
                throw JournalError(.rangeWithoutStart)
            }
            let first = try day(since, now: now, zone: zone)
            let last = try until.map { try day($0, now: now, zone: zone) } ?? today
            guard first <= last else { throw JournalError(.rangeBackwards(first: first, last: last)) }
            period = .range(from: first, through: last)
        } else {
            period = try parseWeek(week ?? "", today: today, weekStart: weekStart)
        }
        // The trend reaches 12 periods back, and days before 1900 are refused everywhere.
        guard period.start.year >= 1901 else {
            throw JournalError.usage("A digest covers 1901 and later.")
        }
        guard period.start <= today else {
            throw JournalError.usage("\(period.label) has not started yet: a digest reports on days that have begun.")
        }
        return period
    }

    static func parseWeek(_ text: String, today: LocalDay, weekStart: Int) throws -> Period {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let current = Period.week(containing: today, weekStart: weekStart)
        switch trimmed {
        case "", "this", "current": return current
        case "last", "previous": return current.previous(weekStart: weekStart)
        default: break
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].hasPrefix("w"),
              (2...3).contains(parts[1].count), let number = Int(parts[1].dropFirst()) else {
            throw JournalError.usage("'\(text)' is not a week: use YYYY-Www such as 2026-W48, or last.")
        }
        guard let period = Period.week(year: year, week: number, weekStart: weekStart), (1900...9999).contains(year) else {
            throw JournalError.usage("\(year) has no ISO week \(number).")
        }
        return period
    }

    static func parseMonth(_ text: String, today: LocalDay) throws -> Period {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch trimmed {
        case "", "this", "current": return Period.month(year: today.year, month: today.month)!
        case "last", "previous":
            let day = LocalDay(year: today.year, month: today.month, day: 1)!.adding(days: -1)
            return Period.month(year: day.year, month: day.month)!
        default: break
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (1900...9999).contains(year), let period = Period.month(year: year, month: month) else {
            throw JournalError.usage("'\(text)' is not a month: use YYYY-MM such as 2026-11, or last.")
        }
        return period
    }

    static func parseQuarter(_ text: String, today: LocalDay) throws -> Period {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let current = Period.quarter(containing: today)
        switch trimmed {
        case "", "this", "current": return current
        case "last", "previous": return current.previous(weekStart: 2)
        default: break
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1900...9999).contains(year), parts[1].count == 2,
              parts[1].hasPrefix("q"), let number = Int(parts[1].dropFirst()), let period = Period.quarter(year: year, quarter: number) else {
            throw JournalError.usage("'\(text)' is not a quarter: use YYYY-Qn such as 2026-Q4, or last.")
        }
        return period
    }

    static func day(_ text: String, now: Date, zone: TimeZone) throws -> LocalDay {
        switch try DateInput.parse(text, now: now, zone: zone) {
        case .day(let day): day
        case .instant(let timestamp): timestamp.day(in: zone)
        }
    }
}
