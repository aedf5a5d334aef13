import CGit2
import Foundation

/// libgit2 is initialised once per process, with fsync of the git directory on and the rehash of
/// every object read off (as in git), before any handle exists; nil when that worked, else the
/// error.
private let libgit2Failure: GitError? = {
    let initialized = git_libgit2_init()
    if initialized < 0 { return GitError.last(code: initialized, function: "git_libgit2_init") }
    let fsync = rapport_git_enable_fsync_gitdir(1)
    if fsync < 0 { return GitError.last(code: fsync, function: "git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR)") }
    let verify = rapport_git_verify_object_hashes(0)
    if verify < 0 { return GitError.last(code: verify, function: "git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION)") }
    return nil
}()

/// Called by every entry point that creates a libgit2 handle.
func ensureLibgit2() throws {
    Libgit2.waitUntilReady()
    if let libgit2Failure { throw libgit2Failure }
}

public enum Libgit2 {
    /// The set-up started by `prepareInBackground`, if any. Written once, by the main thread,
    /// before any other thread of rapport's exists; read afterwards only.
    nonisolated(unsafe) private static var preparing: Preparing?

    /// Starts libgit2's one-time set-up on another thread, so it overlaps the caller's own start
    /// (argument parsing). That set-up parses the system's CA bundle, as long a wait as the
    /// parsing, which every command would otherwise add to it. Then the same thread runs
    /// `readAhead`, if given: reading what the command will likely read first (the journal's
    /// settings and index) while this one is still parsing its arguments.
    public static func prepareInBackground(thenReading readAhead: (@Sendable () -> Void)? = nil) {
        guard preparing == nil else { return }
        let state = Preparing(readAhead: readAhead)
        preparing = state
        if let thread = state.spawn() { pthread_detach(thread) }
    }

    /// Waits for that thread, if it was started and is still running: a process must not exit
    /// under it (libgit2's exit handlers would tear down what the set-up is using). Call before
    /// every exit. It returns at once when the set-up was never started (`--help`,
    /// `--version`); the wait sleeps on a condition variable, where waiting on the Swift
    /// global's own lock spun in the kernel on the core the set-up was using.
    public static func finishPreparing() {
        preparing?.wait(for: .finished)
    }

    /// Waits for libgit2's set-up only, not the read-ahead after it: the first handle needs it.
    static func waitUntilReady() {
        preparing?.wait(for: .ready)
    }

    /// Hands libgit2 the CA file a transfer trusts: `file` (from `source`, such as GIT_SSL_CAINFO),
    /// or nil for the system's bundle, which libgit2's start-up already parsed. Called before
    /// every transfer, under the transfer lock; a file is parsed only when it is not the one
    /// libgit2 already has. A file that cannot be read leaves its failure in `certificateFailure`,
    /// and an https transfer then says so instead of connecting with what libgit2 had before.
    static func loadCertificates(from file: String?, source: String?) {
        // Back to the system's bundle after another file: Debian's, where libgit2's start-up read it.
        guard let wanted = file ?? (loadedCertificates == nil ? nil : systemBundle), wanted != loadedCertificates else { return }
        let loaded = rapport_git_set_ssl_cert_file(wanted)
        loadedCertificates = wanted
        certificateFailure = loaded < 0
            ? (GitError.last(code: loaded, function: "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)"),
               source ?? "the system's trusted certificates")
            : nil
    }

    static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
    /// The CA file libgit2 was last handed, nil before any (the system's, from its start-up).
    nonisolated(unsafe) private static var loadedCertificates: String?

    /// Why the CA file could not be read when it was handed to libgit2, if it could not, and where
    /// its name came from.
    nonisolated(unsafe) static var certificateFailure: (error: GitError, source: String)?
}

/// The set-up's thread and how far it got (libgit2 ready, then the read-ahead done too), with a
/// condition variable to sleep on until a stage is reached.
private final class Preparing: ThreadBody, @unchecked Sendable {
    enum Stage: Int { case starting, ready, finished }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let readAhead: (@Sendable () -> Void)?
    private var stage = Stage.starting

    init(readAhead: (@Sendable () -> Void)?) {
        self.readAhead = readAhead
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    override func run() {
        _ = libgit2Failure
        reach(.ready)
        readAhead?()
        reach(.finished)
    }

    private func reach(_ next: Stage) {
        pthread_mutex_lock(mutex)
        stage = next
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    func wait(for wanted: Stage) {
        pthread_mutex_lock(mutex)
        while stage.rawValue < wanted.rawValue { pthread_cond_wait(changed, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
