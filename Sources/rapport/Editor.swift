import Foundation
import Journal

/// Where an editor session's text lives, and what happens to it when the session ends.
struct Draft {
    let path: String
    /// For text the user changed but that was not recorded: keeps it and says where.
    let keep: (Data) -> String
    /// The draft file itself is what `keep` keeps, so the session leaves it in place.
    let keepsFile: Bool
    /// Removes what the session leaves behind.
    let finish: () -> Void

    /// A draft inside `.git/rapport/drafts` (never in the work tree), kept there when unrecorded.
    static func plain(_ journal: Journal, name: String, resume: String? = nil) throws -> Draft {
        let path = try journal.draftPath(name)
        return Draft(path: path, keep: { _ in "Your text is kept in \(path)." + (resume.map { " " + $0 } ?? "") }, keepsFile: true,
                     finish: { try? FileManager.default.removeItem(atPath: path) })
    }

    /// The draft for an entry: secret when the entry is or will be encrypted, and whenever there is
    /// an identity (the text may become private in the editor, or quote items of private entries);
    /// plain otherwise, since without an identity unrecorded text could only be kept in the clear.
    /// `resume` is a hint added when the text is kept, such as the command that reopens it.
    static func forEntry(_ journal: Journal, name: String, encrypted: Bool, resume: String? = nil) throws -> Draft {
        encrypted || journal.hasIdentity ? try secret(journal, name: name, resume: resume) : try plain(journal, name: name, resume: resume)
    }

    /// A draft of text that is stored encrypted: a file with mode 0600 in a folder of its own with
    /// mode 0700, in memory-backed storage when the machine has it ($XDG_RUNTIME_DIR, /dev/shm),
    /// removed with everything the editor left beside it (swap and backup files) when the session
    /// ends, fails or is stopped by SIGTERM or SIGHUP. Unrecorded text is kept only encrypted.
    static func secret(_ journal: Journal, name: String, resume: String? = nil) throws -> Draft {
        let folder = try PrivateFolder.make()
        let path = folder + "/" + name + ".md"
        let removeFolder: @Sendable () -> Void = { _ = try? FileManager.default.removeItem(atPath: folder) }
        let guardian = SignalGuard(onSignal: removeFolder)
        return Draft(path: path, keep: { text in
            do {
                let kept = try journal.keepEncryptedDraft(text, name: name)
                return "Your text is kept, encrypted, in \(kept) (read it with `age -d -i \(journal.keys.identityPath()) \(kept)`)."
                    + (resume.map { " " + $0 } ?? "")
            } catch {
                return "Your text could not be kept: \(error.localizedDescription)"
            }
        }, keepsFile: false, finish: {
            removeFolder()
            guardian.cancel()
        })
    }
}

/// A folder only its owner can enter, for plaintext that must not outlive a command.
enum PrivateFolder {
    static func make() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var bases: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { bases.append(runtime) }
        bases.append("/dev/shm")
        bases.append(environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        for base in bases where access(base, W_OK | X_OK) == 0 {
            var template = Array((base + "/rapport-edit-XXXXXX").utf8CString)
            // mkdtemp creates the folder with mode 0700.
            if let made = mkdtemp(&template) { return String(cString: made) }
        }
        throw JournalError.failure("Could not create a private folder for the draft in \(bases.joined(separator: ", ")).")
    }
}

/// While alive, SIGTERM, SIGHUP, SIGINT and SIGQUIT stop the editor if it is open, run
/// `onSignal`, and end the process with the usual status, so a secret draft does not outlive a
/// stopped command. (While the editor is open, Ctrl-C and Ctrl-\ are the editor's: `Editor.run`
/// ignores them.) One guard per process: rapport runs at most one editor session.
final class SignalGuard: @unchecked Sendable {
    private static let numbers = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]
    private var sources: [DispatchSourceSignal] = []

    init(onSignal: @escaping @Sendable () -> Void) {
        for number in SignalGuard.numbers {
            // Ignored first, so the signal's default action cannot end the process before the
            // source's handler is in place; the editor is spawned with default handling anyway.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let child = EditorChild.stop()
                if child > 0 {
                    kill(child, SIGTERM)
                    var status: Int32 = 0
                    waitpid(child, &status, 0)
                }
                onSignal()
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in SignalGuard.numbers { signal(number, SIG_DFL) }
    }
}

/// Runs the user's editor on a draft, and reopens it with the error on top when what comes back
/// is not valid, as `kubectl edit` does.
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
    static func session<T>(initial: Data, draft: Draft, accept: (String) throws -> T) throws -> T {
        let draftPath = draft.path
        var kept = false
        defer { if !kept { draft.finish() } }
        let editor = try command()
        try write(initial, to: draftPath)
        var shown = initial
        var shownError = false
        var latest = initial
        func keepingDraft(_ error: Error) -> Error {
            guard latest != initial else { return error }
            let kind = (error as? ClassifiedError)?.failureKind ?? .failure
            kept = draft.keepsFile
            return JournalError(kind, "\(describe(error)) \(draft.keep(latest))")
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
                return try accept(stripErrorBlock(text))
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
    /// An encrypted entry is edited as its decrypted Markdown in a secret draft, and saved encrypted.
    static func edit<T>(
        _ journal: Journal, path: String, draft name: String, save: (_ original: Data, _ edited: Data) throws -> T?
    ) throws -> T? {
        let encrypted = path.hasSuffix(".age")
        guard let original = encrypted ? journal.currentMarkdown(of: path) : journal.contents(of: path) else {
            throw JournalError.failure("Cannot read \(path).")
        }
        let draft = path.hasPrefix("entries/") ? try Draft.forEntry(journal, name: name, encrypted: encrypted)
            : try Draft.plain(journal, name: name)
        return try session(initial: original, draft: draft) { text in
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
        if let problem = error as? FileProblem { return "line \(problem.line): \(ErrorMessages.message(of: problem))." }
        return ErrorMessages.text(for: error)
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

    /// Runs the editor through the shell, so `EDITOR="code --wait"` works. The editor gets the
    /// terminal as git gives it: in rapport's own process group (so a terminal editor may read
    /// the keyboard), with default signal handling and nothing blocked, while rapport ignores
    /// Ctrl-C and Ctrl-\ until it returns.
    static func run(_ editor: String, on path: String) throws {
        let interrupt = signal(SIGINT, SIG_IGN)
        let quit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, interrupt)
            signal(SIGQUIT, quit)
        }
        let finished: ChildProcess.Finished
        do {
            finished = try ChildProcess(["/bin/sh", "-c", editor + " \"$1\"", "rapport-editor", path]).run { EditorChild.set($0) }
        } catch {
            throw JournalError.failure("Could not start the editor '\(editor)': \(String(cString: strerror(error.code.rawValue))).")
        }
        EditorChild.set(0)
        // A signal handler stopped the editor and is ending rapport: let it finish.
        while EditorChild.isStopping { usleep(10_000) }
        guard finished.status == 0 else {
            throw JournalError.failure("The editor '\(editor)' exited with status \(finished.status); nothing was recorded.")
        }
    }
}

/// The editor process while it runs, so a signal handler can stop it before removing its draft.
enum EditorChild {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pid: pid_t = 0
    nonisolated(unsafe) private static var stopping = false

    /// Marks the process as ending (from a signal handler) and returns the editor to stop, if any.
    static func stop() -> pid_t {
        lock.lock()
        defer { lock.unlock() }
        stopping = true
        return pid
    }

    static var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    static func set(_ value: pid_t) {
        lock.lock()
        pid = value
        lock.unlock()
    }


}
