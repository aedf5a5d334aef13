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
    if let libgit2Failure { throw libgit2Failure }
}

public enum Libgit2 {
    /// Starts libgit2's one-time set-up on another thread, so it overlaps the caller's own start
    /// (argument parsing, reading settings): most of it is the TLS library parsing the system's CA
    /// certificates, about 8 ms, which every command would otherwise wait for. The first handle
    /// waits for it to finish (a Swift global is initialised once, under a lock).
    public static func prepareInBackground() {
        Thread.detachNewThread { _ = libgit2Failure }
    }

    /// Waits for that set-up, if it is still running: a process must not exit under it (its
    /// exit handlers would tear down what the set-up is using). Call before every exit.
    public static func finishPreparing() {
        _ = libgit2Failure
    }
}
