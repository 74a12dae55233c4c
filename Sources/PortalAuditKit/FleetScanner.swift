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
    public var counts: VerdictSummary
    public var site: SiteResult
    public var elapsed: Duration
}

/// How a scan ended.
public struct ScanSummary: Sendable {
    public var runID: Int64
    public var planned: Int
    /// Portals scanned by this invocation (`counts` covers the whole run).
    public var scanned: Int
    /// Portals skipped because an earlier attempt of the same run already has them.
    public var resumedFrom: Int
    public var counts: VerdictSummary
    public var interrupted: Bool
    public var elapsed: Duration
    public var connections: Int
}

/// Scans a fleet: bounded concurrency, results written to history as they arrive, resumable.
/// An unfinished run a scan continues.
public struct ResumedRun: Sendable, Equatable {
    public var id: Int64
    /// Portals already stored.
    public var done: Int
    public var planned: Int
}

public struct FleetScanner: Sendable {
    public struct Prepared: Sendable {
        public var inventory: Inventory
        /// The run's default profile (`--profile`, else vn-level2).
        public var profile: Profile
        /// The profile judging each approved level, when `--profile` is not given (`vn-level1` … `vn-level5`).
        public var levelProfiles: [Int: Profile]
        var store: AuditStore
        public var request: ScanRequest
        /// The unfinished run to continue, when resuming.
        var resumeRun: RunSummary?
        /// The unfinished run `--resume` continues, if any.
        public var resuming: ResumedRun? {
            resumeRun.map { ResumedRun(id: $0.id, done: $0.done, planned: $0.planned) }
        }
        /// Portals scanned at once: `--concurrency`, lowered to what the descriptor limit allows.
        public var concurrency: Int
        /// Said once when `--concurrency` was lowered.
        public var concurrencyNote: String?
    }

    /// This scanner's lease on the runs it scans.
    static let lease = RunLease(holder: UUID().uuidString, host: hostName(), pid: Int(getpid()))
    /// A lease whose heartbeat is older than this is stale (a scanner on another host that died).
    static let staleAfter: TimeInterval = 60
    static let heartbeatEvery: Duration = .seconds(10)

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether process `pid` of this host still runs.
    @Sendable static func isAlive(_ pid: Int) -> Bool {
        kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    /// Descriptors one portal may hold at once (its probe chains, one spare), and those kept for the
    /// rest of the process (the history, the connection cache, standard streams).
    static let descriptorsPerSite = ProbeOptions.maxConnectionsPerSite + 1
    static let descriptorReserve = 128

    /// The concurrency the descriptor limit allows for `requested`, and a note when it is lower.
    public static func clamp(_ requested: Int, descriptorLimit: Int) -> (Int, String?) {
        let allowed = max(1, (descriptorLimit - descriptorReserve) / descriptorsPerSite)
        guard requested > allowed else { return (requested, nil) }
        return (
            allowed,
            "scan: --concurrency \(requested) lowered to \(allowed): this process may open \(descriptorLimit) files "
                + "(ulimit -n) and each portal needs up to \(descriptorsPerSite)"
        )
    }

    let runner: AuditRunner

    public init(runner: AuditRunner = AuditRunner()) { self.runner = runner }

    /// Validates the inventory, profile, options and database before any traffic.
    ///
    /// - Throws: `InputIssues` (exit 64) listing every problem; `StoreError` when the database cannot be opened.
    /// - Parameter checkLease: refuse a run another live scanner holds (the monitor checks at each round instead).
    public func prepare(_ request: ScanRequest, checkLease: Bool = true) throws -> Prepared {
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
        let check = CheckRequest(
            targets: [], profile: request.profile ?? "vn-level2", probe: request.probe, caFile: request.caFile)
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
        try runner.checkTrustStore()
        let store = try AuditStore(path: request.database)
        let resumeRun = request.resume ? try store.unfinishedRun(inventory: Self.key(request.inventory)) : nil
        if let run = resumeRun, checkLease,
            let holder = try store.liveHolder(
                run: run.id, other: Self.lease, now: Date(), staleAfter: Self.staleAfter, isAlive: Self.isAlive)
        {
            throw InputIssues([
                InputIssue(
                    file: request.database, field: "--resume",
                    problem: RunLeaseConflict(run: run.id, holder: holder).description)
            ])
        }
        let (concurrency, note) = Self.clamp(request.concurrency, descriptorLimit: runner.descriptorLimit)
        return Prepared(
            inventory: inventory, profile: profile, levelProfiles: levelProfiles, store: store, request: request,
            resumeRun: resumeRun, concurrency: concurrency, concurrencyNote: note)
    }

    /// The inventory's identity in history: its absolute path.
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Scans every portal not yet done in this run; each result is saved the moment it is ready.
    ///
    /// Cancelling the calling task stops the scan: in-flight portals are cancelled and not saved,
    /// the run is marked interrupted, and `--resume` continues it later.
    public func scan(_ prepared: Prepared, onEvent: @escaping @Sendable (ScanEvent) -> Void) async throws -> ScanSummary
    {
        let clock = ContinuousClock()
        let started = clock.now
        let store = prepared.store
        let socketsBefore = runner.socketsOpened
        let runID: Int64
        var done: Set<String> = []
        let lease = Self.lease
        if let run = prepared.resumeRun {
            if let holder = try await store.claim(
                run: run.id, for: lease, now: Date(), staleAfter: Self.staleAfter, isAlive: Self.isAlive)
            {
                throw RunLeaseConflict(run: run.id, holder: holder)
            }
            runID = run.id
            done = try store.finishedURLs(run: run.id)
        } else {
            runID = try await store.startRun(
                inventory: Self.key(prepared.request.inventory), profile: prepared.profile.reference.label,
                planned: prepared.inventory.entries.count, at: Date(), lease: lease)
        }
        let pending = prepared.inventory.targets.filter { !done.contains($0.url) }
        var options = prepared.request.probe
        options.authorised = options.authorised || prepared.inventory.authorised
        options.authorisation = prepared.inventory.authorisation
        let prober = SiteProber(options: options)
        let profile = prepared.profile
        let levelProfiles = prepared.levelProfiles
        let uptimeInterval = prepared.request.uptimeInterval
        let total = prepared.inventory.entries.count
        var counts = VerdictSummary()
        var finished = done.count
        var scanned = 0
        var saveError: (any Error)?

        await withTaskGroup(of: Void.self) { beat in
            // The lease's heartbeat, for as long as the scan runs.
            beat.addTask {
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: Self.heartbeatEvery)
                        _ = try await store.heartbeat(run: runID, lease: lease, at: Date())
                    } catch is CancellationError {
                        return
                    } catch {
                        // A missed heartbeat only ages the lease; the next one renews it.
                        continue
                    }
                }
            }
            await scanPending(
                pending, prober: prober, store: store, runID: runID, concurrency: prepared.concurrency
            ) { site in
                finished += 1
                scanned += 1
                counts.add(site.verdict)
                onEvent(
                    ScanEvent(done: finished, total: total, counts: counts, site: site, elapsed: clock.now - started))
            } judge: { target, outcome in
                // Uptime comes from the monitor's samples in history, never from this one check.
                var outcome = outcome
                let now = outcome.observedAt
                let samples = try await store.samples(url: target.url, since: now.addingTimeInterval(-30 * 86_400))
                if !samples.isEmpty {
                    outcome.observation.uptime = UptimeAccounting.facts(
                        samples, interval: uptimeInterval, windowHours: 720, now: now)
                }
                // The home page against the previous scan's, and the scans before it (a page restored after a
                // defacement is one seen before), for content.defacement.
                if let current = outcome.observation.content?.fingerprint {
                    let earlier = try await store.previousFingerprints(
                        url: target.url, before: runID, limit: PageChange.scansCompared)
                    if let (previous, at) = earlier.first {
                        outcome.observation.change = PageChange.between(
                            previous, at: at, and: current, earlier: earlier.dropFirst().map(\.fingerprint))
                    }
                }
                let judge = target.level.flatMap { levelProfiles[$0] } ?? profile
                return AuditRunner.judge(target: target, outcome: outcome, profile: judge, now: now)
            } failed: { error in
                // Ctrl-C cancels the history reads and writes in flight (GRDB throws CancellationError or
                // interrupts the statement): that is the interruption itself, never a failure of the scan.
                if !(error is CancellationError) && !Task.isCancelled { saveError = error }
            }
            beat.cancelAll()
        }
        let interrupted = Task.isCancelled || saveError != nil
        try store.endRun(runID, status: interrupted ? .interrupted : .finished, at: Date(), lease: lease)
        if let saveError { throw saveError }
        counts = try store.verdictCounts(run: runID)
        return ScanSummary(
            runID: runID, planned: total, scanned: scanned, resumedFrom: done.count, counts: counts,
            interrupted: interrupted, elapsed: clock.now - started, connections: runner.socketsOpened - socketsBefore)
    }

    /// What a slot of the scan ended with.
    private enum Finished: Sendable {
        /// A portal judged, to save.
        case judged(SiteResult)
        /// Nothing answered: ask again once `due`.
        case silent(Target, SiteProber.Outcome, due: ContinuousClock.Instant)
        /// The wait for the next second attempt is over.
        case due
    }

    /// Probes `pending` with at most `concurrency` at once, judging and saving each as it finishes.
    ///
    /// A portal where nothing answered waits outside the slots and is asked again once its confirmation
    /// time has come (`ProbeOptions.confirmOutagesAfterSeconds`), ahead of new portals. The first error
    /// (a save that failed, the machine out of descriptors) stops the scan: in-flight portals are
    /// cancelled and not saved, and `failed` hears of it once.
    private func scanPending(
        _ pending: [Target], prober: SiteProber, store: AuditStore, runID: Int64, concurrency: Int,
        saved: (SiteResult) -> Void,
        judge: @escaping @Sendable (Target, SiteProber.Outcome) async throws -> SiteResult,
        failed: (any Error) -> Void
    ) async {
        let options = prober.options
        let clock = ContinuousClock()
        await withTaskGroup(of: Result<Finished, any Error>?.self) { group in
            var next = pending.makeIterator()
            var stopped = false
            var running = 0
            var waiting: [(target: Target, first: SiteProber.Outcome, due: ContinuousClock.Instant)] = []
            var sleeping = false
            func outcome(_ finished: () async throws -> Finished) async -> Result<Finished, any Error>? {
                if Task.isCancelled { return nil }
                do { return .success(try await finished()) } catch { return .failure(error) }
            }
            func launch() -> Bool {
                guard !Task.isCancelled, !stopped else { return false }
                if let index = waiting.firstIndex(where: { $0.due <= clock.now }) {
                    let (target, first, _) = waiting.remove(at: index)
                    group.addTask {
                        let second = await prober.probe(target)
                        if let failure = second.localFailure { return .failure(LocalResourceError(failure: failure)) }
                        return await outcome {
                            .judged(try await judge(target, OutageConfirmation.merge(first: first, second: second)))
                        }
                    }
                } else if let target = next.next() {
                    group.addTask {
                        let first = await prober.probe(target)
                        if let failure = first.localFailure { return .failure(LocalResourceError(failure: failure)) }
                        if OutageConfirmation.needed(first, options) {
                            return .success(
                                .silent(target, first, due: clock.now + .seconds(options.confirmOutagesAfterSeconds)))
                        }
                        return await outcome { .judged(try await judge(target, first)) }
                    }
                } else {
                    // Only portals waiting for their second attempt are left: wake when the first is due.
                    if let due = waiting.map(\.due).min(), !sleeping {
                        sleeping = true
                        group.addTask {
                            try? await Task.sleep(until: due, clock: clock)
                            return Task.isCancelled ? nil : .success(.due)
                        }
                    }
                    return false
                }
                running += 1
                return true
            }
            func fill() {
                while running < concurrency && launch() {}
            }
            fill()
            while let result = await group.next() {
                guard !stopped, let result else { continue }
                do {
                    switch try result.get() {
                    case .judged(let site):
                        running -= 1
                        try await store.save(site, run: runID, at: Date())
                        saved(site)
                    case .silent(let target, let first, let due):
                        running -= 1
                        waiting.append((target, first, due))
                    case .due:
                        sleeping = false
                    }
                    fill()
                } catch {
                    stopped = true
                    failed(error)
                    group.cancelAll()
                }
            }
        }
    }
}

/// Another live scanner holds the run (`--resume` while the nightly timer or the monitor scans it).
public struct RunLeaseConflict: Error, Sendable, CustomStringConvertible {
    public var run: Int64
    public var holder: LeaseHolder

    public var description: String {
        let age = max(0, Int(Date().timeIntervalSince(holder.heartbeat)))
        return
            "run \(run) is being scanned now by process \(holder.pid) on \(holder.host) (last heartbeat \(age) s ago); "
            + "wait for it to end, or stop it and then --resume"
    }
}
