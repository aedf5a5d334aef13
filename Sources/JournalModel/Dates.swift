import Foundation

/// A calendar day with no time or zone (`started:`, `due:`), written `YYYY-MM-DD`.
public struct LocalDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Rejects impossible days such as 2026-02-30, and years before 1900 (a typo such as 0026
    /// would otherwise file an entry under entries/0026/).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...LocalDay.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2d, bytes[7] == 0x2d,
              let year = Digits.value(bytes[0..<4]), let month = Digits.value(bytes[5..<7]),
              let day = Digits.value(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `days` after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        (year, month, day) = Civil.date(fromDays: days)
    }

    public var daysSinceEpoch: Int { Civil.days(year: year, month: month, day: day) }

    public func adding(days: Int) -> LocalDay { LocalDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// Whole calendar days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDay) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    public var description: String { ISO8601.day.format(start(in: .gmt)) }

    /// `entries/YYYY/MM`, the folder of the entries dated this day.
    public var entryFolder: String {
        let text = description
        return "entries/" + text.prefix(4) + "/" + text.dropFirst(5).prefix(2)
    }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The instant this day starts in `zone`.
    public func start(in zone: TimeZone) -> Date {
        Timestamp.instant(localSeconds: daysSinceEpoch * 86_400, in: zone)
    }
}

/// An instant as an entry records it: ISO 8601 with the UTC offset it was written in, e.g.
/// `2026-11-28T14:30:00+01:00`. The written text is kept, so a rewrite never changes it.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: Date
    /// Offset from UTC, in seconds, of the local time written in `text`.
    public let utcOffset: Int
    public let text: String

    /// Formats `date` in `zone` as `YYYY-MM-DDTHH:MM:SS±HH:MM`.
    public init(_ date: Date, in zone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        self.date = Date(timeIntervalSince1970: TimeInterval(seconds))
        self.utcOffset = offset
        self.text = Timestamp.format(localSeconds: seconds + offset, offset: offset)
    }

    /// Parses ISO 8601: a date, `T`, `HH:MM[:SS[.fff]]`, then `Z` or `±HH:MM` (or `±HHMM`). With no
    /// offset, the time is read in `zone`. Impossible dates and times are refused.
    public init?(parsing text: String, defaultZone zone: TimeZone) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let day = LocalDay(text.prefix(10)), bytes[10] == 0x54 || bytes[10] == 0x20,
              bytes[13] == 0x3a, let hour = Digits.value(bytes[11..<13]), let minute = Digits.value(bytes[14..<16]),
              hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == 0x3a {
            guard index + 3 <= bytes.count, let value = Digits.value(bytes[(index + 1)..<(index + 3)]), value < 60 else {
                return nil
            }
            second = value
            index += 3
            if index < bytes.count, bytes[index] == 0x2e || bytes[index] == 0x2c {
                index += 1
                let start = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > start else { return nil }
            }
        }
        let local = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        var offset: Int?
        if index == bytes.count {
            offset = nil
        } else if bytes[index] == 0x5a, index + 1 == bytes.count {
            offset = 0
        } else if bytes[index] == 0x2b || bytes[index] == 0x2d {
            let sign = bytes[index] == 0x2d ? -1 : 1
            let rest = Array(bytes[(index + 1)...])
            let digits: [UInt8]
            if rest.count == 5, rest[2] == 0x3a { digits = Array(rest[0..<2] + rest[3..<5]) }
            else if rest.count == 4 || rest.count == 2 { digits = rest }
            else { return nil }
            guard let hours = Digits.value(digits[0..<2]), hours <= 14 else { return nil }
            let minutes = digits.count == 4 ? Digits.value(digits[2..<4]) : 0
            guard let minutes, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        if let offset {
            self.date = Date(timeIntervalSince1970: TimeInterval(local - offset))
            self.utcOffset = offset
            self.text = text
        } else {
            let instant = Timestamp.instant(localSeconds: local, in: zone)
            self = Timestamp(instant, in: zone)
        }
    }

    /// The calendar day as written (in the entry's own offset), which also names its folder.
    public var localDay: LocalDay {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffset
        return LocalDay(daysSinceEpoch: Int((Double(local) / 86_400).rounded(.down)))
    }

    /// The calendar day of this instant in `zone`.
    public func day(in zone: TimeZone) -> LocalDay {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let local = seconds + zone.secondsFromGMT(for: date)
        return LocalDay(daysSinceEpoch: Int((Double(local) / 86_400).rounded(.down)))
    }

    public var description: String { text }
    /// By instant, then by the written text: the same instant written with two offsets is two
    /// different timestamps (`==` compares the text, which a rewrite keeps), so they must not be
    /// unordered either, or sorting and `Comparable`'s laws break.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { (lhs.date, lhs.text) < (rhs.date, rhs.text) }
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The instant whose wall-clock time in `zone` is `localSeconds` after 1970-01-01T00:00; in a
    /// DST gap the later side wins, in an overlap the earlier instant.
    package static func instant(localSeconds: Int, in zone: TimeZone) -> Date {
        // A reading that happens twice is valid with the offset before the change and the one after
        // it (a day either side); the earlier instant is the one with the larger offset.
        let offsets = Set([-86_400, 86_400].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds + $0))) })
        let valid = offsets.filter { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds - $0))) == $0 }
        if let offset = valid.max() { return Date(timeIntervalSince1970: TimeInterval(localSeconds - offset)) }
        // In a gap no offset fits: from the first guess, the later side wins.
        var guess = localSeconds - zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds)))
        for _ in 0..<3 {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))
            let next = localSeconds - offset
            if next == guess { break }
            guess = next
        }
        return Date(timeIntervalSince1970: TimeInterval(guess))
    }

    /// The wall-clock time is formatted as UTC's, and the offset is written here: the journal always
    /// writes `±HH:MM`, where `ISO8601FormatStyle` writes a zero offset as `Z` and keeps the seconds
    /// of an old local mean time offset (`+00:19:32`).
    static func format(localSeconds: Int, offset: Int) -> String {
        let absolute = abs(offset)
        let hours = absolute / 3600, minutes = absolute % 3600 / 60
        return ISO8601.dateTime.format(Date(timeIntervalSince1970: TimeInterval(localSeconds)))
            + (offset < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + String(hours) + (minutes < 10 ? ":0" : ":") + String(minutes)
    }
}

/// Dates as people type them on the command line: `YYYY-MM-DD`, full ISO 8601, `today`,
/// `yesterday`, `-3d`.
public enum DateInput {
    /// What a typed date means.
    public enum Meaning: Sendable, Equatable {
        /// A whole calendar day (`2026-11-28`, `yesterday`, `-3d`).
        case day(LocalDay)
        /// An exact instant (`today` is now; a full ISO 8601 time).
        case instant(Timestamp)
    }

    public static func parse(_ text: String, now: Date, zone: TimeZone) throws -> Meaning {
        let trimmed = Text.trimmed(text).lowercased()
        let today = Timestamp(now, in: zone).day(in: zone)
        switch trimmed {
        case "now": return .instant(Timestamp(now, in: zone))
        case "today": return .day(today)
        case "yesterday": return .day(today.adding(days: -1))
        default: break
        }
        if trimmed.hasPrefix("-"), trimmed.hasSuffix("d"), let days = Int(trimmed.dropFirst().dropLast()),
           (0...36_500).contains(days) {
            return .day(today.adding(days: -days))
        }
        if let day = LocalDay(trimmed) { return .day(day) }
        if let timestamp = Timestamp(parsing: String(Text.trimmed(text)), defaultZone: zone) {
            return .instant(timestamp)
        }
        throw JournalError.usage(
            "'\(Text.shown(text))' is not a date: use YYYY-MM-DD (a real day from 1900 on), a full ISO 8601 time, today, yesterday or -3d.")
    }

    /// The instant an entry gets for a typed date: today, however it is written (`today`, its
    /// `YYYY-MM-DD`, `-0d`), is now, so a meeting recorded this morning is never after now and every
    /// reader counts it at once; an earlier whole day is its midday (a neutral time that stays on
    /// the same day in nearby zones); an ISO time is itself.
    public static func entryTimestamp(_ text: String?, now: Date, zone: TimeZone) throws -> Timestamp {
        guard let text else { return Timestamp(now, in: zone) }
        switch try parse(text, now: now, zone: zone) {
        case .instant(let timestamp): return timestamp
        case .day(let day) where day == Timestamp(now, in: zone).day(in: zone): return Timestamp(now, in: zone)
        case .day(let day): return Timestamp(Timestamp.instant(localSeconds: day.daysSinceEpoch * 86_400 + 12 * 3600, in: zone), in: zone)
        }
    }

    /// The first instant a `--since` covers: the start of a whole day, or the instant itself.
    public static func lowerBound(_ text: String, now: Date, zone: TimeZone) throws -> Date {
        switch try parse(text, now: now, zone: zone) {
        case .instant(let timestamp): timestamp.date
        case .day(let day): day.start(in: zone)
        }
    }

    /// The first instant after what an `--until` covers: a whole day is included to its end.
    public static func upperBound(_ text: String, now: Date, zone: TimeZone) throws -> Date {
        switch try parse(text, now: now, zone: zone) {
        case .instant(let timestamp): timestamp.date.addingTimeInterval(1)
        case .day(let day): day.adding(days: 1).start(in: zone)
        }
    }
}

/// Proleptic Gregorian day arithmetic (Howard Hinnant's algorithms), exact and allocation-free.
enum Civil {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func date(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

package enum Digits {
    package static func value(_ bytes: some Collection<UInt8>) -> Int? {
        var result = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            result = result * 10 + Int(byte - 0x30)
        }
        return bytes.isEmpty ? nil : result
    }
}

/// The journal's ISO 8601 forms, made once. Days and weeks are formatted at their start in UTC,
/// where a `LocalDay`'s arithmetic lives.
enum ISO8601 {
    /// `2026-11-28`.
    static let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
    /// `2026-W48`.
    static let week = Date.ISO8601FormatStyle(timeZone: .gmt).year().weekOfYear()
    /// `2026-11-28T14:30:00`, no offset.
    static let dateTime = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateTimeSeparator(.standard)
        .time(includingFractionalSeconds: false).timeSeparator(.colon)
}

extension Timestamp {
    /// The same instant and offset written canonically (`YYYY-MM-DDTHH:MM:SS±HH:MM`).
    public var canonical: Timestamp {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return Timestamp(date: Date(timeIntervalSince1970: TimeInterval(seconds)), utcOffset: utcOffset,
                         text: Timestamp.format(localSeconds: seconds + utcOffset, offset: utcOffset))
    }

    private init(date: Date, utcOffset: Int, text: String) {
        self.date = date
        self.utcOffset = utcOffset
        self.text = text
    }
}

extension LocalDay {
    /// 0 for Monday ... 6 for Sunday (1970-01-01 was a Thursday).
    public var weekdayFromMonday: Int { ((daysSinceEpoch % 7) + 7 + 3) % 7 }

    /// The ISO 8601 week, such as `2026-W48`.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: 3 - weekdayFromMonday)
        let january1 = LocalDay(year: thursday.year, month: 1, day: 1)!
        return (thursday.year, january1.days(until: thursday) / 7 + 1)
    }

    public var isoWeekLabel: String { ISO8601.week.format(start(in: .gmt)) }
}
