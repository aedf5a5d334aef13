import Digest
import Foundation

/// The printed form of scores: a table per noise level, and the one-line summary that
/// `make eval` ends with.
public enum ScoreTable {
    public struct Row: Sendable {
        public let noise: Double
        public let seeds: Int
        public let score: Score

        public init(noise: Double, seeds: Int, score: Score) {
            self.noise = noise
            self.seeds = seeds
            self.score = score
        }
    }

    /// Recall per episode kind with the counts behind it, then the totals; then the false alarms
    /// per signal kind, which is where tuning starts.
    public static func render(_ rows: [Row]) -> String {
        var recall = [["noise", "seeds"] + Episode.Kind.allCases.map(\.label) + ["recall", "false alarms / 20 pw", "precision"]]
        for row in rows {
            let score = row.score
            recall.append([String(format: "%.2f", row.noise), String(row.seeds)]
                + Episode.Kind.allCases.map { kind in
                    let tally = score.recallByKind[kind] ?? Score.Tally()
                    return "\(percent(tally.rate)) \(tally.flagged)/\(tally.total)"
                }
                + [percent(score.recall), String(format: "%.2f", score.falseAlarmsPer20PersonWeeks), percent(score.precision)])
        }
        var alarms = [["noise"] + Evaluator.judgedKinds.map(\.rawValue)
            + ["false", "of them meeting a definition", "alarms", "active person-weeks"]]
        for row in rows {
            let score = row.score
            alarms.append([String(format: "%.2f", row.noise)]
                + Evaluator.judgedKinds.map { String(score.falseAlarmsByKind[$0] ?? 0) }
                + [String(score.falseAlarmCount), String(score.falseMeetingDefinitionByKind.values.reduce(0, +)),
                   String(score.alarms), String(score.activePersonWeeks)])
        }
        var repetition = [["noise", "alarms", "new", "still", "most weeks one episode was reported",
                           "longest weekly run of one person and kind outside any episode"]]
        for row in rows {
            let score = row.score
            repetition.append([String(format: "%.2f", row.noise), String(score.alarms), String(score.alarms - score.stillAlarms),
                               String(score.stillAlarms), String(score.mostRepeated?.weeks ?? 0), String(score.longestFalseRun?.weeks ?? 0)])
        }
        return "Recall of injected episodes by kind (flagged within two weeks of becoming observable), false alarms, precision\n"
            + table(recall)
            + "\nFalse alarms by signal kind (alarms no episode explains; some at a stretch that meets a definition's wording"
            + " without being injected), all seeds together\n"
            + table(alarms)
            + "\nRepetition: alarms whose signals are all still (reported again), weeks of digests per episode, false runs\n"
            + table(repetition)
    }

    /// `eval: recall R% · false alarms F per 20 person-weeks · precision P%`.
    public static func summary(_ score: Score) -> String {
        let falseAlarms = String(format: "%.2f", score.falseAlarmsPer20PersonWeeks)
        return "eval: recall \(percent(score.recall)) · false alarms \(falseAlarms) per 20 person-weeks · precision \(percent(score.precision))"
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", 100 * value)
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
