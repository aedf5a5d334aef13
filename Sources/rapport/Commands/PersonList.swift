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
            let shown = people.filter { !active || $0.isActive }
                .sorted { ($0.isActive ? 0 : 1, $0.slug) < ($1.isActive ? 0 : 1, $1.slug) }
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
                let status = person.isActive ? "active" : "left" + (person.left.map { " \($0)" } ?? "")
                rows.append([person.slug.value, person.name, person.role ?? "-", person.team ?? "-",
                             person.cadence(default: journal.config.defaultCadence).description,
                             person.isActive ? status : style.dim(status)])
            }
            print(Output.table(rows))
        }
    }
}
