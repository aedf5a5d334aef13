#if canImport(Glibc)
import Glibc
#endif
import Crypto
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
            // OpenSSH's hashed names are HMAC-SHA-1 of the name keyed by the salt; its format fixes SHA-1.
            let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt))
            return Data(code) == hash
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
