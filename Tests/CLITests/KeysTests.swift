import Foundation
import Testing
import TestSupport

@Suite struct KeysTests {
    @Test func keysInitWritesAPrivateIdentityTheAgeCLIReads() throws {
        let cli = CLI().makeJournal()
        let commits = cli.commitCount
        let made = cli("keys", "init")
        #expect(made.status == 0, "\(made)")
        let identity = cli.home + "/.config/rapport/identity.txt"
        #expect(made.stdout.hasPrefix("Created \(identity)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: identity)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: cli.home + "/.config/rapport")
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)

        let shown = cli("keys", "show")
        let recipient = shown.stdout.trimmingCharacters(in: .newlines)
        #expect(shown.status == 0 && recipient.hasPrefix("age1") && recipient.count == 62, "\(shown)")
        #expect(cli.file(".rapport/recipients").hasSuffix(recipient + "\n"))
        #expect(cli.commitCount == commits + 1)
        #expect(git(["log", "-1", "--format=%s"], in: cli.journal).stdout == "Add age recipient \(recipient)\n")

        // An ordinary age identity: the age CLI encrypts to the recipient and decrypts with the file.
        cli.scratch.write("secret note\n", to: "plain.txt")
        let sealed = cli.scratch.appending("plain.age")
        #expect(run("age", ["-r", recipient, "-o", sealed, cli.scratch.appending("plain.txt")], in: cli.scratch.path).status == 0)
        let opened = run("age", ["-d", "-i", identity, sealed], in: cli.scratch.path)
        #expect(opened.status == 0 && opened.stdout == "secret note\n", "\(opened)")

        // Again: the same identity, no second commit.
        let again = cli("keys", "init")
        #expect(again.stdout == "Using the existing identity \(identity).\n\(recipient) is already in .rapport/recipients.\n")
        #expect(cli.commitCount == commits + 1)
        cli.expectConsistent()
    }

    @Test func anExistingAgeIdentityCanBeUsed() throws {
        let cli = CLI().makeJournal()
        #expect(cli("keys", "show").status == 1)
        #expect(cli("keys", "show").stderr.contains("rapport keys init"))
        let file = cli.scratch.appending("mine.txt")
        #expect(run("age-keygen", ["-o", file], in: cli.scratch.path).status == 0)
        let publicKey = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("# public key: ") }.map { String($0.dropFirst(14)) }
        let viaEnvironment = cli("keys", "show", environment: ["RAPPORT_IDENTITY": file])
        #expect(viaEnvironment.stdout == (publicKey ?? "?") + "\n", "\(viaEnvironment)")
        // Or named in this clone's own settings (never in journal.yml, which others can write).
        let set = cli("config", "identity", file)
        #expect(set.status == 0 && set.stdout == "Set identity to \(file) for this clone.\n", "\(set)")
        #expect(git(["config", "rapport.identity"], in: cli.journal).stdout == file + "\n")
        #expect(cli("keys", "show").stdout == (publicKey ?? "?") + "\n")
        let added = cli("keys", "init")
        #expect(added.stdout.hasPrefix("Using the existing identity \(file)."), "\(added)")
        #expect(cli.file(".rapport/recipients").contains(publicKey ?? "?"))
        cli.scratch.write("not a key\n", to: "bad.txt")
        let bad = cli("keys", "show", environment: ["RAPPORT_IDENTITY": cli.scratch.appending("bad.txt")])
        #expect(bad.status == 65 && bad.stderr.contains("is not an age identity file"), "\(bad)")
        cli.expectConsistent()
    }
}
