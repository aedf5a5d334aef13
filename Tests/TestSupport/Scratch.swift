import Foundation

/// A private scratch folder for one test, removed when the value goes away.
public final class Scratch: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = #function) {
        let name = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-test-\(name)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        if ProcessInfo.processInfo.environment["RAPPORT_KEEP_SCRATCH"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// A path inside the scratch folder.
    public func appending(_ component: String) -> String {
        url.appendingPathComponent(component).path
    }

    /// Writes a text file, making its folders.
    public func write(_ text: String, to relativePath: String, executable: Bool = false) {
        let target = url.appendingPathComponent(relativePath)
        try! FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: target)
        if executable {
            try! FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
        }
    }
}
