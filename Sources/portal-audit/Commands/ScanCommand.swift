import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import Synchronization

/// `portal-audit scan INVENTORY`: a whole fleet, concurrently, into the SQLite history.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan every portal of an inventory (YAML or CSV) and keep the results in the history database.",
        discussion: """
            Results are committed as each portal finishes: Ctrl-C (or SIGTERM) keeps what finished, and
            `--resume` continues the interrupted run without scanning finished portals again.
            """)

    @Argument(help: ArgumentHelp("Inventory file (.yaml or .csv).", valueName: "inventory"))
    var inventory: String

    @Option(help: ArgumentHelp("Profile id or YAML path for every portal (default vn-level2).", valueName: "id|file"))
    var profile: String?

    @Option(help: "Portals scanned at the same time.")
    var concurrency: Int = 32

    @Option(help: ArgumentHelp("History database.", valueName: "file"))
    var db: String = "portal-audit.sqlite"

    @Flag(help: "Continue the last unfinished run of this inventory instead of starting a new one.")
    var resume = false

    @Option(help: ArgumentHelp("Write reports of the run to this folder when the scan ends.", valueName: "dir"))
    var out: String?

    @OptionGroup var report: ReportOptions

    @OptionGroup var probe: ProbeOptionsGroup

    func run() async throws {
        let runner = AuditRunner(profileLoader: probe.profileLoader)
        if ProcessInfo.processInfo.environment["PORTAL_AUDIT_LOOPBACK_ONLY"] == "1" { runner.restrictToLoopback(true) }
        let scanner = FleetScanner(runner: runner)
        let request = ScanRequest(
            inventory: inventory, profile: profile, concurrency: concurrency, database: db, resume: resume,
            probe: probe.probeOptions, caFile: probe.caFile)
        let prepared = try exitingOnError { try scanner.prepare(request) }
        if let note = prepared.concurrencyNote { printError(note) }
        if let run = prepared.resuming {
            printError("scan: resuming run \(run.id) (\(run.done) of \(run.planned) portals already done)")
        } else if resume {
            printError("scan: no unfinished run of this inventory; starting a new one")
        }
        let progress = ProgressDisplay(tty: isatty(STDERR_FILENO) == 1)
        let task = Task { try await scanner.scan(prepared) { progress.show($0) } }
        let signals = SignalCanceller(task: task)
        let summary: ScanSummary
        do {
            summary = try await task.value
        } catch let conflict as RunLeaseConflict {
            progress.finish()
            printError("portal-audit: \(conflict)")
            throw ExitStatus.badInput
        } catch {
            progress.finish()
            printError("portal-audit: \(error)")
            throw ExitStatus.internalError
        }
        signals.stop()
        progress.finish()
        let c = summary.counts
        let seconds = Double(summary.elapsed.components.seconds) + Double(summary.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(summary.scanned) / seconds : 0
        printError(
            String(
                format:
                    "scan: run %lld %@ — %d/%d portals: pass %d, warn %d, incomplete %d, fail %d; %d scanned now in %.1f s (%.1f/s, %.1f connections each); history: %@",
                summary.runID, summary.interrupted ? "INTERRUPTED (finish it with --resume)" : "finished",
                c.pass + c.warn + c.incomplete + c.fail, summary.planned, c.pass, c.warn, c.incomplete, c.fail,
                summary.scanned, seconds, rate,
                summary.scanned > 0 ? Double(summary.connections) / Double(summary.scanned) : 0,
                db))
        if let out, !summary.interrupted {
            let formats = report.formats.isEmpty ? [ReportFormat.html, .json, .csv] : report.formats
            try writeReports(
                ReportRequest(
                    database: db, runID: summary.runID, formats: formats, language: report.lang, outDirectory: out,
                    form: report.form))
        }
        if summary.interrupted { throw ExitCode(130) }
        if c.fail > 0 { throw ExitStatus.failed }
    }
}

/// The scan's progress on stderr: one live line on a terminal, a plain line per portal otherwise.
final class ProgressDisplay: Sendable {
    private let tty: Bool
    private let lastWidth = Mutex(0)

    init(tty: Bool) { self.tty = tty }

    func show(_ event: ScanEvent) {
        let seconds = Double(event.elapsed.components.seconds) + Double(event.elapsed.components.attoseconds) / 1e18
        if tty {
            let rate = seconds > 0 ? Double(event.done) / seconds : 0
            let remaining = rate > 0 ? Int(Double(event.total - event.done) / rate) : 0
            let c = event.counts
            let line = String(
                format: "[%d/%d] pass %d · warn %d · incomplete %d · fail %d · %.1f/s · ETA %d:%02d",
                event.done, event.total, c.pass, c.warn, c.incomplete, c.fail, rate, remaining / 60, remaining % 60)
            lastWidth.withLock { width in
                FileHandle.standardError.write(
                    Data(("\r" + line + String(repeating: " ", count: max(0, width - line.count))).utf8))
                width = line.count
            }
        } else {
            let site = event.site
            // One line per portal for logs (stable tokens): required failures apart from recommendations.
            func unmet(_ requirement: Requirement) -> String {
                site.findings.filter { $0.status == .fail && $0.requirement == requirement }.map(\.rule)
                    .joined(separator: ",")
            }
            let required = unmet(.required)
            let recommended = unmet(.recommended)
            printError(
                "[\(event.done)/\(event.total)] \(site.verdict.rawValue) \(site.grade) \(site.score) \(site.target.url) \(site.durationMS)ms"
                    + (required.isEmpty ? "" : " required-not-met: \(required)")
                    + (recommended.isEmpty ? "" : " recommendations-not-met: \(recommended)"))
        }
    }

    func finish() {
        if tty { lastWidth.withLock { if $0 > 0 { FileHandle.standardError.write(Data("\n".utf8)) } } }
    }
}

/// Turns SIGINT and SIGTERM into cancelling the scan task (the first signal; a second one kills).
final class SignalCanceller {
    private let sources: [any DispatchSourceSignal]

    init<T: Sendable>(
        task: Task<T, any Error>,
        message: String = "\nscan: stopping — portals in flight are cancelled, finished ones are kept"
    ) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                printError(message)
                task.cancel()
                signal(number, SIG_DFL)
            }
            source.resume()
            return source
        }
    }

    func stop() { sources.forEach { $0.cancel() } }
}
