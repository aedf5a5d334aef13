import Foundation
import Testing
@testable import Journal

@Suite struct ReaderTests {
    /// The index is walked for the month folders a read covers: the range must hold exactly their
    /// paths, in git's byte order, whatever bounds a query gives.
    @Test func monthFoldersAsARangeOfPaths() {
        #expect(Journal.entryPaths(in: 2026 * 12 + 11...2026 * 12 + 11) == "entries/2026/11/"..<"entries/2026/12/")
        #expect(Journal.entryPaths(in: 2025 * 12 + 12...2026 * 12 + 12) == "entries/2025/12/"..<"entries/2027/01/")
        #expect(Journal.entryPaths(in: Int.min...Int.max) == "entries/1900/01/"..<"entries0")
        let november = Journal.entryPaths(in: 2026 * 12 + 11...2026 * 12 + 11)
        #expect(november.contains("entries/2026/11/2026-11-30-one-on-one-alice-ABC123.md"))
        #expect(!november.contains("entries/2026/12/2026-12-01-one-on-one-alice-ABC123.md"))
        #expect(!november.contains("entries/2026/1/x.md") && !november.contains("entries/imported/x.md"))
    }
}
