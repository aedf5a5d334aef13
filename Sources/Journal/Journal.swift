import Glibc
import Age
import Foundation
import GitStore
@_exported import JournalModel

/// A journal: a git repository with a work tree that holds `.rapport/journal.yml`, `people/` and
/// `entries/`. It re-reads files on every question and keeps no second copy of the truth.
public final class Journal {
    /// The work tree, without a trailing slash.
    public let root: String
    /// The shared settings, with `encrypt` raised to this clone's floor when the shared file asks
    /// for less (`openingWarnings` says so).
    public let config: JournalConfig
    /// What `.rapport/journal.yml` itself says about encryption, before the floor.
    public let sharedEncryption: JournalConfig.Encryption
    /// This clone's own settings, which never travel with the journal.
    public let local: LocalSettings
    /// What opening found wrong with the shared settings (local-only keys, a lowered encryption):
    /// the executable prints each as a warning.
    public let openingWarnings: [JournalWarning]
    /// Package-wide so the demo generator can bulk-import its history; callers outside use Journal's own API.
    package let repository: Repository
    /// How long a write waits for another writer before giving up with exit 75.
    public var lockTimeout: TimeInterval = 10
    /// "Now" for dates and day counts; tests and scripts may pin it (`RAPPORT_NOW`).
    public var now = Date()

    public var timeZone: TimeZone { config.timeZone }

    /// Where warnings go that must not fail a command, such as an auto-sync that could not reach
    /// the remote; the executable prints them on stderr.
    public var warn: @Sendable (JournalWarning) -> Void = { _ in }
    /// Set while an auto-sync runs, so its own commits do not start another.
    var isAutoSyncing = false
    /// The age identities, read from the identity file the first time an encrypted entry is met.
    var identityCache: Result<[AgeIdentity], JournalError>?
    /// Profiles as last parsed, with the bytes they were parsed from: a command that looks a
    /// person up twice (recording, then printing their name) parses the file once.
    var parsedPeople: [String: (data: Data, person: Person)] = [:]
    /// Parsed entry files by blob id (`EntryCache`), loaded on first use.
    var plainEntryCache: EntryCache?
    var sealedEntryCache: EntryCache?

    private init(root: String, shared: JournalConfig, repository: Repository) throws {
        self.root = root
        self.repository = repository
        var local = try LocalSettings(repository: repository)
        var warnings = shared.ignoredLocalKeys.map { ignored in
            JournalWarning.ignoredLocalKey(line: ignored.line, key: ignored.key, settable: LocalSettings.Key(rawValue: ignored.key) != nil)
        }
        var config = shared
        sharedEncryption = shared.encrypt
        // The floor follows the highest encryption this clone has seen: `init` records what it
        // wrote, the first open of any other clone records the shared level but never less than
        // `private` (the default: a journal someone lowered before you cloned it is no exception),
        // a pull may raise it, and only `rapport config encrypt` lowers it.
        if local.encryptFloor == nil, shared.encrypt < .private,
           (try? repository.setConfigValues(LocalSettings.Key.encrypt.gitKey, to: [JournalConfig.Encryption.private.rawValue])) != nil {
            local.encryptFloor = .private
        }
        if let floor = local.encryptFloor, shared.encrypt < floor {
            config.encrypt = floor
            // Said once per version of the file (`rapport config` always shows both levels): a
            // clone of a journal kept at `none` would otherwise warn on every command, and
            // finding the commit walks history.
            let version = NoFollow.contents(JournalConfig.path, under: root).flatMap(ObjectID.blob(hashing:))?.description
            if version == nil || version != local.loweredSettingsSeen {
                let (warning, committed) = Journal.loweredEncryptionWarning(shared.encrypt, floor: floor, root: root, repository: repository)
                warnings.append(warning)
                // An edit not yet committed is said again until it is, and then with its commit.
                if committed, let version { try? repository.setConfigValues(LocalSettings.loweredSettingsKey, to: [version]) }
            }
        } else if local.encryptFloor != shared.encrypt {
            // Best effort: a clone that cannot write its config (read-only) still reads at the
            // shared level, which is no lower than the floor.
            if (try? repository.setConfigValues(LocalSettings.Key.encrypt.gitKey, to: [shared.encrypt.rawValue])) != nil {
                local.encryptFloor = shared.encrypt
            }
        }
        self.config = config
        self.local = local
        openingWarnings = warnings
    }

    /// Names the commit that lowered `encrypt:` (or says the change is not committed), so the
    /// reader can see who asked for less encryption.
    private static func loweredEncryptionWarning(_ shared: JournalConfig.Encryption, floor: JournalConfig.Encryption, root: String,
                                                 repository: Repository) -> (warning: JournalWarning, committed: Bool) {
        var source = "edited here and not committed"
        let head = try? repository.head()
        let committed = head.map { (try? repository.contents(of: JournalConfig.path, at: $0)) == NoFollow.contents(JournalConfig.path, under: root) } ?? false
        if let head, committed {
            // The oldest of the latest changes that kept it below the floor is the one that lowered
            // it; later edits to other settings do not take the blame.
            let changes = (try? repository.log(touching: JournalConfig.path, limit: 50)) ?? []
            let lowering = changes.prefix { change in
                let text = try? repository.contents(of: JournalConfig.path, at: change.id)
                return (text.flatMap { try? JournalConfig.parse($0) }?.encrypt ?? floor) < floor
            }.last
            source = lowering.map { "lowered in commit \($0.id.description.prefix(10)) by \(Text.shown($0.author.description, limit: 120))" }
                ?? "lowered long ago"
        }
        return (.encryptionBelowFloor(shared: shared, floor: floor, source: source), committed)
    }

    // MARK: - Finding and opening

    /// Where the journal is, as git finds a repository: `--journal`, else `$RAPPORT_JOURNAL`,
    /// else the nearest enclosing folder holding `.rapport/`, else the default under XDG_DATA_HOME.
    public static func locate(explicit: String?, environment: [String: String], currentDirectory: String) throws -> String {
        if let explicit { return try requireJournal(absolute(explicit, from: currentDirectory), given: explicit) }
        if let fromEnvironment = environment["RAPPORT_JOURNAL"], !fromEnvironment.isEmpty {
            return try requireJournal(absolute(fromEnvironment, from: currentDirectory), given: fromEnvironment)
        }
        var folder = URL(fileURLWithPath: currentDirectory).standardizedFileURL
        while true {
            if isJournal(folder.path) { return folder.path }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        let fallback = defaultLocation(environment: environment)
        if isJournal(fallback) { return fallback }
        throw JournalError(.noJournal(fallback: fallback))
    }

    /// `${XDG_DATA_HOME:-~/.local/share}/rapport/journal`.
    public static func defaultLocation(environment: [String: String]) -> String {
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/rapport/journal"
    }

    static func isJournal(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path + "/.rapport", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func requireJournal(_ path: String, given: String) throws -> String {
        guard isJournal(path) else {
            throw JournalError(.notAJournal(given: given))
        }
        return path
    }

    /// `path` made absolute against the current directory, with `~` expanded.
    public static func absolutePath(_ path: String) -> String {
        absolute(path, from: FileManager.default.currentDirectoryPath)
    }

    static func absolute(_ path: String, from directory: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : URL(fileURLWithPath: directory).appendingPathComponent(expanded)
        var result = url.standardizedFileURL.path
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// Opens the journal whose work tree is `root`.
    public static func open(at root: String) throws -> Journal {
        // The settings, and the index, come from the read-ahead when it read this journal; else
        // the settings are read here. Their error, if any, is given only once the repository is
        // known to be fine.
        var early: Result<JournalConfig, any Error>?
        var index: IndexReadAhead?
        if let ahead = ReadAhead.state {
            ReadAhead.state = nil  // for the first open only: a later one reads the files again
            if ahead.root == root {
                Libgit2.finishPreparing()
                early = ahead.config
                index = ahead.index
            }
        }
        let settings = early ?? Result { try readConfig(in: root) }
        let repository: Repository
        do {
            repository = try Repository.open(at: root, readAhead: index)
        } catch GitStoreError.notARepository {
            throw JournalError(.notAGitRepository(root: root))
        }
        guard let workTree = repository.workTree else {
            throw JournalError.usage("'\(root)' is a bare repository; rapport needs a journal with a work tree. Clone it with `git clone`.")
        }
        let config = try workTree == root ? settings.get() : readConfig(in: workTree)
        repository.finishInterruptedWrite(timeout: 10)
        return try Journal(root: workTree, shared: config, repository: repository)
    }

    /// Starts libgit2's one-time set-up on another thread, so it overlaps the caller's own start
    /// (argument parsing). Given where to look, that thread then reads ahead the settings and index
    /// of the journal found there; pass nil when the caller names its journal itself, since it may
    /// be another. Call `finishPreparing()` before the process exits.
    public static func prepareInBackground(readingAheadFrom place: (environment: [String: String], currentDirectory: String)?) {
        Libgit2.prepareInBackground(thenReading: place.flatMap { readAhead(environment: $0.environment, currentDirectory: $0.currentDirectory) })
    }

    /// Waits for the set-up `prepareInBackground` started, if any: a process must not exit while
    /// that thread is inside libgit2.
    public static func finishPreparing() {
        Libgit2.finishPreparing()
    }

    /// Reading ahead, on libgit2's set-up thread while the command parses its arguments, the
    /// settings and index of the journal it will most likely open: the one found without
    /// `--journal` (which the caller checks for). Nil when there is none to find. The journal
    /// `open` is then given is compared with it; a different one is read as usual.
    static func readAhead(environment: [String: String], currentDirectory: String) -> (@Sendable () -> Void)? {
        guard let root = try? locate(explicit: nil, environment: environment, currentDirectory: currentDirectory) else { return nil }
        let state = ReadAhead(root: root)
        ReadAhead.state = state
        return {
            state.config = Result { try readConfig(in: root) }
            state.index = Repository.readIndexAhead(ofWorkTree: root)
        }
    }

    /// What the read-ahead found. Written on the set-up thread, read on the command's own only
    /// after `Libgit2.finishPreparing` (whose lock orders the two).
    private final class ReadAhead: @unchecked Sendable {
        /// Set by the command's thread before the set-up thread starts, cleared once used.
        nonisolated(unsafe) static var state: ReadAhead?

        let root: String
        var config: Result<JournalConfig, any Error>?
        var index: IndexReadAhead?

        init(root: String) {
            self.root = root
        }
    }

    /// The settings of the journal whose work tree is `root` (the defaults when it has none).
    /// Never read through a symbolic link: a link to any file of the reader's would be parsed.
    static func readConfig(in root: String) throws -> JournalConfig {
        switch NoFollow.read(JournalConfig.path, under: root) {
        case .bytes(let data): return try JournalConfig.parse(data)
        case .absent: return JournalConfig()
        case .refused(let reason):
            throw JournalError.data("\(reason); rapport never reads journal files through links. Replace it with a plain file (`git log -p -- \(JournalConfig.path)` shows who changed it).")
        }
    }

    /// Creates a journal at `directory`: a new git repository (or the one already there), the
    /// settings file, `.gitattributes` and `.gitignore`, in one first commit. Nothing is left
    /// behind if it fails.
    public static func create(
        at directory: String, name: String?, author: String?, timeZone: TimeZone, remote: String?, now: Date = Date(),
        encrypt: JournalConfig.Encryption = .private
    ) throws -> Journal {
        if isJournal(directory) {
            throw JournalError.failure("'\(directory)' is already a rapport journal.")
        }
        if let author, Signature(parsing: author) == nil {
            throw JournalError.usage("'\(Text.shown(author))' is not an author: write it as 'Dana Lee <dana@example.com>'.")
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let existed = fileManager.fileExists(atPath: directory, isDirectory: &isDirectory)
        // The outermost folder this call creates, so a failure removes every folder it made.
        var firstCreated = directory
        while case let parent = (firstCreated as NSString).deletingLastPathComponent, parent != firstCreated,
              !fileManager.fileExists(atPath: parent) {
            firstCreated = parent
        }
        if existed, !isDirectory.boolValue {
            throw JournalError.usage("'\(directory)' is a file, not a folder.")
        }
        let hadRepository = fileManager.fileExists(atPath: directory + "/.git")
        if existed, !hadRepository, let contents = try? fileManager.contentsOfDirectory(atPath: directory), !contents.isEmpty {
            throw JournalError.usage("'\(directory)' is not empty and not a git repository; pick an empty folder.")
        }
        if let remote, Text.trimmed(remote).isEmpty {
            throw JournalError(.emptyRemoteURL)
        }
        let existing = hadRepository ? try Repository.open(at: directory) : nil
        if let existing, remote != nil, try existing.remotes().contains(where: { $0.name == "origin" }) {
            throw JournalError(.originExists(directory: directory))
        }
        let repository = try existing ?? Repository.create(at: directory)
        do {
            let signature = try resolveAuthor(configured: author, repository: repository, now: now, zone: timeZone)
            let journalName = name ?? URL(fileURLWithPath: directory).lastPathComponent
            var changes: [FileChange] = [
                .write(JournalConfig.path, Data(JournalConfig.initialText(name: journalName, timeZone: timeZone,
                                                                          author: author, encrypt: encrypt).utf8)),
            ]
            let workTree = repository.workTree ?? directory
            if !fileManager.fileExists(atPath: workTree + "/.gitattributes") {
                changes.append(.write(".gitattributes", Data("# Encrypted entries never go through a text merge.\n*.age binary\n".utf8)))
            }
            if !fileManager.fileExists(atPath: workTree + "/.gitignore") {
                changes.append(.write(".gitignore", Data("# Left by a write that was interrupted.\n.rapport-tmp-*\n# Editors' swap and backup files (they hold the text being edited).\n*.swp\n*~\n.#*\n#*#\n".utf8)))
            }
            if let remote { try repository.addRemote(name: "origin", url: remote) }
            try repository.withWriteLock(timeout: 10) {
                try repository.commit(changes, author: signature, message: "Start journal \(journalName)")
            }
        } catch {
            if !existed {
                try? fileManager.removeItem(atPath: firstCreated)
            } else if !hadRepository {
                try? fileManager.removeItem(atPath: directory + "/.git")
                try? fileManager.removeItem(atPath: directory + "/.rapport")
            } else if remote != nil {
                try? repository.removeRemote(name: "origin")
            }
            throw error
        }
        // What `init` writes is the creator's own choice, so it is the floor, even `none`.
        try repository.setConfigValues(LocalSettings.Key.encrypt.gitKey, to: [encrypt.rawValue])
        return try open(at: directory)
    }

    // MARK: - Authors

    /// The commit author: the journal's `author:`, else git's user.name/user.email.
    static func resolveAuthor(configured: String?, repository: Repository, now: Date, zone: TimeZone) throws -> Signature {
        if let configured, let signature = Signature(parsing: configured, date: now, timeZone: zone) { return signature }
        if let signature = repository.configuredSignature(date: now, timeZone: zone) { return signature }
        throw JournalError(.noAuthor)
    }

    func author() throws -> Signature {
        try Journal.resolveAuthor(configured: config.author, repository: repository, now: now, zone: timeZone)
    }

    /// Today in the journal's time zone.
    public var today: LocalDay { Timestamp(now, in: timeZone).day(in: timeZone) }

    // MARK: - Writing

    /// Runs `body` under the write lock and commits the changes it returns as one commit, by the
    /// author `body` is given. `body` reads the journal's current state, so checks and writes
    /// cannot interleave with another rapport process.
    @discardableResult
    func transaction<T>(_ body: (Signature) throws -> (changes: [FileChange], message: String, result: T)) throws -> T {
        let signature = try author()
        var committed = false
        let result = try repository.withWriteLock(timeout: lockTimeout) {
            let (changes, message, result) = try body(signature)
            if !changes.isEmpty {
                try refuseSecretKeys(in: changes)
                committed = try repository.commit(changes, author: signature, message: message) != nil
            }
            return result
        }
        if committed { remotes.autoSync() }
        return result
    }

    /// A fresh file name for an editor draft in a private folder inside `.git`: never committed,
    /// never in the work tree, and never the name of a draft an earlier session kept.
    public func draftPath(_ name: String, suffix: String = ".md") throws -> String {
        let folder = repository.gitDirectory + "/rapport/drafts"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // O_EXCL claims the name, so two sessions at once never share a draft.
        for attempt in 1...1000 {
            let path = folder + "/" + name + (attempt == 1 ? "" : "-\(attempt)") + suffix
            let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
                return path
            }
            guard errno == EEXIST else { break }
        }
        throw JournalError.failure("Could not create a draft in \(folder).")
    }

}
