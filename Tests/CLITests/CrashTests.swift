import Foundation
import Testing
import TestSupport

/// rapport's writes killed with SIGKILL at random moments. After every kill the repository passes
/// `git fsck --strict`, `rapport check` passes, the next command works without repair, and every
/// write whose command had exited 0 is in HEAD (and, for `sync`, on the remote).
/// `make test` runs the short form; `make stress` sets RAPPORT_CRASH_KILLS=1000.
@Suite(.serialized) struct CrashTests {
    static let kills = Int(ProcessInfo.processInfo.environment["RAPPORT_CRASH_KILLS"] ?? "") ?? 60
    static let seed = UInt64(ProcessInfo.processInfo.environment["RAPPORT_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

    /// What a killed or finished command left.
    struct Outcome {
        let exited: Bool
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs rapport and sends SIGKILL after `delay` seconds unless it has finished by then.
    static func runKilled(_ cli: CLI, _ arguments: [String], after delay: Double, environment: [String: String] = [:]) -> Outcome {
        let output = cli.scratch.appending("crash-out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cli.journal)
        process.environment = cli.environment(environment)
        let handle = FileHandle(forWritingAtPath: output)!
        process.standardOutput = handle
        let errors = cli.scratch.appending("crash-err")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let errorHandle = FileHandle(forWritingAtPath: errors)!
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try! process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { usleep(1_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? handle.close()
        try? errorHandle.close()
        let stdout = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    @Test func killedWritesLoseNothingAcknowledged() throws {
        var random = SeededGenerator(seed: CrashTests.seed)
        let cli = CLI().makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(run("git", ["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        #expect(cli("sync").status == 0)
        let editor = cli.script("append", "printf '%s\\n' \"$EDIT_TOKEN\" >> \"$1\"")

        var acknowledged: [String] = []     // tokens HEAD must hold
        var ticked: [String] = []           // action items HEAD must hold ticked
        var entries: [String] = []          // ids of entries known to be committed
        var openItems: [(ref: String, token: String)] = []
        var pushed: [String] = []           // commits the remote must hold
        var killed = 0, finished = 0
        var counts: [String: Int] = [:]
        let started = Date()
        // How long a write takes here, unkilled (a few seed entries for `done` and `edit` too), so
        // the kills land anywhere in a write and about a quarter finish, on a fast or a busy machine.
        var durations: [Double] = []
        for seed in 0..<3 {
            let token = "T\(CrashTests.seed)S\(seed)X"
            let begun = Date()
            let seeded = cli("1on1", "alice", "--mood", "3", "--note", "Note \(token).", "--action", "@me follow up \(token)")
            durations.append(Date().timeIntervalSince(begun))
            #expect(seeded.status == 0, "\(seeded)")
            if let found = entryID(in: seeded.stdout) {
                entries.append(found)
                openItems.append((found + ".1", token))
                acknowledged.append(token)
            }
        }
        // The window follows the machine: narrower after a write that finished first, wider after
        // a kill, so about two in three kills land whatever the load is (other suites run alongside).
        let firstWindow = 1.4 * durations.sorted()[1]
        var window = firstWindow

        for round in 0..<CrashTests.kills * 4 where killed < CrashTests.kills {
            let token = "T\(CrashTests.seed)R\(round)X"
            let kind = ["1on1", "kudos", "done", "edit", "sync"].randomElement(using: &random)!
            var arguments: [String]
            var environment: [String: String] = [:]
            switch kind {
            case "1on1":
                arguments = ["1on1", ["alice", "bob"].randomElement(using: &random)!, "--mood", "3", "--note", "Note \(token).",
                             "--action", "@me follow up \(token)"]
            case "kudos":
                arguments = ["kudos", "alice", "bob", "Shipped \(token)."]
            case "done":
                guard let item = openItems.randomElement(using: &random) else { continue }
                arguments = ["done", item.ref]
            case "edit":
                guard let id = entries.randomElement(using: &random) else { continue }
                arguments = ["edit", id]
                environment = ["EDITOR": editor, "EDIT_TOKEN": "Edited \(token)."]
            default:
                arguments = ["sync"]
            }
            let outcome = CrashTests.runKilled(cli, arguments, after: Double.random(in: 0.0...window, using: &random), environment: environment)
            counts[kind, default: 0] += 1
            window = outcome.exited ? max(window * 0.9, firstWindow / 10) : min(window * 1.05, firstWindow * 3)
            if outcome.exited {
                finished += 1
                #expect(outcome.status == 0, "\(arguments) exited \(outcome.status): \(outcome.stderr) (seed \(CrashTests.seed))")
                guard outcome.status == 0 else { continue }
                switch kind {
                case "1on1", "kudos":
                    acknowledged.append(token)
                    if let id = entryID(in: outcome.stdout) {
                        entries.append(id)
                        if kind == "1on1" { openItems.append((id + ".1", token)) }
                    }
                case "done":
                    let item = openItems.first { $0.ref == arguments[1] }!
                    ticked.append(item.token)
                    openItems.removeAll { $0.ref == item.ref }
                case "edit":
                    acknowledged.append("Edited \(token).")
                default:
                    pushed.append(git(["rev-parse", "HEAD"], in: cli.journal).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            } else {
                killed += 1
            }
            // After every command, killed or not: the repository is sound and the journal readable.
            let fsck = fsckProblems(cli.journal)
            #expect(fsck == "", "after \(arguments) (seed \(CrashTests.seed)): \(fsck)")
            let checked = cli("check")
            #expect(checked.status == 0, "after \(arguments) (seed \(CrashTests.seed)): \(checked)")
            if !fsck.isEmpty || checked.status != 0 { break }
        }

        // The next command works without repair, and everything acknowledged is there.
        let next = cli("1on1", "alice", "--note", "After the storm.")
        #expect(next.status == 0, "\(next)")
        // A write killed half-way was undone by the next one: nothing half-written is left.
        let status = git(["status", "--porcelain", "--untracked-files=all"], in: cli.journal).stdout
        #expect(status.isEmpty, "left behind: \(status) (seed \(CrashTests.seed))")
        let head = git(["grep", "-h", "-F", "-e", "Note", "-e", "Shipped", "-e", "Edited", "-e", "follow up", "HEAD", "--", "entries"], in: cli.journal).stdout
        for token in acknowledged { #expect(head.contains(token), "acknowledged \(token) is missing (seed \(CrashTests.seed))") }
        for token in ticked { #expect(head.contains("- [x] @me follow up \(token)"), "acknowledged done \(token) is missing (seed \(CrashTests.seed))") }
        for commit in pushed {
            #expect(git(["merge-base", "--is-ancestor", commit, "main"], in: remote).status == 0, "pushed \(commit) is not on the remote")
        }
        #expect(fsckProblems(remote) == "")
        #expect(killed >= min(50, CrashTests.kills), "only \(killed) kills")
        #expect(finished >= CrashTests.kills / 10, "only \(finished) writes finished: the acknowledged-write check had too little to check")
        let summary = "crash harness (seed \(CrashTests.seed), kill window \(Int(firstWindow * 1000)) ms at first, \(Int(window * 1000)) ms at the end): \(killed) kills, \(finished) finished, \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \(acknowledged.count + ticked.count + pushed.count) acknowledged writes checked, in \(Int(Date().timeIntervalSince(started))) s"
        FileHandle.standardError.write(Data((summary + "\n").utf8))
    }

    /// One-on-ones each of the 16 writers records: 20 under `make test`, 50 under `make stress`.
    static let entriesPerWriter = Int(ProcessInfo.processInfo.environment["RAPPORT_WRITER_ENTRIES"] ?? "") ?? 20

    /// 16 writers record one-on-ones at once while a loop syncs with a bare remote: every entry
    /// ends up in HEAD and on the remote, and no write fails.
    @Test func sixteenConcurrentWritersAndASyncLoopLoseNothing() throws {
        let count = CrashTests.entriesPerWriter
        let cli = CLI().makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(run("git", ["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        #expect(cli("sync").status == 0)
        let stop = cli.scratch.appending("writers-done")
        let failures = cli.scratch.appending("failures")
        let writer = cli.script("writer", """
            for i in $(seq 1 \(count)); do
                "$RAPPORT" 1on1 alice --note "Concurrent W$1N$i." >/dev/null 2>>"$FAILURES.$1" || echo "writer $1 entry $i" >> "$FAILURES"
            done
            """)
        let syncer = cli.script("syncer", """
            syncs=0
            while [ ! -f "$STOP" ]; do "$RAPPORT" sync >/dev/null 2>&1 && syncs=$((syncs + 1)); sleep 0.1; done
            echo "$syncs" > "$STOP.syncs"
            """)
        let environment = cli.environment(["RAPPORT": CLI.binary, "FAILURES": failures, "STOP": stop, "RAPPORT_LOCK_TIMEOUT": "120"])
        func start(_ script: String, _ arguments: [String]) -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [script] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: cli.journal)
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try! process.run()
            return process
        }
        let started = Date()
        let syncing = start(syncer, [])
        let writers = (1...16).map { start(writer, [String($0)]) }
        for process in writers { process.waitUntilExit() }
        FileManager.default.createFile(atPath: stop, contents: nil)
        syncing.waitUntilExit()
        let final = cli("sync")
        #expect(final.status == 0, "\(final)")
        let failed = (try? String(contentsOfFile: failures, encoding: .utf8)) ?? ""
        #expect(failed.isEmpty, "failed writes: \(failed)")

        var expected: Set<String> = []
        for w in 1...16 { for i in 1...count { expected.insert("Concurrent W\(w)N\(i).") } }
        func notes(_ lines: String) -> Set<String> {
            Set(lines.split(separator: "\n").compactMap { line in line.range(of: "Concurrent W").map { String(line[$0.lowerBound...]) } })
        }
        let local = notes(git(["grep", "-h", "Concurrent W", "HEAD", "--", "entries"], in: cli.journal).stdout)
        let shared = notes(git(["grep", "-h", "Concurrent W", "main", "--", "entries"], in: remote).stdout)
        #expect(local == expected, "missing locally: \(expected.subtracting(local).count)")
        #expect(shared == expected, "missing on the remote: \(expected.subtracting(shared).count)")
        #expect(fsckProblems(cli.journal) == "" && fsckProblems(remote) == "")
        cli.expectConsistent()
        let syncs = (try? String(contentsOfFile: stop + ".syncs", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        FileHandle.standardError.write(Data("16 writers x \(count) entries with \(syncs) syncs alongside: \(local.count) local, \(shared.count) on the remote, in \(Int(Date().timeIntervalSince(started))) s\n".utf8))
    }

    /// Seen with strace: the entry is written to a temporary file that is fsynced, renamed into
    /// place, and its folder fsynced, all before the branch moves to the new commit. The work
    /// tree is written on a second thread while the objects are made, so each thread's calls are
    /// logged to a file of their own (no call is split across lines) and ordered by time.
    @Test func theEntryAndItsFolderAreFsyncedBeforeTheCommit() throws {
        let cli = CLI().makeJournal()
        let log = cli.scratch.appending("strace")
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
        let traced = run("strace", ["-ff", "-ttt", "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,link,linkat", "-o", log + "/log",
                                    CLI.binary, "1on1", "alice", "--note", "Durable."], in: cli.journal, environment: cli.environment())
        #expect(traced.status == 0, "\(traced)")
        // Each line: seconds since the epoch, then the call.
        let threads = try FileManager.default.contentsOfDirectory(atPath: log).map { name in
            try String(contentsOfFile: log + "/" + name, encoding: .utf8).split(separator: "\n").map { line in
                (time: Double(line.prefix { $0 != " " }) ?? -1, call: String(line.drop { $0 != " " }.dropFirst()))
            }
        }
        func descriptor(_ call: String) -> String? { call.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespaces) } }
        var entrySynced: Double?
        for lines in threads {
            func index(_ predicate: (String) -> Bool, after start: Int = 0) -> Int? {
                lines.indices.first { $0 >= start && predicate(lines[$0].call) }
            }
            guard let opened = index({ $0.contains("openat(") && $0.contains("/entries/2026/11/.rapport-tmp-") }) else { continue }
            let fileFD = descriptor(lines[opened].call) ?? "?"
            let synced = index({ $0.contains("fsync(\(fileFD))") }, after: opened)
            let renamed = synced.flatMap { start in index({ $0.contains("rename") && $0.contains(".rapport-tmp-") && $0.contains("-one-on-one-alice-") }, after: start) }
            let folder = renamed.flatMap { start in index({ $0.contains("openat(") && $0.hasSuffix("O_DIRECTORY) = \(descriptor($0) ?? "")") && $0.contains("/entries/2026/11\"") }, after: start) }
            let folderSynced = folder.flatMap { start in index({ $0.contains("fsync(\(descriptor(lines[start].call) ?? "?"))") }, after: start) }
            #expect(synced != nil && renamed != nil && folder != nil && folderSynced != nil, "\([opened, synced, renamed, folder, folderSynced])")
            entrySynced = folderSynced.map { lines[$0].time }
        }
        // libgit2 puts a new pack in place with link(2), then removes the temporary name.
        func renamed(_ part: String) -> Double? {
            threads.joined().first { ($0.call.hasPrefix("rename") || $0.call.hasPrefix("link")) && $0.call.contains(part) && $0.call.hasSuffix("= 0") }?.time
        }
        let branch = renamed("refs/heads/main.lock")
        #expect(entrySynced != nil && branch != nil, "\([entrySynced, branch])")
        if let entrySynced, let branch { #expect(entrySynced < branch, "the folder is synced after the commit") }
        // Every object is in place, then the index, before the branch moves: the index never
        // names a blob that is not on disk.
        let objects = threads.joined().filter { ($0.call.hasPrefix("rename") || $0.call.hasPrefix("link")) && $0.call.contains("/objects/")
            && $0.call.hasSuffix("= 0") }.map(\.time)
        let index = renamed("/.git/index.lock")
        #expect(objects.count >= 6 && index != nil && branch != nil, "\([objects.count, index, branch])")
        if let last = objects.max(), let index, let branch { #expect(last < index && index < branch, "\([last, index, branch])") }
    }

    /// What a writer killed half-way leaves is undone by the next writer, but a file someone
    /// changed since then is theirs and stays as they left it.
    @Test func anInterruptedWriteIsUndoneButLaterEditsAreKept() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Committed.").status == 0)
        let path = cli.entryFiles[0]
        let committed = cli.file(path)
        let head = git(["rev-parse", "HEAD"], in: cli.journal).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = (path as NSString).deletingLastPathComponent
        func blob(_ text: String) -> String {
            cli.scratch.write(text, to: "blob.txt")
            return git(["hash-object", cli.scratch.appending("blob.txt")], in: cli.journal).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func interrupted(writing half: String, newFile: String) {
            // As a killed writer leaves it: the previous version under a spare name, its new bytes
            // in place, a file it created, and the list of both.
            #expect(link(cli.journal + "/" + path, cli.journal + "/" + folder + "/.rapport-tmp-keep-test") == 0)
            cli.scratch.write(half, to: "journal/" + path + ".new")
            #expect(rename(cli.journal + "/" + path + ".new", cli.journal + "/" + path) == 0)
            cli.scratch.write(newFile, to: "journal/" + folder + "/2026-11-28-one-on-one-bob-NEWF11.md")
            cli.scratch.write("\(head)\nw\t\(blob(half))\t.rapport-tmp-keep-test\t\(path)\nw\t\(blob(newFile))\t-\t\(folder)/2026-11-28-one-on-one-bob-NEWF11.md\n",
                              to: "journal/.git/rapport-rollback")
        }
        // Untouched since: the next write puts the previous version back and removes the new file.
        interrupted(writing: "half-written", newFile: "new")
        #expect(cli("kudos", "bob", "Thanks.").status == 0)
        #expect(cli.file(path) == committed)
        #expect(!FileManager.default.fileExists(atPath: cli.journal + "/" + folder + "/2026-11-28-one-on-one-bob-NEWF11.md"))
        #expect(!FileManager.default.fileExists(atPath: cli.journal + "/.git/rapport-rollback"))
        cli.expectConsistent()
        // Changed by hand since: both files stay as the person left them.
        interrupted(writing: "half-written", newFile: "new")
        cli.scratch.write(committed + "My own words.\n", to: "journal/" + path)
        cli.scratch.write("mine now", to: "journal/" + folder + "/2026-11-28-one-on-one-bob-NEWF11.md")
        #expect(cli("kudos", "bob", "Thanks again.").status == 0)
        #expect(cli.file(path) == committed + "My own words.\n")
        #expect(cli.file(folder + "/2026-11-28-one-on-one-bob-NEWF11.md") == "mine now")
        #expect(!FileManager.default.fileExists(atPath: cli.journal + "/" + folder + "/.rapport-tmp-keep-test"))
        #expect(fsckProblems(cli.journal) == "")
    }

    /// A push to a remote on this file system runs inside the remote: a writer killed there leaves
    /// the remote's ref lock, which the next writer clears by the same rules.
    @Test func aLocalRemotesRefLockLeftByAKilledPushIsCleared() throws {
        let cli = CLI().makeJournal()
        let remote = cli.scratch.appending("remote.git")
        #expect(run("git", ["init", "-q", "--bare", "-b", "main", remote], in: cli.scratch.path).status == 0)
        #expect(cli("remote", "add", "origin", remote).status == 0)
        #expect(cli("sync").status == 0)
        #expect(cli("1on1", "alice", "--note", "To push.").status == 0)
        cli.scratch.write("writing 999999\n", to: "journal/.git/rapport.lock")
        cli.scratch.write(remote, to: "journal/.git/rapport-local-push")
        cli.scratch.write("0000000000000000000000000000000000000000\n", to: "remote.git/refs/heads/main.lock")
        let synced = cli("sync")
        #expect(synced.status == 0, "\(synced)")
        #expect(!FileManager.default.fileExists(atPath: remote + "/refs/heads/main.lock"))
        #expect(git(["rev-parse", "main"], in: remote).stdout == git(["rev-parse", "HEAD"], in: cli.journal).stdout)
        #expect(fsckProblems(remote) == "")
    }

    /// A stale `index.lock` left by a killed rapport is removed by the next writer; one that a live
    /// process holds open is waited for and never removed.
    @Test func aStaleIndexLockIsRecoveredAndALiveOneIsNot() throws {
        let cli = CLI().makeJournal()
        let gitDirectory = cli.journal + "/.git"
        // What a writer killed inside its commit leaves: the "writing" line and libgit2's lock file.
        cli.scratch.write("writing 999999\n", to: "journal/.git/rapport.lock")
        cli.scratch.write("", to: "journal/.git/index.lock")
        cli.scratch.write("0000000000000000000000000000000000000000\n", to: "journal/.git/refs/heads/main.lock")
        let recovered = cli("1on1", "alice", "--note", "After a crash.")
        #expect(recovered.status == 0, "\(recovered)")
        #expect(!FileManager.default.fileExists(atPath: gitDirectory + "/index.lock"))
        #expect(!FileManager.default.fileExists(atPath: gitDirectory + "/refs/heads/main.lock"))
        cli.expectConsistent()

        // A live process holds index.lock open (as git does while it writes the index): waited for.
        let commits = cli.commitCount
        cli.scratch.write("writing 999999\n", to: "journal/.git/rapport.lock")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3>\"$1\"; exec sleep 30", "sh", gitDirectory + "/index.lock"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        usleep(200_000)
        let waited = cli("1on1", "alice", "--note", "While git works.", environment: ["RAPPORT_LOCK_TIMEOUT": "1"])
        #expect(waited.status == 75 && waited.stderr.contains("index.lock"), "\(waited)")
        #expect(FileManager.default.fileExists(atPath: gitDirectory + "/index.lock"))
        #expect(cli.commitCount == commits)
        // Without the "writing" line, even an index.lock nobody holds is git's: never removed.
        holder.terminate()
        holder.waitUntilExit()
        cli.scratch.write("", to: "journal/.git/rapport.lock")
        let untouched = cli("1on1", "alice", "--note", "Still waiting.", environment: ["RAPPORT_LOCK_TIMEOUT": "1"])
        #expect(untouched.status == 75 && FileManager.default.fileExists(atPath: gitDirectory + "/index.lock"), "\(untouched)")
        try FileManager.default.removeItem(atPath: gitDirectory + "/index.lock")
    }
}

/// A small deterministic generator (SplitMix64), so a failing run can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
