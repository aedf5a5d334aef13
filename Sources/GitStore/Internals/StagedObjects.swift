import CGit2
import Foundation

/// A commit's new objects, made in memory first, then written to the object folder side by side,
/// on up to eight threads.
///
/// libgit2 writes a loose object in four steps, each waiting on the disk: the file, its fsync, the
/// link to its name, the folder's fsync. A recording makes six objects (the entry's blob, four
/// trees, the commit), and written one after another they are a large share of a recording, the
/// more so as the month's tree grows (measurements: bench/). Their ids do not depend on their being
/// on disk, so they are first made by libgit2's own tree and commit builders in a handle whose
/// object database reads the repository's object folder and keeps what is written in memory (a
/// mempack). Then libgit2's loose-object writer writes each, in the same four steps, all at once,
/// and a commit waits for its slowest object instead of for all of them in turn.
///
/// Nothing made here is on disk before `write`, and nothing may name it before `write` returns.
final class StagedObjects {
    /// A handle on the same objects whose writes stay in memory, for libgit2's builders.
    let repository: Managed<GitRepository>
    private let database: Managed<GitDatabase>
    private let memory: UnsafeMutablePointer<git_odb_backend>
    private let objectsDirectory: String

    init(objectsDirectory: String) throws {
        self.objectsDirectory = objectsDirectory
        let database = try Managed<GitDatabase>("git_odb_open") { git_odb_open(&$0, objectsDirectory) }
        var memory: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&memory), "git_mempack_new")
        // Asked before the folder's loose objects and packs, so every write lands in memory;
        // the database owns it from here on.
        let added = git_odb_add_backend(database.pointer, memory, 1000)
        if added < 0 {
            let error = GitError.last(code: added, function: "git_odb_add_backend")
            memory?.pointee.free(memory)
            throw error
        }
        self.database = database
        self.memory = memory!
        self.repository = try Managed("git_repository_wrap_odb") { git_repository_wrap_odb(&$0, database.pointer) }
    }

    /// Writes to the object folder those of `ids` that were made here (an id found on disk when
    /// it was made is left alone), side by side, and returns once all of them are on disk. A failure is thrown once every thread has ended; whatever did get written is an
    /// object nothing names, as after any interrupted git command.
    func write(_ ids: [git_oid]) throws {
        var objects: [Object] = []
        var seen = Set<ObjectID>()
        for var id in ids where memory.pointee.exists(memory, &id) == 1 && seen.insert(ObjectID(id)).inserted {
            let object = try Managed<GitDatabaseObject>("git_odb_read") { git_odb_read(&$0, database.pointer, &id) }
            let bytes = Data(bytes: git_odb_object_data(object.pointer), count: git_odb_object_size(object.pointer))
            objects.append(Object(id: ObjectID(id), type: git_odb_object_type(object.pointer), bytes: bytes))
        }
        guard !objects.isEmpty else { return }
        // At most eight at once: a `rapport commit` of a thousand hand edits must not open a
        // thousand files and threads. Worker i writes objects i, i + 8, ...; worker 0 is this thread.
        let folder = objectsDirectory
        let workers = min(objects.count, 8)
        let share = { (worker: Int) in stride(from: worker, to: objects.count, by: workers).map { objects[$0] } }
        let jobs = (1..<workers).map { worker in
            let mine = share(worker)
            return BackgroundJob.start { for object in mine { try object.write(to: folder) } }
        }
        var failure: (any Error)?
        do {
            for object in share(0) { try object.write(to: folder) }
        } catch {
            failure = error
        }
        for job in jobs {
            do { try job.join() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    private struct Object: Sendable {
        let id: ObjectID
        let type: git_object_t
        let bytes: Data

        /// Writes it as a loose object through a database of its own (libgit2's handles are not
        /// shared between threads), synced as every object rapport writes: file, name, folder.
        func write(to folder: String) throws {
            let database = try Managed<GitDatabase>("git_odb_new") { git_odb_new(&$0) }
            var loose: UnsafeMutablePointer<git_odb_backend>?
            try check(git_odb_backend_loose(&loose, folder, -1, 1, 0, 0), "git_odb_backend_loose")
            let added = git_odb_add_backend(database.pointer, loose, 1)
            if added < 0 {
                let error = GitError.last(code: added, function: "git_odb_add_backend")
                loose?.pointee.free(loose)
                throw error
            }
            var written = git_oid()
            _ = try bytes.withUnsafeBytes { buffer in
                try check(git_odb_write(&written, database.pointer, buffer.baseAddress, buffer.count, type), "git_odb_write")
            }
            guard ObjectID(written) == id else {
                throw GitStoreError.io(path: folder, reason: "libgit2 stored \(id) as \(ObjectID(written))")
            }
        }
    }
}
