import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditServer

/// A duration as people write it: `30s`, `5m`, `2h`, `24h`, `7d`.
struct DurationArgument: ExpressibleByArgument, Sendable, Decodable {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        guard let seconds = DurationText.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    /// How `--help` shows a default: as it is written on the command line (`5m`, `24h`).
    var defaultValueDescription: String { DurationText.text(seconds) }
}

/// `portal-audit monitor INVENTORY`: uptime samples, scheduled scans, alerts, metrics — until stopped.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch a fleet: availability samples, a scan on schedule, alerts on state changes, metrics.",
        discussion:
            "Runs until SIGTERM or Ctrl-C; resumes its schedule from the history database after a restart. See docs/uptime.md and docs/deploy/."
    )

    @Argument(help: ArgumentHelp("Inventory file (.yaml or .csv).", valueName: "inventory"))
    var inventory: String

    @Option(
        name: .customLong("uptime-every"),
        help: ArgumentHelp("Time between two samples of one portal (30s, 5m …).", valueName: "duration"))
    var uptimeEvery: DurationArgument = DurationArgument(seconds: 300)

    @Option(
        name: .customLong("scan-every"),
        help: ArgumentHelp("Time between two full scans (24h …).", valueName: "duration"))
    var scanEvery: DurationArgument = DurationArgument(seconds: 86_400)

    @OptionGroup var database: DatabaseOptions
    var db: String { database.db }

    @Option(help: ArgumentHelp("Alert destinations (YAML: webhook, email).", valueName: "file"))
    var alerts: String?

    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp("Write Prometheus metrics here (textfile collector).", valueName: "path"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Profile id or YAML path for every portal (default: by level).", valueName: "id|file"))
    var profile: String?

    @Option(help: "Portals scanned at the same time during a scheduled scan.")
    var concurrency: Int = 32

    @Option(
        help: ArgumentHelp(
            "Also serve the dashboard and /api/v1/ over the history at this address (HOST:PORT).",
            valueName: "address"))
    var serve: String?

    @OptionGroup var server: ServeOptions

    @OptionGroup var probe: ProbeOptionsGroup

    func run() async throws {
        let history = try database.history()
        let dashboard = try serve.map { try server.configuration(history: history, listen: $0, option: "--serve") }
        let runner = AuditRunner(profileLoader: probe.profileLoader)
        if ProcessInfo.processInfo.environment["PORTAL_AUDIT_LOOPBACK_ONLY"] == "1" { runner.restrictToLoopback(true) }
        let monitor = MonitorRunner(scanner: FleetScanner(runner: runner))
        let scan = ScanRequest(
            inventory: inventory, profile: profile, concurrency: concurrency, database: db, probe: probe.probeOptions,
            caFile: probe.caFile, uptimeInterval: uptimeEvery.seconds, databasePassword: history.password)
        let request = MonitorRequest(
            scan: scan, uptimeEvery: uptimeEvery.seconds, scanEvery: scanEvery.seconds, alertsFile: alerts,
            metricsFile: metricsFile)
        let prepared = try await exitingOnError { try await monitor.prepare(request) }
        printError(
            "monitor: \(prepared.scan.inventory.entries.count) portals, a sample every \(Int(uptimeEvery.seconds)) s, a scan every \(Int(scanEvery.seconds)) s; history: \(history.shown)"
        )
        let task = Task<Void, any Error> {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let dashboard {
                    group.addTask {
                        try await DashboardServer.run(dashboard, handleSignals: false) { address in
                            printError("monitor: serving http://\(address)/")
                        }
                    }
                }
                group.addTask { await monitor.run(prepared) { printError($0) } }
                // Whichever ends first (the monitor stopped, the server could not listen) ends both.
                defer { group.cancelAll() }
                try await group.next()
            }
        }
        let signals = SignalCanceller(task: task, message: "\nmonitor: stopping — finished results are kept")
        let result = await task.result
        signals.stop()
        if case .failure(let error) = result, let dashboard {
            printError("monitor: --serve \(dashboard.listen): \(error)")
            throw ExitStatus.internalError
        }
        printError("monitor: stopped")
    }
}
