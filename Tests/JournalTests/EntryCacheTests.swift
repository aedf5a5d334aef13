import Foundation
import Testing
import TestSupport
@testable import Journal

/// The entry cache's file format: records survive a reopen, the log merges into the table, and
/// anything damaged, torn or written for another time zone reads as missing (the file is then
/// parsed again), never as a wrong record.
@Suite struct EntryCacheTests {
    let scratch = Scratch()
    var folder: String { scratch.appending("cache") }
    let zone = TimeZone(identifier: "Europe/Berlin")!

    func key(_ number: Int) -> BlobKey {
        var bytes = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: UInt64(number).bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        bytes[19] = UInt8(number % 251)
        return bytes.withUnsafeBytes { BlobKey($0)! }
    }

    func document(_ number: Int) throws -> FrontMatterDocument {
        try FrontMatterDocument.parse(Data("---\nkind: one-on-one\nid: N\(number)\nmood: 3\n---\nNotes number \(number), ünïcode.\n".utf8))
    }

    func fill(_ cache: EntryCache, _ numbers: Range<Int>) throws {
        for number in numbers {
            cache.store(EntryCache.payload(.document(try document(number)), ascii: false), for: key(number))
        }
    }

    func read(_ cache: EntryCache, _ number: Int) -> FrontMatterDocument? {
        guard let place = cache.place(of: key(number)), case .document(let document)? = cache.decode(place) else { return nil }
        return document
    }

    @Test func recordsSurviveAReopenThroughTheLog() throws {
        let first = EntryCache(folder: folder, zone: zone)
        try fill(first, 0..<3)
        first.save()
        #expect(FileManager.default.fileExists(atPath: folder + "/entries.log"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/entries"))
        let second = EntryCache(folder: folder, zone: zone)
        #expect(second.count == 3)
        for number in 0..<3 { #expect(try read(second, number) == document(number)) }
        #expect(read(second, 7) == nil)
    }

    @Test func aLargeLogIsMergedIntoASortedTable() throws {
        let first = EntryCache(folder: folder, zone: zone)
        try fill(first, 0..<2_100)
        first.save()
        // Over 2,000 logged records: merged into the table, and the log is gone.
        #expect(FileManager.default.fileExists(atPath: folder + "/entries"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/entries.log"))
        let second = EntryCache(folder: folder, zone: zone)
        #expect(second.count == 2_100)
        for number in [0, 1, 999, 2_099] { #expect(try read(second, number) == document(number)) }
        // A new record goes to the log and is read before the table.
        try fill(second, 2_100..<2_101)
        second.save()
        let third = EntryCache(folder: folder, zone: zone)
        #expect(third.count == 2_101)
        #expect(try read(third, 2_100) == document(2_100))
        // Keeping only the live keys drops the rest.
        let table = third.tableFile(keeping: [key(5), key(2_100)])
        try Data(table).write(to: URL(fileURLWithPath: folder + "/entries"))
        try FileManager.default.removeItem(atPath: folder + "/entries.log")
        let fourth = EntryCache(folder: folder, zone: zone)
        #expect(fourth.count == 2)
        #expect(try read(fourth, 5) == document(5))
    }

    @Test func aDamagedRecordReadsAsMissingAndIsDroppedOnMerge() throws {
        let first = EntryCache(folder: folder, zone: zone)
        try fill(first, 0..<2)
        first.save()
        // Flip one byte of the last record's parse.
        var bytes = try #require(FileManager.default.contents(atPath: folder + "/entries.log"))
        bytes[bytes.count - 3] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: folder + "/entries.log"))
        let second = EntryCache(folder: folder, zone: zone)
        #expect(try read(second, 0) == document(0))
        #expect(read(second, 1) == nil)
        // The damage ends the log: the next save merges what is intact plus what is new.
        try fill(second, 1..<2)
        second.save()
        #expect(!FileManager.default.fileExists(atPath: folder + "/entries.log"))
        let third = EntryCache(folder: folder, zone: zone)
        #expect(try read(third, 1) == document(1))
    }

    @Test func aTornAppendKeepsTheRecordsBeforeIt() throws {
        let first = EntryCache(folder: folder, zone: zone)
        try fill(first, 0..<3)
        first.save()
        let log = try #require(FileManager.default.contents(atPath: folder + "/entries.log"))
        try log.dropLast(10).write(to: URL(fileURLWithPath: folder + "/entries.log"))
        let second = EntryCache(folder: folder, zone: zone)
        #expect(second.count == 2)
        #expect(try read(second, 1) == document(1))
        #expect(read(second, 2) == nil)
    }

    @Test func anotherZoneOrAnotherFormatIsNotReadAtAll() throws {
        let first = EntryCache(folder: folder, zone: zone)
        try fill(first, 0..<2_100)
        first.save()
        // Dates written without an offset depend on the zone: a cache for another zone is empty.
        let elsewhere = EntryCache(folder: folder, zone: TimeZone(identifier: "America/New_York")!)
        #expect(elsewhere.count == 0)
        #expect(read(elsewhere, 0) == nil)
        // Garbage or a cut table is no cache, and no crash.
        let table = try #require(FileManager.default.contents(atPath: folder + "/entries"))
        for damaged in [Data("not a cache".utf8), table.prefix(40), table.prefix(table.count / 2)] {
            try damaged.write(to: URL(fileURLWithPath: folder + "/entries"))
            let reopened = EntryCache(folder: folder, zone: zone)
            // A file too short for its header is no table at all.
            if damaged.count <= 40 { #expect(reopened.count == 0) }
            for number in [0, 1_000, 2_099] {
                if let found = read(reopened, number) { #expect(try found == document(number)) }
            }
        }
    }
}
