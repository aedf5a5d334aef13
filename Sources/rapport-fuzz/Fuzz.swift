import Foundation
import JournalModel

// The fuzz target for every journal-file parser (front matter, entries, profiles, settings).
// `make fuzz` builds it with libFuzzer (-sanitize=fuzzer, -DFUZZING) and runs it on the seed
// corpus in Fuzz/corpus. Built normally, it replays the files it is given, so a crashing input
// libFuzzer saved can be run under a debugger: `rapport-fuzz crash-<hash>`.

@_cdecl("LLVMFuzzerTestOneInput")
public func rapportFuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let outcome = ParserProbe.parse(Data(bytes: bytes, count: count))
    // A problem always names a line that exists (1 for an empty file).
    for problem in outcome.problems where problem.line < 1 { fatalError("problem with line \(problem.line): \(problem)") }
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; under libFuzzer that entry point
// hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("rapport_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { rapportFuzzOneInput($0, $1) }
}
#else
@main
enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("rapport-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            _ = data.withUnsafeBytes { rapportFuzzOneInput($0.bindMemory(to: UInt8.self).baseAddress ?? UnsafePointer(bitPattern: 1)!, data.count) }
            print("\(path): ok")
        }
    }
}
#endif
