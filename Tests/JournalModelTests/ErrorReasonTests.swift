import Foundation
import Testing
@testable import JournalModel

/// The library's own wording of the failures it knows by name: flags and commands belong to the
/// executable, so a library user never reads about `--since` or `rapport person add`.
@Suite struct ErrorReasonTests {
    static let problem = FileProblem(path: "entries/2026/11/x.md", line: 3, message: "mood must be a whole number from 1 to 5")
    static let locked = FileProblem(path: "entries/2026/11/x.md.age", line: 1, message: "encrypted, and there is no age identity at /k.txt",
                                    isLocked: true, hint: .createIdentity)
    static let everyHint: [FileProblem.Hint] = [.createSettings, .listPeople, .commitResolution, .createIdentity]

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
        .personHadLeft(name: "Alice Chen", slug: "alice", left: LocalDay(year: 2026, month: 11, day: 20)!,
                       day: LocalDay(year: 2026, month: 11, day: 28)!),
        .secretKeyGivenAsRecipient, .notARecipient(typed: "age1nope"), .badMemberName(typed: "Dana # x"),
        .recipientExists(name: "Dana Lee"), .noSuchRecipient(typed: "Sam"), .ambiguousRecipient(typed: "Sam"),
        .idUsedTwice(id: "K3F9X2", paths: ["entries/2026/11/a-K3F9X2.md", "entries/2026/11/b-K3F9X2.md"]),
        .personHadLeft(name: "Alice Chen", slug: "alice", left: nil, day: LocalDay(year: 2026, month: 11, day: 28)!),
        .noRemote(name: "backup"),
        .remoteAhead(remote: "origin"),
        .severalPeriods,
        .rangeWithoutStart,
        .rangeBackwards(first: LocalDay(year: 2026, month: 11, day: 30)!, last: LocalDay(year: 2026, month: 11, day: 1)!),
        .demoPeopleOutOfRange(0),
        .demoWeeksOutOfRange(2000),
        .demoEndInFuture(LocalDay(year: 2099, month: 1, day: 1)!),
        .demoStartsBefore1971,
        .notAGitRepository(root: "/tmp/journal"),
        .savedDigestEdited(path: "digests/2026/2026-W47.md"),
        .noRecipients(path: ".rapport/recipients"),
        .noIdentity(path: "/home/dana/.config/rapport/identity.txt"),
        .privateEntryWithoutIdentity(cause: JournalError(.noIdentity(path: "/home/dana/.config/rapport/identity.txt"))),
        .kudosWithoutPeople,
        .kudosWithoutText(people: ["alice", "bob"]),
        .sameIDAndDate(first: "entries/2026/11/a.md", second: "entries/2026/11/b.md"),
        .remoteURLMissing(name: "backup"),
        .remoteKeptMoving(remote: "origin", attempts: 5),
        .remoteUnreachable(remote: "origin", action: "fetch", detail: "connection refused"),
        .remoteRefusedCredentials(remote: "origin", detail: "authentication required"),
        .remoteRefusedPush(remote: "origin", detail: "non-fast-forward"),
        .remoteMovedDuringPush(remote: "origin", detail: "refs/heads/main moved"),
        .remoteHasNoJournal(remote: "origin", branch: "main"),
        .insecureRemote(remote: "origin", url: "http://example.com/j.git", action: "clone"),
        .emptySearch,
        .notAnActionReference(typed: "K3F9X2"),
        .entryLocked(entry: "K3F9X2", problem: locked),
    ]

    static func covers(_ reason: JournalError.Reason) -> Bool {
        switch reason {
        case .noJournal, .emptyRemoteURL, .originExists, .noAuthor, .encryptedEditUnparsed, .scoreOutOfRange,
             .emptyNote, .actionNotOneLine, .handEditProblems, .unrelatedHistories, .sinceAfterUntil,
             .unknownPerson, .noPeopleYet, .noActionItem, .notAJournal, .noSuchEntry,
             .personExists, .personHadLeft, .idUsedTwice, .secretKeyGivenAsRecipient, .notARecipient,
             .badMemberName, .recipientExists, .noSuchRecipient, .ambiguousRecipient, .noRemote, .remoteAhead, .severalPeriods, .rangeWithoutStart, .rangeBackwards,
             .demoPeopleOutOfRange, .demoWeeksOutOfRange,
             .demoEndInFuture, .demoStartsBefore1971, .notAGitRepository, .savedDigestEdited, .noRecipients, .noIdentity,
             .privateEntryWithoutIdentity, .kudosWithoutPeople, .kudosWithoutText, .sameIDAndDate, .remoteURLMissing,
             .remoteKeptMoving, .remoteUnreachable, .remoteRefusedCredentials, .remoteRefusedPush, .remoteMovedDuringPush,
             .remoteHasNoJournal, .insecureRemote, .emptySearch, .notAnActionReference, .entryLocked:
            true
        }
    }

    @Test(arguments: everyReason)
    func libraryTextNamesNoFlagOrCommand(_ reason: JournalError.Reason) throws {
        #expect(Self.covers(reason))
        let text = try #require(JournalError(reason).errorDescription)
        #expect(!text.isEmpty)
        Self.expectNoFlagOrCommand(text)
    }

    @Test(arguments: everyHint)
    func hintsNameNoFlagOrCommand(_ hint: FileProblem.Hint) {
        let problem = FileProblem(path: "people/x.md", line: 1, message: "something is wrong", hint: hint)
        #expect(problem.description.hasPrefix("people/x.md:1: something is wrong"))
        Self.expectNoFlagOrCommand(problem.description)
    }

    static func expectNoFlagOrCommand(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.firstMatch(of: /--[a-z]/) == nil, "names a flag: \(text)", sourceLocation: sourceLocation)
        #expect(text.firstMatch(of: commandPattern) == nil, "names a command: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("RAPPORT_"), "names an environment variable: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("`"), "quotes a command: \(text)", sourceLocation: sourceLocation)
    }

    /// `rapport` followed by one of its commands (not "rapport never reads", "rapport syncs").
    nonisolated(unsafe) static let commandPattern = /rapport (init|person|1on1|kudos|list|show|edit|search|actions|done|prep|digest|due|check|commit|remote|clone|pull|push|sync|keys|config|templates|demo)\b/

    /// Every string in the libraries, not only the cases above: outside comments, no line of
    /// JournalModel, Journal, Digest or GitStore names a rapport command, a flag or a RAPPORT_ variable.
    /// The exceptions read an environment variable the library documents, or are the comment that
    /// `init`'s settings file carries, which is part of the journal, not a message.
    @Test func librarySourcesNameNoFlagOrCommand() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        var found: [String] = []
        for module in ["JournalModel", "Journal", "Digest", "GitStore"] {
            let folder = sources.appendingPathComponent(module)
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            #expect(!files.isEmpty, "no sources under \(folder.path)")
            for file in files {
                let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    // git's own commands may be quoted with their flags (`git config --global ...`).
                    let code = line.components(separatedBy: " // ")[0].replacing(/`git [^`]*`/, with: "")
                    guard !code.trimmingCharacters(in: .whitespaces).hasPrefix("//"), !code.contains("environment[\"RAPPORT_"),
                          !code.contains("\"# see `rapport config`.\"") else { continue }
                    if code.firstMatch(of: /--[a-z]/) != nil || code.firstMatch(of: Self.commandPattern) != nil || code.contains("RAPPORT_") {
                        found.append("\(module)/\(file):\(number + 1): \(code.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
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
        #expect(Set(names).count == 53)
    }

    @Test func fileDamageIsDataAndTheRestAreUsage() {
        #expect(JournalError.Reason.handEditProblems([Self.problem]).kind == .data)
        #expect(JournalError.Reason.encryptedEditUnparsed(problem: Self.problem, path: "p").kind == .data)
        #expect(JournalError.Reason.remoteAhead(remote: "origin").kind == .failure)
        #expect(JournalError.Reason.sinceAfterUntil.kind == .usage)
        #expect(JournalError.Reason.unknownPerson(typed: "x", nearest: nil).kind == .usage)
        #expect(JournalError.Reason.sameIDAndDate(first: "a", second: "b").kind == .data)
        #expect(JournalError.Reason.remoteUnreachable(remote: "origin", action: "fetch", detail: "").kind == .temporary)
        #expect(JournalError.Reason.insecureRemote(remote: "origin", url: "http://x", action: "push").kind == .failure)
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
