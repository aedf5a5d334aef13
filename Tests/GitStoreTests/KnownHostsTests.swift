import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct KnownHostsTests {
    let scratch = Scratch()

    /// A fresh ed25519 public key: its type and wire-format blob.
    func key(_ name: String) throws -> (type: String, blob: Data, line: String) {
        let path = scratch.appending(name)
        #expect(run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path], in: scratch.path).status == 0)
        let fields = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
        return (String(fields[0]), try #require(Data(base64Encoded: String(fields[1]))), "\(fields[0]) \(fields[1])")
    }

    @Test func plainPortAndPatternLines() throws {
        let host = try key("host")
        let other = try key("other")
        let file = KnownHosts(text: """
            # comment
            git.example.com,10.0.0.5 \(host.line)
            [127.0.0.1]:2222 \(host.line)
            *.corp.example \(host.line)
            !bad.corp.example,*.corp.example \(other.line)
            @cert-authority *.example.com \(other.line)
            """)
        #expect(file.verdict(host: "git.example.com", port: 22, key: host.blob) == .trusted)
        #expect(file.verdict(host: "10.0.0.5", port: 22, key: host.blob) == .trusted)
        #expect(file.verdict(host: "git.example.com", port: 22, key: other.blob) == .changed)
        #expect(file.verdict(host: "127.0.0.1", port: 2222, key: host.blob) == .trusted)
        #expect(file.verdict(host: "127.0.0.1", port: 22, key: host.blob) == .unknown)   // the port is part of the name
        #expect(file.verdict(host: "build.corp.example", port: 22, key: host.blob) == .trusted)
        // The negated name matches no line but the wildcard one, whose key differs.
        #expect(file.verdict(host: "bad.corp.example", port: 22, key: other.blob) == .changed)
        #expect(file.verdict(host: "elsewhere.org", port: 22, key: host.blob) == .unknown)
        #expect(KnownHosts.keyType(of: host.blob) == host.type)
        #expect(KnownHosts.line(host: "h", port: 2222, keyType: host.type, key: host.blob) == "[h]:2222 \(host.line)")
    }

    @Test func hashedLinesFromSSHKeygenMatch() throws {
        let host = try key("host")
        let path = scratch.appending("known_hosts")
        try "[127.0.0.1]:2222 \(host.line)\ngit.example.com \(host.line)\n".write(toFile: path, atomically: true, encoding: .utf8)
        // OpenSSH hashes the names (HashKnownHosts, Debian's default) with HMAC-SHA1.
        #expect(run("ssh-keygen", ["-H", "-f", path], in: scratch.path).status == 0)
        let hashed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(hashed.hasPrefix("|1|") && !hashed.contains("git.example.com"))
        let file = KnownHosts(contentsOf: path)
        #expect(file.verdict(host: "127.0.0.1", port: 2222, key: host.blob) == .trusted)
        #expect(file.verdict(host: "git.example.com", port: 22, key: host.blob) == .trusted)
        #expect(file.verdict(host: "git.example.org", port: 22, key: host.blob) == .unknown)
    }

    @Test func aRevokedKeyIsNeverTrusted() throws {
        let host = try key("host")
        let file = KnownHosts(text: "git.example.com \(host.line)\n@revoked * \(host.line)\n")
        #expect(file.verdict(host: "git.example.com", port: 22, key: host.blob) == .changed)
    }

    @Test func hashedNamesAreHMACSHA1OfTheName() {
        // RFC 2202 test case 2 as a hashed known_hosts name: the salt is the key "Jefe", the name
        // "what do ya want for nothing?", the hash HMAC-SHA-1 effcdf6a...7c79 (base64 below).
        let hashed = "|1|SmVmZQ==|7/zfauXrL6LSdBbV8YTfnCWafHk="
        #expect(KnownHosts.matches(name: "what do ya want for nothing?", patterns: hashed))
        #expect(!KnownHosts.matches(name: "what do ya want for something?", patterns: hashed))
    }
}
