import Foundation
import Testing
@testable import JournalModel

/// The library's own wording of the failures it knows by name: flags and commands belong to the
/// executable, so a library user never reads about `--since` or `rapport person add`.
@Suite struct ErrorReasonTests {
    static let problem = FileProblem(path: "entries/2026/11/x.md", line: 3, message: "mood must be a whole number from 1 to 5")

    /// One value of every case; `covers` fails to compile when a case is added without one here.
    static let everyReason: [JournalError.Reason] = [
        .noJournal(fallback: "/home/dana/.local/share/rapport/journal"),
        .emptyRemoteURL,
        .originExists(directory: "/tmp/journal"),
        .noAuthor,
        .encryptedEditUnparsed(problem: problem, path: "entries/2026/11/x.md"),
        .scoreOutOfRange(label: "mood", value: 7),
        .emptyNote,
        .actionNotOneLine(person: "alice"),
        .handEditProblems([problem]),
        .unrelatedHistories(remote: "origin"),
        .sinceAfterUntil,
        .unknownPerson(typed: "alcie", nearest: "alice"),
        .unknownPerson(typed: "zed", nearest: nil),
        .noPeopleYet(typed: "alice"),
        .noActionItem(entry: "K3F9X2", number: 4),
        .notAJournal(given: "/tmp/not-a-journal"),
        .noSuchEntry(typed: "ZZZZZZ"),
        .personExists(slug: "alice"),
        .noRemote(name: "backup"),
        .remoteAhead(remote: "origin"),
        .severalPeriods,
        .rangeWithoutStart,
        .rangeBackwards(first: LocalDay(year: 2026, month: 11, day: 30)!, last: LocalDay(year: 2026, month: 11, day: 1)!),
        .demoPeopleOutOfRange(0),
        .demoWeeksOutOfRange(2000),
        .demoEndInFuture(LocalDay(year: 2099, month: 1, day: 1)!),
        .demoStartsBefore1971,
    ]

    static func covers(_ reason: JournalError.Reason) -> Bool {
        switch reason {
        case .noJournal, .emptyRemoteURL, .originExists, .noAuthor, .encryptedEditUnparsed, .scoreOutOfRange,
             .emptyNote, .actionNotOneLine, .handEditProblems, .unrelatedHistories, .sinceAfterUntil,
             .unknownPerson, .noPeopleYet, .noActionItem, .notAJournal, .noSuchEntry,
             .personExists, .noRemote, .remoteAhead, .severalPeriods, .rangeWithoutStart, .rangeBackwards,
             .demoPeopleOutOfRange, .demoWeeksOutOfRange,
             .demoEndInFuture, .demoStartsBefore1971:
            true
        }
    }

    @Test(arguments: everyReason)
    func libraryTextNamesNoFlagOrCommand(_ reason: JournalError.Reason) throws {
        #expect(Self.covers(reason))
        let text = try #require(JournalError(reason).errorDescription)
        #expect(!text.isEmpty)
        #expect(text.firstMatch(of: /--[a-z]/) == nil, "names a flag: \(text)")
        #expect(!text.contains("`rapport ") && !text.contains(": rapport "), "names a command: \(text)")
        #expect(!text.contains("`"), "quotes a command: \(text)")
    }

    @Test(arguments: everyReason)
    func errorCarriesItsReasonAndKind(_ reason: JournalError.Reason) {
        let error = JournalError(reason)
        #expect(error.reason == reason)
        #expect(error.kind == reason.kind)
        #expect(error.message == reason.sentence)
    }

    @Test func everyCaseIsListedOnce() {
        let names = Self.everyReason.map { "\($0)".prefix { $0 != "(" } }
        #expect(Set(names).count == 26)
    }

    @Test func fileDamageIsDataAndTheRestAreUsage() {
        #expect(JournalError.Reason.handEditProblems([Self.problem]).kind == .data)
        #expect(JournalError.Reason.encryptedEditUnparsed(problem: Self.problem, path: "p").kind == .data)
        #expect(JournalError.Reason.remoteAhead(remote: "origin").kind == .failure)
        #expect(JournalError.Reason.sinceAfterUntil.kind == .usage)
        #expect(JournalError.Reason.unknownPerson(typed: "x", nearest: nil).kind == .usage)
    }

    @Test func plainErrorsHaveNoReason() {
        #expect(JournalError.usage("Something else.").reason == nil)
        #expect(JournalError.usage("Something else.") != JournalError(.emptyNote))
    }

    @Test func typedTextIsQuotedSafely() throws {
        let text = try #require(JournalError(.unknownPerson(typed: "a\nb", nearest: nil)).errorDescription)
        #expect(!text.contains("\n"))
    }
}
