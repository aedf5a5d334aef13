import Foundation
import Testing
import GitStore

/// The one way rapport starts a program (the editor, git's credential helpers).
@Suite struct ChildProcessTests {
    @Test func inputGoesInAndOutputComesBack() throws {
        let finished = try ChildProcess(["/bin/sh", "-c", "tr a-z A-Z; echo \"$GREETING\"; echo hidden >&2"],
                                        environment: ["GREETING": "hello there", "PATH": "/usr/bin:/bin"],
                                        input: Data("url=x\n".utf8), capturesOutput: true, silencesErrors: true).run()
        #expect(finished.status == 0)
        #expect(String(decoding: finished.output, as: UTF8.self) == "URL=X\nhello there\n")
    }

    @Test func theStatusIsTheExitCodeOr128PlusTheSignal() throws {
        #expect(try ChildProcess(["/bin/sh", "-c", "exit 3"]).run().status == 3)
        #expect(try ChildProcess(["/bin/sh", "-c", "kill -TERM $$"]).run().status == 128 + SIGTERM)
    }

    @Test func theChildGetsItsProcessIDAndDefaultSignalsWhateverRapportIgnores() throws {
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        var pid: pid_t = 0
        // A shell whose SIGINT is ignored would survive `kill -INT $$`.
        let finished = try ChildProcess(["/bin/sh", "-c", "echo $$; kill -INT $$; echo survived"], capturesOutput: true).run { pid = $0 }
        #expect(finished.status == 128 + SIGINT)
        #expect(String(decoding: finished.output, as: UTF8.self) == "\(pid)\n")
    }

    @Test func aChildThatReadsNothingAndExitsAtOnceIsFine() throws {
        // The input is written before the child starts, so its early exit cannot raise SIGPIPE here.
        let finished = try ChildProcess(["/bin/sh", "-c", "exec 0<&-; exit 0"], input: Data(repeating: 0x61, count: 4096)).run()
        #expect(finished.status == 0)
    }

    @Test func inputLargerThanAPipeIsRefusedRatherThanHanging() {
        #expect(throws: POSIXError.self) {
            try ChildProcess(["/bin/cat"], input: Data(repeating: 0x61, count: 4 << 20), capturesOutput: true).run()
        }
    }

    @Test func aMissingProgramIsAnError() {
        #expect(throws: POSIXError.self) { try ChildProcess(["/nonexistent/program"]).run() }
    }
}
