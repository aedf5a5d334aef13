import Foundation
import Testing
import TestSupport

/// Four clones each record and sync 10 times at once against one remote: a file remote, one over
/// ssh and one over https. A sync that printed "pushed" was acknowledged; its commit (the clone's
/// HEAD then) must be in the remote's final main, however the races went. `make stress` sets
/// RAPPORT_RACE_ROUNDS=25.
@Suite(.serialized) struct RacingSyncTests {
    static let clones = 4
    static let rounds = Int(ProcessInfo.processInfo.environment["RAPPORT_RACE_ROUNDS"] ?? "") ?? 10

    /// Seeds `url` from `cli`'s journal, clones it four times, runs the race and checks the remote.
    func race(_ cli: CLI, url: String, remote: String, environment: [String: String] = [:]) throws {
        cli.makeJournal()
        #expect(cli("remote", "add", "origin", url).status == 0)
        let seeded = cli("sync", environment: environment)
        #expect(seeded.status == 0 && seeded.stdout == "Origin was empty; pushed.\n", "\(seeded)")
        let folders = (1...RacingSyncTests.clones).map { cli.scratch.appending("clone\($0)") }
        for folder in folders {
            let cloned = cli("clone", url, folder, environment: environment)
            try #require(cloned.status == 0, "\(cloned)")
        }
        // Each writer: a new entry, then a sync; the commit is noted (outside the journal, which
        // a sync commits) when the sync said "pushed".
        let writer = cli.script("writer.sh", """
            cd "$1" || exit 1
            for round in $(seq \(RacingSyncTests.rounds)); do
              "\(CLI.binary)" kudos alice "Clone $2, round $round." >/dev/null || echo "kudos $round failed" >> "$1.outcomes"
              out=$("\(CLI.binary)" sync 2>&1); status=$?
              echo "$status $out" | tr '\\n' ' ' >> "$1.outcomes"; echo >> "$1.outcomes"
              if printf '%s\\n' "$out" | grep -qE 'pushed( \\(after [0-9]+ retr(y|ies)\\))?\\.$'; then git rev-parse HEAD >> "$1.acknowledged"; fi
            done
            """)
        let started = Date()
        var writers: [Process] = []
        for (index, folder) in folders.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["600", "/bin/sh", writer, folder, "\(index + 1)"]
            process.environment = cli.environment(environment)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            writers.append(process)
        }
        for process in writers { process.waitUntilExit() }
        let seconds = Date().timeIntervalSince(started)

        var acknowledged: [String] = []
        var statuses: [String: Int] = [:]
        for folder in folders {
            let outcomes = try String(contentsOfFile: folder + ".outcomes", encoding: .utf8).split(separator: "\n")
            #expect(outcomes.count == RacingSyncTests.rounds, "\(outcomes)")
            for line in outcomes { statuses[String(line.prefix { $0 != " " }), default: 0] += 1 }
            // A lost race may end a sync after its tries (75, try again); nothing else may fail.
            #expect(outcomes.allSatisfy { $0.hasPrefix("0 ") || $0.hasPrefix("75 ") }, "\(outcomes.filter { !$0.hasPrefix("0 ") })")
            let mine = ((try? String(contentsOfFile: folder + ".acknowledged", encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
            #expect(!mine.isEmpty, "\(folder) never pushed")
            acknowledged += mine
        }
        // Many syncs get through (most, on an idle machine): the test cannot pass with nothing pushed.
        #expect(acknowledged.count >= RacingSyncTests.clones * RacingSyncTests.rounds / 4, "\(statuses)")
        let lost = acknowledged.filter { git(["merge-base", "--is-ancestor", $0, "main"], in: remote).status != 0 }
        #expect(lost.isEmpty, "\(lost.count) acknowledged pushes are not in the remote's main")
        #expect(fsckProblems(remote) == "")
        // Each acknowledged sync brought its own entry.
        let texts = Set(git(["grep", "-h", "Clone [0-9], round", "main", "--", "entries"], in: remote).stdout.split(separator: "\n"))
        #expect(texts.count >= acknowledged.count, "\(texts.count) entries for \(acknowledged.count) acknowledged syncs")
        print("racing syncs against \(url.prefix(8)): \(statuses) in \(Int(seconds)) s")
    }

    @Test func againstAFileRemote() throws {
        let cli = CLI()
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        try race(cli, url: remote, remote: remote)
    }

    @Test func againstAnSSHRemote() throws {
        let cli = CLI()
        let server = try SSHServer(in: cli.scratch)
        let remote = cli.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        let ssh = cli.home + "/.ssh"
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: server.userKey, toPath: ssh + "/id_ed25519")
        try FileManager.default.copyItem(atPath: server.userKey + ".pub", toPath: ssh + "/id_ed25519.pub")
        try (server.hostKeyLine + "\n").write(toFile: ssh + "/known_hosts", atomically: true, encoding: .utf8)
        try race(cli, url: server.url(remote), remote: remote)
        _ = server
    }

    @Test func againstAnHTTPSRemote() throws {
        let cli = CLI()
        let ca = try TestCA(in: cli.scratch.appending("ca"))
        let server = try GitHTTPServer(in: cli.scratch.appending("https"), tls: ca.issue("server"), users: HTTPSTests.users)
        let remote = server.makeRepository("journal.git")
        try race(cli, url: server.url("journal.git"), remote: remote,
                 environment: ["GIT_SSL_CAINFO": ca.certificate, "RAPPORT_GIT_TOKEN": HTTPSTests.token])
        _ = server
    }
}
