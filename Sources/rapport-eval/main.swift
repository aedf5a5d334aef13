import Evaluation
import Foundation

/// `make eval`: the digest's signals against the ground truth of generated years
/// (docs/Evaluation.md). Prints the table for noise 0.20, 0.33 and the default 0.25, and ends
/// with the summary line over the default noise, which scripts read.
let usage = """
    Usage: rapport-eval [--seeds N] [--noise X] [--jobs N] [--details]
      --seeds N   seeds 1...N (default 20)
      --noise X   only this noise level (default: 0.20, 0.33, then 0.25)
      --jobs N    worlds evaluated at once (default: 2, or 1 on one core)
      --details   list the missed episodes and the false alarms of the last noise level first
    """

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

var seedCount = 20
var noises = [0.20, 0.33, WorldOptions.defaultNoise]
var jobs = min(2, ProcessInfo.processInfo.activeProcessorCount)
var details = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--seeds":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 1 else {
            fail("--seeds needs a whole number from 1.\n\(usage)", status: 64)
        }
        seedCount = value
    case "--noise":
        guard let value = arguments.popFirst().flatMap(Double.init), (0...1).contains(value) else {
            fail("--noise needs a number from 0 to 1.\n\(usage)", status: 64)
        }
        noises = [value]
    case "--jobs":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 1 else {
            fail("--jobs needs a whole number from 1.\n\(usage)", status: 64)
        }
        jobs = value
    case "--details":
        details = true
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("Unknown argument '\(argument)'.\n\(usage)", status: 64)
    }
}

let seeds = (1...seedCount).map(UInt64.init)
var rows: [ScoreTable.Row] = []
for noise in noises {
    let started = Date()
    do {
        let score = try SignalEvaluation.score(seeds: seeds, noise: noise, jobs: jobs)
        rows.append(ScoreTable.Row(noise: noise, seeds: seeds.count, score: score))
    } catch {
        fail("Error: \(error.localizedDescription)", status: 1)
    }
    let seconds = Date().timeIntervalSince(started)
    FileHandle.standardError.write(Data(String(format: "noise %.2f: %d worlds in %.1f s\n", noise, seeds.count, seconds).utf8))
}
if details, let last = rows.last?.score {
    print("Lapses: \(last.unrecordedVacations) of \(last.vacations) vacation weeks not in away:, \(last.slippedMeetings) one-on-ones moved 1-6 days")
    let byNoise = Evaluator.judgedKinds.map { "\($0.rawValue) \(last.explainedByNoiseByKind[$0] ?? 0)" }.joined(separator: ", ")
    print("Alarms only an episode the noise made explains (counted as explained): \(byNoise)")
    if let most = last.mostRepeated {
        let episode = most.episode
        print("Most repeated episode: seed \(most.seed)  \(episode.kind.rawValue)  \(episode.person)  \(episode.observable)..\(episode.end)"
            + "  \(episode.injected ? "injected" : "noise")  \(most.weeks) weeks")
    }
    if let run = last.longestFalseRun {
        print("Longest false run: seed \(run.seed)  \(run.kind.rawValue)  \(run.person)  w\(run.firstWeek)-w\(run.firstWeek + run.weeks - 1)")
    }
    print("Missed episodes (seed, kind, person, observable..end):")
    for miss in last.misses {
        let episode = miss.episode
        print("  \(miss.seed)  \(episode.kind.rawValue)  \(episode.person)  \(episode.observable)..\(episode.end)")
    }
    print("False alarms (seed, week, kind, signal, evidence; * where a stretch the generator did not inject meets the definition):")
    for alarm in last.falseAlarms {
        let evidence = alarm.signal.evidence.map(\.description).joined(separator: ",")
        let mark = alarm.meetsDefinition ? " *" : ""
        print("  \(alarm.seed)  w\(alarm.alarm.week)  \(alarm.alarm.kind.rawValue)\(mark)  \(alarm.signal.detail)  [\(evidence)]")
    }
    print()
}
print(ScoreTable.render(rows))
if let last = rows.last { print(ScoreTable.summary(last.score)) }
