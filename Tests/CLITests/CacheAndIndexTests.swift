import Foundation
import Testing
import TestSupport

/// Issue 7's mechanisms seen from outside: the index rapport writes itself must be the one git
/// would write, and the entry cache must never change an answer.
@Suite struct CacheAndIndexTests {
    /// HEAD, the index and the work tree agree, as git itself sees them, and `git write-tree`
    /// (which trusts the index's cache tree) gives HEAD's tree.
    static func expectIndexMatchesHEAD(_ cli: CLI, sourceLocation: SourceLocation = #_sourceLocation) {
        let journal = cli.journal
        #expect(git(["status", "--porcelain", "--untracked-files=all"], in: journal).stdout == "", sourceLocation: sourceLocation)
        #expect(git(["diff", "--cached", "--quiet"], in: journal).status == 0, sourceLocation: sourceLocation)
        #expect(git(["diff", "--quiet"], in: journal).status == 0, sourceLocation: sourceLocation)
        let staged = git(["ls-files", "--stage"], in: journal).stdout
        let committed = git(["ls-tree", "-r", "HEAD"], in: journal).stdout.split(separator: "\n").map { line -> String in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            return "\(fields[0]) \(fields[2]) 0\t\(parts[1])"
        }.joined(separator: "\n") + "\n"
        #expect(staged == committed, sourceLocation: sourceLocation)
        let tree = git(["write-tree"], in: journal).stdout
        #expect(tree == git(["rev-parse", "HEAD^{tree}"], in: journal).stdout, sourceLocation: sourceLocation)
        #expect(fsckProblems(journal) == "", sourceLocation: sourceLocation)
    }

    static func gitCommit(_ cli: CLI, _ message: String) {
        let result = git(["-c", "user.name=Dana Lee", "-c", "user.email=dana@example.com", "commit", "-q", "-a", "-m", message],
                         in: cli.journal)
        #expect(result.status == 0, "\(result)")
    }

    @Test func everyWriteLeavesTheIndexGitWouldWrite() throws {
        let cli = CLI().makeJournal()
        let first = cli("1on1", "alice", "--mood", "4", "--note", "Planning.", "--action", "@alice send the RFC due:2026-12-05")
        #expect(first.status == 0, "\(first)")
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
        let id = entryID(in: first.stdout)!
        #expect(cli("kudos", "bob", "Fixed the flaky build").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
        #expect(cli("done", id + ".1").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
        let editor = cli.script("append", "printf 'More.\\n' >> \"$1\"")
        #expect(cli("edit", id, environment: ["EDITOR": editor]).status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)

        // git's own commit writes a cache tree (the TREE extension); rapport's next write must
        // invalidate the trees on its path, or `git write-tree` would give a stale tree.
        cli.scratch.write("Career goals: lead the migration.\n", to: "journal/people/notes.txt")
        #expect(git(["add", "people/notes.txt"], in: cli.journal).status == 0)
        CacheAndIndexTests.gitCommit(cli, "Notes by hand")
        #expect(git(["write-tree"], in: cli.journal).status == 0)
        #expect(cli("1on1", "bob", "--note", "After a git commit.").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
        // A new month folder, a new tree on the path.
        #expect(cli("1on1", "alice", "--date", "2026-10-02", "--note", "Back-dated.").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
    }

    @Test func indexesRapportDoesNotSpliceAreLeftToLibgit2() throws {
        // Index version 4 (prefix-compressed paths) and a text filter both take libgit2's route.
        let cli = CLI().makeJournal()
        #expect(git(["update-index", "--index-version", "4"], in: cli.journal).status == 0)
        #expect(cli("1on1", "alice", "--note", "On a v4 index.").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
        #expect(cli("kudos", "alice", "Second write on a v4 index").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)

        let filtered = CLI("filtered").makeJournal()
        filtered.scratch.write("*.md text eol=lf\n", to: "journal/.gitattributes")
        #expect(git(["add", ".gitattributes"], in: filtered.journal).status == 0)
        CacheAndIndexTests.gitCommit(filtered, "Text attributes")
        #expect(filtered("1on1", "bob", "--note", "Through the filters.").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(filtered)
    }

    @Test func aDeletedIndexIsRebuiltFromHEADByTheNextWrite() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--note", "Before.").status == 0)
        try FileManager.default.removeItem(atPath: cli.journal + "/.git/index")
        #expect(cli("kudos", "bob", "After the index was deleted").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
    }

    @Test func aLockedIndexIsRespected() throws {
        let cli = CLI().makeJournal()
        let lock = cli.journal + "/.git/index.lock"
        FileManager.default.createFile(atPath: lock, contents: Data())
        let refused = cli("1on1", "alice", "--note", "While git works.", environment: ["RAPPORT_LOCK_TIMEOUT": "1"])
        #expect(refused.status != 0 && refused.stderr.contains("index.lock"), "\(refused)")
        #expect(cli.commitCount == 3)
        #expect(FileManager.default.fileExists(atPath: lock), "a lock rapport did not take is never removed")
        try FileManager.default.removeItem(atPath: lock)
        #expect(cli("1on1", "alice", "--note", "After git.").status == 0)
        CacheAndIndexTests.expectIndexMatchesHEAD(cli)
    }

    /// Every read command's output, for comparing runs.
    static func answers(_ cli: CLI) -> [String] {
        [["list"], ["list", "--since", "2026-11-01", "--json"], ["search", "roadmap"], ["search", "café"], ["due", "--all"],
         ["actions", "--all"], ["check"], ["person", "show", "alice"], ["prep", "alice"], ["digest", "--week", "--format", "json"],
         ["digest", "--month", "--audience", "manager"], ["digest", "--quarter"]].map { arguments in
            let result = cli.run(arguments)
            return "\(arguments.joined(separator: " ")) → \(result.status)\n\(result.stdout)\(result.stderr)"
        }
    }

    @Test func theCacheIsNeverTheTruth() throws {
        let cli = CLI().makeJournal()
        for (day, note) in [("2026-09-03", "Roadmap review."), ("2026-10-08", "Lunch at the café."), ("2026-11-12", "Roadmap again.")] {
            #expect(cli("1on1", "alice", "--date", day, "--mood", "3", "--note", note, "--action", "@alice draft the plan").status == 0)
            #expect(cli("1on1", "bob", "--date", day, "--note", "Quiet week.").status == 0)
        }
        #expect(cli("kudos", "alice", "Shipped the roadmap").status == 0)
        let cache = cli.journal + "/.git/rapport/cache"
        let cold = CacheAndIndexTests.answers(cli)
        #expect(FileManager.default.fileExists(atPath: cache + "/entries") || FileManager.default.fileExists(atPath: cache + "/entries.log"))
        let warm = CacheAndIndexTests.answers(cli)
        #expect(warm == cold)

        // Deleted: the same answers.
        try FileManager.default.removeItem(atPath: cache)
        #expect(CacheAndIndexTests.answers(cli) == cold)
        // Damaged in every way a file can be: the same answers.
        for damage in ["garbage", "truncate", "empty", "flip"] {
            _ = CacheAndIndexTests.answers(cli)
            for name in ["entries", "entries.log"] {
                let path = cache + "/" + name
                guard var bytes = FileManager.default.contents(atPath: path) else { continue }
                switch damage {
                case "garbage": bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
                case "truncate": bytes = bytes.prefix(bytes.count * 2 / 3)
                case "empty": bytes = Data()
                default: for index in stride(from: 40, to: bytes.count, by: 97) { bytes[index] ^= 0x5a }
                }
                try bytes.write(to: URL(fileURLWithPath: path))
            }
            #expect(CacheAndIndexTests.answers(cli) == cold, "after \(damage)")
        }

        // A hand edit shows up at once, even with the same size and modification time.
        let path = git(["ls-files", "entries/2026/09"], in: cli.journal).stdout.split(separator: "\n")
            .first { $0.contains("alice") }.map(String.init)!
        let full = cli.journal + "/" + path
        let before = try FileManager.default.attributesOfItem(atPath: full)[.modificationDate] as! Date
        let text = try String(contentsOfFile: full, encoding: .utf8)
        // Same length: only the change time (which cannot be set back) tells the file changed.
        try text.replacingOccurrences(of: "Roadmap review.", with: "Zeppeli review.").write(toFile: full, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: before], ofItemAtPath: full)
        #expect(try FileManager.default.attributesOfItem(atPath: full)[.size] as? Int == text.utf8.count)
        let found = cli("search", "zeppeli")
        #expect(found.status == 0 && found.stdout.contains("Zeppeli review."), "\(found)")
        #expect(cli("search", "roadmap review").stdout.contains("No entries contain"))
        #expect(cli("show", String(path.dropLast(3).suffix(6))).stdout.contains("Zeppeli"))
    }

    @Test func aCopiedJournalHasItsIndexStatRefreshedByTheFirstRead() throws {
        let cli = CLI().makeJournal()
        for day in 1...40 {
            #expect(cli("1on1", day % 2 == 0 ? "alice" : "bob", "--date", "2026-10-\(String(format: "%02d", day % 28 + 1))",
                        "--note", "Week \(day).").status == 0)
        }
        // A copy has new inodes and change times: the index vouches for none of its files.
        let copy = cli.scratch.appending("copy")
        #expect(run("cp", ["-R", cli.journal, copy], in: cli.scratch.path).status == 0)
        func staleEntries() -> Int {
            let listing = git(["ls-files", "--debug", "entries"], in: copy).stdout.split(separator: "\n")
            var stale = 0
            var path = ""
            for line in listing {
                if !line.hasPrefix(" ") { path = String(line); continue }
                // "  dev: 65024\tino: 16448326"
                guard let field = line.split(separator: "\t").first(where: { $0.hasPrefix("ino:") }),
                      let ino = field.split(separator: " ").last else { continue }
                let actual = (try? FileManager.default.attributesOfItem(atPath: copy + "/" + path)[.systemFileNumber] as? Int) ?? -1
                if Int(ino) != actual { stale += 1 }
            }
            return stale
        }
        #expect(staleEntries() == 40)
        let listed = run(CLI.binary, ["list", "--journal", copy], in: copy, environment: cli.environment())
        #expect(listed.status == 0 && listed.stdout == cli("list").stdout, "\(listed)")
        #expect(staleEntries() == 0, "the first read refreshed the index")
        #expect(git(["status", "--porcelain"], in: copy).stdout == "")
        #expect(fsckProblems(copy) == "")
        #expect(git(["diff", "--cached", "--quiet"], in: copy).status == 0)
    }

    @Test func encryptedEntriesAreCachedOnlyEncrypted() throws {
        let (cli, _, identity) = PrivateEntryTests.keyedJournal()
        #expect(cli("1on1", "alice", "--private", "--note", "Worried about MARMOSETBANJO.").status == 0)
        #expect(cli("1on1", "bob", "--note", "Shared CAPYBARAHORN.").status == 0)
        #expect(cli("list").stdout.contains("Worried about"))
        #expect(cli("list").stdout.contains("Worried about"))
        let cache = cli.journal + "/.git/rapport/cache"
        let names = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(names.contains("private.age"), "\(names)")
        var all = Data()
        for name in names { all += FileManager.default.contents(atPath: cache + "/" + name) ?? Data() }
        #expect(all.range(of: Data("CAPYBARAHORN".utf8)) != nil, "the plain entry is cached in the clear, as it is in git")
        #expect(all.range(of: Data("MARMOSETBANJO".utf8)) == nil, "private text is in a cache file in the clear")
        let plain = cli.scratch.appending("private.cache")
        let opened = run("age", ["-d", "-i", identity, "-o", plain, cache + "/private.age"], in: cli.journal)
        #expect(opened.status == 0, "\(opened)")
        #expect(FileManager.default.contents(atPath: plain)?.range(of: Data("MARMOSETBANJO".utf8)) != nil,
                "the encrypted cache opens with the identity and holds the entry")
        #expect(try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int == 0o700)
        // A private entry written by hand is read (and parsed) before `commit` encrypts it: its
        // text must not stay behind in the plain cache either.
        cli.scratch.write("""
            ---
            kind: one-on-one
            id: HANDPV
            date: 2026-11-26T10:00:00+01:00
            person: alice
            private: true
            ---
            Talked about OCELOTTUBA.

            """, to: "journal/entries/2026/11/2026-11-26-one-on-one-alice-HANDPV.md")
        #expect(cli("list").stdout.contains("OCELOTTUBA"))
        #expect(cli("commit").status == 0)
        #expect(cli("list").stdout.contains("OCELOTTUBA"))
        var after = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) { after += FileManager.default.contents(atPath: cache + "/" + name) ?? Data() }
        #expect(after.range(of: Data("OCELOTTUBA".utf8)) == nil, "a hand-written private entry's text is in a cache file in the clear")
        // Without the identity the encrypted cache is not read either: the entry is counted as unreadable.
        try FileManager.default.moveItem(atPath: identity, toPath: identity + ".away")
        let locked = cli("list")
        #expect(locked.status == 0 && !locked.stdout.contains("Worried") && locked.stderr.contains("2 entries could not be read"), "\(locked)")
    }

    @Test func searchFindsWhatYAMLEscapesSpellWhetherCachedOrNot() throws {
        let cli = CLI().makeJournal()
        cli.scratch.write("""
            ---
            kind: one-on-one
            id: ESC4PE
            date: 2026-11-20T10:00:00+01:00
            person: alice
            tags: ["caf\\u00e9", "\\x52oadmap"]
            ---
            Plain words only.

            """, to: "journal/entries/2026/11/2026-11-20-one-on-one-alice-ESC4PE.md")
        #expect(cli("commit").status == 0)
        for _ in 0..<2 {  // cold, then warm
            #expect(cli("search", "cafe").stdout.contains("ESC4PE"))
            #expect(cli("search", "roadmap").stdout.contains("ESC4PE"))
            #expect(cli("search", "plain words").stdout.contains("ESC4PE"))
        }
        try? FileManager.default.removeItem(atPath: cli.journal + "/.git/rapport/cache")
        #expect(cli("search", "roadmap").stdout.contains("ESC4PE"))
    }

    @Test func quarterlyDigests() throws {
        let cli = CLI().makeJournal()
        #expect(cli("1on1", "alice", "--date", "2026-08-12", "--mood", "4", "--note", "Summer.").status == 0)
        let quarter = cli("digest", "--quarter", "2026-Q3")
        #expect(quarter.status == 0 && quarter.stdout.contains("Quarterly") && quarter.stdout.contains("2026-Q3"), "\(quarter)")
        let last = cli("digest", "--quarter", "last", "--format", "json")
        #expect(last.status == 0 && last.stdout.contains("\"label\" : \"2026-Q3\""), "\(last)")
        #expect(cli("digest", "--quarter").stdout.contains("2026-Q4"))
        for bad in ["2026-Q5", "2026-Q0", "Q3", "2026-3"] {
            let refused = cli("digest", "--quarter", bad)
            #expect(refused.status == 64 && refused.stderr.contains("is not a quarter"), "\(refused)")
        }
        #expect(cli("digest", "--quarter", "2027-Q1").stderr.contains("has not started yet"))
        #expect(cli("digest", "--quarter", "last", "--month", "last").stderr.contains("Choose one period"))
    }

    @Test func listSinceReadsTheMonthsAroundItAndMissesNothing() throws {
        let cli = CLI().makeJournal()
        // Just before and after month boundaries, in offsets that put the folder's day and the
        // instant in different months.
        for (day, note) in [("2026-09-30T23:30:00-10:00", "Late September, Hawaii."), ("2026-10-01T00:30:00+14:00", "Early October, Kiribati."),
                            ("2026-10-31T23:50:00+01:00", "Halloween."), ("2026-11-01T00:10:00+01:00", "All Saints.")] {
            #expect(cli("1on1", "alice", "--date", day, "--note", note).status == 0)
        }
        guard let all = json(cli("list", "--json")) as? [[String: Any]] else { Issue.record("no JSON"); return }
        #expect(all.count == 4)
        let formatter = ISO8601DateFormatter()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        for since in ["2026-09-30", "2026-10-01", "2026-10-02", "2026-10-31", "2026-11-01", "2026-11-02"] {
            let parts = since.split(separator: "-").compactMap { Int($0) }
            let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
            let expected = Set(all.filter { formatter.date(from: $0["date"] as! String)! >= start }.compactMap { $0["id"] as? String })
            guard let listed = json(cli("list", "--since", since, "--json")) as? [[String: Any]] else { Issue.record("no JSON"); return }
            #expect(Set(listed.compactMap { $0["id"] as? String }) == expected, "since \(since)")
        }
    }
}
