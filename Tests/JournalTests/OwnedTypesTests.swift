import Foundation
import Testing
import TestSupport
@testable import Journal

/// The small types `Journal` hands out for sharing, in-process: `journal.keys` and `journal.remotes`.
@Suite struct OwnedTypesTests {
    let scratch = Scratch()
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func makeJournal() throws -> Journal {
        try Journal.create(at: scratch.appending("j"), name: "team", author: "Dana Lee <dana@example.com>",
                           timeZone: berlin, remote: nil)
    }

    @Test func theIdentityIsFoundInTheOrderTheDocsGive() throws {
        let journal = try makeJournal()
        let home = scratch.appending("home")
        #expect(journal.keys.identityPath(environment: ["HOME": home]) == home + "/.config/rapport/identity.txt")
        #expect(journal.keys.identityPath(environment: ["HOME": home, "XDG_CONFIG_HOME": "/xdg"]) == "/xdg/rapport/identity.txt")
        try journal.setLocal(.identity, to: scratch.appending("clone-key.txt"))
        let reopened = try Journal.open(at: journal.root)
        #expect(reopened.keys.identityPath(environment: ["HOME": home]) == scratch.appending("clone-key.txt"))
        // The environment wins over this clone's setting, with ~ expanded against HOME.
        #expect(reopened.keys.identityPath(environment: ["HOME": home, "RAPPORT_IDENTITY": "~/k.txt"]) == home + "/k.txt")
    }

    @Test func initializingKeysWritesAPrivateIdentityAndListsItsRecipientOnce() throws {
        let journal = try makeJournal()
        let environment = ["HOME": scratch.appending("home"), "RAPPORT_IDENTITY": scratch.appending("keys/identity.txt")]
        let first = try journal.keys.initialize(environment: environment)
        #expect(first.created && first.added)
        let mode = try FileManager.default.attributesOfItem(atPath: first.identityPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try journal.keys.recipients() == [first.recipient])
        #expect(try journal.keys.identities(environment: environment).map(\.recipient) == [first.recipient])
        let again = try journal.keys.initialize(environment: environment)
        #expect(!again.created && !again.added)
        #expect(again.recipient == first.recipient)
        #expect(try journal.keys.recipients().count == 1)
    }

    @Test func aSecretKeyInTheRecipientsFileIsReportedByLineWithoutQuotingIt() throws {
        let journal = try makeJournal()
        let secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
        scratch.write("# recipients\n\n\(secret)\n", to: "j/" + Journal.Keys.recipientsPath)
        let problem = try #require(throws: FileProblem.self) { try journal.keys.recipients() }
        #expect(problem.path == Journal.Keys.recipientsPath)
        #expect(problem.line == 3)
        #expect(problem.message.contains("a secret key"))
        #expect(!problem.description.contains(secret))
    }

    @Test func remotesAreNamedOnceWithPlainNames() throws {
        let journal = try makeJournal()
        #expect(try journal.remotes.list().isEmpty)
        try journal.remotes.add(name: "origin", url: scratch.appending("shared.git"))
        #expect(try journal.remotes.list().map(\.name) == ["origin"])
        #expect(throws: JournalError.self) { try journal.remotes.add(name: "origin", url: scratch.appending("other.git")) }
        #expect(throws: JournalError.self) { try journal.remotes.add(name: "a b", url: scratch.appending("other.git")) }
        #expect(throws: JournalError.self) { try journal.remotes.add(name: "team", url: "  ") }
        #expect(try journal.remotes.list().count == 1)
    }
}
