import Foundation

/// https credentials from git's own helpers, through `git credential fill`, so a manager whose
/// git already knows the host's password or token needs nothing more.
public enum GitCredentials {
    /// The user name and password git's helpers give for `url`, nil when they give none. Never
    /// prompts (GIT_TERMINAL_PROMPT=0), so a sync in cron cannot hang.
    public static func fill(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (user: String, password: String)? {
        guard !url.contains("\n") else { return nil }
        var environment = environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "/bin/false"
        environment["SSH_ASKPASS"] = "/bin/false"
        let helper = ChildProcess(["/usr/bin/env", "git", "credential", "fill"], environment: environment,
                                  input: Data("url=\(url)\n\n".utf8), capturesOutput: true, silencesErrors: true)
        guard let finished = try? helper.run(), finished.status == 0 else { return nil }
        let data = finished.output
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let user = fields["username"], let password = fields["password"], !password.isEmpty else { return nil }
        return (user, password)
    }
}
