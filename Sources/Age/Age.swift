import Crypto
import Foundation

/// Why an age file could not be read. `header` and `headerMAC` failures release no plaintext.
public struct AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case header, headerMAC, payload, noMatch }
    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "age \(kind.rawValue) error: \(detail)" }
}

/// An X25519 recipient, `age1...`.
public struct AgeRecipient: Sendable, Equatable, CustomStringConvertible {
    /// The 32-byte X25519 public key.
    public let rawKey: Data

    public init(string: String) throws {
        guard let (hrp, data) = Bech32.decode(string), hrp == "age", string == string.lowercased(), data.count == 32 else {
            throw AgeError(.header, "'\(string.prefix(80))' is not an age recipient (age1...)")
        }
        rawKey = Data(data)
        guard !isLowOrder else {
            throw AgeError(.header, "'\(string.prefix(80))' is a low-order X25519 point: anyone could open what is encrypted to it")
        }
    }

    /// A point of small order, with which every X25519 agreement gives 32 zero bytes: a stanza
    /// wrapped for it can be opened by anyone, so age refuses such recipients. Every clamped
    /// scalar is a multiple of the cofactor 8, so one agreement with any key tells.
    var isLowOrder: Bool {
        guard let key = try? publicKey, let shared = try? AgeRecipient.probe.sharedSecretFromKeyAgreement(with: key) else { return true }
        return shared.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
    }

    nonisolated(unsafe) private static let probe = Curve25519.KeyAgreement.PrivateKey()

    init(rawKey: Data) { self.rawKey = rawKey }

    var publicKey: Curve25519.KeyAgreement.PublicKey {
        get throws { try Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawKey) }
    }

    public var description: String { Bech32.encode(hrp: "age", data: [UInt8](rawKey)) }
}

/// An X25519 identity, `AGE-SECRET-KEY-1...`.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    private let rawKey: Data
    /// Parsed once: making a key from its bytes derives its public key, as costly as the agreement.
    /// Immutable, so sharing it between threads is safe though swift-crypto does not mark it Sendable.
    nonisolated(unsafe) let privateKey: Curve25519.KeyAgreement.PrivateKey
    /// The public key, derived once: each file's key derivation needs it, and deriving it costs as
    /// much as the key agreement itself.
    let publicKey: Data

    public init(string: String) throws {
        guard let (hrp, data) = Bech32.decode(string), hrp == "age-secret-key-", string == string.uppercased(), data.count == 32 else {
            throw AgeError(.header, "not an age identity (AGE-SECRET-KEY-1...)")
        }
        // 32 bytes always make a valid X25519 scalar.
        self.init(try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: Data(data)))
    }

    /// A new random identity.
    public init() { self.init(Curve25519.KeyAgreement.PrivateKey()) }

    private init(_ key: Curve25519.KeyAgreement.PrivateKey) {
        privateKey = key
        rawKey = key.rawRepresentation
        publicKey = key.publicKey.rawRepresentation
    }

    public var recipient: AgeRecipient { AgeRecipient(rawKey: publicKey) }

    /// The identity as age writes it (keep it secret).
    public var description: String {
        Bech32.encode(hrp: "age-secret-key-", data: [UInt8](rawKey)).uppercased()
    }

    /// Every identity in an age identity file (`# comments` and blank lines skipped).
    public static func parseFile(_ text: String) throws -> [AgeIdentity] {
        let identities = try text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { try AgeIdentity(string: $0) }
        guard !identities.isEmpty else { throw AgeError(.noMatch, "the identity file holds no identity") }
        return identities
    }
}

/// The age v1 file format (age-encryption.org/v1) with X25519 recipients.
public enum Age {
    static let intro = "age-encryption.org/v1"
    static let chunkSize = 64 * 1024
    static let tagSize = 16

    /// Encrypts `plaintext` to every recipient.
    public static func encrypt(_ plaintext: Data, to recipients: [AgeRecipient]) throws -> Data {
        var output = Data()
        try encrypt(reading: DataSource(plaintext), to: recipients) { output.append($0) }
        return output
    }

    /// Decrypts an age file with the first identity that opens one of its stanzas.
    public static func decrypt(_ file: Data, identities: [AgeIdentity]) throws -> Data {
        var output = Data()
        try decrypt(reading: DataSource(file), identities: identities) { output.append($0) }
        return output
    }

    /// Streams `input` into an age file on `output`, 64 KiB at a time.
    public static func encrypt(from input: FileHandle, to output: FileHandle, recipients: [AgeRecipient]) throws {
        try encrypt(reading: HandleSource(input), to: recipients) { output.write($0) }
    }

    /// Streams an age file from `input` to plaintext on `output`, 64 KiB at a time. Plaintext is
    /// written only after the header MAC checks out, chunk by chunk as each authenticates; a
    /// failure later on (a truncated or altered chunk) throws after the earlier chunks were written.
    public static func decrypt(from input: FileHandle, to output: FileHandle, identities: [AgeIdentity]) throws {
        try decrypt(reading: HandleSource(input), identities: identities) { output.write($0) }
    }

    // MARK: - Encryption

    static func encrypt(reading source: ByteSource, to recipients: [AgeRecipient], write: (Data) throws -> Void) throws {
        guard !recipients.isEmpty else { throw AgeError(.noMatch, "no recipient to encrypt to") }
        let fileKey = SymmetricKey(size: .bits128)
        var header = intro + "\n"
        for recipient in recipients {
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = ephemeral.publicKey.rawRepresentation
            let shared = try ephemeral.sharedSecretFromKeyAgreement(with: try recipient.publicKey)
            // A recipient made without `init(string:)` is checked here too, as the age CLI does.
            guard shared.withUnsafeBytes({ $0.contains { $0 != 0 } }) else {
                throw AgeError(.header, "\(recipient) is a low-order X25519 point: anyone could open what is encrypted to it")
            }
            let wrapKey = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: share + recipient.rawKey,
                sharedInfo: Data("age-encryption.org/v1/X25519".utf8), outputByteCount: 32)
            let body = try ChaChaPoly.seal(fileKey.withUnsafeBytes { Data($0) }, using: wrapKey, nonce: ChaChaPoly.Nonce(data: Data(count: 12)))
            header += "-> X25519 \(Base64.encode(share))\n" + Base64.wrapped(body.ciphertext + body.tag)
        }
        header += "---"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(header.utf8), using: headerKey(fileKey))
        try write(Data((header + " " + Base64.encode(Data(mac)) + "\n").utf8))

        var nonce = Data(count: 16)
        nonce.withUnsafeMutableBytes { buffer in
            var generator = SystemRandomNumberGenerator()
            for index in buffer.indices { buffer[index] = UInt8.random(in: 0...255, using: &generator) }
        }
        try write(nonce)
        let payloadKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: nonce, info: Data("payload".utf8), outputByteCount: 32)
        var counter: UInt64 = 0
        var current = try source.read(chunkSize)
        while true {
            // One chunk of lookahead tells whether this chunk is the last.
            let next = current.count == chunkSize ? try source.read(chunkSize) : Data()
            let last = next.isEmpty
            let sealed = try ChaChaPoly.seal(current, using: payloadKey, nonce: chunkNonce(counter, last: last))
            try write(sealed.ciphertext + sealed.tag)
            if last { return }
            counter += 1
            current = next
        }
    }

    // MARK: - Decryption

    static func decrypt(reading source: ByteSource, identities: [AgeIdentity], write: (Data) throws -> Void) throws {
        let (stanzas, headerBytes, mac) = try readHeader(source)
        var fileKey: SymmetricKey?
        for stanza in stanzas where stanza.type == "X25519" {
            guard stanza.arguments.count == 1, let share = Base64.decode(stanza.arguments[0]), share.count == 32 else {
                throw AgeError(.header, "an X25519 stanza needs one 32-byte share")
            }
            guard stanza.body.count == 32 else { throw AgeError(.header, "an X25519 stanza's body must be 32 bytes") }
            let sharePublic = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: share)
            for identity in identities {
                let shared = try identity.privateKey.sharedSecretFromKeyAgreement(with: sharePublic)
                // swift-crypto on Linux does not reject a low-order share; age requires it.
                guard shared.withUnsafeBytes({ $0.contains { $0 != 0 } }) else {
                    throw AgeError(.header, "an X25519 share gives an all-zero shared secret")
                }
                let wrapKey = shared.hkdfDerivedSymmetricKey(
                    using: SHA256.self, salt: share + identity.publicKey,
                    sharedInfo: Data("age-encryption.org/v1/X25519".utf8), outputByteCount: 32)
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: Data(count: 12)),
                                                   ciphertext: stanza.body.prefix(16), tag: stanza.body.suffix(16))
                if let key = try? ChaChaPoly.open(box, using: wrapKey) {
                    fileKey = SymmetricKey(data: key)
                    break
                }
            }
            if fileKey != nil { break }
        }
        guard let fileKey else { throw AgeError(.noMatch, "none of the identities opens this file") }
        // Compared in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: headerBytes, using: headerKey(fileKey)) else {
            throw AgeError(.headerMAC, "the header MAC does not match: the header was altered")
        }
        let nonce = try source.read(16)
        // The age spec counts a file that ends before or inside the nonce as a header failure.
        guard nonce.count == 16 else { throw AgeError(.header, "the file ends before its 16-byte payload nonce") }
        let payloadKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: nonce, info: Data("payload".utf8), outputByteCount: 32)
        var counter: UInt64 = 0
        var current = try source.read(chunkSize + tagSize)
        while true {
            guard current.count >= tagSize else { throw AgeError(.payload, "the payload is truncated") }
            let next = current.count == chunkSize + tagSize ? try source.read(chunkSize + tagSize) : Data()
            let last = next.isEmpty
            let box = try ChaChaPoly.SealedBox(nonce: chunkNonce(counter, last: last),
                                               ciphertext: current.dropLast(tagSize), tag: current.suffix(tagSize))
            guard let plaintext = try? ChaChaPoly.open(box, using: payloadKey) else {
                throw AgeError(.payload, last ? "the final chunk does not authenticate (truncated, altered or extended)"
                                              : "chunk \(counter) does not authenticate")
            }
            if last {
                guard !plaintext.isEmpty || counter == 0 else { throw AgeError(.payload, "an empty final chunk after data") }
                try write(plaintext)
                return
            }
            try write(plaintext)
            counter += 1
            current = next
        }
    }

    struct Stanza {
        let type: String
        let arguments: [String]
        let body: Data
    }

    /// Parses the header strictly: the intro line, stanzas with canonical base64 bodies wrapped at
    /// 64 columns and ending in a short line, then `--- <mac>`. Returns the bytes the MAC covers.
    static func readHeader(_ source: ByteSource) throws -> ([Stanza], Data, Data) {
        var covered = Data()
        func line() throws -> String {
            let bytes = try source.readLine(limit: 4096)
            guard let bytes, bytes.last == 0x0A else { throw AgeError(.header, "the header ends early") }
            covered.append(bytes)
            guard let text = String(bytes: bytes.dropLast(), encoding: .ascii), text.utf8.allSatisfy({ (32...126).contains($0) }) else {
                throw AgeError(.header, "the header holds a byte that is not printable ASCII")
            }
            return text
        }
        guard try line() == intro else { throw AgeError(.header, "not an age v1 file") }
        var stanzas: [Stanza] = []
        var text = try line()
        while !text.hasPrefix("---") {
            guard text.hasPrefix("-> ") else { throw AgeError(.header, "expected a stanza (-> ...) or the MAC line (---)") }
            let fields = text.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let type = fields.first, fields.allSatisfy({ !$0.isEmpty }) else { throw AgeError(.header, "a stanza has an empty argument") }
            var body = Data()
            while true {
                let bodyLine = try line()
                guard bodyLine.count <= 64, let decoded = Base64.decode(bodyLine) else {
                    throw AgeError(.header, "a stanza body line is not canonical base64 of at most 64 columns")
                }
                body.append(decoded)
                if bodyLine.count < 64 { break }
            }
            stanzas.append(Stanza(type: type, arguments: Array(fields.dropFirst()), body: body))
            text = try line()
        }
        guard text.hasPrefix("--- "), let mac = Base64.decode(String(text.dropFirst(4))), mac.count == 32 else {
            throw AgeError(.header, "the MAC line must be '--- ' and 32 bytes of canonical base64")
        }
        guard !stanzas.isEmpty else { throw AgeError(.header, "the header has no stanza") }
        // The MAC covers the header up to and including "---", not the space and MAC after it.
        let macCovered = covered.prefix(covered.count - text.utf8.count - 1) + Data("---".utf8)
        return (stanzas, macCovered, mac)
    }

    static func headerKey(_ fileKey: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: Data(), info: Data("header".utf8), outputByteCount: 32)
    }

    static func chunkNonce(_ counter: UInt64, last: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index)) }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }
}

/// Canonical unpadded base64, as the age header uses it.
enum Base64 {
    static func encode(_ data: Data) -> String {
        var text = data.base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// nil for padding, characters outside the standard alphabet, or non-zero unused bits.
    static func decode(_ text: String) -> Data? {
        guard !text.utf8.contains(UInt8(ascii: "=")), text.utf8.count % 4 != 1 else { return nil }
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), encode(data) == text else { return nil }
        return data
    }

    static func wrapped(_ data: Data) -> String {
        let text = encode(data)
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count >= 64 {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append(String(rest))  // a final short line, empty when the text is a multiple of 64
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Where encrypted or plain bytes come from: all of a `Data`, or a file read as it goes.
protocol ByteSource: AnyObject {
    /// Up to `count` bytes; fewer only at the end.
    func read(_ count: Int) throws -> Data
    /// Bytes up to and including the next newline (or to the end), at most `limit`; nil at the end.
    func readLine(limit: Int) throws -> Data?
}

final class DataSource: ByteSource {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    func read(_ count: Int) throws -> Data {
        let end = min(offset + count, data.endIndex)
        defer { offset = end }
        return data[offset..<end]
    }

    func readLine(limit: Int) throws -> Data? {
        guard offset < data.endIndex else { return nil }
        let end = min(data.endIndex, offset + limit)
        let stop = data[offset..<end].firstIndex(of: 0x0A).map { $0 + 1 } ?? end
        defer { offset = stop }
        return data[offset..<stop]
    }
}

final class HandleSource: ByteSource {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func read(_ count: Int) throws -> Data {
        while buffer.count < count {
            guard let more = try handle.read(upToCount: max(count - buffer.count, 64 * 1024)), !more.isEmpty else { break }
            buffer.append(more)
        }
        let taken = buffer.prefix(count)
        buffer = Data(buffer.dropFirst(taken.count))
        return Data(taken)
    }

    func readLine(limit: Int) throws -> Data? {
        while buffer.firstIndex(of: 0x0A) == nil, buffer.count < limit {
            guard let more = try handle.read(upToCount: 4096), !more.isEmpty else { break }
            buffer.append(more)
        }
        guard !buffer.isEmpty else { return nil }
        let stop = buffer.firstIndex(of: 0x0A).map { buffer.distance(from: buffer.startIndex, to: $0) + 1 } ?? min(buffer.count, limit)
        let line = buffer.prefix(stop)
        buffer = Data(buffer.dropFirst(stop))
        return Data(line)
    }
}
