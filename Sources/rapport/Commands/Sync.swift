import ArgumentParser
import Journal

/// Options shared by pull and sync.
struct MergeOptions: ParsableArguments {
    @Option(help: "The remote to use.")
    var remote = "origin"

    @Flag(help: "Merge a remote whose history shares nothing with this journal's.")
    var allowUnrelated = false
}

extension Rapport {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Commit stray edits, fetch, merge and push: the one command to share the journal.",
            discussion: """
                Merges, never rebases. When both sides changed the same file, yours stays at its path and \
                theirs is written beside it as NAME.conflict-ID.md; `rapport check` lists such files. The push \
                moves the remote's branch only from the commit just merged, and "pushed" is printed once the \
                remote confirmed it; a push that loses a race to another writer is retried (fetch, merge, push). \
                Exits 75 when the remote cannot be reached or kept moving: nothing more is fetched or pushed, \
                and your commits stay here. http:// and git:// remotes are refused unless the journal's git \
                config sets rapport.allowInsecure.
                """)

        @OptionGroup var merge: MergeOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let outcome = try global.openJournal().remotes.sync(remote: merge.remote, allowUnrelated: merge.allowUnrelated,
                                                        options: Transfer.options())
            Transfer.report(outcome, remote: merge.remote)
        }
    }

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Commit stray edits, fetch and merge the remote's journal (no push).")

        @OptionGroup var merge: MergeOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let outcome = try global.openJournal().remotes.pull(remote: merge.remote, allowUnrelated: merge.allowUnrelated,
                                                        options: Transfer.options())
            Transfer.report(outcome, remote: merge.remote)
        }
    }

    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract: "Push the journal's commits to the remote (refused when it has changes: run sync).")

        @Option(help: "The remote to use.")
        var remote = "origin"

        @OptionGroup var global: GlobalOptions

        func run() throws {
            if try global.openJournal().remotes.push(remote: remote, options: Transfer.options()) {
                print("Pushed to \(remote).")
            } else {
                print("Nothing to push: \(remote) has every commit of this journal.")
            }
        }
    }
}
