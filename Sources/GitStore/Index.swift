#if canImport(Glibc)
import Glibc
#endif
import CGit2
import Foundation

/// How a commit brings the index in step with the paths it committed: each gets the committed
/// blob and the stat data of the file as written, as `git add` records them, so git finds
/// nothing to refresh or list. One of two means does it, chosen per commit:
///
/// - the index file spliced as bytes around the changed entries (`IndexFile`), for the index
///   git and rapport write by default (version 2 or 3, at most a cache tree) when no path to
///   commit is conflicted. A recording into a journal of 100k files then costs a copy of the
///   index file, not libgit2's parse and rewrite of every entry.
/// - libgit2's index for every other kind: none yet (a new journal), version 4 (`feature.manyFiles`),
///   a split index or untracked cache, or a conflict the commit resolves. Version 4 compresses each
///   path against the one before it, so an entry's bytes depend on its neighbour and finding one
///   means decoding every path before it: splicing it would be a parse of the whole file too.
///
/// The work is split as the commit's threads are: `prepare` runs on the thread that writes the
/// work tree and touches no libgit2 state; `install` runs on the committing thread once the
/// objects are on disk, before the branch moves; `restore` undoes `install` if the branch
/// cannot be moved.
final class IndexUpdate {
    /// One committed path: its new blob and mode, nil when it is removed.
    struct Entry: Sendable {
        let path: String
        let content: (bytes: Data, blob: ObjectID)?
        let mode: git_filemode_t
        /// Known when the commit read the file (a staged path); else looked at once written.
        let stat: FileStat?
    }

    /// What `prepare` left for `install`.
    enum Prepared: Sendable {
        case spliced(IndexFile.PendingUpdate)
        case stats([FileStat?])
    }

    private enum Means {
        case spliced(IndexFile, stamp: [Int])
        case libgit2(Managed<GitIndex>)
    }

    private let means: Means
    private let indexPath: String
    private let workTree: String
    private var written: IndexFile.Written?
    /// The replaced index's blocks, freed beside the branch move (`PreparedWrite.install`).
    private var retiring: BackgroundJob<Int32>?
    private(set) var installing = false

    /// Chooses the means for committing `paths` in `repository`.
    init(for paths: [String], in repository: Repository, workTree: String) throws {
        indexPath = repository.gitDirectory + "/index"
        self.workTree = workTree
        if let (stamp, file) = try repository.loadIndexFile(),
           !file.touchesConflict(paths.map { IndexFile.Change(path: Array($0.utf8), entry: nil) }) {
            means = .spliced(file, stamp: stamp)
            return
        }
        let index = try repository.repositoryIndex()
        // A deleted index would otherwise make this commit's index hold only its own paths, and
        // every other file look deleted and untracked: start from HEAD's tree, as `git reset` would.
        if access(indexPath, F_OK) != 0, git_index_entrycount(index.pointer) == 0, let parent = try repository.head() {
            try check(git_index_read_tree(index.pointer, repository.rootTree(of: parent).pointer), "git_index_read_tree")
        }
        means = .libgit2(index)
    }

    deinit {
        _ = try? retiring?.join()
    }

    /// The work `prepare` needs, as values another thread may take.
    var preparation: @Sendable ([Entry]) throws -> Prepared {
        let (indexPath, workTree) = (indexPath, workTree)
        let base: (IndexFile, [Int])? = if case .spliced(let file, let stamp) = means { (file, stamp) } else { nil }
        return { entries in try IndexUpdate.prepare(entries, splicing: base, indexPath: indexPath, workTree: workTree) }
    }

    /// Once the files are written: each one's stat data, and for a spliced index the new index
    /// written and synced beside the old one.
    private static func prepare(_ entries: [Entry], splicing base: (IndexFile, [Int])?, indexPath: String, workTree: String) throws -> Prepared {
        let stats = try entries.map { entry -> FileStat? in
            guard entry.content != nil else { return nil }
            guard let stat = entry.stat ?? FileStat.of(workTree + "/" + entry.path) else {
                throw AtomicFile.ioError(workTree + "/" + entry.path)
            }
            return stat
        }
        guard let (file, stamp) = base else { return .stats(stats) }
        let changes = zip(entries, stats).map { entry, stat in
            IndexFile.Change(path: Array(entry.path.utf8),
                             entry: entry.content.map { IndexFile.entry(path: entry.path, blob: $0.blob, stat: stat!) })
        }
        return .spliced(try IndexFile.prepareUpdate(file, readAt: stamp, with: changes, at: indexPath, workTree: workTree))
    }

    /// Puts the new index in place. Call only once every blob it names is on disk.
    func install(_ prepared: Prepared, for entries: [Entry]) throws {
        installing = true
        switch (means, prepared) {
        case (.spliced, .spliced(let pending)):
            written = try pending.install()
            retiring = written?.retired.map { retired in BackgroundJob.start { unlink(retired) } }
        case (.libgit2(let index), .stats(let stats)):
            for (entry, stat) in zip(entries, stats) {
                guard let content = entry.content, let stat else {
                    let removed = git_index_remove_bypath(index.pointer, entry.path)
                    try check(removed, "git_index_remove_bypath")
                    continue
                }
                var record = git_index_entry()
                record.mode = entry.mode.rawValue
                record.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: stat.changed.seconds),
                                              nanoseconds: UInt32(truncatingIfNeeded: stat.changed.nanoseconds))
                record.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: stat.modified.seconds),
                                              nanoseconds: UInt32(truncatingIfNeeded: stat.modified.nanoseconds))
                record.dev = UInt32(truncatingIfNeeded: stat.device)
                record.ino = UInt32(truncatingIfNeeded: stat.inode)
                record.uid = stat.user
                record.gid = stat.group
                // The bytes as they are, not through the filters `git_index_add_bypath` would run
                // (docs/Trust.md); adding them also resolves a conflict at the path, as `git add` does.
                try entry.path.withCString { cPath in
                    record.path = cPath
                    try content.bytes.withUnsafeBytes { buffer in
                        _ = try check(git_index_add_from_buffer(index.pointer, &record, buffer.baseAddress, buffer.count),
                                      "git_index_add_from_buffer")
                    }
                }
            }
            try check(git_index_write(index.pointer), "git_index_write")
        default:
            preconditionFailure("an index update prepared for another means")
        }
    }

    /// Undoes `install` after a commit that did not land: the spliced index's previous bytes go
    /// back if nothing replaced it since; libgit2's entries are set to `baseTree`'s.
    func restore(to baseTree: Managed<GitTree>?, paths: [String], in repository: Repository) {
        switch means {
        case .spliced:
            if let written, let stamp = written.stamp {
                try? IndexFile.write(written.replaced, to: indexPath, ifStillAt: stamp)
            }
        case .libgit2(let index):
            _ = repository.restoreIndexEntries(paths, index: index, to: baseTree)
        }
    }

    /// Drops what `prepare` made when the commit fails before `install`.
    func abandon(_ prepared: Prepared) {
        if !installing, case .spliced(let pending) = prepared { pending.abandon() }
    }
}

extension Repository {
    /// The repository's index as libgit2 holds it, read afresh from disk.
    func repositoryIndex() throws -> Managed<GitIndex> {
        let index = try Managed<GitIndex>("git_repository_index") { git_repository_index(&$0, pointer) }
        try check(git_index_read(index.pointer, 0), "git_index_read")
        return index
    }
}
