import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport

/// `portal-audit profiles list | show ID | explain RULE | validate FILE | doc`.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List, show, explain and validate security-level profiles.",
        subcommands: [List.self, Show.self, Explain.self, Validate.self, Doc.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shipped profiles.")
        @Option(help: "Language: vi or en.") var lang: Language = .vi

        func run() throws {
            print(
                ProfileRenderer(language: lang).list(try exitingOnError { try ProfileCatalog().shipped() }),
                terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a profile's effective rules after extends, with where each value came from.")
        @Argument(help: ArgumentHelp("Profile id or YAML path.", valueName: "id|file")) var profile: String
        @Option(help: "Language: vi or en.") var lang: Language = .vi

        func run() throws {
            let resolved = try exitingOnError { try ProfileCatalog().profile(profile) }
            print(ProfileRenderer(language: lang).show(resolved), terminator: "")
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain a rule: meaning, parameters, advice and every shipped profile's citation.")
        @Argument(help: ArgumentHelp("Rule id, e.g. tls.min-version.", valueName: "rule")) var rule: String
        @Option(help: "Language: vi or en.") var lang: Language = .vi

        func run() throws {
            let catalog = ProfileCatalog()
            let descriptor = try exitingOnError { try catalog.rule(rule) }
            print(
                ProfileRenderer(language: lang).explain(
                    descriptor, profiles: try exitingOnError { try catalog.shipped() }), terminator: "")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a profile file; every problem as file:line:column: field: problem (exit 64).")
        @Argument(help: ArgumentHelp("Profile YAML file.", valueName: "file")) var file: String

        func run() throws {
            let profile = try exitingOnError { try ProfileCatalog().profile(file) }
            print("\(file): ok — \(profile.reference.label), \(profile.rules.count) rules")
        }
    }

    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print docs/rules.md (the rule table generated from the catalogue and the shipped profiles).")

        func run() throws {
            print(
                ProfileRenderer.rulesDocument(profiles: try exitingOnError { try ProfileCatalog().shipped() }),
                terminator: "")
        }
    }
}
