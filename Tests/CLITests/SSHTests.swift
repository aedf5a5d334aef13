import Foundation
import Testing
import TestSupport

/// An sshd on a loopback port with a throwaway host key, accepting one throwaway user key for the
/// current user; git's upload-pack and receive-pack serve repositories under its folder.
final class SSHServer: @unchecked Sendable {
    let folder: String
    let port: Int
    let hostKeyLine: String
    let userKey: String

    init(in scratch: Scratch) throws {
        folder = scratch.appending("sshd")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        for name in ["host_key", "user_key"] {
            let made = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", folder + "/" + name], in: folder)
            try #require(made.status == 0, "\(made)")
        }
        userKey = folder + "/user_key"
        try FileManager.default.copyItem(atPath: folder + "/user_key.pub", toPath: folder + "/authorized_keys")
        let publicKey = try String(contentsOfFile: folder + "/host_key.pub", encoding: .utf8).split(separator: " ")
        // A random port, and another one when it does not answer: other test processes start
        // servers on random ports at the same time (scripts/test.sh).
        var chosen: Int?
        for _ in 0..<5 where chosen == nil {
            let candidate = Int.random(in: 20_000...60_000)
            try """
                Port \(candidate)
                ListenAddress 127.0.0.1
                HostKey \(folder)/host_key
                AuthorizedKeysFile \(folder)/authorized_keys
                PidFile \(folder)/sshd.pid
                StrictModes no
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin prohibit-password
                LogLevel ERROR

                """.write(toFile: folder + "/sshd_config", atomically: true, encoding: .utf8)
            // sshd detaches itself and records its pid; a long-lived Foundation Process child would
            // keep later `run` calls from seeing their own children exit.
            guard run("/usr/sbin/sshd", ["-f", folder + "/sshd_config"], in: folder).status == 0 else { continue }
            // Ready when it answers a key scan.
            for _ in 0..<150 where chosen == nil {
                if run("ssh-keyscan", ["-p", String(candidate), "-t", "ed25519", "127.0.0.1"], in: folder).stdout.contains("ssh-ed25519") {
                    chosen = candidate
                } else {
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            if chosen == nil, let pid = (try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8))
                .flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGTERM)
            }
        }
        guard let chosen else { throw SSHError.notStarted }
        port = chosen
        hostKeyLine = "[127.0.0.1]:\(chosen) \(publicKey[0]) \(publicKey[1])"
    }

    enum SSHError: Error { case notStarted }

    func url(_ path: String) -> String { "ssh://\(NSUserName())@127.0.0.1:\(port)\(path)" }

    deinit {
        if let pid = (try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            kill(pid, SIGTERM)
        }
    }
}

@Suite(.serialized) struct SSHTests {
    /// A journal in `cli`, a bare remote served over ssh, and `~/.ssh` set up as `keys` says.
    func setUp(_ cli: CLI, server: SSHServer, keyFile: Bool, knownHosts: String?) throws -> String {
        cli.makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        let ssh = cli.home + "/.ssh"
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        if keyFile {
            try FileManager.default.copyItem(atPath: server.userKey, toPath: ssh + "/id_ed25519")
            try FileManager.default.copyItem(atPath: server.userKey + ".pub", toPath: ssh + "/id_ed25519.pub")
        }
        if let knownHosts { try knownHosts.write(toFile: ssh + "/known_hosts", atomically: true, encoding: .utf8) }
        #expect(cli("remote", "add", "origin", server.url(remote)).status == 0)
        return remote
    }

    @Test func cloneSyncAndPullWithAKeyFile() throws {
        let cli = CLI()
        let server = try SSHServer(in: cli.scratch)
        let remote = try setUp(cli, server: server, keyFile: true, knownHosts: server.hostKeyLine + "\n")
        let pushed = cli("sync")
        #expect(pushed.status == 0 && pushed.stdout == "Origin was empty; pushed.\n", "\(pushed)")
        let other = cli.scratch.appending("other")
        let cloned = cli("clone", server.url(remote), other)
        #expect(cloned.status == 0, "\(cloned)")
        #expect(cli("1on1", "alice", "--note", "Over ssh.", in: other).status == 0)
        #expect(cli("sync", in: other).stdout == "Origin had nothing new; pushed.\n")
        let pulled = cli("pull")
        #expect(pulled.status == 0 && pulled.stdout == "Fast-forwarded to origin.\n", "\(pulled)")
        #expect(cli("search", "Over ssh").stdout.contains("alice"))
        for path in [remote, cli.journal, other] { #expect(fsckProblems(path) == "") }
        _ = server
    }

    @Test func cloneAndPushThroughSSHAgent() throws {
        let cli = CLI()
        let server = try SSHServer(in: cli.scratch)
        let remote = try setUp(cli, server: server, keyFile: false, knownHosts: server.hostKeyLine + "\n")
        let socket = cli.scratch.appending("agent.sock")
        // The agent detaches; it must not keep the descriptor Foundation watches to see `run`'s child exit.
        let agent = run("/bin/bash", ["-c", "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec ssh-agent -s -a \(socket)"],
                        in: cli.scratch.path)
        #expect(agent.status == 0, "\(agent)")
        let agentPID = agent.stdout.components(separatedBy: "SSH_AGENT_PID=").dropFirst().first
            .flatMap { Int32($0.prefix { $0.isNumber }) }
        // SIGKILL: the agent inherits a signal mask that blocks SIGTERM from the test runner.
        defer { if let agentPID { kill(agentPID, SIGKILL) } }
        let added = run("ssh-add", [server.userKey], in: cli.scratch.path, environment: cli.environment(["SSH_AUTH_SOCK": socket]))
        #expect(added.status == 0, "\(added)")

        // Without the agent there is no key at all: a clear authentication failure, nothing pushed.
        let refused = cli("sync")
        #expect(refused.status == 1 && refused.stderr.contains("refused the credentials"), "\(refused)")
        #expect(git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.isEmpty)

        let agentEnvironment = ["SSH_AUTH_SOCK": socket]
        #expect(cli("sync", environment: agentEnvironment).status == 0)
        let other = cli.scratch.appending("other")
        #expect(cli("clone", server.url(remote), other, environment: agentEnvironment).status == 0)
        #expect(cli("kudos", "bob", "Via the agent.", in: other).status == 0)
        #expect(cli("push", environment: agentEnvironment, in: other).status == 0)
        #expect(cli("pull", environment: agentEnvironment).stdout == "Fast-forwarded to origin.\n")
        _ = server
    }

    @Test func aPushTheRemoteDeclinesIsReportedNotRetriedForever() throws {
        let cli = CLI()
        let server = try SSHServer(in: cli.scratch)
        let remote = try setUp(cli, server: server, keyFile: true, knownHosts: server.hostKeyLine + "\n")
        cli.scratch.write("echo 'journal is frozen' >&2\nexit 1", to: "remote.git/hooks/pre-receive", executable: true)
        let refused = cli("sync")
        #expect(refused.status == 1 && refused.stderr.contains("refused the push"), "\(refused)")
        #expect(refused.stderr.contains("your commits are safe here"))
        #expect(git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.isEmpty)
        cli.expectConsistent()
        _ = server
    }

    @Test(arguments: ["missing", "changed"])
    func anUntrustedHostKeyIsRefusedAndNothingChanges(_ case: String) throws {
        let cli = CLI()
        let server = try SSHServer(in: cli.scratch)
        let otherKey = cli.scratch.appending("impostor")
        #expect(run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey], in: cli.scratch.path).status == 0)
        let impostor = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8).split(separator: " ")
        let knownHosts = `case` == "missing" ? "" : "[127.0.0.1]:\(server.port) \(impostor[0]) \(impostor[1])\n"
        let remote = try setUp(cli, server: server, keyFile: true, knownHosts: knownHosts)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout
        let sync = cli("sync")
        #expect(sync.status == 1, "\(sync)")
        #expect(sync.stderr.contains(`case` == "missing" ? "is not in \(cli.home)/.ssh/known_hosts" : "differs from the one in"), "\(sync)")
        #expect(sync.stderr.contains("ssh-keyscan -p \(server.port) 127.0.0.1"))
        #expect(sync.stderr.split(separator: "\n").count == 1)
        #expect(git(["rev-parse", "HEAD"], in: cli.journal).stdout == head)
        #expect(git(["rev-parse", "--verify", "-q", "main"], in: remote).stdout.isEmpty)
        let target = cli.scratch.appending("clone")
        let clone = cli("clone", server.url(remote), target)
        #expect(clone.status == 1 && !FileManager.default.fileExists(atPath: target), "\(clone)")
        cli.expectConsistent()
        _ = server
    }
}
