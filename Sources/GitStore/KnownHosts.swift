#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `~/.ssh/known_hosts`, read the way OpenSSH does for the cases that matter to a journal remote:
/// plain and hashed (`|1|salt|hash`) host names, comma lists, `*`/`?` patterns and negation,
/// `[host]:port` for other ports, and `@revoked` keys. A host key is trusted only when a line
/// for the host carries exactly that key.
public struct KnownHosts: Sendable {
    public enum Verdict: Sendable, Equatable {
        case trusted
        /// No line names the host.
        case unknown
        /// Lines name the host, with other keys (or this key is revoked): possibly an attack.
        case changed
    }

    struct Line: Sendable {
        let patterns: String
        let keyType: String
        let key: Data
        let revoked: Bool
    }

    let lines: [Line]

    public init(text: String) {
        var lines: [Line] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }  // @cert-authority: certificates are not supported
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            lines.append(Line(patterns: fields[0], keyType: fields[1], key: key, revoked: revoked))
        }
        self.lines = lines
    }

    public init(contentsOf path: String) {
        self.init(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// The verdict for `key` (the SSH wire-format public key blob) offered by `host` on `port`.
    public func verdict(host: String, port: Int, key: Data) -> Verdict {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        let matching = lines.filter { KnownHosts.matches(name: name, patterns: $0.patterns) }
        // A revoked key is refused wherever its @revoked line stands in the file.
        if matching.contains(where: { $0.revoked && $0.key == key }) { return .changed }
        let named = matching.filter { !$0.revoked }
        if named.contains(where: { $0.key == key }) { return .trusted }
        return named.isEmpty ? .unknown : .changed
    }

    static func matches(name: String, patterns: String) -> Bool {
        if patterns.hasPrefix("|1|") {
            let parts = patterns.split(separator: "|", omittingEmptySubsequences: true)
            guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                  let hash = Data(base64Encoded: String(parts[2])) else { return false }
            return SHA1.hmac(key: salt, message: Data(name.utf8)) == hash
        }
        var matched = false
        for pattern in patterns.split(separator: ",") {
            let negated = pattern.hasPrefix("!")
            let body = String(negated ? pattern.dropFirst() : pattern[...]).lowercased()
            // Only * and ? are wildcards; the brackets of [host]:port are literal.
            let hit = body.contains("*") || body.contains("?")
                ? fnmatch(body.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]"),
                          name.lowercased(), 0) == 0
                : body == name.lowercased()
            guard hit else { continue }
            if negated { return false }
            matched = true
        }
        return matched
    }

    /// A line for `known_hosts` that trusts `key` for `host` (what the refusal tells people to add).
    public static func line(host: String, port: Int, keyType: String, key: Data) -> String {
        "\(port == 22 ? host : "[\(host)]:\(port)") \(keyType) \(key.base64EncodedString())"
    }

    /// The key type name inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`).
    public static func keyType(of blob: Data) -> String {
        let bytes = [UInt8](blob)
        guard bytes.count >= 4 else { return "ssh-unknown" }
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length > 0, 4 + length <= bytes.count else { return "ssh-unknown" }
        return String(decoding: bytes[4..<(4 + length)], as: UTF8.self)
    }
}

/// SHA-1 and HMAC-SHA-1, only for matching hashed known_hosts names (OpenSSH's format fixes SHA-1).
enum SHA1 {
    static func hash(_ message: Data) -> Data {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var bytes = [UInt8](message)
        let bitLength = UInt64(bytes.count) * 8
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: bytes.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + 4 * i
                w[i] = UInt32(bytes[j]) << 24 | UInt32(bytes[j + 1]) << 16 | UInt32(bytes[j + 2]) << 8 | UInt32(bytes[j + 3])
            }
            for i in 16..<80 { w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotatedLeft(1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(30), a, temp)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return Data(h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } })
    }

    static func hmac(key: Data, message: Data) -> Data {
        var block = [UInt8](key.count > 64 ? hash(key) : key)
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = hash(Data(block.map { $0 ^ 0x36 }) + message)
        return hash(Data(block.map { $0 ^ 0x5C }) + inner)
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 { (self << count) | (self >> (32 - count)) }
}
