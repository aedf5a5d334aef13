import ArgumentParser
import Journal

extension Rapport {
    struct TemplatesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "templates",
            abstract: "List the journal's own templates, or trust them so they are used.",
            discussion: """
                A template in .rapport/templates/ came with the journal, from whoever can push to its \
                remote, and it renders your private notes. rapport uses one only when this clone trusts \
                its exact contents; one that changed since (a pull, an edit) is reported and the \
                built-in template is used until you read it and trust it again.
                """,
            subcommands: [List.self, Trust.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "The journal's templates and whether each is trusted.")

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let overrides = try global.openJournal().templates.overrides
                guard !overrides.isEmpty else {
                    print("The journal has no templates of its own (\(Templates.folder)); the built-in ones are used.")
                    return
                }
                print(Output.table(overrides.map { template in
                    [template.path, template.isTrusted ? "trusted" : template.refusal.map { "unusable: \($0)" } ?? "not trusted: the built-in is used"]
                }))
            }
        }

        struct Trust: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "trust", abstract: "Trust the journal's templates you name, as they are now.")

            @Argument(help: ArgumentHelp("Templates to trust, such as digest.html, once you have read them.", valueName: "name"), completion: Completions.templates)
            var names: [String] = []

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let trusted = try global.openJournal().trustTemplates(names)
                for template in trusted { print("Trusted \(template.path) (blob \(template.blob?.prefix(10) ?? "?")).") }
            }
        }
    }
}
