import CGit2
import Foundation
@testable import GitStore
import Testing
import TestSupport

@Suite struct ManagedTests {
    let scratch = Scratch()

    @Test func aFailedConstructorThrowsNamingItsFunction() throws {
        _ = try Repository.create(at: scratch.appending("repo"))  // libgit2 set up
        let missing = scratch.appending("not-a-repository")
        do {
            _ = try Managed<GitRepository>("git_repository_open_ext") {
                git_repository_open_ext(&$0, missing, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
            }
            Issue.record("opening a missing repository succeeded")
        } catch let error as GitError {
            #expect(error.function == "git_repository_open_ext")
            #expect(error.isNotFound)
        }
    }

    /// A lookup's "not found" is an answer, nil; any other failure still throws.
    @Test func ifFoundAnswersNilOnlyForNotFound() throws {
        let repository = try Repository.create(at: scratch.appending("repo"))
        let commit = try #require(try repository.commit([.write("a/b.md", Data("b\n".utf8))],
                                                        author: Signature(name: "Dana Lee", email: "dana@example.com",
                                                                          date: Date(timeIntervalSince1970: 1_790_000_000),
                                                                          utcOffsetMinutes: 0),
                                                        message: "b"))
        let tree = try repository.rootTree(of: commit)
        let found = try Managed<GitTreeEntry>.ifFound("git_tree_entry_bypath") { git_tree_entry_bypath(&$0, tree.pointer, "a/b.md") }
        #expect(found.map { ObjectID(git_tree_entry_id($0.pointer)) } == ObjectID.blob(hashing: Data("b\n".utf8)))
        #expect(try Managed<GitTreeEntry>.ifFound("git_tree_entry_bypath") { git_tree_entry_bypath(&$0, tree.pointer, "a/c.md") } == nil)
        #expect(throws: GitError.self) {
            _ = try Managed<GitReference>.ifFound("git_reference_lookup") { git_reference_lookup(&$0, repository.pointer, "not a ref name") }
        }
    }
}
