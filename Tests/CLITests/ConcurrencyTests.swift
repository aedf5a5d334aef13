import Foundation
import Testing
import TestSupport

@Suite struct ConcurrencyTests {
    /// 8 processes each record 20 kudos at once: 160 entries, 160 commits, no failed command.
    @Test func eightWritersAtOnce() throws {
        let cli = CLI().makeJournal()
        let before = cli.commitCount
        let failures = cli.scratch.appending("failures")
        let loop = cli.script("writer.sh", """
            for j in $(seq 1 20); do
              "\(CLI.binary)" kudos alice bob "Writer $1, kudos $j." || echo "writer $1 kudos $j exited $?" >> "\(failures)"
            done
            """)
        var writers: [Process] = []
        for writer in 1...8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [loop, "\(writer)"]
            process.currentDirectoryURL = URL(fileURLWithPath: cli.journal)
            process.environment = cli.environment()
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            writers.append(process)
        }
        for process in writers { process.waitUntilExit() }
        #expect(!FileManager.default.fileExists(atPath: failures),
                "\((try? String(contentsOfFile: failures, encoding: .utf8)) ?? "")")
        #expect(cli.entryFiles.count == 160)
        #expect(cli.commitCount == before + 160)
        let texts = try #require(json(cli("list", "--json")) as? [[String: Any]]).compactMap { $0["body"] as? String }
        #expect(Set(texts).count == 160)
        #expect(cli("check").stdout == "ok: 2 people, 160 entries, 0 open action items\n")
        cli.expectConsistent()
    }
}
