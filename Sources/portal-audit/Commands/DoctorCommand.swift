import ArgumentParser
import Foundation
import PortalAuditKit

/// `portal-audit doctor`: checks what the tool relies on here and says what to fix; exit 0 only when all
/// is well (a missing Chromium is a warning: only PDF needs it).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this machine: CA store, libcurl, history database, Chromium, clock, descriptor limit.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The --concurrency you plan to scan with.", valueName: "n"))
    var concurrency: Int = 32

    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp(
            "A file holding a secret (token, password, alerts) that only its owner should read; repeatable. The installed service's (/etc/portal-audit/dashboard.token, alerts.yaml) and --db-password-file are checked anyway.",
            valueName: "file"))
    var secrets: [String] = []

    func run() async throws {
        var checks = await Doctor.run(database: try database.history(), concurrency: concurrency)
        checks += Doctor.secretFiles(secrets + (database.dbPasswordFile.map { [$0] } ?? []) + Doctor.deployedSecrets)
        for check in checks {
            let mark =
                switch check.outcome {
                case .ok: "✔"
                case .warning: "!"
                case .problem: "✘"
                }
            print("\(mark) \(check.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(check.detail)")
        }
        if checks.contains(where: { $0.outcome == .problem }) {
            print("doctor: fix the ✘ lines above")
            throw ExitStatus.failed
        }
        print("doctor: all is well")
    }
}
