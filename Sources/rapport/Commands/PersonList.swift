import ArgumentParser
import Journal

extension Rapport {
    struct PersonList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List people, active first.")

        @Flag(help: "Only people who are active.")
        var active = false

        @OptionGroup var output: JSONFlag
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let journal = try global.openJournal()
            let (people, problems) = journal.reader.people()
            Output.warnSkipped(problems)
            let today = journal.today
            // Active first, then those yet to start, then those who left.
            func rank(_ person: Person) -> Int {
                switch person.standing(on: today) { case .active: 0; case .starts: 1; case .left: 2 }
            }
            let shown = people.filter { !active || rank($0) == 0 }.sorted { (rank($0), $0.slug) < (rank($1), $1.slug) }
            if output.json {
                print(JSONOutput.string(shown.map { $0.json(defaultCadence: journal.config.defaultCadence) }))
                return
            }
            guard !shown.isEmpty else {
                print("No people yet. Add one with: rapport person add SLUG --name \"Full Name\"")
                return
            }
            let style = global.style
            var rows = [["SLUG", "NAME", "ROLE", "TEAM", "CADENCE", "STATUS"].map(style.bold)]
            for person in shown {
                let status = Output.standing(person.standing(on: today))
                rows.append([person.slug.value, person.name, person.role ?? "-", person.team ?? "-",
                             person.cadence(default: journal.config.defaultCadence).description,
                             rank(person) == 0 ? status : style.dim(status)])
            }
            print(Output.table(rows))
        }
    }
}
