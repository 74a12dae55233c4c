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
            Several scanners can share one run (PostgreSQL, or SQLite on one machine): `--workers N` starts
            N scanner processes here; `--join RUN` adds a scanner elsewhere, with the same inventory.
            Each portal is scanned once; a scanner that dies gives its portals back.
            """)

    @Argument(help: ArgumentHelp("Inventory file (.yaml or .csv).", valueName: "inventory"))
    var inventory: String

    @Option(help: ArgumentHelp("Profile id or YAML path for every portal (default vn-level2).", valueName: "id|file"))
    var profile: String?

    @Option(
        help: ArgumentHelp(
            "Portals scanned at the same time (a portal far away waits on round trips, not on this machine: "
                + "128 keeps a fleet behind 50 ms of latency at about 40 portals/s on two cores)."))
    var concurrency: Int = 32

    @OptionGroup var database: DatabaseOptions
    var db: String { database.db }

    @Flag(help: "Continue the last unfinished run of this inventory instead of starting a new one.")
    var resume = false

    @Option(help: ArgumentHelp("Join this run, started with --workers, as one more scanner.", valueName: "run"))
    var join: Int64?

    @Option(help: "Scanner processes sharing the run on this machine (others may --join it).")
    var workers: Int = 1

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
            probe: probe.probeOptions, caFile: probe.caFile, databasePassword: try database.history().password,
            join: join, share: workers > 1)
        guard (1...64).contains(workers) else {
            printError("<command line>: error: --workers: expected 1…64")
            throw ExitStatus.badInput
        }
        let prepared = try await exitingOnError { try await scanner.prepare(request) }
        if let note = prepared.concurrencyNote { printError(note) }
        if let run = prepared.resuming {
            printError("scan: resuming run \(run.id) (\(run.done) of \(run.planned) portals already done)")
        } else if resume {
            printError("scan: no unfinished run of this inventory; starting a new one")
        }
        let progress = ProgressDisplay(tty: isatty(STDERR_FILENO) == 1)
        let workers = Workers(count: workers - 1)
        let task = Task {
            try await scanner.scan(prepared, onStart: { workers.start(joining: $0) }) { progress.show($0) }
        }
        let signals = SignalCanceller(task: task)
        let summary: ScanSummary
        do {
            summary = try await task.value
            workers.stop(if: summary.interrupted)
            try workers.wait()
        } catch let conflict as RunLeaseConflict {
            workers.stop(if: true)
            progress.finish()
            printError("portal-audit: \(conflict)")
            throw ExitStatus.badInput
        } catch let lost as RunLeaseLost {
            workers.stop(if: true)
            progress.finish()
            printError("portal-audit: \(lost)")
            throw ExitStatus.interrupted
        } catch let failure as WorkerFailure {
            progress.finish()
            printError("portal-audit: \(failure)")
            throw ExitStatus.internalError
        } catch {
            workers.stop(if: true)
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
                try database.history().shown))
        if let out, !summary.interrupted {
            let formats = report.formats.isEmpty ? [ReportFormat.html, .json, .csv] : report.formats
            try await writeReports(
                ReportRequest(
                    database: db, runID: summary.runID, formats: formats, language: report.lang, outDirectory: out,
                    form: report.form, databasePassword: try database.history().password))
        }
        if summary.interrupted { throw ExitCode(130) }
        if c.fail > 0 { throw ExitStatus.failed }
    }
}

/// The other scanner processes of `scan --workers N`: this command again, joined to the run.
final class Workers: Sendable {
    private let count: Int
    private let processes = Mutex<[Process]>([])

    init(count: Int) { self.count = count }

    /// Starts the workers once the run exists: the same arguments, `--join RUN` for `--workers` (and no
    /// `--out`: the reports are written once, here).
    func start(joining run: Int64) {
        guard count > 0 else { return }
        var arguments: [String] = []
        var skip = false
        for argument in CommandLine.arguments.dropFirst() {
            if skip {
                skip = false
                continue
            }
            if argument == "--workers" || argument == "--out" || argument == "--resume" {
                skip = argument != "--resume"
                continue
            }
            if argument.hasPrefix("--workers=") || argument.hasPrefix("--out=") { continue }
            arguments.append(argument)
        }
        arguments += ["--join", String(run)]
        processes.withLock { processes in
            for _ in 0..<count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                process.arguments = arguments
                do {
                    try process.run()
                    processes.append(process)
                } catch {
                    printError("scan: cannot start a worker: \(error)")
                }
            }
        }
    }

    /// Stops the workers (SIGTERM: they keep what finished and give their portals back) when `stopping`.
    func stop(if stopping: Bool) {
        guard stopping else { return }
        processes.withLock { $0.filter(\.isRunning).forEach { $0.terminate() } }
    }

    /// Waits for every worker; a worker that ended other than with a verdict (0 or 1) is a failure.
    func wait() throws {
        let all = processes.withLock { $0 }
        var failures: [String] = []
        for process in all {
            process.waitUntilExit()
            let status = process.terminationStatus
            if process.terminationReason == .uncaughtSignal || ![0, 1, 130].contains(status) {
                failures.append("pid \(process.processIdentifier) ended with \(status)")
            }
        }
        if !failures.isEmpty { throw WorkerFailure(description: "scan workers: " + failures.joined(separator: ", ")) }
    }
}

/// A worker of `scan --workers` that did not end well (the run is finished by the others, or resumable).
struct WorkerFailure: Error, CustomStringConvertible {
    var description: String
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
