import Foundation
import Journal

/// Builds a `World` from its options alone: the same options always give the same world.
/// Independent of `rapport demo` on purpose, so tuning the demo never moves the yardstick.
public enum WorldGenerator {
    public static func generate(_ options: WorldOptions) throws(EvaluationError) -> World {
        try options.validate()
        // Two streams: the structure (people, schedules, episodes) and the wobble of scores, so
        // the noise level changes nothing but which scores are one point off.
        var random = SplitMix64(seed: options.seed ^ 0x243F_6A88_85A3_08D3)
        var wobble = SplitMix64(seed: options.seed ^ 0x1319_8A2E_0370_7344)
        // A third: the manager's lapses (vacations left out of `away:`, moved one-on-ones), so
        // adding them draws nothing else differently.
        var calendar = SplitMix64(seed: options.seed ^ 0x082E_FA98_EC4E_6C89)
        var team = try makeTeam(options, &random)
        for index in team.indices { team[index].placeVacations(options, &random, &calendar) }
        // Missed stretches change the schedule of one-on-ones, so they are planned before it;
        // slumps and overloads are runs of scheduled one-on-ones, so they come after it.
        for kind in [Episode.Kind.missedCadence, .recognitionGap] { inject(kind, into: &team, options, &random) }
        for index in team.indices { team[index].scheduleMeetings(options, &random, &calendar) }
        for kind in [Episode.Kind.moodSlump, .energySlump, .overload] { inject(kind, into: &team, options, &random) }
        for index in team.indices { team[index].scheduleRecognitions(options, &random) }
        let people = team.map { draft in
            SimulatedPerson(slug: draft.slug, name: draft.name, cadence: draft.cadence, started: draft.started, left: draft.left,
                            usual: draft.usual, recognizedRarely: draft.recognizedRarely, vacations: draft.vacations,
                            recordedVacations: draft.recordedVacations, slippedMeetings: draft.slips,
                            meetings: draft.meetings(noise: options.noise, &wobble), recognitions: draft.recognitions,
                            injections: draft.injections)
        }
        let episodes = people.flatMap { GroundTruth.episodes(of: $0, options: options) }.sorted {
            ($0.observable, $0.person, $0.kind) < ($1.observable, $1.person, $1.kind)
        }
        return World(options: options, people: people, episodes: episodes)
    }

    /// The kind's rate of episodes, each at a random person who can take one; a person is
    /// tried again elsewhere in their history, up to 40 tries an episode.
    private static func inject(_ kind: Episode.Kind, into team: inout [PersonDraft], _ options: WorldOptions,
                               _ random: inout SplitMix64) {
        let personYears = Double(options.people * options.evaluatedWeeks) / 52
        let wanted = Int(((options.episodeRates[kind] ?? 0) * personYears).rounded())
        var placed = 0
        for _ in 0..<(wanted * 40) where placed < wanted {
            let index = random.int(in: 0...(team.count - 1))
            if plan(kind, for: &team[index], options, &random) { placed += 1 }
        }
    }

    private static func plan(_ kind: Episode.Kind, for draft: inout PersonDraft, _ options: WorldOptions,
                             _ random: inout SplitMix64) -> Bool {
        switch kind {
        case .missedCadence: return draft.planMissedCadence(options, &random)
        case .recognitionGap: return draft.planRecognitionGap(options, &random)
        // A slump is two points below usual: only visible, and only kind, from a usual of 3 up.
        case .moodSlump: return draft.usual.mood >= 3 && draft.planRun(kind, options, &random)
        case .energySlump: return draft.usual.energy >= 3 && draft.planRun(kind, options, &random)
        case .overload: return draft.planRun(kind, options, &random)
        }
    }

    static let firstNames = [
        "Avery", "Bruno", "Chiara", "Dev", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi", "Luca",
        "Mei", "Nils", "Oksana", "Pavel", "Quinn", "Rosa", "Sanjay", "Tove", "Umar", "Vera", "Wen", "Yusuf",
    ]
    static let lastNames = ["Adeyemi", "Berg", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gupta", "Haddad", "Ito",
                            "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov"]

    /// Half the team meets weekly, a third every two weeks, a sixth monthly; one joins during the
    /// evaluated year and another leaves; about one in six is recognized only every 4-5 weeks.
    /// Usual scores lean to the good side, as real teams' do; a usual workload is 2 or 3, so a 4
    /// is a real step up (and two wobbles up in a row are an overload by definition).
    static func makeTeam(_ options: WorldOptions, _ random: inout SplitMix64) throws(EvaluationError) -> [PersonDraft] {
        let count = options.people
        let cadences = random.shuffled((0..<count).map { index -> Cadence in
            switch index % 6 {
            case 0, 1, 2: .weekly
            case 3, 4: .biweekly
            default: .monthly
            }
        })
        let order = random.shuffled(Array(0..<count))
        let joiner = order[0]
        let leaver = order[1]
        let rarely = Set(random.shuffled(Array(0..<count)).prefix(max(1, count / 6)))
        var team: [PersonDraft] = []
        for index in 0..<count {
            let first = firstNames[index % firstNames.count]
            let round = index / firstNames.count
            let text = first.lowercased() + (round == 0 ? "" : String(round + 1))
            guard let slug = try? Slug(validating: text) else { throw .options("'\(text)' is not a slug.") }
            let cadence = cadences[index]
            let step = cadence == .weekly ? 7 : cadence == .biweekly ? 14 : 28
            let started = index == joiner
                ? options.weekStart(random.int(in: 6...30))
                : options.historyStart.adding(days: -random.int(in: 60...1500))
            let left = index == leaver ? options.weekStart(random.int(in: 20...44)).adding(days: 4) : nil
            let usual = Scores(mood: random.pick([2, 3, 3, 4, 4, 4, 5]), energy: random.pick([2, 3, 3, 4, 4, 5]),
                               workload: random.pick([2, 3, 3]))
            team.append(PersonDraft(
                slug: slug, name: "\(first) \(random.pick(lastNames))", cadence: cadence, step: step,
                weekday: random.int(in: 0...4), phase: random.int(in: 0...(step / 7 - 1)), started: started, left: left,
                usual: usual, recognizedRarely: rarely.contains(index), recognitionInterval: random.pick([14, 21, 28])))
        }
        return team
    }
}
