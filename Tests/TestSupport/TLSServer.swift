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
    private let process: DetachedProcess

    public typealias NotStarted = DetachedProcess.NotStarted

    public init(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let made = run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                                   "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], in: folder)
        guard made.status == 0 else { throw NotStarted(description: "\(made)") }
        certificate = folder + "/cert.pem"
        // A port some other program holds makes the server exit; then another is tried.
        for _ in 1...5 {
            let port = Int.random(in: 20_000...50_000)
            let process = try DetachedProcess.start(
                "openssl s_server -quiet -www -accept 127.0.0.1:\(port) -cert cert.pem -key key.pem", in: folder, limit: 120)
            for _ in 0..<100 where process.isRunning && !DetachedProcess.isListening(port) { usleep(50_000) }
            if process.isRunning && DetachedProcess.isListening(port) {
                (self.port, self.process) = (port, process)
                return
            }
            process.stop()
        }
        throw NotStarted(description: "openssl s_server did not start")
    }

    /// An https URL of `path` on this server.
    public func url(_ path: String) -> String { "https://localhost:\(port)\(path)" }

    deinit {
        process.stop()
    }
}
