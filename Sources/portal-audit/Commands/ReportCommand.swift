import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport

/// `portal-audit report`: a stored run, as stored or re-graded with another profile (no traffic).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report a stored run from the history database; --profile re-grades it without new traffic.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("History database.", valueName: "file"))
    var db: String = "portal-audit.sqlite"

    @Option(name: .customLong("run"), help: ArgumentHelp("Run id, or `last`.", valueName: "id|last"))
    var runSelector: String = "last"

    @Option(help: ArgumentHelp("Re-grade with this profile (id or YAML path).", valueName: "id|file"))
    var profile: String?

    @Option(help: "Output format: text (one line per portal) or json.")
    var format: Format = .text

    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    func run() throws {
        var runID: Int64?
        if runSelector != "last" {
            guard let id = Int64(runSelector), id > 0 else {
                printError("<command line>: error: --run: expected a run id or `last`, found '\(runSelector)'")
                throw ExitStatus.badInput
            }
            runID = id
        }
        let document = try exitingOnError { try Regrader().report(database: db, runID: runID, profile: profile) }
        switch format {
        case .json:
            try printJSON(document)
        case .text:
            print(SummaryRenderer(language: lang).render(document), terminator: "")
        }
    }
}
