import Foundation
import GRDB
import PortalAuditCore

/// One scan run as the history keeps it.
public struct RunSummary: Sendable, Equatable {
    /// How a run ended.
    public enum Status: String, Sendable {
        /// Still scanning, or killed without a chance to say so.
        case running
        /// Every portal of the inventory has a result.
        case finished
        /// Stopped by the user (Ctrl-C, SIGTERM) before the end.
        case interrupted
    }

    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: Status
    public var inventory: String
    public var profile: String
    public var planned: Int
    public var done: Int
}

/// One portal's verdict in one run (a line of `portal-audit history`).
public struct HistoryEntry: Sendable, Equatable {
    public var runID: Int64
    public var url: String
    public var name: String?
    public var observedAt: Date
    public var verdict: Verdict
    public var score: Int
    public var grade: String
    public var profile: String
    public var failedRules: [String]
}

/// Who scans a run: one process on one host, renewed by a heartbeat.
public struct RunLease: Sendable, Equatable {
    /// Unique per process (a UUID), so a restarted scanner never mistakes an old lease for its own.
    public var holder: String
    public var host: String
    public var pid: Int

    public init(holder: String, host: String, pid: Int) {
        self.holder = holder
        self.host = host
        self.pid = pid
    }
}

/// The live holder of a run's lease.
public struct LeaseHolder: Sendable, Equatable {
    public var host: String
    public var pid: Int
    public var heartbeat: Date
}

/// Errors of the history database.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ message: String) { description = message }

    static func wrap(_ error: any Error, _ action: String) -> StoreError {
        StoreError("cannot \(action): \(error)")
    }
}

/// The SQLite history (GRDB, WAL): runs, each portal's raw observation, verdict and findings (compact:
/// see `LeanResult`).
///
/// Every portal's result is committed the moment it is saved, in one transaction, so a killed scan
/// loses only the portals in flight. Observations are stored raw, for re-grading without traffic.
public final class AuditStore: Sendable {
    let pool: DatabasePool

    /// Opens (creating and migrating) the database at `path`.
    public init(path: String) throws(StoreError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try Self.openPool(path: path, configuration: configuration)
            // An existing history with results to convert (not a new file another process is creating).
            let converting = try pool.read { db in
                try !Self.migrator.appliedIdentifiers(db).contains("v4-lean-results") && db.tableExists("portalResult")
                    && Int.fetchOne(db, sql: "SELECT COUNT(*) FROM portalResult") ?? 0 > 0
            }
            try Self.migrate(pool)
            // The lean conversion frees most of an old history's pages: give them back once.
            if converting {
                try pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM; PRAGMA wal_checkpoint(TRUNCATE)") }
            }
            if try pool.read({ try Self.migrator.hasBeenSuperseded($0) }) {
                throw StoreError("\(path) was written by a newer portal-audit; upgrade before writing to it")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrap(error, "open the history database \(path)")
        }
    }

    /// Opens the pool. Switching a new file to WAL does not wait on the busy timeout: when another
    /// process is creating the same history, SQLite answers "database is locked" at once; wait for it.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date(timeIntervalSinceNow: 10)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(20_000)
            }
        }
    }

    /// Runs the migrations. GRDB reads which are applied before it opens each migration's transaction, so a
    /// second process creating the same new history at the same moment fails with "table already exists"
    /// once the first commits: retry for as long as the other writer's progress explains the failure.
    private static func migrate(_ pool: DatabasePool) throws {
        var applied = try pool.read { try migrator.appliedIdentifiers($0) }
        while true {
            do {
                return try migrator.migrate(pool)
            } catch let error as DatabaseError {
                let now = try pool.read { try migrator.appliedIdentifiers($0) }
                guard now.count > applied.count else { throw error }
                applied = now
            }
        }
    }

    /// The migrations this release knows, oldest first; the last is the schema it writes.
    public static var knownSchemas: [String] { migrator.migrations }
    public static var currentSchema: String { migrator.migrations.last ?? "" }

    /// The migrations applied to the database at `path`, read without changing it.
    public static func schema(path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(
                sql: """
                    CREATE TABLE auditRun (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        startedAt DATETIME NOT NULL,
                        finishedAt DATETIME,
                        status TEXT NOT NULL,
                        inventory TEXT NOT NULL,
                        profile TEXT NOT NULL,
                        planned INTEGER NOT NULL,
                        toolVersion TEXT NOT NULL,
                        evaluationVersion INTEGER NOT NULL
                    );
                    CREATE TABLE portalResult (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        runID INTEGER NOT NULL REFERENCES auditRun(id) ON DELETE CASCADE,
                        url TEXT NOT NULL,
                        name TEXT,
                        observedAt DATETIME NOT NULL,
                        verdict TEXT NOT NULL,
                        score INTEGER NOT NULL,
                        grade TEXT NOT NULL,
                        profileID TEXT NOT NULL,
                        profileVersion INTEGER NOT NULL,
                        durationMS INTEGER NOT NULL,
                        connections INTEGER NOT NULL,
                        tlsHandshakes INTEGER NOT NULL,
                        result TEXT NOT NULL,
                        UNIQUE(runID, url)
                    );
                    CREATE INDEX portalResultURL ON portalResult(url, observedAt);
                    CREATE TABLE finding (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        portalResultID INTEGER NOT NULL REFERENCES portalResult(id) ON DELETE CASCADE,
                        rule TEXT NOT NULL,
                        status TEXT NOT NULL,
                        requirement TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        resultCode TEXT NOT NULL,
                        evidence TEXT NOT NULL
                    );
                    CREATE INDEX findingRule ON finding(rule, status);
                    """)
        }
        migrator.registerMigration("v2-uptime-alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE uptimeSample (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        url TEXT NOT NULL,
                        at DATETIME NOT NULL,
                        up BOOLEAN NOT NULL,
                        status INTEGER,
                        totalMS DOUBLE,
                        cause TEXT
                    );
                    CREATE INDEX uptimeSampleURL ON uptimeSample(url, at);
                    CREATE TABLE alertState (
                        url TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        state TEXT NOT NULL,
                        since DATETIME NOT NULL,
                        lastSent DATETIME,
                        PRIMARY KEY (url, kind)
                    );
                    """)
        }
        migrator.registerMigration("v3-run-lease") { db in
            // Who is scanning a run right now: a resume takes over only a run whose lease is stale.
            // The sample index on time alone serves the metrics query and the pruning.
            try db.execute(
                sql: """
                    ALTER TABLE auditRun ADD COLUMN leaseHolder TEXT;
                    ALTER TABLE auditRun ADD COLUMN leaseHost TEXT;
                    ALTER TABLE auditRun ADD COLUMN leasePID INTEGER;
                    ALTER TABLE auditRun ADD COLUMN leaseHeartbeat DATETIME;
                    CREATE INDEX uptimeSampleAt ON uptimeSample(at);
                    """)
        }
        migrator.registerMigration("v4-lean-results") { db in try LeanResult.migrate(db) }
        migrator.registerMigration("v5-dashboard-columns") { db in try LeanResult.addDashboardColumns(db) }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    // MARK: runs

    /// Records the start of a run and returns its id.
    public func startRun(
        inventory: String, profile: String, planned: Int, at date: Date, lease: RunLease? = nil
    ) async throws(StoreError) -> Int64 {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO auditRun (startedAt, status, inventory, profile, planned, toolVersion, evaluationVersion,
                            leaseHolder, leaseHost, leasePID, leaseHeartbeat)
                        VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        date, inventory, profile, planned, PortalAuditVersion.tool, Evaluator.version, lease?.holder,
                        lease?.host, lease?.pid, lease.map { _ in date },
                    ])
                return db.lastInsertedRowID
            }
        } catch {
            throw StoreError.wrap(error, "record the run")
        }
    }

    /// Marks a run finished or interrupted.
    ///
    /// Synchronous on purpose: it runs while the scan is being cancelled, and GRDB's async writes
    /// honour task cancellation (they would refuse to record the interruption itself).
    ///
    /// With `lease`, only while this scanner still holds the run (a scanner whose lease was taken over
    /// never rewrites the run another one finished); the lease is given back.
    public func endRun(_ id: Int64, status: RunSummary.Status, at date: Date, lease: RunLease? = nil) throws(StoreError)
    {
        do {
            try pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE auditRun SET status = ?, finishedAt = ?, leaseHolder = NULL, leaseHeartbeat = NULL
                        WHERE id = ? AND (? IS NULL OR leaseHolder IS NULL OR leaseHolder = ?)
                        """,
                    arguments: [status.rawValue, date, id, lease?.holder, lease?.holder])
            }
        } catch {
            throw StoreError.wrap(error, "close the run")
        }
    }

    /// The most recent run of `inventory` that did not finish (to resume), if any.
    public func unfinishedRun(inventory: String) throws(StoreError) -> RunSummary? {
        try runs(where: "inventory = ? AND status != 'finished'", [inventory], limit: 1).first
    }

    /// A run by id, or the latest run when `id` is nil.
    public func run(_ id: Int64?) throws(StoreError) -> RunSummary? {
        if let id { return try runs(where: "id = ?", [id], limit: 1).first }
        return try runs(where: "1", [], limit: 1).first
    }

    private func runs(where condition: String, _ arguments: StatementArguments, limit: Int) throws(StoreError)
        -> [RunSummary]
    {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.*, (SELECT COUNT(*) FROM portalResult p WHERE p.runID = r.id) AS done
                        FROM auditRun r WHERE \(condition) ORDER BY r.id DESC LIMIT \(limit)
                        """,
                    arguments: arguments
                ).map(Self.runSummary)
            }
        } catch {
            throw StoreError.wrap(error, "read the runs")
        }
    }

    // MARK: leases

    /// Takes run `id` for `lease` unless another live scanner holds it.
    ///
    /// A lease is live while its heartbeat is younger than `staleAfter` and, when it was taken on this
    /// host, its process still runs (`isAlive`): a scanner killed with `kill -9` can be resumed at once.
    /// - Returns: `nil` when the run is now this scanner's, else the live holder.
    public func claim(
        run id: Int64, for lease: RunLease, now: Date, staleAfter: TimeInterval,
        isAlive: @escaping @Sendable (Int) -> Bool
    ) async throws(StoreError) -> LeaseHolder? {
        do {
            return try await pool.write { db -> LeaseHolder? in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT leaseHolder, leaseHost, leasePID, leaseHeartbeat FROM auditRun WHERE id = ?",
                        arguments: [id])
                else { return nil }
                let holder: String? = row["leaseHolder"]
                let host: String? = row["leaseHost"]
                let pid: Int? = row["leasePID"]
                let heartbeat: Date? = row["leaseHeartbeat"]
                if let holder, holder != lease.holder, let heartbeat, now.timeIntervalSince(heartbeat) < staleAfter {
                    let deadHere = host == lease.host && pid.map { !isAlive($0) } == true
                    if !deadHere { return LeaseHolder(host: host ?? "?", pid: pid ?? 0, heartbeat: heartbeat) }
                }
                try db.execute(
                    sql:
                        "UPDATE auditRun SET leaseHolder = ?, leaseHost = ?, leasePID = ?, leaseHeartbeat = ?, status = 'running' WHERE id = ?",
                    arguments: [lease.holder, lease.host, lease.pid, now, id])
                return nil
            }
        } catch {
            throw StoreError.wrap(error, "take over run \(id)")
        }
    }

    /// The live holder of run `id`'s lease, if another scanner holds it (see `claim`).
    public func liveHolder(
        run id: Int64, other lease: RunLease, now: Date, staleAfter: TimeInterval, isAlive: (Int) -> Bool
    ) throws(StoreError) -> LeaseHolder? {
        do {
            return try pool.read { db -> LeaseHolder? in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT leaseHolder, leaseHost, leasePID, leaseHeartbeat FROM auditRun WHERE id = ?",
                        arguments: [id]),
                    let holder: String = row["leaseHolder"], holder != lease.holder,
                    let heartbeat: Date = row["leaseHeartbeat"],
                    now.timeIntervalSince(heartbeat) < staleAfter
                else { return nil }
                let host: String? = row["leaseHost"]
                let pid: Int? = row["leasePID"]
                if host == lease.host, let pid, !isAlive(pid) { return nil }
                return LeaseHolder(host: host ?? "?", pid: pid ?? 0, heartbeat: heartbeat)
            }
        } catch {
            throw StoreError.wrap(error, "read the lease of run \(id)")
        }
    }

    /// Renews `lease` on run `id`; `false` when another scanner has taken the run over.
    public func heartbeat(run id: Int64, lease: RunLease, at date: Date) async throws(StoreError) -> Bool {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "UPDATE auditRun SET leaseHeartbeat = ? WHERE id = ? AND leaseHolder = ?",
                    arguments: [date, id, lease.holder])
                return db.changesCount > 0
            }
        } catch {
            throw StoreError.wrap(error, "renew the lease of run \(id)")
        }
    }

    /// URLs that already have a result in run `id`.
    public func finishedURLs(run id: Int64) throws(StoreError) -> Set<String> {
        do {
            return try pool.read { db in
                Set(try String.fetchAll(db, sql: "SELECT url FROM portalResult WHERE runID = ?", arguments: [id]))
            }
        } catch {
            throw StoreError.wrap(error, "read the finished portals")
        }
    }

    /// How many portals of run `id` got each verdict.
    public func verdictCounts(run id: Int64) throws(StoreError) -> VerdictSummary {
        do {
            return try pool.read { db in
                var counts = VerdictSummary()
                for row in try Row.fetchAll(
                    db, sql: "SELECT verdict, COUNT(*) AS n FROM portalResult WHERE runID = ? GROUP BY verdict",
                    arguments: [id])
                {
                    if let verdict = Verdict(rawValue: row["verdict"]) { counts.add(verdict, count: row["n"]) }
                }
                return counts
            }
        } catch {
            throw StoreError.wrap(error, "count the verdicts of run \(id)")
        }
    }

    // MARK: results

    /// Commits one portal's result (and its findings) to run `id` at once.
    ///
    /// When the calling task is being cancelled (Ctrl-C), the result is still written, synchronously:
    /// a portal that finished is never lost.
    public func save(_ result: SiteResult, run id: Int64, at date: Date) async throws(StoreError) {
        let blob: Data
        do {
            blob = try LeanResult(result).blob()
        } catch {
            throw StoreError.wrap(error, "encode the result of \(result.target.url)")
        }
        do {
            if Task.isCancelled {
                try writeNow(result, blob: blob, run: id, at: date)
            } else {
                try await pool.write { db in try LeanResult.insert(result, blob: blob, run: id, at: date, db) }
            }
        } catch is CancellationError {
            do {
                try writeNow(result, blob: blob, run: id, at: date)
            } catch {
                throw StoreError.wrap(error, "save the result of \(result.target.url)")
            }
        } catch {
            throw StoreError.wrap(error, "save the result of \(result.target.url)")
        }
    }

    /// The synchronous write (a non-async function, so GRDB's blocking overload is the one chosen).
    private func writeNow(_ result: SiteResult, blob: Data, run id: Int64, at date: Date) throws {
        try pool.write { db in try LeanResult.insert(result, blob: blob, run: id, at: date, db) }
    }

    /// Every stored result of run `id`, sorted by URL (observations included, for re-grading).
    public func results(run id: Int64) throws(StoreError) -> [SiteResult] {
        try observedResults(run: id).map(\.result)
    }

    /// Every stored result of run `id` with the time it was observed (the "now" it is judged at).
    public func observedResults(run id: Int64) throws(StoreError) -> [(result: SiteResult, observedAt: Date)] {
        do {
            return try pool.read { db in try LeanResult.results(run: id, db) }
        } catch {
            throw StoreError.wrap(error, "read the results of run \(id)")
        }
    }

    /// Every stored result of run `id`, read off the cooperative pool.
    public func results(run id: Int64) async throws(StoreError) -> [SiteResult] {
        do {
            return try await pool.read { db in try LeanResult.results(run: id, db).map(\.result) }
        } catch {
            throw StoreError.wrap(error, "read the results of run \(id)")
        }
    }

    /// For each portal of run `id`, its result in the latest earlier run that has it.
    public func previousResults(run id: Int64) async throws(StoreError) -> [String: (
        runID: Int64, verdict: Verdict, grade: String, score: Int
    )] {
        do {
            return try await pool.read { db in try Self.previous(run: id, db) }
        } catch {
            throw StoreError.wrap(error, "read the previous results")
        }
    }

    /// For each portal of run `id`, its result in the latest earlier run that has it.
    public func previousResults(run id: Int64) throws(StoreError) -> [String: (
        runID: Int64, verdict: Verdict, grade: String, score: Int
    )] {
        do {
            return try pool.read { db in try Self.previous(run: id, db) }
        } catch {
            throw StoreError.wrap(error, "read the previous results")
        }
    }

    private static func previous(run id: Int64, _ db: Database) throws -> [String: (
        runID: Int64, verdict: Verdict, grade: String, score: Int
    )] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.url, p.runID, p.verdict, p.grade, p.score FROM portalResult p
                JOIN (SELECT q.url, MAX(q.runID) AS previous FROM portalResult q
                      JOIN portalResult c ON c.url = q.url AND c.runID = ?
                      WHERE q.runID < ? GROUP BY q.url) m
                  ON m.url = p.url AND m.previous = p.runID
                """,
            arguments: [id, id])
        var out: [String: (runID: Int64, verdict: Verdict, grade: String, score: Int)] = [:]
        for row in rows {
            guard let verdict = Verdict(rawValue: row["verdict"]) else { continue }
            out[row["url"]] = (row["runID"], verdict, row["grade"], row["score"])
        }
        return out
    }

    /// The home page's fingerprints in the latest `limit` runs before `run` that have `url`, newest first,
    /// with when each was seen (results made before fingerprints were kept are skipped).
    public func previousFingerprints(url: String, before run: Int64, limit: Int) async throws(StoreError) -> [(
        fingerprint: PageFingerprint, observedAt: Date
    )] {
        do {
            return try await pool.read { db in
                try LeanResult.latest(url: url, before: run, limit: limit, db).compactMap { observation, at in
                    observation.content?.fingerprint.map { ($0, at) }
                }
            }
        } catch {
            throw StoreError.wrap(error, "read the previous scans of \(url)")
        }
    }

    /// Verdicts over time, newest first: of one portal (`url` or a part of it), or of every portal.
    public func history(matching url: String?, since: Date?, limit: Int = 1_000) throws(StoreError) -> [HistoryEntry] {
        do {
            return try pool.read { db in
                var conditions = ["1"]
                var arguments: StatementArguments = []
                if let url {
                    conditions.append("(p.url = ? OR p.url LIKE ? ESCAPE '\\')")
                    let escaped = url.replacingOccurrences(of: "\\", with: "\\\\")
                        .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                    _ = arguments.append(contentsOf: [url, "%\(escaped)%"])
                }
                if let since {
                    conditions.append("p.observedAt >= ?")
                    _ = arguments.append(contentsOf: [since])
                }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT p.id, p.runID, p.url, p.name, p.observedAt, p.verdict, p.score, p.grade, p.profileID,
                               p.profileVersion,
                               (SELECT group_concat(rule, ',') FROM (SELECT rule FROM finding f
                                 WHERE f.portalResultID = p.id AND f.status = 'fail' ORDER BY rule)) AS failed
                        FROM portalResult p WHERE \(conditions.joined(separator: " AND "))
                        ORDER BY p.url, p.observedAt DESC LIMIT \(limit)
                        """,
                    arguments: arguments)
                return rows.map { row in
                    let failed: String? = row["failed"]
                    let profileID: String = row["profileID"]
                    let profileVersion: Int = row["profileVersion"]
                    return HistoryEntry(
                        runID: row["runID"], url: row["url"], name: row["name"], observedAt: row["observedAt"],
                        verdict: Verdict(rawValue: row["verdict"]) ?? .fail, score: row["score"], grade: row["grade"],
                        profile: "\(profileID)@\(profileVersion)",
                        failedRules: failed.map { $0.split(separator: ",").map(String.init) } ?? [])
                }
            }
        } catch {
            throw StoreError.wrap(error, "read the history")
        }
    }

    // MARK: uptime and alerts

    /// Records one availability sample.
    public func saveSample(url: String, _ sample: UptimeSample) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO uptimeSample (url, at, up, status, totalMS, cause) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [url, sample.at, sample.up, sample.status, sample.totalMS, sample.cause])
            }
        } catch {
            throw StoreError.wrap(error, "save a sample of \(url)")
        }
    }

    /// Deletes the samples older than `date` (the monitor keeps 31 days, what the 30-day uptime needs).
    /// - Returns: how many were deleted.
    @discardableResult
    public func pruneSamples(before date: Date) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                try db.execute(sql: "DELETE FROM uptimeSample WHERE at < ?", arguments: [date])
                return db.changesCount
            }
        } catch {
            throw StoreError.wrap(error, "prune the samples")
        }
    }

    /// The samples of `url` since `date`, oldest first.
    public func samples(url: String, since date: Date) async throws(StoreError) -> [UptimeSample] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT at, up, status, totalMS, cause FROM uptimeSample WHERE url = ? AND at >= ? ORDER BY at",
                    arguments: [url, date]
                ).map {
                    UptimeSample(
                        at: $0["at"], up: $0["up"], status: $0["status"], totalMS: $0["totalMS"], cause: $0["cause"])
                }
            }
        } catch {
            throw StoreError.wrap(error, "read the samples of \(url)")
        }
    }

    /// When the latest run of `inventory` started (the scan schedule resumes from it).
    public func lastRunStart(inventory: String) throws(StoreError) -> Date? {
        try runs(where: "inventory = ?", [inventory], limit: 1).first?.startedAt
    }

    /// What an alert is about.
    public enum AlertSubject: String, Sendable, Codable {
        /// Whether the portal is up (monitor samples).
        case availability
        /// Whether its certificate is about to expire (after each scan).
        case certificate
        /// Whether its home page was defaced (after each scan).
        case content
    }

    /// The condition an alert last reported.
    public enum AlertCondition: String, Sendable, Codable {
        /// Availability: the portal serves (or was never seen down).
        case up
        /// Availability: an outage was confirmed and announced.
        case down
        /// Certificate: the expiry warning was sent.
        case expiring
        /// Certificate: renewed (or never expiring) since; content: not defaced.
        case ok
        /// Content: the defacement alert was sent.
        case defaced
    }

    /// An alert's remembered state: `state` since `since`, last sent at `lastSent`.
    public struct AlertState: Sendable, Equatable {
        public var state: AlertCondition
        public var since: Date
        public var lastSent: Date?

        public init(state: AlertCondition, since: Date, lastSent: Date?) {
            self.state = state
            self.since = since
            self.lastSent = lastSent
        }
    }

    /// A row of `alertState`.
    private struct AlertRecord: Codable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "alertState"
        var url: String
        var kind: AlertSubject
        var state: AlertCondition
        var since: Date
        var lastSent: Date?
    }

    public func alertState(url: String, kind: AlertSubject) async throws(StoreError) -> AlertState? {
        do {
            return try await pool.read { db in
                try AlertRecord.filter(Column("url") == url && Column("kind") == kind.rawValue).fetchOne(db)
                    .map { AlertState(state: $0.state, since: $0.since, lastSent: $0.lastSent) }
            }
        } catch {
            throw StoreError.wrap(error, "read the alert state of \(url)")
        }
    }

    public func setAlertState(url: String, kind: AlertSubject, _ state: AlertState) async throws(StoreError) {
        do {
            try await pool.write { db in
                try AlertRecord(url: url, kind: kind, state: state.state, since: state.since, lastSent: state.lastSent)
                    .save(db, onConflict: .replace)
            }
        } catch {
            throw StoreError.wrap(error, "save the alert state of \(url)")
        }
    }

    /// For metrics, per portal: the last sample, and the share of up samples since `date` where failed
    /// samples count as down only in a run of `AvailabilityPolicy.confirmations` (docs/uptime.md,
    /// sample-weighted). Failed samples share `upsBefore`, the count of up samples before them, exactly
    /// when they are consecutive.
    /// One aggregate query: the cost does not grow with what the process reads into memory.
    public func metricsSummary(since date: Date) async throws(StoreError) -> [String: (
        up: Bool, totalMS: Double?, ratio: Double
    )] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT url,
                               SUM(CASE WHEN up = 0 AND run >= ? THEN 0 ELSE 1 END) * 1.0 / COUNT(*) AS ratio,
                               MAX(at) AS lastAt
                        FROM (SELECT url, up, at, COUNT(*) OVER (PARTITION BY url, up, upsBefore) AS run
                              FROM (SELECT url, up, at,
                                           SUM(up) OVER (PARTITION BY url ORDER BY at ROWS UNBOUNDED PRECEDING) AS upsBefore
                                    FROM uptimeSample WHERE at >= ?))
                        GROUP BY url
                        """,
                    arguments: [AvailabilityPolicy.confirmations, date])
                let last = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.url, s.up, s.totalMS FROM uptimeSample s
                        JOIN (SELECT url, MAX(id) AS id FROM uptimeSample WHERE at >= ? GROUP BY url) m ON m.id = s.id
                        """,
                    arguments: [date])
                var latest: [String: (Bool, Double?)] = [:]
                for row in last { latest[row["url"]] = (row["up"], row["totalMS"]) }
                var out: [String: (up: Bool, totalMS: Double?, ratio: Double)] = [:]
                for row in rows {
                    let url: String = row["url"]
                    guard let (up, ms) = latest[url] else { continue }
                    out[url] = (up, ms, row["ratio"])
                }
                return out
            }
        } catch {
            throw StoreError.wrap(error, "summarise the samples")
        }
    }
}
