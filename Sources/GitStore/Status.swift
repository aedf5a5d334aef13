import CGit2

/// A path whose work-tree or index state differs from HEAD.
public struct StatusEntry: Sendable, Equatable {
    public enum Change: Sendable, Equatable { case added, modified, deleted, conflicted }
    public let path: String
    public let change: Change

    public init(path: String, change: Change) {
        self.path = path
        self.change = change
    }
}

extension Repository {
    /// Paths that differ between HEAD and the work tree or index, untracked files included
    /// (ignored ones are not), as `git status --porcelain` lists them.
    public func status() throws -> [StatusEntry] {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
        let list = try Managed<GitStatusList>("git_status_list_new") { git_status_list_new(&$0, pointer, &options) }

        var entries: [StatusEntry] = []
        for index in 0..<git_status_list_entrycount(list.pointer) {
            guard let entry = git_status_byindex(list.pointer, index)?.pointee else { continue }
            let flags = entry.status.rawValue
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let delta, let cPath = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { continue }
            let change: StatusEntry.Change
            if flags & GIT_STATUS_CONFLICTED.rawValue != 0 {
                change = .conflicted
            } else if flags & GIT_STATUS_WT_DELETED.rawValue != 0
                        || (flags & GIT_STATUS_INDEX_DELETED.rawValue != 0 && entry.index_to_workdir == nil) {
                change = .deleted
            } else if flags & (GIT_STATUS_WT_NEW.rawValue | GIT_STATUS_INDEX_NEW.rawValue) != 0 {
                change = .added
            } else {
                change = .modified
            }
            entries.append(StatusEntry(path: String(cString: cPath), change: change))
        }
        return entries
    }

    /// Makes the work tree and index match HEAD, overwriting local changes (used after an import).
    public func checkoutHead() throws {
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)),
                  "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        options.disable_filters = 1
        try check(git_checkout_head(pointer, &options), "git_checkout_head")
    }
}
