import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport

/// `portal-audit history [TARGET]`: a portal's verdicts over time, from the history database.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show portals' verdicts over time from the history database.")

    @Argument(help: ArgumentHelp("A portal's URL, or part of it (all portals when omitted).", valueName: "target"))
    var target: String?

    @OptionGroup var database: DatabaseOptions
    var db: String { database.db }

    @Option(help: ArgumentHelp("Only results observed on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    func run() async throws {
        var sinceDate: Date?
        if let since {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: since) else {
                printError("<command line>: error: --since: expected a date YYYY-MM-DD, found '\(since)'")
                throw ExitStatus.badInput
            }
            sinceDate = date
        }
        let request = HistoryRequest(
            database: db, target: target, since: sinceDate, databasePassword: try database.history().password)
        let (portals, unmonitored) = try await exitingOnError { try await HistoryReader.readWithGaps(request) }
        print(HistoryRenderer.render(portals, language: lang, unmonitored: unmonitored), terminator: "")
    }
}
