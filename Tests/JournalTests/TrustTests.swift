import Foundation
import GitStore
import Testing
import TestSupport
@testable import Journal

/// The pieces of docs/Trust.md that are not about a command: reading without links, local
/// settings, the encryption floor.
@Suite struct TrustTests {
    let scratch = Scratch()

    @Test func filesAreNeverReadThroughALinkAtAnyLevel() throws {
        let root = scratch.appending("tree")
        scratch.write("secret\n", to: "outside/identity.txt")
        scratch.write("fine\n", to: "tree/people/alice.md")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root + "/people/link.md", withDestinationPath: scratch.appending("outside/identity.txt"))
        try manager.createSymbolicLink(atPath: root + "/linked", withDestinationPath: scratch.appending("outside"))
        try manager.createDirectory(atPath: root + "/folder.md", withIntermediateDirectories: true)
        #expect(mkfifo(root + "/people/fifo.md", 0o600) == 0)

        guard case .bytes(let data) = NoFollow.read("people/alice.md", under: root) else { Issue.record("a plain file was refused"); return }
        #expect(data == Data("fine\n".utf8))
        guard case .absent = NoFollow.read("people/bob.md", under: root) else { Issue.record("a missing file is absent"); return }
        for (path, reason) in [("people/link.md", "people/link.md is a symbolic link"), ("linked/identity.txt", "linked is a symbolic link"),
                               ("people/fifo.md", "not a regular file"), ("folder.md", "not a regular file"),
                               ("people/../../outside/identity.txt", "not a plain path")] {
            guard case .refused(let why) = NoFollow.read(path, under: root) else { Issue.record("\(path) was read"); continue }
            #expect(why.contains(reason), "\(path): \(why)")
        }
        #expect(NoFollow.contents("people/link.md", under: root) == nil)
    }

    @Test func theFloorIsRecordedRaisedByThePullAndNeverLoweredByIt() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let journal = try Journal.create(at: scratch.appending("j"), name: "team", author: "Dana Lee <dana@example.com>", timeZone: zone,
                                         remote: nil, encrypt: .none)
        #expect(journal.local.encryptFloor == JournalConfig.Encryption.none)
        func settings(_ encrypt: String) throws -> Journal {
            let path = journal.root + "/" + JournalConfig.path
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: #"encrypt: [a-z]+"#, with: "encrypt: \(encrypt)", options: .regularExpression)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try Journal.open(at: journal.root)
        }
        let raised = try settings("all")
        #expect(raised.config.encrypt == .all && raised.local.encryptFloor == .all && raised.openingWarnings.isEmpty)
        let lowered = try settings("private")
        #expect(lowered.config.encrypt == .all && lowered.sharedEncryption == .private)
        #expect(lowered.openingWarnings.count == 1 && lowered.openingWarnings[0].sentence.contains("below this clone's floor of all"))
        // An edit not committed is said every time; a committed one once per version of the file.
        #expect(try Journal.open(at: journal.root).openingWarnings.count == 1)
        _ = git(["-c", "user.name=Dana", "-c", "user.email=d@example.com", "commit", "-qam", "Lower"], in: journal.root)
        #expect(try Journal.open(at: journal.root).openingWarnings.first?.sentence.contains("lowered in commit") == true)
        let reopened = try Journal.open(at: journal.root)
        #expect(reopened.config.encrypt == .all && reopened.openingWarnings.isEmpty)
        try lowered.setLocal(.encrypt, to: "private")
        let accepted = try Journal.open(at: journal.root)
        #expect(accepted.config.encrypt == .private && accepted.openingWarnings.isEmpty)
        // Local settings are validated and kept in git config, where git sees them too.
        #expect(throws: JournalError.self) { try accepted.setLocal(.autoSync, to: "sometimes") }
        try accepted.setLocal(.autoSync, to: "yes")
        #expect(git(["config", "rapport.autoSync"], in: journal.root).stdout == "true\n")
        #expect(try Journal.open(at: journal.root).local.autoSync)
        try accepted.setLocal(.autoSync, to: nil)
        #expect(!(try Journal.open(at: journal.root).local.autoSync))
    }
}
