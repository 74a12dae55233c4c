import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditProbes
import PortalAuditReport

/// `portal-audit check TARGET…`: grade one portal (or a few) now, in the terminal or as JSON.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Audit one portal now and grade it against its profile.",
        discussion: "Example: portal-audit check https://xa-abc.tinh.gov.vn --lang en")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("Host name or URL of the portal (several allowed).", valueName: "target"))
    var targets: [String]

    @Option(help: ArgumentHelp("Profile id (vn-level2) or path to a profile YAML.", valueName: "id|file"))
    var profile: String = "vn-level2"

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Report language: vi or en.")
    var lang: Language = .vi

    @Option(
        name: .customLong("http-port"),
        help: ArgumentHelp("Port where the HTTP→HTTPS redirect is checked (default 80).", valueName: "port"))
    var httpPort: Int?

    @OptionGroup var probe: ProbeOptionsGroup

    /// `check` looks at one portal closely: every accepted suite is listed.
    private func enumerating(_ options: ProbeOptions) -> ProbeOptions {
        var options = options
        options.enumerateSuites = true
        return options
    }

    func run() async throws {
        let runner = AuditRunner(profileLoader: probe.profileLoader)
        if ProcessInfo.processInfo.environment["PORTAL_AUDIT_LOOPBACK_ONLY"] == "1" {
            runner.restrictToLoopback(true)
        }
        let request = CheckRequest(
            targets: targets, httpPort: httpPort, profile: profile, probe: enumerating(probe.probeOptions),
            caFile: probe.caFile)
        let prepared = try exitingOnError { try runner.prepare(request) }
        try exitingOnError { try runner.checkTrustStore() }
        let document: ReportDocument
        do {
            let vi = lang == .vi
            document = try await runner.run(
                prepared,
                onRetry: { target, seconds in
                    printError(
                        vi
                            ? "\(target.host): không phản hồi; thử lại sau \(seconds) giây để xác nhận (--confirm-after 0: không thử lại)"
                            : "\(target.host): no answer; asking again in \(seconds) s to confirm (--confirm-after 0: no second attempt)"
                    )
                })
        } catch {
            printError("portal-audit: \(error)")
            throw ExitStatus.internalError
        }
        switch format {
        case .json:
            try printJSON(document)
        case .text:
            let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let renderer = TerminalRenderer(language: lang, colour: colour, grading: prepared.profile.grading)
            print(renderer.render(document), terminator: "")
        }
        if document.sites.contains(where: { $0.verdict == .fail }) { throw ExitStatus.failed }
    }
}

extension Language: ExpressibleByArgument {}
