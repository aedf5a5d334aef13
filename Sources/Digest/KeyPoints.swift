import Foundation
import Journal

/// Picks each person's key sentences from a period's one-on-one notes by TF-IDF centrality: a
/// sentence scores by how much it shares, in distinctive words, with that person's other
/// sentences, so the theme that keeps coming back wins over a passing remark. Every sentence with
/// a watch word is kept as well. Extractive only: the text is the manager's own.
enum KeyPointRanker {
    static let perPerson = 3

    static func rank(_ oneOnOnes: [Entry], names: [Slug: String], watchWords: [String]) -> [KeyPoints] {
        var byPerson: [Slug: [(text: String, entry: EntryID)]] = [:]
        var order: [Slug] = []
        for entry in oneOnOnes {
            let person = entry.people[0]
            if byPerson[person] == nil { order.append(person) }
            for sentence in Sentences.split(entry.body) { byPerson[person, default: []].append((sentence, entry.id)) }
        }
        let all = byPerson.values.flatMap { $0.map(\.text) }
        let documentFrequency = all.reduce(into: [String: Int]()) { counts, sentence in
            for term in Set(terms(sentence)) { counts[term, default: 0] += 1 }
        }
        let total = Double(max(all.count, 1))
        func vector(_ sentence: String) -> [String: Double] {
            var weights: [String: Double] = [:]
            for term in terms(sentence) { weights[term, default: 0] += 1 }
            for (term, count) in weights { weights[term] = count * (log(total / Double(documentFrequency[term] ?? 1)) + 1) }
            return weights
        }

        return order.sorted { (names[$0] ?? $0.value, $0) < (names[$1] ?? $1.value, $1) }.compactMap { person in
            let sentences = byPerson[person] ?? []
            guard !sentences.isEmpty else { return nil }
            let vectors = sentences.map { vector($0.text) }
            let scores = vectors.indices.map { index in
                let centrality = vectors.indices.reduce(0.0) { sum, other in
                    other == index ? sum : sum + cosine(vectors[index], vectors[other])
                }
                // A small share of the sentence's own weight breaks ties when there is little to compare.
                let mass = vectors[index].values.reduce(0, +) / Double(max(vectors[index].count, 1))
                return centrality + 0.01 * mass
            }
            let ranked = scores.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
            var chosen = Set(ranked.prefix(perPerson))
            var watch: [Int: String] = [:]
            for (index, sentence) in sentences.enumerated() {
                if let word = WatchWords.first(in: sentence.text, of: watchWords) {
                    watch[index] = word
                    chosen.insert(index)
                }
            }
            var seen = Set<String>()
            let picked = chosen.sorted().compactMap { index -> KeyPoints.Sentence? in
                guard seen.insert(sentences[index].text).inserted else { return nil }
                return KeyPoints.Sentence(text: sentences[index].text, entry: sentences[index].entry, watchWord: watch[index])
            }
            return KeyPoints(person: person, name: names[person] ?? person.value, sentences: picked)
        }
    }

    /// Lower-case words of three or more letters, without common function words.
    static func terms(_ sentence: String) -> [String] {
        sentence.lowercased()
            .split { !($0.isLetter || $0.isNumber) }
            .map(String.init)
            .filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    static func cosine(_ lhs: [String: Double], _ rhs: [String: Double]) -> Double {
        var dot = 0.0
        for (term, weight) in lhs { if let other = rhs[term] { dot += weight * other } }
        guard dot > 0 else { return 0 }
        let norms = sqrt(lhs.values.reduce(0) { $0 + $1 * $1 }) * sqrt(rhs.values.reduce(0) { $0 + $1 * $1 })
        return dot / norms
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out", "has",
        "had", "his", "him", "how", "its", "let", "may", "who", "did", "get", "got", "she", "too", "use", "that", "with",
        "have", "this", "will", "your", "from", "they", "been", "were", "what", "when", "them", "than", "then", "into",
        "some", "more", "also", "just", "about", "would", "there", "their", "which", "could", "other", "after", "over",
        "should", "because", "while", "where", "we", "us", "on", "in", "of", "to", "is", "it", "be", "as", "at", "by",
    ]
}
