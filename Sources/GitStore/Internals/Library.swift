import CGit2

/// libgit2 is initialised once per process, with fsync of the git directory on, before any handle exists.
private let libgit2Ready: Bool = {
    git_libgit2_init()
    _ = rapport_git_enable_fsync_gitdir(1)
    return true
}()

/// Touched by every entry point that creates a libgit2 handle.
func ensureLibgit2() {
    precondition(libgit2Ready)
}
