@testable import Age
import Foundation
import Testing
import TestSupport

@Suite struct AgeTests {
    let scratch = Scratch()

    /// Deterministic bytes of any length.
    func bytes(_ count: Int, seed: UInt8 = 7) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
    }

    @Test func theSpecificationsExampleIdentityGivesItsRecipient() throws {
        let identity = try AgeIdentity(string: "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(identity.recipient.description == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
        #expect(identity.description == "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(try AgeRecipient(string: "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj") == identity.recipient)
        // A changed character breaks the checksum; mixed case and the wrong prefix are refused.
        #expect(throws: AgeError.self) { try AgeRecipient(string: "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwk") }
        #expect(throws: AgeError.self) { try AgeIdentity(string: "AGE-SECRET-KEY-1gfpyysjzGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX") }
        #expect(throws: AgeError.self) { try AgeRecipient(string: identity.description) }
    }

    @Test(arguments: [0, 1, 65535, 65536, 65537, 200_000])
    func interoperatesWithTheAgeCLIBothWays(size: Int) throws {
        let plaintext = bytes(size)
        for count in [1, 2, 5] {
            var identities: [AgeIdentity] = []
            var recipientLines: [String] = []
            for index in 0..<count {
                let file = scratch.appending("key-\(size)-\(count)-\(index).txt")
                #expect(run("age-keygen", ["-o", file], in: scratch.path).status == 0)
                let loaded = try AgeIdentity.parseFile(try String(contentsOfFile: file, encoding: .utf8))
                identities += loaded
                recipientLines.append(loaded[0].recipient.description)
            }
            let recipients = identities.map(\.recipient)

            // rapport -> age: every recipient's key decrypts to exactly the plaintext.
            let encrypted = scratch.appending("ours-\(size)-\(count).age")
            try Age.encrypt(plaintext, to: recipients).write(to: URL(fileURLWithPath: encrypted))
            for index in 0..<count {
                let key = scratch.appending("key-\(size)-\(count)-\(index).txt")
                let decrypted = scratch.appending("ours-\(size)-\(count)-\(index).out")
                let result = run("age", ["-d", "-i", key, "-o", decrypted, encrypted], in: scratch.path)
                #expect(result.status == 0, "\(result)")
                // (age writes no file for an empty plaintext.)
                #expect(((try? Data(contentsOf: URL(fileURLWithPath: decrypted))) ?? Data()) == plaintext)
            }

            // age -> rapport, with -r per recipient and with -R recipients-file.
            let input = scratch.appending("plain-\(size)-\(count)")
            try plaintext.write(to: URL(fileURLWithPath: input))
            let byFlags = scratch.appending("theirs-r-\(size)-\(count).age")
            #expect(run("age", recipientLines.flatMap { ["-r", $0] } + ["-o", byFlags, input], in: scratch.path).status == 0)
            let recipientsFile = scratch.appending("recipients-\(size)-\(count).txt")
            try ("# team\n" + recipientLines.joined(separator: "\n") + "\n").write(toFile: recipientsFile, atomically: true, encoding: .utf8)
            let byFile = scratch.appending("theirs-R-\(size)-\(count).age")
            #expect(run("age", ["-R", recipientsFile, "-o", byFile, input], in: scratch.path).status == 0)
            for file in [byFlags, byFile] {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                for identity in identities {
                    #expect(try Age.decrypt(data, identities: [identity]) == plaintext)
                }
            }
        }
    }

    @Test func streamingRoundTripsThroughFiles() throws {
        let identity = AgeIdentity()
        let plain = scratch.appending("big")
        try bytes(3 * 65536 + 123).write(to: URL(fileURLWithPath: plain))
        let sealed = scratch.appending("big.age")
        let opened = scratch.appending("big.out")
        for path in [sealed, opened] { FileManager.default.createFile(atPath: path, contents: nil) }
        try Age.encrypt(from: FileHandle(forReadingAtPath: plain)!, to: FileHandle(forWritingAtPath: sealed)!,
                        recipients: [identity.recipient])
        try Age.decrypt(from: FileHandle(forReadingAtPath: sealed)!, to: FileHandle(forWritingAtPath: opened)!, identities: [identity])
        #expect(FileManager.default.contents(atPath: opened) == FileManager.default.contents(atPath: plain))
        let key = scratch.appending("id.txt")
        try (identity.description + "\n").write(toFile: key, atomically: true, encoding: .utf8)
        let viaCLI = scratch.appending("big.cli")
        #expect(run("age", ["-d", "-i", key, "-o", viaCLI, sealed], in: scratch.path).status == 0)
        #expect(FileManager.default.contents(atPath: viaCLI) == FileManager.default.contents(atPath: plain))
    }

    /// An encrypted file of three chunks and where its parts start.
    func sample() throws -> (file: Data, identity: AgeIdentity, headerEnd: Int, plaintext: Data) {
        let identity = AgeIdentity()
        let plaintext = bytes(2 * 65536 + 500)
        let file = try Age.encrypt(plaintext, to: [identity.recipient])
        let macLine = file.range(of: Data("\n--- ".utf8))!
        let headerEnd = file[macLine.upperBound...].firstIndex(of: 0x0A)! + 1
        return (file, identity, headerEnd, plaintext)
    }

    func expectKind(_ kind: AgeError.Kind, _ file: Data, _ identity: AgeIdentity, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Age.decrypt(file, identities: [identity])
            Issue.record("a tampered file was accepted", sourceLocation: sourceLocation)
        } catch let error as AgeError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    /// One base64 character of the header replaced by another valid one (not the line's last,
    /// whose unused bits would make it non-canonical): a change the parser accepts.
    func changedBase64(_ file: Data, at index: Int) -> Data {
        var copy = file
        copy[index] = copy[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return copy
    }

    func flipped(_ file: Data, at index: Int, bit: UInt8 = 0x01) -> Data {
        var copy = file
        copy[index] ^= bit
        return copy
    }

    @Test func tamperingIsRejectedWithTheRightKind() throws {
        let (file, identity, headerEnd, plaintext) = try sample()
        #expect(try Age.decrypt(file, identities: [identity]) == plaintext)
        let text = String(decoding: file.prefix(headerEnd), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Offsets of the header's lines: intro, stanza, body, MAC.
        let stanzaStart = lines[0].utf8.count + 1
        let bodyStart = stanzaStart + lines[1].utf8.count + 1
        let macStart = bodyStart + lines[2].utf8.count + 1

        expectKind(.header, flipped(file, at: 3), identity)                          // the intro line
        expectKind(.headerMAC, changedBase64(file, at: macStart + 10), identity)     // the MAC
        expectKind(.noMatch, changedBase64(file, at: bodyStart + 5), identity)       // the wrapped file key
        expectKind(.noMatch, flipped(file, at: stanzaStart + 3), identity)           // "X25519" becomes "Y25519": ignored
        expectKind(.payload, flipped(file, at: headerEnd + 3), identity)             // the payload nonce
        for chunk in 0..<3 {                                                          // each payload chunk
            expectKind(.payload, flipped(file, at: headerEnd + 16 + chunk * (65536 + 16) + 100), identity)
        }
        expectKind(.payload, file.dropLast(1), identity)                              // a truncated final chunk
        expectKind(.payload, file.dropLast(500 + 16), identity)                       // the final chunk missing
        expectKind(.payload, file + Data([0]), identity)                              // a byte after the final chunk
        expectKind(.noMatch, file, AgeIdentity())                                     // someone else's key
    }

    @Test func nonCanonicalBase64AndMalformedStanzasAreHeaderErrors() throws {
        let (file, identity, headerEnd, _) = try sample()
        let header = String(decoding: file.prefix(headerEnd), as: UTF8.self)
        let payload = file.suffix(from: headerEnd)
        let lines = header.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func with(_ replace: (inout [String]) -> Void) -> Data {
            var copy = lines
            replace(&copy)
            return Data(copy.joined(separator: "\n").utf8) + payload
        }
        // The share's last character carries 2 unused bits: setting them is non-canonical.
        let share = String(lines[1].split(separator: " ")[2])
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let last = alphabet.firstIndex(of: share.last!)!
        let loose = String(share.dropLast()) + String(alphabet[last | 1 == last ? last ^ 1 : last | 1])
        expectKind(.header, with { $0[1] = "-> X25519 " + loose }, identity)
        expectKind(.header, with { $0[1] = "-> X25519 " + share + "=" }, identity)
        expectKind(.header, with { $0[1] = "-> X25519" }, identity)
        expectKind(.header, with { $0[1] = "-> X25519 " + share + " extra" }, identity)
        expectKind(.header, with { $0[1] = "-> X25519  " + share }, identity)
        expectKind(.header, with { $0[2] += "AA" }, identity)                         // a 34-byte body
        expectKind(.header, with { $0.remove(at: 1); $0.remove(at: 1) }, identity)     // no stanza at all
        expectKind(.header, with { $0[3] = "---" + String($0[3].dropFirst(3)) + "=" }, identity)
    }

    @Test func anAllZeroSharedSecretIsRefused() throws {
        let identity = AgeIdentity()
        // A low-order point as the ephemeral share: X25519 with it gives 32 zero bytes.
        let zeroShare = String(repeating: "A", count: 43)
        let body = String(repeating: "A", count: 43)
        let header = "age-encryption.org/v1\n-> X25519 \(zeroShare)\n\(body)\n--- \(String(repeating: "A", count: 43))\n"
        expectKind(.header, Data(header.utf8) + Data(count: 32), identity)
    }

    /// Points of small order (libsodium's list, and two with the ignored top bit set): X25519 with
    /// any of them gives 32 zero bytes, so a stanza wrapped for one can be opened by anyone.
    static let lowOrderPoints = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "0000000000000000000000000000000000000000000000000000000000000080",
    ]

    static func data(hex: String) -> Data {
        var bytes = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// Refused when a recipient is parsed and when one is encrypted to, as the age CLI refuses
    /// the same recipients; an ordinary recipient still works.
    @Test(arguments: lowOrderPoints)
    func lowOrderRecipientsAreRefused(point: String) throws {
        let recipient = AgeRecipient(rawKey: AgeTests.data(hex: point))
        let text = recipient.description
        #expect(text.hasPrefix("age1"))
        #expect(throws: AgeError.self) { try AgeRecipient(string: text) }
        #expect(throws: AgeError.self) { try Age.encrypt(Data("secret".utf8), to: [recipient]) }
        #expect(throws: AgeError.self) { try Age.encrypt(Data("secret".utf8), to: [AgeIdentity().recipient, recipient]) }
        let input = scratch.appending("plain-\(point.prefix(8)).txt")
        try Data("secret".utf8).write(to: URL(fileURLWithPath: input))
        let cli = run("age", ["-r", text, "-o", input + ".age", input], in: scratch.path)
        #expect(cli.status != 0, "the age CLI accepted \(text): \(cli)")
        let fine = AgeIdentity()
        #expect(try Age.decrypt(try Age.encrypt(Data("ok".utf8), to: [try AgeRecipient(string: fine.recipient.description)]),
                                identities: [fine]) == Data("ok".utf8))
    }

    /// A file that ends before or inside its 16-byte payload nonce is a header failure (age's
    /// spec); one whose nonce is whole but has no chunk is a payload failure.
    @Test func aTruncatedNonceIsAHeaderFailure() throws {
        let (file, identity, headerEnd, _) = try sample()
        for kept in [0, 1, 15] { expectKind(.header, file.prefix(headerEnd + kept), identity) }
        expectKind(.payload, file.prefix(headerEnd + 16), identity)
    }

    @Test func aHeaderFailureReleasesNoPlaintextWhenStreaming() throws {
        let (file, identity, headerEnd, _) = try sample()
        let macLine = file.range(of: Data("\n--- ".utf8))!.upperBound
        for tampered in [changedBase64(file, at: macLine + 4), flipped(file, at: 3)] {
            let input = scratch.appending("tampered.age")
            let output = scratch.appending("tampered.out")
            try tampered.write(to: URL(fileURLWithPath: input))
            FileManager.default.createFile(atPath: output, contents: nil)
            #expect(throws: AgeError.self) {
                try Age.decrypt(from: FileHandle(forReadingAtPath: input)!, to: FileHandle(forWritingAtPath: output)!,
                                identities: [identity])
            }
            #expect(FileManager.default.contents(atPath: output)?.isEmpty == true)
        }
        _ = headerEnd
    }
}
