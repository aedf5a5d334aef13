import Foundation
import JournalModel

/// Every parser a journal file meets, run on arbitrary bytes: for the fuzz target (`make fuzz`)
/// and the property test. Each parse either gives a value or a problem with a line; it must never
/// crash, hang or read outside the bytes it was given.
public enum ParserProbe {
    /// What the bytes parsed as, for the record.
    public struct Outcome: Sendable, Equatable {
        public var entry = false
        public var person = false
        public var settings = false
        public var problems: [FileProblem] = []
    }

    public static func parse(_ data: Data) -> Outcome {
        var outcome = Outcome()
        let zone = TimeZone(identifier: "Europe/Berlin")!
        do {
            let entry = try Entry(data: data, path: "entries/2026/11/2026-11-20-one-on-one-alice-K3F9X2.md", zone: zone)
            _ = entry.actionItems.map(\.text)
            _ = entry.fileNameProblem
            _ = try entry.withBody(entry.body + "\n- [ ] one more\n", zone: zone)
            if let first = entry.actionItems.first { _ = ActionItem.setting(first.number, done: !first.isDone, in: entry.body) }
            outcome.entry = true
        } catch {
            outcome.problems.append(error)
        }
        do {
            let person = try Person(data: data, path: "people/alice.md")
            _ = try? person.leaving(on: LocalDay("2026-11-20")!)
            outcome.person = true
        } catch {
            outcome.problems.append(error)
        }
        do {
            _ = try JournalConfig.parse(data)
            outcome.settings = true
        } catch {
            outcome.problems.append(error)
        }
        return outcome
    }
}
