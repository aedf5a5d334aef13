import Journal
import JournalDemo

/// SplitMix64 (JournalDemo's `SeededGenerator`): one 64-bit word of state, so a seed alone fixes
/// every draw and a generated world can be rebuilt exactly. Its own helpers (not `Int.random(in:using:)`)
/// keep the sequence independent of the standard library's sampling code. Never for secrets.
public typealias SplitMix64 = SeededGenerator

/// The draws the evaluation makes itself, on the same SplitMix64 the demo uses.
extension SeededGenerator {
    /// Uniform in [0, 1), from the top 53 bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// Uniform in `range` (the high word of a 128-bit product: no modulo bias worth the name).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let count = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: count).high)
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(in: 0...(items.count - 1))]
    }

    /// Fisher-Yates, with this generator's own draws.
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, int(in: 0...index))
        }
        return result
    }
}
