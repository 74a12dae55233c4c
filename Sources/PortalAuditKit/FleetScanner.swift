import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditProbes
import PortalAuditStore

/// What `portal-audit scan` needs, as parsed from the command line.
public struct ScanRequest: Sendable {
    public var inventory: String
    /// A profile id or YAML path for every portal; `nil`: `vn-level2`.
    public var profile: String?
    public var concurrency: Int
    public var database: String
    public var resume: Bool
    public var probe: ProbeOptions
    public var caFile: String?
    /// The monitor's sampling interval, for the uptime figure judged by `availability.uptime`.
    public var uptimeInterval: Double

    public init(
        inventory: String, profile: String? = nil, concurrency: Int = 32, database: String = "portal-audit.sqlite",
        resume: Bool = false, probe: ProbeOptions, caFile: String? = nil, uptimeInterval: Double = 300
    ) {
        self.uptimeInterval = uptimeInterval
        self.inventory = inventory
        self.profile = profile
        self.concurrency = concurrency
        self.database = database
        self.resume = resume
        self.probe = probe
        self.caFile = caFile
    }
}

/// One portal finished (or the scan's state changed), for progress displays.
public struct ScanEvent: Sendable {
    public var done: Int
    public var total: Int
    public var counts: VerdictCounts
    public var site: SiteResult
    public var elapsed: Duration
}

/// Running counts of verdicts.
public struct VerdictCounts: Sendable, Equatable {
    public var pass = 0
    public var warn = 0
    public var incomplete = 0
    public var fail = 0

    public init() {}

    mutating func add(_ verdict: Verdict) {
        switch verdict {
        case .pass: pass += 1
        case .warn: warn += 1
        case .incomplete: incomplete += 1
        case .fail: fail += 1
        }
    }
}

/// How a scan ended.
public struct ScanSummary: Sendable {
    public var runID: Int64
    public var planned: Int
    /// Portals scanned by this invocation (`counts` covers the whole run).
    public var scanned: Int
    /// Portals skipped because an earlier attempt of the same run already has them.
    public var resumedFrom: Int
    public var counts: VerdictCounts
    public var interrupted: Bool
    public var elapsed: Duration
    public var connections: Int
}

/// Scans a fleet: bounded concurrency, results written to history as they arrive, resumable.
public struct FleetScanner: Sendable {
    public struct Prepared: Sendable {
        public var inventory: Inventory
        /// The run's default profile (`--profile`, else vn-level2).
        public var profile: Profile
        /// The profile judging each approved level, when `--profile` is not given (`vn-level1` … `vn-level5`).
        public var levelProfiles: [Int: Profile]
        public var store: AuditStore
        public var request: ScanRequest
        /// The unfinished run to continue, when resuming.
        public var resumeRun: RunSummary?
    }

    let runner: AuditRunner

    public init(runner: AuditRunner = AuditRunner()) { self.runner = runner }

    /// Validates the inventory, profile, options and database before any traffic.
    ///
    /// - Throws: `InputIssues` (exit 64) listing every problem; `StoreError` when the database cannot be opened.
    public func prepare(_ request: ScanRequest) throws -> Prepared {
        var issues: [InputIssue] = []
        var inventory: Inventory?
        do {
            inventory = try Inventory.load(request.inventory)
        } catch {
            issues.append(contentsOf: error.issues)
        }
        if !(1...4096).contains(request.concurrency) {
            issues.append(InputIssue(file: "<command line>", field: "--concurrency", problem: "expected 1…4096"))
        }
        let check = CheckRequest(targets: [], profile: request.profile ?? "vn-level2", probe: request.probe, caFile: request.caFile)
        var profile: Profile?
        do {
            profile = try runner.prepare(check).profile
        } catch {
            issues.append(contentsOf: error.issues)
        }
        var levelProfiles: [Int: Profile] = [:]
        if request.profile == nil, let inventory {
            for level in Set(inventory.targets.compactMap(\.level)).sorted() {
                do {
                    levelProfiles[level] = try runner.profileLoader.load("vn-level\(level)")
                } catch {
                    issues.append(contentsOf: error.issues)
                }
            }
        }
        guard issues.isEmpty, let inventory, let profile else { throw InputIssues(issues) }
        let store = try AuditStore(path: request.database)
        let resumeRun = request.resume ? try store.unfinishedRun(inventory: Self.key(request.inventory)) : nil
        return Prepared(
            inventory: inventory, profile: profile, levelProfiles: levelProfiles, store: store, request: request,
            resumeRun: resumeRun)
    }

    /// The inventory's identity in history: its absolute path.
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Scans every portal not yet done in this run; each result is saved the moment it is ready.
    ///
    /// Cancelling the calling task stops the scan: in-flight portals are cancelled and not saved,
    /// the run is marked interrupted, and `--resume` continues it later.
    public func scan(_ prepared: Prepared, onEvent: @escaping @Sendable (ScanEvent) -> Void) async throws -> ScanSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let store = prepared.store
        let socketsBefore = runner.socketsOpened
        let runID: Int64
        var done: Set<String> = []
        if let run = prepared.resumeRun {
            runID = run.id
            done = try store.finishedURLs(run: run.id)
        } else {
            runID = try await store.startRun(
                inventory: Self.key(prepared.request.inventory), profile: prepared.profile.reference.label,
                planned: prepared.inventory.entries.count, at: Date())
        }
        let pending = prepared.inventory.targets.filter { !done.contains($0.url) }
        var options = prepared.request.probe
        options.authorised = options.authorised || prepared.inventory.authorised
        let prober = SiteProber(options: options)
        let profile = prepared.profile
        let levelProfiles = prepared.levelProfiles
        let uptimeInterval = prepared.request.uptimeInterval
        let total = prepared.inventory.entries.count
        var counts = VerdictCounts()
        var finished = done.count
        var scanned = 0
        var saveError: (any Error)?

        await withTaskGroup(of: SiteResult?.self) { group in
            var next = pending.makeIterator()
            func launch() -> Bool {
                guard !Task.isCancelled, let target = next.next() else { return false }
                group.addTask {
                    var outcome = await prober.probe(target)
                    if Task.isCancelled { return nil }
                    // Uptime comes from the monitor's samples in history, never from this one check.
                    let now = Date()
                    if let samples = try? store.samples(url: target.url, since: now.addingTimeInterval(-30 * 86_400)), !samples.isEmpty {
                        outcome.observation.uptime = UptimeAccounting.facts(
                            samples, interval: uptimeInterval, windowHours: 720, now: now)
                    }
                    let judge = target.level.flatMap { levelProfiles[$0] } ?? profile
                    return AuditRunner.judge(target: target, outcome: outcome, profile: judge, now: Date())
                }
                return true
            }
            for _ in 0..<prepared.request.concurrency where !launch() { break }
            while let result = await group.next() {
                if let site = result, saveError == nil {
                    do {
                        try await store.save(site, run: runID, at: Date())
                        finished += 1
                        scanned += 1
                        counts.add(site.verdict)
                        onEvent(ScanEvent(done: finished, total: total, counts: counts, site: site, elapsed: clock.now - started))
                    } catch {
                        saveError = error
                        group.cancelAll()
                    }
                }
                if saveError == nil { _ = launch() }
            }
        }
        let interrupted = Task.isCancelled || saveError != nil
        try store.endRun(runID, status: interrupted ? .interrupted : .finished, at: Date())
        if let saveError { throw saveError }
        let stored = try store.verdictCounts(run: runID)
        counts = VerdictCounts()
        counts.pass = stored[.pass] ?? 0
        counts.warn = stored[.warn] ?? 0
        counts.incomplete = stored[.incomplete] ?? 0
        counts.fail = stored[.fail] ?? 0
        return ScanSummary(
            runID: runID, planned: total, scanned: scanned, resumedFrom: done.count, counts: counts,
            interrupted: interrupted, elapsed: clock.now - started, connections: runner.socketsOpened - socketsBefore)
    }
}
