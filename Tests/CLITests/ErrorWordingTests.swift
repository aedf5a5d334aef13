import Foundation
import Testing
@testable import rapport
import Journal

/// The executable's wording of what the library reports as cases (issue 18): pinned here where no
/// end-to-end test reaches the message (an unreachable remote, a missing identity, an auto-sync).
@Suite struct ErrorWordingTests {
    static let identity = "/home/dana/.config/rapport/identity.txt"
    static let locked = FileProblem(path: "entries/2026/11/x.md.age", line: 1, message: "encrypted, and there is no age identity at /k.txt",
                                    isLocked: true, hint: .createIdentity)

    static let reasons: [(JournalError.Reason, String)] = [
        (.notAGitRepository(root: "/tmp/j"),
         "'/tmp/j' has a .rapport/ folder but is not a git repository. Run `git init` there, then `rapport commit`."),
        (.savedDigestEdited(path: "digests/2026/2026-W47.md"),
         "digests/2026/2026-W47.md has changes that are not committed; commit them with `rapport commit` or move the file away, then save again."),
        (.noRecipients(path: ".rapport/recipients"),
         "This journal encrypts its entries, but .rapport/recipients lists no age recipient and there is no identity here: run `rapport keys init`. Nothing was recorded."),
        (.noIdentity(path: identity),
         "No age identity at \(identity): create one with `rapport keys init`, or set RAPPORT_IDENTITY to an age identity file."),
        (.privateEntryWithoutIdentity(cause: JournalError(.noIdentity(path: identity))),
         "A private entry is encrypted to your own age key, and there is none here. No age identity at \(identity): create one with "
            + "`rapport keys init`, or set RAPPORT_IDENTITY to an age identity file. Nothing was recorded."),
        (.kudosWithoutPeople, "Name at least one person: rapport kudos SLUG... TEXT"),
        (.kudosWithoutText(people: ["alice", "bob"]), "The recognition has no text: rapport kudos alice bob \"what they did\""),
        (.sameIDAndDate(first: "a.md", second: "b.md"), "a.md and b.md have the same id and date; give one of them another id (see `rapport check`)."),
        (.remoteURLMissing(name: "backup"), "Give the remote's URL or path: rapport remote add backup URL"),
        (.remoteKeptMoving(remote: "origin", attempts: 5),
         "origin kept moving while rapport pushed (5 tries); your commits are safe here, run `rapport sync` again."),
        (.remoteUnreachable(remote: "origin", action: "fetch", detail: "refused"),
         "Cannot reach origin to fetch (refused); nothing was fetched or pushed, and your commits are safe here. Run `rapport sync` again when it is reachable."),
        (.remoteRefusedCredentials(remote: "origin", detail: "401"),
         "origin refused the credentials (401). For ssh, load a key into ssh-agent or use ~/.ssh/id_ed25519; for https, set RAPPORT_GIT_TOKEN."),
        (.remoteRefusedPush(remote: "origin", detail: "stale"), "origin refused the push (stale); run `rapport sync`."),
        (.remoteMovedDuringPush(remote: "origin", detail: "moved"),
         "origin changed while rapport pushed (moved); your commits are safe here, run `rapport sync` again."),
        (.remoteHasNoJournal(remote: "origin", branch: "main"),
         "origin has no journal yet (no branch main); to share this one there, run `rapport remote add origin URL` and `rapport sync` in it."),
        (.insecureRemote(remote: "origin", url: "http://h/j", action: "push"),
         "origin is http://h/j, which is not encrypted: anyone on the way could read the journal or change what rapport fetches. "
            + "Nothing was fetched or pushed; use an https:// or ssh URL. To accept that for this journal, run `rapport config sync.allow_insecure true` in it."),
        (.insecureRemote(remote: "http://h/j", url: "http://h/j", action: "clone"),
         "http://h/j is http://h/j, which is not encrypted: anyone on the way could read the journal or change what rapport fetches. "
            + "Nothing was cloned; use an https:// or ssh URL. To accept that, clone with --allow-insecure."),
        (.emptySearch, "Give something to search for: rapport search TEXT"),
        (.notAnActionReference(typed: "K3F9X2"),
         "'K3F9X2' is not an action item reference: write it as ID.N, such as K3F9X2.1 (see `rapport actions`)."),
        (.entryLocked(entry: "K3F9X2", problem: locked),
         "Entry K3F9X2 cannot be read: encrypted, and there is no age identity at /k.txt (create one with `rapport keys init`, or set RAPPORT_IDENTITY)."),
    ]

    @Test(arguments: reasons)
    func reasonsAreWordedAsBefore(_ reason: JournalError.Reason, _ expected: String) {
        #expect(ErrorMessages.text(for: JournalError(reason)) == expected)
    }

    @Test func hintsAreWordedAsBefore() {
        func text(_ message: String, _ hint: FileProblem.Hint) -> String {
            ErrorMessages.text(for: FileProblem(path: "p.md", line: 2, message: message, hint: hint) as Error)
        }
        #expect(text("missing", .createSettings) == "p.md:2: missing: run `rapport init` to create the settings")
        #expect(text("no person 'zed'", .listPeople) == "p.md:2: no person 'zed' (see `rapport person list`)")
        #expect(text("unresolved sync conflict with a.md: compare them", .commitResolution)
            == "p.md:2: unresolved sync conflict with a.md: compare them, then run `rapport commit`")
        #expect(ErrorMessages.message(of: Self.locked)
            == "encrypted, and there is no age identity at /k.txt (create one with `rapport keys init`, or set RAPPORT_IDENTITY)")
    }

    @Test func warningsAreWordedAsBefore() {
        #expect(ErrorMessages.text(for: JournalWarning.ignoredLocalKey(line: 4, key: "sync.auto", settable: true))
            == ".rapport/journal.yml:4 sets 'sync.auto', which is each reader's own setting and never comes from the shared journal: ignored. "
            + "Set it for this clone with `rapport config sync.auto VALUE`.")
        #expect(ErrorMessages.text(for: JournalWarning.encryptionBelowFloor(shared: .none, floor: .all, source: "lowered long ago"))
            == ".rapport/journal.yml asks for encrypt: none (lowered long ago), below this clone's floor of all: rapport keeps encrypting as 'all'. "
            + "If you mean to lower it here, run `rapport config encrypt none`.")
        #expect(ErrorMessages.text(for: JournalWarning.templateNotUsed(path: ".rapport/templates/digest.md.mustache", name: "digest.md", why: "it is new"))
            == ".rapport/templates/digest.md.mustache: it is new; the built-in digest.md template is used. Read it, then run `rapport templates trust digest.md` to use it.")
        #expect(ErrorMessages.text(for: JournalWarning.autoSyncConflict(path: "people/a.md", copy: "people/a.conflict.md"))
            == "auto-sync: both sides changed people/a.md; theirs is in people/a.conflict.md (see `rapport check`).")
        #expect(ErrorMessages.text(for: JournalWarning.autoSyncFailed(JournalError(.remoteUnreachable(remote: "origin", action: "fetch", detail: "x"))))
            == "auto-sync: Cannot reach origin to fetch (x); nothing was fetched or pushed, and your commits are safe here. "
            + "Run `rapport sync` again when it is reachable. Your change is committed here.")
    }
}
