import Age
import Foundation

/// A minimal age command over the `Age` library, flag-compatible with the age CLI for what it
/// covers, so the library can be measured and checked beside `age` process for process:
///
///     rapport-age -r age1... [-r ...] [-R recipients.txt] [-o OUT] [IN]
///     rapport-age -d -i identity.txt [-o OUT] [IN]
///
/// Both directions stream in 64 KiB chunks: memory stays flat whatever the file's size.
func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("rapport-age: error: \(message)\n".utf8))
    exit(status)
}

func lines(of path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

var decrypting = false
var recipients: [AgeRecipient] = []
var identities: [AgeIdentity] = []
var output: String?
var input: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let next = arguments.popFirst() else { fail("\(argument) needs a value", status: 64) }
        return next
    }
    switch argument {
    case "-d", "--decrypt": decrypting = true
    case "-r", "--recipient":
        let text = value()
        do { recipients.append(try AgeRecipient(string: text)) } catch { fail("'\(text)' is not an age recipient", status: 64) }
    case "-R", "--recipients-file":
        let path = value()
        do { recipients += try lines(of: path).map(AgeRecipient.init(string:)) } catch { fail("\(path) holds a line that is not an age recipient", status: 64) }
    case "-i", "--identity":
        let path = value()
        do { identities += try AgeIdentity.parseFile(String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)) } catch {
            fail("\(path) is not an age identity file", status: 64)
        }
    case "-o", "--output": output = value()
    default:
        guard input == nil, !argument.hasPrefix("-") || argument == "-" else { fail("unknown argument \(argument)", status: 64) }
        input = argument
    }
}

let source: FileHandle
if let input, input != "-" {
    guard let handle = FileHandle(forReadingAtPath: input) else { fail("cannot open \(input)") }
    source = handle
} else {
    source = .standardInput
}
let sink: FileHandle
if let output, output != "-" {
    guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
          let handle = FileHandle(forWritingAtPath: output) else { fail("cannot create \(output)") }
    sink = handle
} else {
    sink = .standardOutput
}
do {
    if decrypting {
        guard !identities.isEmpty else { fail("give an identity file with -i", status: 64) }
        try Age.decrypt(from: source, to: sink, identities: identities)
    } else {
        guard !recipients.isEmpty else { fail("give a recipient with -r or -R", status: 64) }
        try Age.encrypt(from: source, to: sink, recipients: recipients)
    }
} catch {
    if let output, output != "-" { try? FileManager.default.removeItem(atPath: output) }
    fail("\(error)")
}
