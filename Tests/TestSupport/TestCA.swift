import Foundation

/// A certificate authority made with openssl for one test, as a company's own CA would be: a client
/// trusts its certificate (`certificate`, PEM) and then every server certificate it signs.
public struct TestCA: Sendable {
    public let folder: String
    /// The CA's certificate, the file a client is told to trust.
    public let certificate: String
    private let key: String

    public init(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        certificate = folder + "/ca.pem"
        key = folder + "/ca.key"
        try TestCA.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                            "-subj", "/CN=rapport test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                            "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: folder)
    }

    /// A certificate and key for `localhost` signed by this CA, named after `name`. The name is in
    /// the subject alternative names as a DNS name: mbedTLS matches host names, not IP addresses.
    public func issue(_ name: String) throws -> (certificate: String, key: String) {
        let key = folder + "/\(name).key", request = folder + "/\(name).csr", certificate = folder + "/\(name).pem"
        let extensions = folder + "/\(name).ext"
        try "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try TestCA.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=localhost"], in: folder)
        try TestCA.openssl(["x509", "-req", "-in", request, "-CA", self.certificate, "-CAkey", self.key, "-CAcreateserial",
                            "-out", certificate, "-days", "2", "-extfile", extensions], in: folder)
        return (certificate, key)
    }

    private static func openssl(_ arguments: [String], in folder: String) throws {
        let result = run("openssl", arguments, in: folder)
        guard result.status == 0 else { throw DetachedProcess.NotStarted(description: "openssl \(arguments.first ?? ""): \(result)") }
    }
}
