import ArgumentParser
import Foundation
import Journal

@main
struct Rapport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A leadership journal: one-on-ones and recognition as Markdown in a git repository.",
        discussion: """
            Start with `rapport init`, add your reports with `rapport person add`, then log with \
            `rapport 1on1` and `rapport kudos`. Every write is one git commit; every file is plain \
            Markdown you may edit by hand (`rapport commit` records hand edits, `rapport check` validates).

            The journal is found like git finds a repository: --journal PATH, else $RAPPORT_JOURNAL, \
            else the enclosing folder that holds .rapport/, else ~/.local/share/rapport/journal.

            Dates accept YYYY-MM-DD, full ISO 8601, today, yesterday and -3d.
            Exit codes: 0 ok, 1 failure, 3 someone is overdue (due), 64 usage error, 65 bad data \
            in the journal, 75 temporary failure (lock held); try again.
            """,
        version: "0.1.0",
        // Every command names itself (`commandName:`): without it, ArgumentParser derives the name
        // with String(describing:) of each command type, whose dynamic casts scan every protocol
        // conformance of the statically linked runtime on every run.
        subcommands: [
            Init.self, PersonCommand.self, OneOnOne.self, Kudos.self, List.self, Show.self, Edit.self,
            Search.self, Actions.self, Done.self, Prep.self, DigestCommand.self, Due.self, Check.self, Commit.self, RemoteCommand.self, Clone.self, Pull.self,
            Push.self, Sync.self, Keys.self, Config.self, TemplatesCommand.self, Export.self, Import.self, Rekey.self, Demo.self,
        ])

    /// `rapport --journal PATH list` works like `git -C PATH log`. The root parses its options
    /// first, wherever they stand (before or after the subcommand, not after `--`), and
    /// ArgumentParser hands the same `GlobalOptions` value to each subcommand's `@OptionGroup`.
    /// Hidden here: every subcommand's help lists them.
    @OptionGroup(visibility: .hidden) var global: GlobalOptions

    /// Parses, runs, and turns every error into one line on stderr and the exit code the README
    /// gives it. Help and version requests print in full.
    static func main() {
        // Everything rapport writes (the work tree, .git, --out files, drafts) is the owner's
        // alone, whatever the shell's umask: notes about people are not for other local users.
        umask(0o077)
        // A remote or helper that hangs up mid-write must give an error, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // Help and the version need no repository: they would only wait for the set-up at exit.
        let asks = Set(CommandLine.arguments.dropFirst())
        if !asks.isEmpty, asks.isDisjoint(with: ["--help", "-h", "help", "--version", "--generate-completion-script"]) {
            // The set-up thread then reads the journal's settings and index, unless --journal
            // names another one (a note that happens to read "--journal" only costs the read-ahead).
            let namesJournal = asks.contains { $0 == "--journal" || $0.hasPrefix("--journal=") }
            Journal.prepareInBackground(readingAheadFrom: namesJournal ? nil : (
                environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(for: error)
        }
        Journal.finishPreparing()
        fflush(nil)
    }

    static func exit(for error: Error) -> Never {
        Journal.finishPreparing()
        fflush(nil)
        if let classified = error as? ClassifiedError {
            Output.error(ErrorMessages.text(for: error))
            Foundation.exit(Output.exitCode(for: classified.failureKind))
        }
        if let code = error as? ExitCode {
            Foundation.exit(code.rawValue)
        }
        let code = exitCode(for: error)
        if code == .success {
            Rapport.exit(withError: error)
        }
        let message = Rapport.message(for: error)
            .split(separator: "\n").first.map(String.init) ?? "unknown error"
        Output.error(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, hint: "See 'rapport --help'.")
        Foundation.exit(code.rawValue)
    }
}
