import Foundation
import GitStore
import JournalModel

/// What a pull or sync did.
public struct SyncOutcome: Sendable {
    public enum Change: Sendable, Equatable { case upToDate, fastForward, merged, remoteWasEmpty, localAhead }
    public var committedHandEdits = 0
    /// Files the commit of stray edits left alone, with why (outside the journal's folders, links).
    public var skipped: [(path: String, reason: String)] = []
    public var change = Change.upToDate
    public var conflicts: [MergeConflict] = []
    public var pushed = false
    /// Pushes that lost a race to another writer and were retried.
    public var retries = 0
}

extension Journal {
    /// The journal's remotes, and pull, push and sync with them.
    public struct Remotes {
        let journal: Journal
    }

    /// Where this journal is shared, and the transfers that share it.
    public var remotes: Remotes { Remotes(journal: self) }
}

extension Journal.Remotes {
    /// The branch a journal syncs.
    public static let branch = "main"
    /// Pushes that lose a race are retried this many times (fetch, merge, push again).
    public static let pushAttempts = 5

    public func add(name: String, url: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw JournalError.usage("'\(Text.shown(name))' is not a remote name: use letters, digits, - and _, such as origin.")
        }
        guard !url.trimmingCharacters(in: .whitespaces).isEmpty, !url.contains("\n") else {
            throw JournalError(.remoteURLMissing(name: name))
        }
        if try journal.repository.remoteURL(name) != nil {
            throw JournalError.usage("There is already a remote '\(name)' (\(try journal.repository.remoteURL(name) ?? "")).")
        }
        try journal.repository.addRemote(name: name, url: url)
    }

    /// Forgets a remote: its name, URL and remote-tracking branches; nothing on the remote changes.
    public func remove(name: String) throws {
        guard try journal.repository.remoteURL(name) != nil else { throw JournalError(.noRemote(name: name)) }
        try journal.repository.removeRemote(name: name)
    }

    public func list() throws -> [(name: String, url: String)] { try journal.repository.remotes() }
}

extension Journal {
    /// Clones a rapport journal from `url` into `directory`; refuses a repository that is not one,
    /// and leaves nothing behind when it fails. `allowInsecure` lets the clone use an http:// or
    /// git:// URL, and records that choice in the new journal's local settings.
    public static func clone(_ url: String, to directory: String, allowInsecure: Bool = false,
                             options: TransferOptions = TransferOptions()) throws -> Journal {
        if FileManager.default.fileExists(atPath: directory),
           !((try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty ?? true) {
            throw JournalError.usage("'\(Text.shown(directory, limit: 200))' already exists and is not empty; pick another folder.")
        }
        let existed = FileManager.default.fileExists(atPath: directory)
        func cleanUp() {
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                    try? FileManager.default.removeItem(atPath: directory + "/" + name)
                }
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        var options = options
        options.allowInsecure = allowInsecure
        do {
            let repository = try Repository.clone(url, to: directory, branch: Remotes.branch, options: options)
            if allowInsecure { try repository.setConfigValue(LocalSettings.Key.allowInsecure.gitKey, to: "true") }
        } catch {
            cleanUp()
            throw Remotes.networkError(error, remote: url, doing: "clone")
        }
        guard FileManager.default.fileExists(atPath: directory + "/" + JournalConfig.path) else {
            cleanUp()
            throw JournalError.usage("\(url) is not a rapport journal (it has no \(JournalConfig.path)); nothing was cloned.")
        }
        return try Journal.open(at: directory)
    }
}

extension Journal.Remotes {
    /// Fetches and merges the remote's branch into the journal, after committing stray hand edits.
    public func pull(remote: String = "origin", allowUnrelated: Bool = false, options: TransferOptions = TransferOptions()) throws -> SyncOutcome {
        let options = transferOptions(options)
        return try withSyncLock { outcome in
            try integrate(remote: remote, allowUnrelated: allowUnrelated, options: options, into: &outcome)
        }
    }

    /// `options` as this journal's local settings have them: insecure remotes only when allowed here.
    private func transferOptions(_ options: TransferOptions) -> TransferOptions {
        var options = options
        options.allowInsecure = journal.local.allowInsecure
        return options
    }

    /// On `main`, under the write lock: commits stray hand edits (so none can slip in between),
    /// then runs `body`. Its own commit starts no auto-sync.
    private func withSyncLock(_ body: (inout SyncOutcome) throws -> Void) throws -> SyncOutcome {
        let wasSyncing = journal.isAutoSyncing
        journal.isAutoSyncing = true
        defer { journal.isAutoSyncing = wasSyncing }
        try requireMainBranch()
        let signature = try journal.author()
        return try journal.repository.withWriteLock(timeout: journal.lockTimeout) {
            var outcome = SyncOutcome()
            let edits = try journal.commitHandEditsHoldingLock(signature: signature)
            outcome.committedHandEdits = edits.committed.count
            outcome.skipped = edits.skipped
            try body(&outcome)
            return outcome
        }
    }

    /// Pushes the branch where the remote's is an ancestor of it (moved by compare-and-swap from
    /// the value found); a remote that moved ahead is refused with what to run.
    /// Returns whether anything was pushed (false: the remote had every commit already).
    @discardableResult
    public func push(remote: String = "origin", options: TransferOptions = TransferOptions()) throws -> Bool {
        try requireMainBranch()
        let options = transferOptions(options)
        return try journal.repository.withWriteLock(timeout: journal.lockTimeout) {
            do {
                return try journal.repository.push(remote: remote, branch: Self.branch, expecting: .fastForward, options: options)
            } catch RemoteError.rejected, RemoteError.raced {
                throw JournalError(.remoteAhead(remote: remote))
            } catch {
                throw Self.networkError(error, remote: remote, doing: "push")
            }
        }
    }

    /// Commits stray hand edits, fetches, fast-forwards or merges, and pushes with an explicit
    /// refspec. The push moves the remote's branch only from the commit that was merged (a
    /// compare-and-swap), and `pushed` is set once the remote confirmed it; a push that loses a race
    /// to another writer is retried (fetch, merge, push).
    public func sync(remote: String = "origin", allowUnrelated: Bool = false, options: TransferOptions = TransferOptions()) throws -> SyncOutcome {
        let options = transferOptions(options)
        return try withSyncLock { outcome in
            var refused = false
            var refusedTip: ObjectID?
            var generator = SystemRandomNumberGenerator()
            for attempt in 1...Self.pushAttempts {
                let tip = try integrate(remote: remote, allowUnrelated: allowUnrelated, options: options, into: &outcome)
                // The branch now holds everything the remote had; push only what the remote lacks.
                guard try needsPush(fetched: tip) else { return }
                do {
                    try journal.repository.push(remote: remote, branch: Self.branch, expecting: .exactly(tip), options: options)
                    outcome.pushed = true
                    return
                } catch RemoteError.raced {
                    // Another writer got there first: merge what it pushed, after a random pause that
                    // doubles with each loss, so writers racing at once do not meet again at once.
                    outcome.retries += 1
                    let ceiling = UInt32(20_000) << (attempt - 1)
                    if attempt < Self.pushAttempts { usleep(UInt32.random(in: ceiling / 4...ceiling, using: &generator)) }
                    continue
                } catch RemoteError.rejected(let detail) {
                    // A race means the remote moved; a refusal with the remote where it was is final.
                    if refused, refusedTip == tip {
                        throw JournalError.failure("\(remote) refused the push (\(detail)); your commits are safe here.")
                    }
                    refused = true
                    refusedTip = tip
                    outcome.retries += 1
                    continue
                } catch {
                    throw Self.networkError(error, remote: remote, doing: "push")
                }
            }
            throw JournalError(.remoteKeptMoving(remote: remote, attempts: Self.pushAttempts))
        }
    }

    /// With this clone's `sync.auto` on (`rapport config sync.auto true`, never the shared file's)
    /// and an `origin`, shares a write as soon as it is committed. A failure only warns: the write
    /// stands, and the next sync sends it.
    func autoSync() {
        guard journal.local.autoSync, !journal.isAutoSyncing, (try? journal.repository.remoteURL("origin")) ?? nil != nil else { return }
        journal.isAutoSyncing = true
        defer { journal.isAutoSyncing = false }
        do {
            let outcome = try sync()
            for conflict in outcome.conflicts {
                journal.warn(.autoSyncConflict(path: conflict.path, copy: conflict.copy))
            }
        } catch {
            journal.warn(.autoSyncFailed(error))
        }
    }

    /// Whether the local branch has commits the remote's, as just fetched, does not.
    private func needsPush(fetched: ObjectID?) throws -> Bool {
        guard let local = try journal.repository.head() else { return false }
        return local != fetched
    }

    /// rapport shares `main`; with HEAD elsewhere a sync would merge into one branch and push another.
    private func requireMainBranch() throws {
        let branch = journal.repository.currentBranch()
        guard branch == Self.branch else {
            throw JournalError.usage("rapport syncs the \(Self.branch) branch, but HEAD is \(branch.map { "on \($0)" } ?? "detached"); run `git switch \(Self.branch)` first.")
        }
    }

    /// Fetch, then fast-forward or merge; call under the write lock with a clean work tree. Returns
    /// the remote's tip as fetched (nil: it has no branch yet), which a push then expects there.
    @discardableResult
    private func integrate(remote: String, allowUnrelated: Bool, options: TransferOptions, into outcome: inout SyncOutcome) throws -> ObjectID? {
        let theirs: ObjectID?
        do {
            theirs = try journal.repository.fetch(remote: remote, branch: Self.branch, options: options)
        } catch {
            throw Self.networkError(error, remote: remote, doing: "fetch")
        }
        guard let theirs else {
            outcome.change = .remoteWasEmpty
            return nil
        }
        guard (try? journal.repository.contents(of: JournalConfig.path, at: theirs)) ?? nil != nil else {
            throw JournalError.usage("\(remote) is not a rapport journal (its \(Self.branch) has no \(JournalConfig.path)); nothing was merged.")
        }
        guard let ours = try journal.repository.head() else {
            try journal.repository.fastForward(to: theirs, message: "pull: fast-forward")
            outcome.change = .fastForward
            return theirs
        }
        if try journal.repository.isAncestor(theirs, of: ours) {
            outcome.change = ours == theirs ? .upToDate : .localAhead
            return theirs
        }
        if try journal.repository.isAncestor(ours, of: theirs) {
            try journal.repository.fastForward(to: theirs, message: "pull: fast-forward")
            outcome.change = .fastForward
            return theirs
        }
        if try journal.repository.mergeBase(ours, theirs) == nil, !allowUnrelated {
            throw JournalError(.unrelatedHistories(remote: remote))
        }
        let merged = try journal.repository.merge(theirs, author: try journal.author(), message: "Merge \(remote)/\(Self.branch)")
        outcome.change = .merged
        outcome.conflicts += merged.conflicts
        return theirs
    }

    /// A network failure as a manager reads it: unreachable remotes are temporary (exit 75) and
    /// leave the journal untouched.
    static func networkError(_ error: Error, remote: String, doing action: String) -> Error {
        guard let remoteError = error as? RemoteError else { return error }
        func firstLine(_ detail: String) -> String { String(detail.split(separator: "\n").first ?? "") }
        switch remoteError {
        case .unreachable(let detail):
            return JournalError(.remoteUnreachable(remote: remote, action: action, detail: firstLine(detail)))
        case .authentication(let detail):
            return JournalError(.remoteRefusedCredentials(remote: remote, detail: firstLine(detail)))
        case .rejected(let detail):
            return JournalError(.remoteRefusedPush(remote: remote, detail: detail))
        case .raced(let detail):
            return JournalError(.remoteMovedDuringPush(remote: remote, detail: detail))
        case .insecure(let url):
            return JournalError(.insecureRemote(remote: remote, url: url, action: action))
        case .redirected(let detail):
            return JournalError.failure("Refused to \(action) with \(remote): \(detail). Nothing was changed; if the journal has moved, point the remote at its new URL.")
        case .noRemote(let name):
            return JournalError(.noRemote(name: name))
        case .noBranch(let branch):
            return JournalError(.remoteHasNoJournal(remote: remote, branch: branch))
        case .untrustedHost(let detail):
            return JournalError.failure("Refused to \(action) with \(remote): \(detail). Nothing was changed.")
        }
    }
}

/// The network types callers of `Journal` need, so they need not import GitStore.
public typealias TransferOptions = GitStore.TransferOptions
public typealias TransferProgress = GitStore.TransferProgress
public typealias MergeConflict = GitStore.MergeConflict
public typealias GitCredentials = GitStore.GitCredentials
/// The editor runs through the same runner as git's credential helpers.
public typealias ChildProcess = GitStore.ChildProcess
