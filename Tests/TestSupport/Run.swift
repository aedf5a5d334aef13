import Foundation

/// What a finished process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs a program to completion. Output goes through files, so a chatty child can never block
/// on a full pipe.
@discardableResult
public func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String]? = nil, stdin: String? = nil
) -> ProcessResult {
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-run-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: capture) }
    let outURL = capture.appendingPathComponent("out"), errURL = capture.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    let out = try! FileHandle(forWritingTo: outURL), err = try! FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    if let stdin {
        let inURL = capture.appendingPathComponent("in")
        try! Data(stdin.utf8).write(to: inURL)
        process.standardInput = try! FileHandle(forReadingFrom: inURL)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    do {
        try process.run()
    } catch {
        return ProcessResult(status: 127, stdout: "", stderr: "could not start \(executable): \(error)")
    }
    process.waitUntilExit()
    try? out.close()
    try? err.close()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}

/// An environment that keeps git and rapport away from the machine's own configuration.
public func hermeticEnvironment(home: String, extra: [String: String] = [:]) -> [String: String] {
    var environment: [String: String] = [
        "HOME": home,
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "GIT_CONFIG_NOSYSTEM": "1",
        "XDG_CONFIG_HOME": home + "/.config",
        "XDG_DATA_HOME": home + "/.local/share",
        "NO_COLOR": "1",
    ]
    environment.merge(extra) { _, new in new }
    return environment
}

/// The git CLI, run hermetically inside `directory`.
@discardableResult
public func git(_ arguments: [String], in directory: String, home: String? = nil) -> ProcessResult {
    run("git", arguments, in: directory, environment: hermeticEnvironment(home: home ?? directory))
}

/// `git fsck --strict` output, empty when the repository is clean.
public func fsckProblems(_ directory: String) -> String {
    let result = git(["fsck", "--strict", "--no-progress"], in: directory)
    return result.status == 0 ? "" : result.description
}
