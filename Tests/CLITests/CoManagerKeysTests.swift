import Foundation
import Testing
import TestSupport

/// Co-managers' keys (issue 19, item 3): `keys add/list/remove` and `rekey`, checked with the age CLI.
@Suite struct CoManagerKeysTests {
    /// A co-manager added later reads the older shared entries once `rekey` ran, never the private
    /// ones; removed, they no longer open what is re-encrypted, and are told history keeps the rest.
    @Test func aCoManagerAddedLaterReadsOldEntriesAfterRekey() throws {
        let (cli, mine, identity) = PrivateEntryTests.keyedJournal()
        cli.scratch.write(cli.file(".rapport/journal.yml").replacingOccurrences(of: "encrypt: private", with: "encrypt: all"),
                          to: "journal/.rapport/journal.yml")
        #expect(cli("commit").status == 0)
        let shared = try #require(entryID(in: cli("1on1", "alice", "--note", "Before Sam joined.").stdout))
        let secret = try #require(entryID(in: cli("1on1", "bob", "--private", "--note", "Mine alone.").stdout))
        func path(_ id: String) -> String { cli.journal + "/" + cli.entryFiles.first { $0.contains(id) }! }
        func opens(_ key: String, _ id: String) -> Bool { run("age", ["-d", "-i", key, path(id)], in: cli.journal).status == 0 }

        let sam = cli.scratch.appending("sam.txt")
        #expect(run("age-keygen", ["-o", sam], in: cli.scratch.path).status == 0)
        let samRecipient = run("age-keygen", ["-y", sam], in: cli.scratch.path).stdout.trimmingCharacters(in: .newlines)
        let added = cli("keys", "add", samRecipient, "--name", "Sam Park")
        #expect(added.status == 0 && added.stdout.hasPrefix("Added Sam Park (\(samRecipient)). Run `rapport rekey`"), "\(added)")
        #expect(cli.file(".rapport/recipients").hasSuffix("\(samRecipient) # Sam Park\n"))
        #expect(cli("keys", "list").stdout == "\(mine)  - (you)\n\(samRecipient)  Sam Park\n")
        #expect(!opens(sam, shared), "not before rekey")

        let before = cli.commitCount
        let rekeyed = cli("rekey")
        #expect(rekeyed.status == 0 && rekeyed.stdout == "Re-encrypted 2 entries to the current recipients.\nShared entries are readable by: you, Sam Park.\n", "\(rekeyed)")
        #expect(cli.commitCount == before + 1)
        #expect(opens(sam, shared) && opens(identity, shared))
        #expect(!opens(sam, secret) && opens(identity, secret), "a private entry stays its author's alone")
        let newer = try #require(entryID(in: cli("kudos", "alice", "Shipped.").stdout))
        #expect(opens(sam, newer))

        // Bad input changes nothing.
        let count = cli.commitCount
        #expect(cli("keys", "add", samRecipient, "--name", "Sam again").status == 64)
        #expect(cli("keys", "add", "age1notakey", "--name", "X").status == 64)
        let secretKey = try String(contentsOfFile: sam, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("AGE-SECRET-KEY-1") }!
        let pasted = cli("keys", "add", String(secretKey), "--name", "Oops")
        #expect(pasted.status == 64 && !pasted.stderr.contains(String(secretKey)), "the secret key is never quoted back: \(pasted)")
        #expect(cli("keys", "remove", "Nobody").status == 64)
        #expect(cli.commitCount == count)

        let removed = cli("keys", "remove", "Sam Park")
        #expect(removed.status == 0 && removed.stdout == "Removed Sam Park; re-encrypted 3 entries to the recipients left.\nShared entries are readable by: you.\n", "\(removed)")
        #expect(removed.stderr.contains("stays readable to them: in the journal's history and in any clone they have"))
        #expect(cli.commitCount == count + 1)
        #expect(!opens(sam, shared) && !opens(sam, newer) && opens(identity, shared))
        #expect(!cli.file(".rapport/recipients").contains(samRecipient))
        #expect(cli("list").stdout.contains("Before Sam joined."))
        // A recipient someone with push access slipped in unnamed is named by its key in the output.
        cli.scratch.write(cli.file(".rapport/recipients") + samRecipient + "\n", to: "journal/.rapport/recipients")
        #expect(cli("commit").status == 0)
        #expect(cli("rekey").stdout.hasSuffix("Shared entries are readable by: you, \(samRecipient).\n"))
        // The same key pushed twice under one name does not block its removal.
        cli.scratch.write(cli.file(".rapport/recipients") + "\(samRecipient) # Sam Park\n", to: "journal/.rapport/recipients")
        #expect(cli("commit").status == 0)
        let twice = cli("keys", "remove", "Sam Park")
        #expect(twice.status == 0 && !cli.file(".rapport/recipients").contains(samRecipient), "\(twice)")
        cli.expectConsistent()
    }
}
