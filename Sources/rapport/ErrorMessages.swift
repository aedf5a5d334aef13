import Journal

/// The executable's wording of the failures the library knows by name: the library reports what
/// went wrong; only here do the messages name rapport's flags and suggest its commands.
enum ErrorMessages {
    /// The text rapport shows for any error.
    static func text(for error: Error) -> String {
        if let error = error as? JournalError, let reason = error.reason { return text(for: reason) }
        if let problem = error as? FileProblem { return text(for: problem) }
        return error.localizedDescription
    }

    /// A file's problem as `path:line: message`, with the hint in rapport's commands.
    static func text(for problem: FileProblem) -> String { "\(problem.location): \(message(of: problem))" }

    /// A file's problem without its place.
    static func message(of problem: FileProblem) -> String {
        switch problem.hint {
        case nil: problem.message
        case .createSettings: problem.message + ": run `rapport init` to create the settings"
        case .listPeople: problem.message + " (see `rapport person list`)"
        case .commitResolution: problem.message + ", then run `rapport commit`"
        case .createIdentity: problem.message + " (create one with `rapport keys init`, or set RAPPORT_IDENTITY)"
        }
    }

    static func text(for warning: JournalWarning) -> String {
        switch warning {
        case .ignoredLocalKey(let line, let key, let settable):
            JournalWarning.ignored(line: line, key: key) + (settable ? " Set it for this clone with `rapport config \(key) VALUE`." : "")
        case .encryptionBelowFloor(let shared, let floor, let source):
            JournalWarning.belowFloor(shared, floor, source) + " If you mean to lower it here, run `rapport config encrypt \(shared.rawValue)`."
        case .plainTextInHistory:
            warning.sentence
        case .templateNotUsed(let path, let name, let why):
            "\(path): \(why); the built-in \(name) template is used. Read it, then run `rapport templates trust \(name)` to use it."
        case .autoSyncConflict(let path, let copy):
            "auto-sync: both sides changed \(path); theirs is in \(copy) (see `rapport check`)."
        case .autoSyncFailed(let error):
            "auto-sync: \(text(for: error)) Your change is committed here."
        }
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
            "\(text(for: problem))\n\(path) must be encrypted, so it is not committed until it parses (not even with --force); fix it, then run `rapport commit` again."
        case .scoreOutOfRange(let label, let value):
            "--\(label) must be a whole number from 1 to 5, not \(value)."
        case .emptyNote:
            "The note is empty. Write it with --note TEXT, pipe it with --note -, or leave --note out to open your editor."
        case .actionNotOneLine(let person):
            "An --action must be one line of text, such as --action \"@\(person) send the RFC due:2026-12-05\"."
        case .handEditProblems(let problems):
            problems.map(text(for:)).joined(separator: "\n")
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
        case .secretKeyGivenAsRecipient, .notARecipient, .badMemberName, .recipientExists, .ambiguousRecipient:
            reason.sentence
        case .noSuchRecipient:
            reason.sentence + " `rapport keys list` shows them."
        case .idUsedTwice(let id, let paths):
            "Entry id \(id) is used by \(paths.joined(separator: " and ")); give the new file another id (in its name "
                + "and its id: line, 6 characters such as K3F9X2), then run `rapport commit` again. Nothing was committed."
        case .personHadLeft(let name, let slug, let left, let day):
            "\(name) (\(slug)) " + (left.map { "left on \($0)" } ?? "is marked as left")
                + ", so nothing was recorded for \(day). For something from before they left, give --date"
                + (left.map { " \($0)" } ?? "") + " or earlier."
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
        case .notAGitRepository(let root):
            "'\(root)' has a .rapport/ folder but is not a git repository. Run `git init` there, then `rapport commit`."
        case .savedDigestEdited(let path):
            "\(path) has changes that are not committed; commit them with `rapport commit` or move the file away, then save again."
        case .noRecipients(let path):
            "This journal encrypts its entries, but \(path) lists no age recipient and there is no identity here: run `rapport keys init`. Nothing was recorded."
        case .noIdentity(let path):
            "No age identity at \(path): create one with `rapport keys init`, or set RAPPORT_IDENTITY to an age identity file."
        case .privateEntryWithoutIdentity(let cause):
            "A private entry is encrypted to your own age key, and there is none here. \(text(for: cause)) Nothing was recorded."
        case .kudosWithoutPeople:
            "Name at least one person: rapport kudos SLUG... TEXT"
        case .kudosWithoutText(let people):
            "The recognition has no text: rapport kudos \(people.joined(separator: " ")) \"what they did\""
        case .sameIDAndDate(let first, let second):
            "\(first) and \(second) have the same id and date; give one of them another id (see `rapport check`)."
        case .remoteURLMissing(let name):
            "Give the remote's URL or path: rapport remote add \(name) URL"
        case .remoteKeptMoving(let remote, let attempts):
            "\(remote) kept moving while rapport pushed (\(attempts) tries); your commits are safe here, run `rapport sync` again."
        case .remoteUnreachable(let remote, "clone", let detail):
            "Cannot reach \(remote) to clone (\(detail)); nothing was created here. Check the URL or path, "
                + "then run `rapport clone` again."
        case .remoteUnreachable(let remote, let action, let detail):
            "Cannot reach \(remote) to \(action) (\(detail)); nothing was fetched or pushed, and your commits are safe here. "
                + "Run `rapport sync` again when it is reachable."
        case .remoteRefusedCredentials(let remote, let detail):
            "\(remote) refused the credentials (\(detail)). For ssh, load a key into ssh-agent or use ~/.ssh/id_ed25519; "
                + "for https, set RAPPORT_GIT_TOKEN."
        case .remoteRefusedPush(let remote, let detail):
            "\(remote) refused the push (\(detail)); run `rapport sync`."
        case .remoteMovedDuringPush(let remote, let detail):
            "\(remote) changed while rapport pushed (\(detail)); your commits are safe here, run `rapport sync` again."
        case .remoteHasNoJournal(let remote, let branch):
            "\(remote) has no journal yet (no branch \(branch)); to share this one there, run `rapport remote add origin URL` and `rapport sync` in it."
        case .insecureRemote(_, _, let action):
            reason.sentence + (action == "clone" ? " To accept that, clone with --allow-insecure."
                : " To accept that for this journal, run `rapport config \(LocalSettings.Key.allowInsecure.rawValue) true` in it.")
        case .emptySearch:
            "Give something to search for: rapport search TEXT"
        case .notAnActionReference(let typed):
            "'\(JournalError.shown(typed))' is not an action item reference: write it as ID.N, such as K3F9X2.1 (see `rapport actions`)."
        case .entryLocked(let entry, let problem):
            "Entry \(entry) cannot be read: \(message(of: problem))."
        }
    }
}
