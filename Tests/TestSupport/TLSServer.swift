import Foundation

/// `openssl s_server` on a loopback port with a fresh self-signed certificate for `localhost`
/// (mbedTLS matches host names, not IP addresses), answering with a status page (not git), for
/// two minutes at most; stopped when the value goes.
public final class TLSServer: @unchecked Sendable {
    /// The system's CA bundle, which Debian's libgit2 reads.
    public static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"

    public let port: Int
    /// The server's certificate (PEM), which a client may be told to trust.
    public let certificate: String
    private let pid: Int32

    public struct NotStarted: Error, CustomStringConvertible {
        public let description: String
    }

    public init(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let made = run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                                   "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], in: folder)
        guard made.status == 0 else { throw NotStarted(description: "\(made)") }
        certificate = folder + "/cert.pem"
        // Left running by a shell. It must hold none of the descriptors the shell inherited:
        // Foundation's `Process` waits until every holder of one of them has exited. A port some
        // other program holds makes the server exit; then another is tried.
        let started = run("bash", ["-c", """
            for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            for attempt in 1 2 3 4 5; do
                port=$(( 20000 + RANDOM % 30000 ))
                timeout 120 openssl s_server -quiet -www -accept 127.0.0.1:$port -cert cert.pem -key key.pem >/dev/null 2>&1 &
                pid=$!
                for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
                if kill -0 $pid 2>/dev/null; then echo "$pid $port"; exit 0; fi
            done
            exit 1
            """], in: folder)
        let fields = started.stdout.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard fields.count == 2 else { throw NotStarted(description: "\(started)") }
        (pid, port) = (fields[0], Int(fields[1]))
    }

    /// An https URL of `path` on this server.
    public func url(_ path: String) -> String { "https://localhost:\(port)\(path)" }

    deinit {
        kill(pid, SIGTERM)
    }
}
