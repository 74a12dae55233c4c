import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditProbes
import PortalAuditStore
import Synchronization

/// What `portal-audit scan` needs, as parsed from the command line.
public struct ScanRequest: Sendable {
    public var inventory: String
    /// A profile id or YAML path for every portal; `nil`: `vn-level2`.
    public var profile: String?
    public var concurrency: Int
    public var database: String
    /// The PostgreSQL password (`--db-password-file`); libpq's own sources (`PGPASSWORD`, `~/.pgpass`) when `nil`.
    public var databasePassword: String?
    public var resume: Bool
    /// Join run `join`, started elsewhere with `share`: claim its portals with the other scanners.
    public var join: Int64?
    /// Offer the new run's portals to scanners that join it (`--workers`, `--share`).
    public var share: Bool
    public var probe: ProbeOptions
    public var caFile: String?
    /// The monitor's sampling interval, for the uptime figure judged by `availability.uptime`.
    public var uptimeInterval: Double

    public init(
        inventory: String, profile: String? = nil, concurrency: Int = 32, database: String = "portal-audit.sqlite",
        resume: Bool = false, probe: ProbeOptions, caFile: String? = nil, uptimeInterval: Double = 300,
        databasePassword: String? = nil, join: Int64? = nil, share: Bool = false
    ) {
        self.databasePassword = databasePassword
        self.join = join
        self.share = share
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
        /// The shared run to join (`--join`).
        var joinRun: RunSummary?
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
    /// A portal claim whose heartbeat is older than this goes back to the other scanners of the run.
    static let claimStaleAfter: TimeInterval = 30

    /// PostgreSQL connections for a scan of `concurrency` portals at once: one write per finished portal
    /// and a few reads per portal (its samples, its previous page) need far fewer than one each.
    static func connections(for concurrency: Int) -> Int { min(32, max(2, concurrency / 4)) }

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
    /// The time the scan runs on: its records, its heartbeats, an outage's confirmation.
    let clock: KitClock

    public init(runner: AuditRunner = AuditRunner(), clock: KitClock = .system) {
        self.runner = runner
        self.clock = clock
    }

    /// Validates the inventory, profile, options and database before any traffic.
    ///
    /// - Throws: `InputIssues` (exit 64) listing every problem; `StoreError` when the database cannot be opened.
    /// - Parameter checkLease: refuse a run another live scanner holds (the monitor checks at each round instead).
    /// - Parameter store: the history already open (the monitor's, for each of its scans); else opened here.
    public func prepare(_ request: ScanRequest, checkLease: Bool = true, store open: AuditStore? = nil) async throws
        -> Prepared
    {
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
        if request.join != nil && (request.resume || request.share) {
            issues.append(
                InputIssue(
                    file: "<command line>", field: "--join", problem: "joins a run: not with --resume or --workers"))
        }
        guard issues.isEmpty, let inventory, let profile else { throw InputIssues(issues) }
        try runner.checkTrustStore()
        let (concurrency, note) = Self.clamp(request.concurrency, descriptorLimit: runner.descriptorLimit)
        runner.keepIdleConnections(forSites: concurrency)
        let history = HistoryDatabase(request.database, password: request.databasePassword)
        let store: AuditStore
        if let open {
            store = open
        } else {
            store = try await history.open(
                create: true, connections: Self.connections(for: concurrency),
                identity: .local(vantage: request.probe.vantage))
        }
        var joinRun: RunSummary?
        if let id = request.join {
            joinRun = try await store.run(id)
            var problem: String?
            if let run = joinRun {
                if run.status == .finished { problem = "run \(id) is already finished" }
                if run.profile != profile.reference.label {
                    problem =
                        "run \(id) is judged by \(run.profile), this scanner by \(profile.reference.label) (--profile)"
                }
            } else {
                problem = "no run \(id) in this database"
            }
            if let problem {
                await store.close()
                throw InputIssues([InputIssue(file: history.shown, field: "--join", problem: problem)])
            }
        }
        let resumeRun = request.resume ? try await store.unfinishedRun(inventory: Self.key(request.inventory)) : nil
        if let run = resumeRun, checkLease,
            let holder = try await store.liveHolder(
                run: run.id, other: Self.lease, staleAfter: Self.staleAfter, isAlive: Self.isAlive)
        {
            await store.close()
            throw InputIssues([
                InputIssue(
                    file: history.shown, field: "--resume",
                    problem: RunLeaseConflict(run: run.id, holder: holder).description)
            ])
        }
        return Prepared(
            inventory: inventory, profile: profile, levelProfiles: levelProfiles, store: store, request: request,
            resumeRun: resumeRun, joinRun: joinRun, concurrency: concurrency, concurrencyNote: note)
    }

    /// The inventory's identity in history: its absolute path.
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Scans every portal not yet done in this run; each result is saved the moment it is ready.
    ///
    /// Cancelling the calling task stops the scan: in-flight portals are cancelled and not saved,
    /// the run is marked interrupted, and `--resume` continues it later.
    /// - Parameter onStart: told the run's id once its portals can be claimed (before any is scanned).
    public func scan(
        _ prepared: Prepared, onStart: @Sendable (Int64) -> Void = { _ in },
        onEvent: @escaping @Sendable (ScanEvent) -> Void
    ) async throws -> ScanSummary {
        let clock = self.clock
        let started = clock.now()
        let store = prepared.store
        let socketsBefore = runner.socketsOpened
        let runID: Int64
        var done: Set<String> = []
        let lease = Self.lease
        // A shared run's portals are claimed from the database, a batch at a time, with its other scanners.
        let shared = prepared.joinRun != nil || prepared.request.share
        // Who holds the run's own lease: whoever started or resumed it (a joiner only holds portal claims).
        let holdsRun = prepared.joinRun == nil
        let holder = "\(lease.host) \(lease.pid) \(lease.holder)"
        if let run = prepared.joinRun {
            runID = run.id
            done = try await store.finishedURLs(run: run.id)
        } else if let run = prepared.resumeRun {
            if let holder = try await store.claim(
                run: run.id, for: lease, staleAfter: Self.staleAfter, isAlive: Self.isAlive)
            {
                throw RunLeaseConflict(run: run.id, holder: holder)
            }
            runID = run.id
            done = try await store.finishedURLs(run: run.id)
        } else {
            runID = try await store.startRun(
                inventory: Self.key(prepared.request.inventory), profile: prepared.profile.reference.label,
                planned: prepared.inventory.entries.count, at: clock.now(), lease: lease)
        }
        if prepared.request.share {
            try await store.offer(prepared.inventory.targets.map(\.url), run: runID, at: clock.now())
        } else if prepared.joinRun != nil {
            // Joined the moment the run was started: its portals are being offered.
            let deadline = clock.now().addingTimeInterval(60)
            while try await store.run(runID)?.shared != true {
                guard clock.now() < deadline else { throw NotSharedRun(run: runID) }
                try await clock.sleep(.milliseconds(200))
            }
        }
        onStart(runID)
        let source: PortalSource
        if shared {
            let byURL = Dictionary(
                prepared.inventory.targets.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
            source = .claims { limit in
                let urls = try await store.claimPortals(
                    run: runID, holder: holder, limit: limit, staleAfter: Self.claimStaleAfter)
                return try urls.map { url in
                    guard let target = byURL[url] else { throw UnknownSharedPortal(run: runID, url: url) }
                    return target
                }
            }
        } else {
            source = .list(prepared.inventory.targets.filter { !done.contains($0.url) })
        }
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
        // Set by the heartbeat when another scanner has taken the run over: the next portal finished here is
        // not saved, and the scan stops (what it saved before stays).
        let leaseLost = LeaseLostFlag()

        await withTaskGroup(of: Void.self) { beat in
            // The lease's heartbeat (and the portal claims'), for as long as the scan runs.
            beat.addTask {
                while !Task.isCancelled {
                    do {
                        try await clock.sleep(shared ? Self.heartbeatEvery / 2 : Self.heartbeatEvery)
                        if holdsRun, try await !store.heartbeat(run: runID, lease: lease) {
                            leaseLost.set()
                            return
                        }
                        if shared { try await store.renewClaims(run: runID, holder: holder) }
                    } catch is CancellationError {
                        return
                    } catch {
                        // A missed heartbeat only ages the lease; the next one renews it.
                        continue
                    }
                }
            }
            func saved(_ site: SiteResult) {
                finished += 1
                scanned += 1
                counts.add(site.verdict)
                onEvent(
                    ScanEvent(
                        done: finished, total: total, counts: counts, site: site,
                        elapsed: .seconds(clock.now().timeIntervalSince(started))))
            }
            let judge: @Sendable (Target, SiteProber.Outcome) async throws -> SiteResult = { target, outcome in
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
                if leaseLost.isSet { throw RunLeaseLost(run: runID) }
                return AuditRunner.judge(target: target, outcome: outcome, profile: judge, now: now)
            }
            func failed(_ error: any Error) {
                // Ctrl-C cancels the history reads and writes in flight (GRDB throws CancellationError or
                // interrupts the statement): that is the interruption itself, never a failure of the scan.
                if !(error is CancellationError) && !Task.isCancelled { saveError = error }
            }
            func scanSome() async {
                await scanPending(
                    source, prober: prober, store: store, runID: runID, concurrency: prepared.concurrency,
                    saved: saved, judge: judge, failed: failed)
            }
            await scanSome()
            // Portals other scanners still hold: wait for them, and take over those of a scanner that died.
            while shared && saveError == nil && !Task.isCancelled {
                do {
                    if try await store.unclaimedCount(run: runID) == 0 { break }
                    try await store.releaseDeadClaims(run: runID, host: lease.host, isAlive: Self.isAlive)
                    try await clock.sleep(.seconds(1))
                } catch {
                    failed(error)
                    break
                }
                await scanSome()
            }
            beat.cancelAll()
        }
        let interrupted = Task.isCancelled || saveError != nil
        if shared {
            if interrupted { try await store.releaseClaims(run: runID, holder: holder) }
            let complete = try await store.finishIfComplete(run: runID, at: clock.now())
            if interrupted && holdsRun && !complete {
                try await store.endRun(runID, status: .interrupted, at: clock.now(), lease: lease)
            }
        } else {
            try await store.endRun(
                runID, status: interrupted ? .interrupted : .finished, at: clock.now(), lease: lease)
        }
        if let saveError { throw saveError }
        counts = try await store.verdictCounts(run: runID)
        return ScanSummary(
            runID: runID, planned: total, scanned: scanned, resumedFrom: done.count, counts: counts,
            interrupted: interrupted, elapsed: .seconds(clock.now().timeIntervalSince(started)),
            connections: runner.socketsOpened - socketsBefore)
    }

    /// Where a scan's portals come from: the inventory's list, or claims on a shared run (`limit` at a time).
    enum PortalSource: Sendable {
        case list([Target])
        case claims(@Sendable (_ limit: Int) async throws -> [Target])
    }
    /// What a slot of the scan ended with.
    private enum Finished: Sendable {
        /// A portal judged, to save.
        case judged(SiteResult)
        /// Nothing answered: ask again once `due`.
        case silent(Target, SiteProber.Outcome, due: Date)
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
        _ source: PortalSource, prober: SiteProber, store: AuditStore, runID: Int64, concurrency: Int,
        saved: (SiteResult) -> Void,
        judge: @escaping @Sendable (Target, SiteProber.Outcome) async throws -> SiteResult,
        failed: (any Error) -> Void
    ) async {
        let options = prober.options
        let clock = self.clock
        await withTaskGroup(of: Result<Finished, any Error>?.self) { group in
            var queue: [Target] = []
            var head = 0
            var exhausted = false
            if case .list(let targets) = source {
                queue = targets
                exhausted = true
            }
            var stopped = false
            var running = 0
            var waiting: [(target: Target, first: SiteProber.Outcome, due: Date)] = []
            var sleeping = false
            func outcome(_ finished: () async throws -> Finished) async -> Result<Finished, any Error>? {
                if Task.isCancelled { return nil }
                do { return .success(try await finished()) } catch { return .failure(error) }
            }
            func launch() -> Bool {
                guard !Task.isCancelled, !stopped else { return false }
                if let index = waiting.firstIndex(where: { $0.due <= clock.now() }) {
                    let (target, first, _) = waiting.remove(at: index)
                    group.addTask {
                        let second = await prober.probe(target)
                        if let failure = second.localFailure { return .failure(LocalResourceError(failure: failure)) }
                        let waited = options.confirmOutagesAfterSeconds
                        return await outcome {
                            .judged(
                                try await judge(
                                    target, OutageConfirmation.merge(first: first, second: second, waited: waited)))
                        }
                    }
                } else if head < queue.count {
                    let target = queue[head]
                    head += 1
                    group.addTask {
                        let first = await prober.probe(target)
                        if let failure = first.localFailure { return .failure(LocalResourceError(failure: failure)) }
                        if OutageConfirmation.needed(first, options) {
                            return .success(
                                .silent(
                                    target, first,
                                    due: clock.now().addingTimeInterval(Double(options.confirmOutagesAfterSeconds))))
                        }
                        return await outcome { .judged(try await judge(target, first)) }
                    }
                } else {
                    // Only portals waiting for their second attempt are left: wake when the first is due.
                    if let due = waiting.map(\.due).min(), !sleeping {
                        sleeping = true
                        group.addTask {
                            try? await clock.sleep(until: due)
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
            // A shared run's next claims, once fewer portals are left here than slots.
            func topUp() async {
                guard case .claims(let claim) = source, !exhausted, !stopped, queue.count - head < concurrency else {
                    return
                }
                do {
                    let more = try await claim(concurrency)
                    if more.isEmpty { exhausted = true }
                    queue = Array(queue[head...]) + more
                    head = 0
                } catch {
                    stopped = true
                    failed(error)
                    group.cancelAll()
                }
            }
            await topUp()
            fill()
            while let result = await group.next() {
                guard !stopped, let result else { continue }
                do {
                    switch try result.get() {
                    case .judged(let site):
                        running -= 1
                        try await store.save(site, run: runID, at: clock.now())
                        saved(site)
                    case .silent(let target, let first, let due):
                        running -= 1
                        waiting.append((target, first, due))
                    case .due:
                        sleeping = false
                    }
                    await topUp()
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

/// `--join` of a run whose portals were never offered (it was not started with `--workers`).
public struct NotSharedRun: Error, Sendable, CustomStringConvertible {
    public var run: Int64

    public var description: String {
        "run \(run) is not shared: start a run with --workers N for other scanners to --join it"
    }
}

/// A shared run offered a portal this scanner's inventory does not have (`--join` with another inventory).
public struct UnknownSharedPortal: Error, Sendable, CustomStringConvertible {
    public var run: Int64
    public var url: String

    public var description: String {
        "run \(run) offers \(url), which is not in this scanner's inventory: join with the inventory the run was started with"
    }
}

/// Whether this scanner's lease was taken over, shared by its heartbeat and its scanning tasks.
final class LeaseLostFlag: Sendable {
    private let flag = Mutex(false)

    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}

/// Another scanner took the run over while this one scanned it (this one's heartbeat had stopped for
/// longer than a lease lasts: a paused VM, a network cut): this one stops, keeping what it saved.
public struct RunLeaseLost: Error, Sendable, CustomStringConvertible {
    public var run: Int64

    public var description: String {
        "run \(run) was taken over by another scanner while this one was scanning it (its heartbeat had gone "
            + "unanswered too long): this scanner stopped; the results it saved are kept, the other finishes the run"
    }
}

/// Another live scanner holds the run (`--resume` while the nightly timer or the monitor scans it).
public struct RunLeaseConflict: Error, Sendable, CustomStringConvertible {
    public var run: Int64
    public var holder: LeaseHolder

    public var description: String {
        let age = max(0, Int(holder.age))
        return
            "run \(run) is being scanned now by process \(holder.pid) on \(holder.host) (last heartbeat \(age) s ago); "
            + "wait for it to end, or stop it and then --resume"
    }
}
