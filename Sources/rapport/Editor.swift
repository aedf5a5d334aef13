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
    /// usage/data JournalError to have the text reopened with the error shown; saving the same
    /// text again after an error gives up. Whenever it gives up on text the user changed, the
    /// draft is kept and the message says where.
    static func session<T>(initial: Data, draftPath: String, accept: (String) throws -> T) throws -> T {
        let editor = try command()
        try write(initial, to: draftPath)
        var shown = initial
        var shownError = false
        var latest = initial
        func keepingDraft(_ error: Error) -> Error {
            guard latest != initial else {
                try? FileManager.default.removeItem(atPath: draftPath)
                return error
            }
            let kind = (error as? ClassifiedError)?.failureKind ?? .failure
            return JournalError(kind, "\(describe(error)) Your text is kept in \(draftPath).")
        }
        for _ in 0..<Editor.maximumRounds {
            do {
                try run(editor, on: draftPath)
            } catch {
                latest = FileManager.default.contents(atPath: draftPath) ?? initial
                throw keepingDraft(error)
            }
            guard let returned = FileManager.default.contents(atPath: draftPath) else {
                throw JournalError.failure("The draft \(draftPath) disappeared; nothing was recorded.")
            }
            latest = returned
            guard let text = String(validating: returned, as: UTF8.self) else {
                throw keepingDraft(JournalError.data("The edited text is not valid UTF-8; nothing was recorded."))
            }
            do {
                let result = try accept(stripErrorBlock(text))
                try? FileManager.default.removeItem(atPath: draftPath)
                return result
            } catch let error where isCorrectable(error) {
                if returned == shown, shownError {
                    throw keepingDraft(JournalError(failureKind(error), "\(describe(error)) Nothing was recorded."))
                }
                shown = Data((errorBlock(describe(error)) + stripErrorBlock(text)).utf8)
                shownError = true
                try write(shown, to: draftPath)
                Output.warning(describe(error) + " Reopening the editor.")
            } catch {
                throw keepingDraft(error)
            }
        }
        throw keepingDraft(JournalError.failure("Gave up after \(Editor.maximumRounds) rounds in the editor; nothing was recorded."))
    }

    /// Edits one journal file. The editor starts from the file's exact bytes (never a re-rendering,
    /// so an unchanged save changes nothing), and `save` gets those bytes and the edited ones.
    static func edit<T>(
        _ journal: Journal, path: String, draft name: String, save: (_ original: Data, _ edited: Data) throws -> T?
    ) throws -> T? {
        guard let original = journal.contents(of: path) else {
            throw JournalError.failure("Cannot read \(path).")
        }
        return try session(initial: original, draftPath: try journal.draftPath(name)) { text in
            try save(original, Data(text.utf8))
        }
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

    private static func describe(_ error: Error) -> String {
        if let problem = error as? FileProblem { return "line \(problem.line): \(problem.message)." }
        return error.localizedDescription
    }

    static func errorBlock(_ message: String) -> String {
        "\(errorMarker): \(message.replacingOccurrences(of: "-->", with: "->"))\n"
            + "Fix the text below and save; save it unchanged to give up. Line numbers count from the '---' line. -->\n"
    }

    /// Removes the error block added on top, whichever line ending the editor saved it with.
    static func stripErrorBlock(_ text: String) -> String {
        guard text.hasPrefix(errorMarker), let end = text.range(of: "-->\n") ?? text.range(of: "-->\r\n") else { return text }
        return String(text[end.upperBound...])
    }

    /// Writes a draft readable by its owner only.
    static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw JournalError.failure("Could not write the draft \(path).")
        }
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
            throw JournalError.failure("The editor '\(editor)' exited with status \(process.terminationStatus); nothing was recorded.")
        }
    }
}
