import Foundation

/// A program rapport starts and waits for: the user's editor, git's credential helpers. Spawned
/// with `posix_spawn` rather than Foundation's `Process`, which puts the child in a process group
/// of its own, where a terminal editor cannot read the keyboard. The child gets default signal
/// handling and nothing blocked, whatever rapport itself ignores, as git gives its editor.
public struct ChildProcess {
    /// The program's path, then its arguments.
    public var arguments: [String]
    /// The child's environment; nil for rapport's own.
    public var environment: [String: String]?
    /// Given to the child as its whole standard input; nil to share rapport's.
    public var input: Data?
    /// Whether standard output is collected into `Finished.output` rather than shared.
    public var capturesOutput: Bool
    /// Whether standard error goes to /dev/null rather than to rapport's.
    public var silencesErrors: Bool

    public init(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
                capturesOutput: Bool = false, silencesErrors: Bool = false) {
        self.arguments = arguments
        self.environment = environment
        self.input = input
        self.capturesOutput = capturesOutput
        self.silencesErrors = silencesErrors
    }

    public struct Finished: Sendable {
        /// The exit status, or 128 + the number of the signal that ended the child, as a shell says.
        public let status: Int32
        /// Standard output, when captured.
        public let output: Data
    }

    /// Starts the program, hands its process id to `started` (so a signal handler can stop it),
    /// and waits for it to end. Throws the errno when it cannot be started.
    public func run(started: (pid_t) -> Void = { _ in }) throws(POSIXError) -> Finished {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Pipe ends are close-on-exec; dup2 onto 0 and 1 gives the child only those.
        var ours: [Int32] = []
        defer { for fd in ours { close(fd) } }
        if let input {
            let (read, write) = try ChildProcess.makePipe()
            ours += [read]
            // Written whole before the child starts, so a child that exits without reading cannot
            // raise SIGPIPE here; a non-blocking write end makes input larger than the pipe's buffer
            // an error (EAGAIN) rather than a hang.
            _ = fcntl(write, F_SETFL, O_NONBLOCK)
            let file = FileHandle(fileDescriptor: write, closeOnDealloc: true)
            do {
                try file.write(contentsOf: input)
                try file.close()
            } catch {
                throw POSIXError(.E2BIG)
            }
            posix_spawn_file_actions_adddup2(&actions, read, STDIN_FILENO)
        }
        var output: (read: Int32, write: Int32)?
        if capturesOutput {
            let ends = try ChildProcess.makePipe()
            output = ends
            ours += [ends.read, ends.write]
            posix_spawn_file_actions_adddup2(&actions, ends.write, STDOUT_FILENO)
        }
        if silencesErrors { posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned: Int32
        if let environment {
            var lines = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
            defer { for pointer in lines { free(pointer) } }
            spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &lines)
        } else {
            spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        started(pid)

        var captured = Data()
        if let output {
            // Our copy of the write end goes first, so the read ends when the child's does.
            close(output.write)
            ours.removeAll { $0 == output.write }
            captured = (try? FileHandle(fileDescriptor: output.read, closeOnDealloc: false).readToEnd()) ?? Data()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exited = status & 0x7f == 0
        return Finished(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: captured)
    }

    private static func makePipe() throws(POSIXError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
