import Foundation

/// https credentials from git's own helpers, through `git credential fill`, so a manager whose
/// git already knows the host's password or token needs nothing more.
public enum GitCredentials {
    /// The user name and password git's helpers give for `url`, nil when they give none. Never
    /// prompts (GIT_TERMINAL_PROMPT=0), so a sync in cron cannot hang.
    public static func fill(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (user: String, password: String)? {
        guard !url.contains("\n") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "credential", "fill"]
        var environment = environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "/bin/false"
        environment["SSH_ASKPASS"] = "/bin/false"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        input.fileHandleForWriting.write(Data("url=\(url)\n\n".utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let user = fields["username"], let password = fields["password"], !password.isEmpty else { return nil }
        return (user, password)
    }
}
