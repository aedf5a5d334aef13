import CGit2
import Foundation

/// libgit2 is initialised once per process, with fsync of the git directory on and the rehash of
/// every object read off (as in git), before any handle exists; nil when that worked, else the error.
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
    Libgit2.finishPreparing()
    if let libgit2Failure { throw libgit2Failure }
}

public enum Libgit2 {
    /// The set-up started by `prepareInBackground`, if any. Written once, by the main thread,
    /// before any other thread of rapport's exists; read afterwards only.
    nonisolated(unsafe) private static var preparing: Preparing?

    /// Starts libgit2's one-time set-up on another thread, so it overlaps the caller's own start
    /// (argument parsing, reading settings and the index): most of it is the TLS library parsing
    /// the system's CA certificates, about 8 ms, which every command would otherwise wait for.
    public static func prepareInBackground() {
        guard preparing == nil else { return }
        let state = Preparing()
        if let thread = state.spawn() { pthread_detach(thread) }
        preparing = state
    }

    /// Waits for that set-up, if it was started and is still running: a process must not exit
    /// under it (its exit handlers would tear down what the set-up is using), and the first
    /// handle needs it. Call before every exit. It returns at once when the set-up was never
    /// started (`--help`, `--version`); the wait sleeps on a condition variable, where waiting on
    /// the Swift global's own lock spun in the kernel on the core the set-up was using.
    public static func finishPreparing() {
        preparing?.wait()
    }

    /// Whether that set-up was started and is still running (without waiting for it).
    static var isPreparing: Bool {
        preparing.map { !$0.isFinished } ?? false
    }
}

/// The set-up's thread, and a flag it sets once done, with a condition variable to sleep on
/// until then.
private final class Preparing: ThreadBody, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var finished = false

    override init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    override func run() {
        _ = libgit2Failure
        finish()
    }

    func finish() {
        pthread_mutex_lock(mutex)
        finished = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    var isFinished: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return finished
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while !finished { pthread_cond_wait(changed, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
