import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditServer

/// `portal-audit serve`: the dashboard and the JSON API over the history database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a live dashboard and a JSON API (/api/v1/) over the history database.",
        discussion: """
            Read-only: pages for the latest run, each run, portal and rule, reports made on demand.
            Listens on loopback by default; any other address needs --token-file (a bearer token, or the
            password of basic auth in a browser).
            """)

    @OptionGroup var database: DatabaseOptions
    var db: String { database.db }

    @Option(help: ArgumentHelp("Address to listen on (HOST:PORT; [IPv6]:PORT).", valueName: "address"))
    var listen: String = "127.0.0.1:8080"

    @OptionGroup var server: ServeOptions

    func run() async throws {
        let history = try database.history()
        if !history.isPostgres && !FileManager.default.fileExists(atPath: db) {
            printError(NoHistoryDatabase(path: db).description)
            throw ExitStatus.badInput
        }
        let configuration = try server.configuration(history: history, listen: listen, option: "--listen")
        do {
            try await DashboardServer.run(configuration, handleSignals: true) { address in
                printError("portal-audit: serving http://\(address)/ (history \(history.shown))")
            }
        } catch let error as InputIssues {
            for issue in error.issues { printError(issue.description) }
            throw ExitStatus.badInput
        } catch {
            printError("portal-audit: serve (\(configuration.listen), history \(history.shown)): \(error)")
            throw ExitStatus.internalError
        }
    }
}

/// The dashboard's token and language (`serve`, and `monitor --serve`).
struct ServeOptions: ParsableArguments {
    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "File holding the access token (16+ characters); required to listen beyond loopback.",
            valueName: "file"))
    var tokenFile: String?

    @Option(help: "Language of the pages: vi or en.")
    var lang: Language = .vi

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp(
            "Seconds a connection may stay open with no request before the server closes it.", valueName: "seconds"))
    var idleTimeout: Int = 30

    /// The checked configuration; every problem printed and exit 64 when there are any.
    func configuration(history: HistoryDatabase, listen: String, option: String) throws -> ServeConfiguration {
        switch ListenAddress.parse(listen) {
        case .failure(let error):
            printError("<command line>: error: \(option): \(error)")
            throw ExitStatus.badInput
        case .success(let address):
            var (token, problems) = ServeConfiguration.validate(listen: address, option: option, tokenFile: tokenFile)
            if !(1...3_600).contains(idleTimeout) {
                problems.append("--idle-timeout: expected 1 to 3600 seconds, found \(idleTimeout)")
            }
            for problem in problems { printError("<command line>: error: \(problem)") }
            guard problems.isEmpty else { throw ExitStatus.badInput }
            return ServeConfiguration(
                database: history.address, listen: address, token: token, language: lang,
                databasePassword: history.password, idleTimeoutSeconds: idleTimeout)
        }
    }
}
