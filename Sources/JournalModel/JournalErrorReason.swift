extension JournalError {
    /// The failures a front end may want to word itself: each carries the data its message needs.
    /// `sentence` is the library's wording, which names no command-line flag or command: those
    /// belong to the executable, which words these cases itself.
    public enum Reason: Sendable, Equatable {
        /// No journal in the folder, its parents, or the default location.
        case noJournal(fallback: String)
        /// The remote URL given to `create` is blank.
        case emptyRemoteURL
        /// The folder's repository already has an `origin` and a remote was given.
        case originExists(directory: String)
        /// Neither the journal nor git's configuration names a commit author.
        case noAuthor
        /// A hand-edited file that must be encrypted does not parse, so it cannot be encrypted.
        case encryptedEditUnparsed(problem: FileProblem, path: String)
        /// A mood, energy or workload score outside 1...5.
        case scoreOutOfRange(label: String, value: Int)
        /// A one-on-one with no note, no action items and no scores.
        case emptyNote
        /// An action item that is blank or spans lines; `person` is the slug for the example.
        case actionNotOneLine(person: String)
        /// Hand-edited files that do not parse, found before committing them.
        case handEditProblems([FileProblem])
        /// The remote's history shares no commit with the journal's.
        case unrelatedHistories(remote: String)
        /// A date range whose start is not before its end.
        case sinceAfterUntil
        /// No person with the typed slug; `nearest` is a known slug one typo away.
        case unknownPerson(typed: String, nearest: String?)
        /// No person with the typed slug, in a journal with no people at all.
        case noPeopleYet(typed: String)
        /// The entry has no action item with that number.
        case noActionItem(entry: String, number: Int)
        /// A folder given as the journal has no `.rapport/` folder.
        case notAJournal(given: String)
        /// No entry id starts with what was typed.
        case noSuchEntry(typed: String)
        /// A person with that slug is already in the journal.
        case personExists(slug: String)
        /// A one-on-one or recognition dated after the person's `left:` day (`left` nil: marked as
        /// left with no day). Refused, since it is most likely a mistyped slug or a missing date.
        case personHadLeft(name: String, slug: String, left: LocalDay?, day: LocalDay)
        /// Hand-written entry files that share an id (found by `commit` before it commits).
        case idUsedTwice(id: String, paths: [String])
        /// `keys add` was given an age secret key instead of a recipient.
        case secretKeyGivenAsRecipient
        /// `keys add` was given something that is not an age1... recipient.
        case notARecipient(typed: String)
        /// A member's name that is blank, spans lines or holds a #.
        case badMemberName(typed: String)
        /// The recipient is in `.rapport/recipients` already.
        case recipientExists(name: String)
        /// No recipient with that age1... string or name.
        case noSuchRecipient(typed: String)
        /// Several recipients have that name.
        case ambiguousRecipient(typed: String)
        /// The repository has no remote of that name.
        case noRemote(name: String)
        /// A push was refused because the remote has commits the journal lacks.
        case remoteAhead(remote: String)
        /// A digest asked for more than one kind of period.
        case severalPeriods
        /// A digest range given its last day but not its first.
        case rangeWithoutStart
        /// A digest range whose first day is after its last.
        case rangeBackwards(first: LocalDay, last: LocalDay)
        /// The demo's number of people is outside 1...2000.
        case demoPeopleOutOfRange(Int)
        /// The demo's number of weeks is outside 1...1040.
        case demoWeeksOutOfRange(Int)
        /// The demo's last day is after today.
        case demoEndInFuture(LocalDay)
        /// The demo's first week would be before 1971.
        case demoStartsBefore1971
        /// The folder has `.rapport/` but no git repository.
        case notAGitRepository(root: String)
        /// A saved digest's file has uncommitted edits, which saving again would overwrite.
        case savedDigestEdited(path: String)
        /// The journal encrypts, and there is neither a recipient in `path` nor an identity here.
        case noRecipients(path: String)
        /// No age identity file at the path, so nothing encrypted can be read or written.
        case noIdentity(path: String)
        /// A private entry needs the author's own identity, which could not be read (`cause`).
        indirect case privateEntryWithoutIdentity(cause: JournalError)
        /// A recognition that names nobody.
        case kudosWithoutPeople
        /// A recognition of `people` with no text.
        case kudosWithoutText(people: [String])
        /// Two hand-written entries would be stored at the same encrypted path.
        case sameIDAndDate(first: String, second: String)
        /// A remote added without its URL.
        case remoteURLMissing(name: String)
        /// Every push lost a race to another writer.
        case remoteKeptMoving(remote: String, attempts: Int)
        /// The remote could not be reached for `action` (fetch, push or clone).
        case remoteUnreachable(remote: String, action: String, detail: String)
        /// The remote refused the credentials offered.
        case remoteRefusedCredentials(remote: String, detail: String)
        /// The remote refused a push (it is ahead).
        case remoteRefusedPush(remote: String, detail: String)
        /// The remote's branch moved while the push was under way.
        case remoteMovedDuringPush(remote: String, detail: String)
        /// The remote has no branch `branch`: no journal has been pushed there.
        case remoteHasNoJournal(remote: String, branch: String)
        /// An http:// or git:// remote, refused for `action` unless this journal allows it.
        case insecureRemote(remote: String, url: String, action: String)
        /// A search for nothing.
        case emptySearch
        /// Not an action item reference (`ID.N`).
        case notAnActionReference(typed: String)
        /// An encrypted entry this machine cannot open (`problem` says why).
        case entryLocked(entry: String, problem: FileProblem)

        public var kind: FailureKind {
            switch self {
            case .encryptedEditUnparsed, .handEditProblems, .notAGitRepository, .sameIDAndDate, .idUsedTwice: .data
            case .remoteAhead, .noRecipients, .noIdentity, .privateEntryWithoutIdentity, .remoteRefusedCredentials,
                 .insecureRemote, .entryLocked: .failure
            case .remoteKeptMoving, .remoteUnreachable, .remoteRefusedPush, .remoteMovedDuringPush: .temporary
            default: .usage
            }
        }

        /// The library's wording, for callers other than the rapport executable.
        public var sentence: String {
            switch self {
            case .noJournal(let fallback):
                "No journal here or at \(fallback)."
            case .emptyRemoteURL:
                "The remote URL is empty."
            case .originExists(let directory):
                "'\(Text.shown(directory, limit: 200))' already has a remote named origin."
            case .noAuthor:
                "No author for commits. Add 'author: Your Name <you@example.com>' to .rapport/journal.yml, "
                    + "or set git's user.name and user.email."
            case .encryptedEditUnparsed(let problem, let path):
                "\(problem.description)\n\(path) must be encrypted, so it is not committed until it parses, even when forced."
            case .scoreOutOfRange(let label, let value):
                "The \(label) must be a whole number from 1 to 5, not \(value)."
            case .emptyNote:
                "The note is empty."
            case .actionNotOneLine(let person):
                "An action item must be one line of text, such as \"@\(person) send the RFC due:2026-12-05\"."
            case .handEditProblems(let problems):
                problems.map(\.description).joined(separator: "\n") + "\nFix these, or commit them unchecked."
            case .unrelatedHistories(let remote):
                "\(remote) has a history unrelated to this journal's; nothing was merged."
            case .sinceAfterUntil:
                "The start of the range is after its end; nothing can match."
            case .unknownPerson(let typed, let nearest?):
                "No person '\(Text.shown(typed))'. Did you mean '\(nearest)'?"
            case .unknownPerson(let typed, nil):
                "No person '\(Text.shown(typed))'."
            case .noPeopleYet(let typed):
                "No person '\(Text.shown(typed))': the journal has no people yet."
            case .noActionItem(let entry, let number):
                "Entry \(entry) has no action item \(number)."
            case .notAJournal(let given):
                "'\(Text.shown(given, limit: 200))' is not a rapport journal (no .rapport/ folder)."
            case .noSuchEntry(let typed):
                "No entry with id '\(Text.shown(typed))'."
            case .personExists(let slug):
                "'\(slug)' already exists."
            case .secretKeyGivenAsRecipient:
                "That is an age secret key (AGE-SECRET-KEY-1...), not a recipient: give the age1... line it prints as its public key, and keep the secret key to yourself."
            case .notARecipient(let typed):
                "'\(typed)' is not an age recipient (age1...)."
            case .badMemberName(let typed):
                "'\(typed)' cannot be a member's name: give one line of text without #."
            case .recipientExists(let name):
                "That recipient is already in the journal (\(name))."
            case .noSuchRecipient(let typed):
                "No recipient '\(typed)' in the journal."
            case .ambiguousRecipient(let typed):
                "Several recipients are named '\(typed)'; give the age1... recipient instead."
            case .idUsedTwice(let id, let paths):
                "Entry id \(id) is used by \(paths.joined(separator: " and ")); ids must be unique. Nothing was committed."
            case .personHadLeft(let name, let slug, let left, let day):
                "\(name) (\(slug)) " + (left.map { "left on \($0)" } ?? "is marked as left")
                    + ", so nothing is recorded for \(day); date it on or before their last day."
            case .noRemote(let name):
                "No remote '\(name)'."
            case .remoteAhead(let remote):
                "\(remote) has changes this journal does not have; merge them first, then push."
            case .severalPeriods:
                "Choose one period: a week, a month, a quarter, or a range of days."
            case .rangeWithoutStart:
                "The range has a last day but no first day."
            case .rangeBackwards(let first, let last):
                "The range's first day, \(first), is after its last day, \(last)."
            case .demoPeopleOutOfRange:
                "The demo's number of people must be from 1 to 2000."
            case .demoWeeksOutOfRange:
                "The demo's number of weeks must be from 1 to 1040."
            case .demoEndInFuture(let end):
                "The demo's last day, \(end), is in the future; the demo records a past."
            case .demoStartsBefore1971:
                "The demo would start before 1971; end it later or make it shorter."
            case .notAGitRepository(let root):
                "'\(root)' has a .rapport/ folder but is not a git repository. Run git init there, then commit its files."
            case .savedDigestEdited(let path):
                "\(path) has changes that are not committed; commit them or move the file away, then save again."
            case .noRecipients(let path):
                "This journal encrypts its entries, but \(path) lists no age recipient and there is no identity here. Nothing was recorded."
            case .noIdentity(let path):
                "No age identity at \(path)."
            case .privateEntryWithoutIdentity(let cause):
                "A private entry is encrypted to your own age key, and there is none here. \(cause.message) Nothing was recorded."
            case .kudosWithoutPeople:
                "Name at least one person."
            case .kudosWithoutText:
                "The recognition has no text."
            case .sameIDAndDate(let first, let second):
                "\(first) and \(second) have the same id and date; give one of them another id."
            case .remoteURLMissing:
                "Give the remote's URL or path."
            case .remoteKeptMoving(let remote, let attempts):
                "\(remote) kept moving while rapport pushed (\(attempts) tries); your commits are safe here, sync again."
            case .remoteUnreachable(let remote, let action, let detail):
                "Cannot reach \(remote) to \(action) (\(detail)); nothing was fetched or pushed, and your commits are safe here. "
                    + "Sync again when it is reachable."
            case .remoteRefusedCredentials(let remote, let detail):
                "\(remote) refused the credentials (\(detail)). For ssh, load a key into ssh-agent or use ~/.ssh/id_ed25519; "
                    + "for https, give a token."
            case .remoteRefusedPush(let remote, let detail):
                "\(remote) refused the push (\(detail)); sync with it first."
            case .remoteMovedDuringPush(let remote, let detail):
                "\(remote) changed while rapport pushed (\(detail)); your commits are safe here, sync again."
            case .remoteHasNoJournal(let remote, let branch):
                "\(remote) has no journal yet (no branch \(branch)); to share this one there, add it as origin and sync."
            case .insecureRemote(let remote, let url, let action):
                "\(remote) is \(Text.shown(url, limit: 200)), which is not encrypted: anyone on the way could read the journal or change "
                    + "what rapport fetches. Nothing was \(action == "clone" ? "cloned" : "fetched or pushed"); use an https:// or ssh URL."
            case .emptySearch:
                "Give something to search for."
            case .notAnActionReference(let typed):
                "'\(Text.shown(typed))' is not an action item reference: write it as ID.N, such as K3F9X2.1."
            case .entryLocked(let entry, let problem):
                "Entry \(entry) cannot be read: \(problem.message)\(problem.hint?.sentence ?? "")."
            }
        }
    }
}
