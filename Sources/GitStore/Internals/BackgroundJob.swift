#if canImport(Glibc)
import Glibc
#endif

/// Work run on a POSIX thread of its own while the caller goes on, then joined for its result.
/// Join it on every path (its result is kept, so joining again is free): a job left running
/// could outlive the lock the caller holds.
final class BackgroundJob<Value>: ThreadBody, @unchecked Sendable {
    private let work: @Sendable () throws -> Value
    private var outcome: Result<Value, any Error>?
    private var thread: pthread_t?

    private init(_ work: @escaping @Sendable () throws -> Value) {
        self.work = work
    }

    /// Starts `work` at once; if no thread can be made, it runs here, before this returns.
    static func start(_ work: @escaping @Sendable () throws -> Value) -> BackgroundJob {
        let job = BackgroundJob(work)
        job.thread = job.spawn()
        return job
    }

    override func run() {
        do {
            outcome = .success(try work())
        } catch {
            outcome = .failure(error)
        }
    }

    /// Waits for the work to end and returns its value, or throws its error.
    func join() throws -> Value {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return try outcome!.get()
    }

    deinit {
        if let thread { pthread_join(thread, nil) }
    }
}

/// What a POSIX thread runs (not generic, so a C function can call it).
class ThreadBody {
    func run() {}

    /// Runs `run` on a new joinable thread; when none can be made, runs it here and returns nil.
    func spawn() -> pthread_t? {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            run()
            return nil
        }
        return thread
    }
}
