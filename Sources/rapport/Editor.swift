import Foundation
import Journal

/// Runs the user's editor on a draft kept inside `.git/rapport/drafts` (never in the work tree),
/// and reopens it with the error on top when what comes back is not valid, as `kubectl edit` does.
enum Editor {
    static let errorMarker = "<!-- rapport: error"

    /// `$VISUAL`, else `$EDITOR`, else `vi` when there is a terminal to run it in.
    static func command() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw JournalError.usage("No editor: set $EDITOR (or $VISUAL), or give the text on the command line.")
        }
        return "vi"
    }

    /// Opens `initial` in the editor until `accept` takes it. `accept` throws a FileProblem or a
    /// usage/data JournalError to have the text reopened with the error shown. Saving the same
    /// text again after an error gives up and keeps the draft file.
    static func session<T>(initial: String, draftPath: String, accept: (String) throws -> T) throws -> T {
        let editor = try command()
        try write(initial, to: draftPath)
        var shown = initial
        var errorLines = 0
        for _ in 0..<Editor.maximumRounds {
            try run(editor, on: draftPath)
            guard let data = FileManager.default.contents(atPath: draftPath) else {
                throw JournalError.failure("The draft \(draftPath) disappeared; nothing was recorded.")
            }
            guard let returned = String(validating: data, as: UTF8.self) else {
                throw JournalError.data("The edited text is not valid UTF-8; it is kept in \(draftPath).")
            }
            let text = stripErrorBlock(returned)
            do {
                let result = try accept(text)
                try? FileManager.default.removeItem(atPath: draftPath)
                return result
            } catch let error where isCorrectable(error) {
                if returned == shown, errorLines > 0 {
                    throw JournalError(failureKind(error), "\(message(error, offset: 0)) Nothing was recorded; your text is kept in \(draftPath).")
                }
                let block = errorBlock(message(error, offset: 0))
                errorLines = block.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                shown = block + text
                try write(shown, to: draftPath)
                Output.warning(message(error, offset: 0) + " Reopening the editor.")
            } catch {
                throw error
            }
        }
        throw JournalError.failure("Gave up after \(Editor.maximumRounds) rounds in the editor; your text is kept in \(draftPath).")
    }

    /// An editor script that keeps changing invalid text must not loop for ever.
    static let maximumRounds = 10

    private static func isCorrectable(_ error: Error) -> Bool {
        if error is FileProblem { return true }
        if let error = error as? JournalError { return error.kind == .usage || error.kind == .data }
        return false
    }

    private static func failureKind(_ error: Error) -> FailureKind {
        (error as? ClassifiedError)?.failureKind ?? .failure
    }

    private static func message(_ error: Error, offset: Int) -> String {
        if let problem = error as? FileProblem { return "line \(problem.line + offset): \(problem.message)." }
        return error.localizedDescription
    }

    static func errorBlock(_ message: String) -> String {
        "\(errorMarker): \(message.replacingOccurrences(of: "-->", with: "->"))\n"
            + "Fix the text below and save; save it unchanged to give up. Line numbers count from the '---' line. -->\n"
    }

    static func stripErrorBlock(_ text: String) -> String {
        guard text.hasPrefix(errorMarker), let end = text.range(of: "-->\n") else { return text }
        return String(text[end.upperBound...])
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Runs the editor through the shell, so `EDITOR="code --wait"` works, with the terminal inherited.
    static func run(_ editor: String, on path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "rapport-editor", path]
        do {
            try process.run()
        } catch {
            throw JournalError.failure("Could not start the editor '\(editor)': \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw JournalError.failure("The editor '\(editor)' exited with status \(process.terminationStatus); nothing was recorded. Your text is kept in \(path).")
        }
    }
}
