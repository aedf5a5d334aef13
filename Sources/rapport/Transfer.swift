import Foundation
import Journal

/// Network options from the environment, with progress on stderr when it is a terminal.
enum Transfer {
    static func options() -> TransferOptions {
        var options = TransferOptions()
        let environment = ProcessInfo.processInfo.environment
        if let token = environment["RAPPORT_GIT_TOKEN"], !token.isEmpty {
            options.token = token
        } else {
            options.credentialHelper = { GitCredentials.fill(url: $0) }
        }
        if isatty(STDERR_FILENO) == 1 {
            options.progress = { progress in
                guard progress.totalObjects > 0 else { return }
                let kib = progress.receivedBytes / 1024
                FileHandle.standardError.write(Data("\rObjects: \(progress.receivedObjects)/\(progress.totalObjects), \(kib) KiB\u{1B}[K".utf8))
                if progress.receivedObjects == progress.totalObjects { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        return options
    }

    /// One line on what a pull or sync did.
    static func summary(_ outcome: SyncOutcome, remote: String) -> String {
        var parts: [String] = []
        if outcome.committedHandEdits > 0 { parts.append("committed \(Output.plural(outcome.committedHandEdits, "hand-edited file"))") }
        switch outcome.change {
        case .upToDate: parts.append("already up to date with \(remote)")
        case .fastForward: parts.append("fast-forwarded to \(remote)")
        case .merged: parts.append("merged \(remote)")
        case .remoteWasEmpty: parts.append("\(remote) was empty")
        case .localAhead: parts.append("\(remote) had nothing new")
        }
        if outcome.pushed { parts.append("pushed" + (outcome.retries > 0 ? " (after \(Output.plural(outcome.retries, "retry", "retries")))" : "")) }
        let text = parts.joined(separator: "; ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// A warning per conflict copy on stderr, then the one-line summary.
    static func report(_ outcome: SyncOutcome, remote: String) {
        for (path, reason) in outcome.skipped { Output.warning("skipped \(JournalError.shown(path, limit: 400)): \(reason)") }
        for conflict in outcome.conflicts {
            Output.warning("both sides changed \(conflict.path): yours is kept there, theirs in \(conflict.copy). Compare them, keep what matters, delete the copy, then `rapport commit`.")
        }
        print(summary(outcome, remote: remote))
    }
}
