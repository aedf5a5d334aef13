import Journal

/// The executable's wording of the failures the library knows by name: the library reports what
/// went wrong; only here do the messages name rapport's flags and suggest its commands.
enum ErrorMessages {
    /// The text rapport shows for any error.
    static func text(for error: Error) -> String {
        if let error = error as? JournalError, let reason = error.reason { return text(for: reason) }
        return error.localizedDescription
    }

    static func text(for reason: JournalError.Reason) -> String {
        switch reason {
        case .noJournal(let fallback):
            "No journal here or at \(fallback). Create one with `rapport init`, or point at one with --journal PATH."
        case .emptyRemoteURL:
            "--remote is empty."
        case .originExists(let directory):
            "'\(JournalError.shown(directory, limit: 200))' already has a remote named origin; leave out --remote, or remove it with `git remote remove origin`."
        case .noAuthor:
            "No author for commits. Add 'author: Your Name <you@example.com>' to .rapport/journal.yml, "
                + "or set git's user.name and user.email (git config --global user.name \"Your Name\")."
        case .encryptedEditUnparsed(let problem, let path):
            "\(problem.description)\n\(path) must be encrypted, so it is not committed until it parses (not even with --force); fix it, then run `rapport commit` again."
        case .scoreOutOfRange(let label, let value):
            "--\(label) must be a whole number from 1 to 5, not \(value)."
        case .emptyNote:
            "The note is empty. Write it with --note TEXT, pipe it with --note -, or leave --note out to open your editor."
        case .actionNotOneLine(let person):
            "An --action must be one line of text, such as --action \"@\(person) send the RFC due:2026-12-05\"."
        case .handEditProblems(let problems):
            problems.map(\.description).joined(separator: "\n")
                + "\nFix these (see `rapport check`), or commit anyway with `rapport commit --force`."
        case .unrelatedHistories(let remote):
            "\(remote) has a history unrelated to this journal's; nothing was merged. If you mean to combine two journals, run again with --allow-unrelated."
        case .sinceAfterUntil:
            "--since is after --until; nothing can match."
        case .unknownPerson(let typed, let nearest?):
            "No person '\(JournalError.shown(typed))'. Did you mean '\(nearest)'? See `rapport person list`."
        case .unknownPerson(let typed, nil):
            "No person '\(JournalError.shown(typed))'. See `rapport person list`, or add them with `rapport person add`."
        case .noPeopleYet(let typed):
            "No person '\(JournalError.shown(typed))': the journal has no people yet. Add one with `rapport person add \(Slug.isValid(typed) ? typed : "SLUG") --name NAME`."
        case .noActionItem(let entry, let number):
            "Entry \(entry) has no action item \(number). See `rapport actions --all`."
        case .notAJournal(let given):
            "'\(JournalError.shown(given, limit: 200))' is not a rapport journal (no .rapport/ folder). Create one with `rapport init \(JournalError.shown(given, limit: 200))`."
        case .noSuchEntry(let typed):
            "No entry with id '\(JournalError.shown(typed))'. See `rapport list`."
        case .personExists(let slug):
            "'\(slug)' already exists. See `rapport person show \(slug)`."
        case .noRemote(let name):
            "No remote '\(name)': add one with `rapport remote add \(name) URL`."
        case .remoteAhead(let remote):
            "\(remote) has changes this journal does not have; run `rapport sync` to merge them and push."
        case .severalPeriods:
            "Choose one period: --week, --month, --quarter, or --since/--until."
        case .rangeWithoutStart:
            "--until needs --since: give the first day of the range too."
        case .rangeBackwards(let first, let last):
            "--since \(first) is after --until \(last)."
        case .demoPeopleOutOfRange:
            "--people must be from 1 to 2000."
        case .demoWeeksOutOfRange:
            "--weeks must be from 1 to 1040."
        case .demoEndInFuture(let end):
            "--end \(end) is in the future; the demo records a past."
        case .demoStartsBefore1971:
            "The demo would start before 1971; give a later --end or fewer --weeks."
        }
    }
}
