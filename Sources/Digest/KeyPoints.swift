import Foundation
import Journal

/// Picks each person's key sentences from a period's one-on-one notes by TF-IDF centrality: a
/// sentence scores by how much it shares, in distinctive words, with that person's other
/// sentences, so the theme that keeps coming back wins over a passing remark. Every sentence with
/// a watch word is kept as well. Extractive only: the text is the manager's own.
///
/// The same entries always give the same key points, in every process: each floating-point sum runs
/// in a fixed order (terms sorted, sentences in note order), never in a dictionary's, whose order
/// changes from one run to the next; scores equal to nine decimals are ties, broken by the earlier
/// entry (date, then id) and the earlier sentence in it.
enum KeyPointRanker {
    static let perPerson = 3

    static func rank(_ oneOnOnes: [Entry], names: [Slug: String], watchWords: [String]) -> [KeyPoints] {
        let matcher = WatchWords(watchWords)
        var byPerson: [Slug: [(text: String, entry: Entry)]] = [:]
        for entry in oneOnOnes.sorted(by: KeyPointRanker.inNoteOrder) {
            for sentence in Sentences.split(entry.body) { byPerson[entry.people[0], default: []].append((sentence, entry)) }
        }
        let people = byPerson.keys.sorted { (names[$0] ?? $0.value, $0) < (names[$1] ?? $1.value, $1) }
        let all = people.flatMap { byPerson[$0]!.map(\.text) }
        let documentFrequency = all.reduce(into: [String: Int]()) { counts, sentence in
            for term in Set(terms(sentence)) { counts[term, default: 0] += 1 }
        }
        let total = Double(max(all.count, 1))
        func vector(_ sentence: String) -> TermVector {
            let counts = terms(sentence).reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            return TermVector(counts.keys.sorted().map { term in
                (term, Double(counts[term]!) * (log(total / Double(documentFrequency[term] ?? 1)) + 1))
            })
        }

        return people.map { person in
            let sentences = byPerson[person]!
            let vectors = sentences.map { vector($0.text) }
            let scores = vectors.indices.map { index in
                let centrality = vectors.indices.reduce(0.0) { sum, other in
                    other == index ? sum : sum + vectors[index].cosine(vectors[other])
                }
                // A small share of the sentence's own weight breaks ties when there is little to compare.
                let score = centrality + 0.01 * vectors[index].meanWeight
                return (score * 1e9).rounded() / 1e9
            }
            let ranked = scores.indices.sorted { left, right in
                if scores[left] != scores[right] { return scores[left] > scores[right] }
                if sentences[left].entry.id != sentences[right].entry.id {
                    return KeyPointRanker.inNoteOrder(sentences[left].entry, sentences[right].entry)
                }
                return left < right
            }
            var chosen = Set(ranked.prefix(perPerson))
            var watch: [Int: String] = [:]
            for (index, sentence) in sentences.enumerated() {
                if let word = matcher.first(in: sentence.text) {
                    watch[index] = word
                    chosen.insert(index)
                }
            }
            var seen = Set<String>()
            let picked = chosen.sorted().compactMap { index -> KeyPoints.Sentence? in
                guard seen.insert(sentences[index].text).inserted else { return nil }
                return KeyPoints.Sentence(text: sentences[index].text, entry: sentences[index].entry.id, watchWord: watch[index])
            }
            return KeyPoints(person: person, name: names[person] ?? person.value, sentences: picked)
        }
    }

    /// Oldest first; entries recorded at the same instant by id.
    static func inNoteOrder(_ lhs: Entry, _ rhs: Entry) -> Bool { (lhs.date.date, lhs.id) < (rhs.date.date, rhs.id) }

    /// Lower-case words of three or more letters, without common function words.
    static func terms(_ sentence: String) -> [String] {
        sentence.lowercased()
            .split { !($0.isLetter || $0.isNumber) }
            .map(String.init)
            .filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    /// A sentence's TF-IDF weights, sorted by term, so every sum over them runs in one order.
    struct TermVector {
        let terms: [String]
        let weights: [Double]
        let norm: Double

        init(_ sorted: [(term: String, weight: Double)]) {
            terms = sorted.map(\.term)
            weights = sorted.map(\.weight)
            norm = sqrt(weights.reduce(0) { $0 + $1 * $1 })
        }

        var meanWeight: Double { weights.reduce(0, +) / Double(max(weights.count, 1)) }

        /// The cosine of the angle between two vectors: their shared terms, found by walking both in order.
        func cosine(_ other: TermVector) -> Double {
            var dot = 0.0
            var mine = 0, theirs = 0
            while mine < terms.count, theirs < other.terms.count {
                if terms[mine] == other.terms[theirs] {
                    dot += weights[mine] * other.weights[theirs]
                    mine += 1
                    theirs += 1
                } else if terms[mine] < other.terms[theirs] {
                    mine += 1
                } else {
                    theirs += 1
                }
            }
            guard dot > 0 else { return 0 }
            return dot / (norm * other.norm)
        }
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out", "has",
        "had", "his", "him", "how", "its", "let", "may", "who", "did", "get", "got", "she", "too", "use", "that", "with",
        "have", "this", "will", "your", "from", "they", "been", "were", "what", "when", "them", "than", "then", "into",
        "some", "more", "also", "just", "about", "would", "there", "their", "which", "could", "other", "after", "over",
        "should", "because", "while", "where", "we", "us", "on", "in", "of", "to", "is", "it", "be", "as", "at", "by",
    ]
}
