import ArgumentParser
import Foundation
import Journal

extension Rapport {
    struct PersonCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "person",
            abstract: "Add, list, show, edit, mark away or as left the people you have one-on-ones with.",
            subcommands: [PersonAdd.self, PersonList.self, PersonShow.self, PersonEdit.self, PersonAway.self, PersonLeave.self])
    }
}
