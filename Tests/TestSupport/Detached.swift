import Foundation

/// A server process a test starts and stops: detached from the test's descriptors, since
/// Foundation's `Process` waits until every holder of one it handed a child has exited, with the
/// signals the test runner's threads block unblocked (`env --default-signal`: else SIGTERM, and
/// `timeout`'s own, would stay pending for ever), and stopped after a time limit whatever happens.
public struct DetachedProcess: Sendable {
    public let pid: Int32

    public struct NotStarted: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `command` (a shell command line) in `folder` for at most `limit` seconds (SIGTERM, then
    /// SIGKILL 5 seconds later), its output to `log`, from a shell that first closes every
    /// descriptor but 0, 1 and 2.
    public static func start(_ command: String, in folder: String, limit: Int, log: String = "/dev/null") throws -> DetachedProcess {
        let started = run("bash", ["-c", """
            for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            env --default-signal timeout -k 5 \(limit) \(command) </dev/null >>'\(log)' 2>&1 &
            echo $!
            """], in: folder)
        guard started.status == 0, let pid = Int32(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw NotStarted(description: "\(started)")
        }
        return DetachedProcess(pid: pid)
    }

    /// Whether it still runs (an exited process nobody reaped counts as gone).
    public var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// SIGTERM (which `timeout` passes on), then waits up to five seconds for it to be gone, then
    /// SIGKILL to the process group `timeout` leads.
    public func stop() {
        kill(pid, SIGTERM)
        for _ in 0..<100 where isRunning { usleep(50_000) }
        if isRunning { kill(-pid, SIGKILL) }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
