import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal

/// The health weights come from the shared journal.yml, which anyone who can push may write: no
/// finite, non-negative weights may crash the digest or give a score outside 0-100.
@Suite struct HealthWeightTests {
    static let components: [Double?] = [0.375, 0.375, 0.5, 0.5]

    static func score(_ weights: [Double], _ components: [Double?] = components) -> Int? {
        Health.score(Array(zip(components, weights)))
    }

    @Test func theDefaultWeightsGiveTheWorkedExample() {
        // DigestNumbersTests: round(100 x (0.3 x 0.375 + 0.2 x 0.375 + 0.25 x 0.5 + 0.25 x 0.5)) = round(43.75) = 44.
        #expect(HealthWeightTests.score([0.30, 0.20, 0.25, 0.25]) == 44)
        // Only proportions count: the same weights times 10^300 or 10^-300 give the same score.
        #expect(HealthWeightTests.score([0.30e300, 0.20e300, 0.25e300, 0.25e300]) == 44)
        #expect(HealthWeightTests.score([0.30e-300, 0.20e-300, 0.25e-300, 0.25e-300]) == 44)
    }

    @Test(arguments: [
        [0, 0, 0, 0], [1e308, 1e308, 1e308, 1e308], [.greatestFiniteMagnitude, 0, 0, 0], [1e308, 0.3, 0.2, 1e-320],
        [.leastNonzeroMagnitude, 0, 0, 0], [.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0, 1],
    ] as [[Double]])
    func hostileWeightsGiveAScoreOrNone(_ weights: [Double]) {
        for components in [HealthWeightTests.components, [1, 1, 1, 1], [0, 0, 0, 0], [nil, nil, 1, 0], [nil, nil, nil, nil]] {
            let score = HealthWeightTests.score(weights, components)
            #expect(score.map { (0...100).contains($0) } ?? true, "\(weights) \(components)")
        }
        // With every weight zero nothing is weighed, so there is no score rather than a made-up one.
        #expect((HealthWeightTests.score(weights) == nil) == weights.allSatisfy { $0 == 0 })
    }

    @Test func oneHugeWeightDecides() {
        #expect(HealthWeightTests.score([1e308, 1e308, 0, 0]) == 38)  // mood and energy, 0.375 each
        #expect(HealthWeightTests.score([0, 0, 1e308, 1e-308]) == 50)
        #expect(HealthWeightTests.score([.greatestFiniteMagnitude, 1, 1, 1], [1, 0, 0, 0]) == 100)
    }

    /// The same through a whole digest, for every audience, with weights as the settings file gives them.
    @Test func aDigestWithHugeWeightsHasAScore() throws {
        let scratch = Scratch()
        let team = try TeamJournal(scratch: scratch)
        for slug in ["alice", "bob", "carol"] { try team.person(slug) }
        for slug in ["alice", "bob", "carol"] { try team.oneOnOne(slug, "2026-11-17T10:00:00", mood: 4, energy: 3) }
        try team.kudos(["alice"], "2026-11-18T10:00:00")
        let settings = ".rapport/journal.yml"
        for weights in [("1e308", "1e308", "1e308", "1e308"), ("0", "0", "0", "0"), ("0", "0", "1.7976931348623157e308", "1e308")] {
            let text = try String(contentsOfFile: team.journal.root + "/" + settings, encoding: .utf8)
                .replacingOccurrences(of: #"health_weights:(\n  \w+: \S+)+"#, with: """
                    health_weights:
                      mood: \(weights.0)
                      energy: \(weights.1)
                      cadence: \(weights.2)
                      recognition: \(weights.3)
                    """, options: .regularExpression)
            try team.handWritten(settings, text, at: "2026-11-20T10:00:00")
            let journal = try Journal.open(at: team.journal.root)
            #expect(journal.config.healthWeights.cadence == Double(weights.2))
            for audience in Audience.allCases {
                let report = try Digest.build(journal: journal, period: team.week("2026-W47"), audience: audience,
                                              now: team.instant("2026-11-28T12:00:00"))
                let expected: Int? = switch weights.0 {
                // Mood 0.75, energy 0.5, cadence 1, recognition 1/3.
                case "1e308": audience == .self ? 65 : 67  // equal weights: self 2.5833 / 4, the others 1.3333 / 2
                case "0" where weights.2 == "0": nil
                default: 76  // cadence and recognition only, 1.7977 : 1: (1.7977 + 1/3) / 2.7977
                }
                #expect(report.health.score == expected, "\(weights) \(audience)")
                #expect(report.trend.allSatisfy { $0.score.map { (0...100).contains($0) } ?? true })
                // The points the digest shows are finite and add up to the score: every format renders.
                let points = report.weightRows.compactMap(\.points)
                #expect(points.allSatisfy { $0.isFinite })
                if let score = expected { #expect(abs(points.reduce(0, +) - Double(score)) <= 0.5, "\(points)") }
                for format in DigestFormat.allCases { #expect(!(try report.render(format, templates: journal.templates)).isEmpty) }
                #expect(report.json().contains("\"points\""))
            }
        }
    }
}
