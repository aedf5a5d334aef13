import Foundation
import JournalModel
import Testing
@testable import rapport_fuzz

/// A bounded property test over mutated journal files (the fuzz target's seed corpus): every
/// parser either accepts the bytes or reports a problem on a line the file has; none crashes or
/// hangs. `make fuzz` runs libFuzzer on the same parsers for as long as you like.
@Suite struct ParserPropertyTests {
    static let corpus: [Data] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
    }()

    static let interesting: [UInt8] = Array("\0\n\r-:[]{}\"'#&*!|>%@`\t ".utf8) + [0xFF, 0xC3, 0xE2, 0x80, 0xEF, 0xBB, 0xBF]

    static func mutate(_ data: Data, _ random: inout some RandomNumberGenerator) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: bytes.insert(interesting.randomElement(using: &random)!, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
            case 4: bytes = Array(bytes.prefix(position))
            default:
                let line = Array(["mood: 99", "date: 2026-02-30", "kind: recognition", "people: [", "id: 0O0O0O", "private: maybe",
                                  "- [ ] @Alice due:2026-13-01", "---", "person: ../../etc"].randomElement(using: &random)!.utf8) + [10]
                bytes.insert(contentsOf: line, at: position)
            }
        }
        return Data(bytes)
    }

    @Test func mutatedFilesParseOrReportALineAndNeverHang() throws {
        #expect(ParserPropertyTests.corpus.count >= 5, "the seed corpus is missing")
        var random = SystemRandomNumberGenerator()
        var accepted = 0, refused = 0
        var slowest: TimeInterval = 0
        for _ in 0..<20_000 {
            let input = ParserPropertyTests.mutate(ParserPropertyTests.corpus.randomElement(using: &random)!, &random)
            let started = Date()
            let outcome = ParserProbe.parse(input)
            slowest = max(slowest, Date().timeIntervalSince(started))
            // An upper bound on the file's lines, whichever line breaks it uses.
            let lines = input.filter { $0 == 10 || $0 == 13 }.count + 1
            for problem in outcome.problems {
                #expect(problem.line >= 1 && problem.line <= lines + 1, "line \(problem.line) of \(lines): \(problem) for \(input.base64EncodedString())")
                #expect(!problem.message.isEmpty)
            }
            if outcome.entry || outcome.person || outcome.settings { accepted += 1 } else { refused += 1 }
        }
        #expect(slowest < 2, "a parse took \(slowest) s")
        #expect(accepted > 0 && refused > 0, "the mutations should both keep and break files: \(accepted) kept, \(refused) broken")
    }
}
