import Foundation
import GRDB
import PortalAuditCore
import Synchronization

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
    /// Its portals are offered to scanners that join it (`scan --workers`, `--join`).
    public var shared = false
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
    /// Seconds since its last heartbeat, on the database's clock.
    public var age: TimeInterval
}

/// Errors of the history database.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ message: String) { description = message }

    public static func wrap(_ error: any Error, _ action: String) -> StoreError {
        StoreError("cannot \(action): \(error)")
    }
}

/// Who produced a result: the scanner (host and process) and its vantage (where on the network it scans
/// from, as the operator names it).
public struct ScannerIdentity: Sendable, Equatable {
    public var scanner: String
    public var vantage: String?

    public init(scanner: String, vantage: String? = nil) {
        self.scanner = scanner
        self.vantage = vantage
    }

    /// This process on this host.
    public static func local(vantage: String? = nil) -> ScannerIdentity {
        ScannerIdentity(scanner: "\(ProcessInfo.processInfo.hostName) pid \(getpid())", vantage: vantage)
    }
}

/// The history: runs, each portal's raw observation, verdict and findings (compact: see `LeanResult`),
/// uptime samples and alert states, in SQLite (GRDB, WAL: the embedded default) or PostgreSQL (the
/// national history). The statements are written once for both (`SQLDialect` names where they differ).
///
/// Every portal's result is committed the moment it is saved, in one transaction, so a killed scan
/// loses only the portals in flight. Observations are stored raw, for re-grading without traffic.
public final class AuditStore: Sendable {
    public let database: any SQLDatabase
    /// Recorded with every result this store saves.
    public let identity: ScannerIdentity
    /// Profile versions whose rule settings this process has already written.
    private let settingsWritten = Mutex<Set<String>>([])

    var dialect: SQLDialect { database.dialect }

    /// The engine of an already migrated history.
    public init(database: any SQLDatabase, identity: ScannerIdentity = .local()) {
        self.database = database
        self.identity = identity
    }

    /// Opens (creating and migrating) the SQLite history at `path`.
    public convenience init(path: String, identity: ScannerIdentity = .local()) throws(StoreError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let pool = try Self.openPool(path: path, configuration: configuration)
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
            self.init(database: SQLiteDatabase(pool: pool, path: path), identity: identity)
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
    static func migrate(_ pool: DatabasePool) throws {
        try createBaseline(pool)
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

    /// A new history starts at v5 from `HistorySchema`, as a PostgreSQL one does, and records v1–v5 as
    /// applied (in one transaction: a second process creating the same file waits, then finds it made); an
    /// older history goes through the migrations it was written with.
    static func createBaseline(_ pool: DatabasePool) throws {
        try pool.write { db in
            guard try !db.tableExists("grdb_migrations"), try !db.tableExists("auditRun") else { return }
            for statement in HistorySchema.statements(.sqlite) { try db.execute(sql: statement) }
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for identifier in HistorySchema.baselineIdentifiers {
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
            }
        }
    }

    /// Runs `body`, its errors said as "cannot `action`: …".
    func attempt<T>(_ action: @autoclosure () -> String, _ body: () async throws -> T) async throws(StoreError)
        -> T
    {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrap(error, action())
        }
    }

    /// Runs `body` in a task of its own: a write that must happen even while the caller is being
    /// cancelled (Ctrl-C), as the database drivers honour cancellation.
    private func uncancelled<T: Sendable>(
        _ action: @autoclosure () -> String, _ body: @escaping @Sendable () async throws -> T
    ) async throws(StoreError) -> T {
        try await attempt(action()) { try await Task.detached(operation: body).value }
    }

    /// Lets go of the database's connections.
    public func close() async { await database.close() }

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
        for migration in sharedMigrations(.sqlite) {
            migrator.registerMigration(migration.identifier) { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }

    /// The migrations written once for both engines, applied after v5 (a new history of either engine starts
    /// at v5: `HistorySchema`). Never edited once shipped: a change is a new migration.
    public static func sharedMigrations(_ dialect: SQLDialect) -> [SQLMigration] {
        [
            SQLMigration(
                identifier: "v6-scanners",
                statements: [
                    // Who produced each result, and the portals of a run still to be claimed by its scanners.
                    "ALTER TABLE portalResult ADD COLUMN scanner TEXT",
                    "ALTER TABLE portalResult ADD COLUMN vantage TEXT",
                    "ALTER TABLE auditRun ADD COLUMN offered \(dialect.timestamp)",
                    """
                    CREATE TABLE portalClaim (
                        runID BIGINT NOT NULL REFERENCES auditRun(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        url TEXT NOT NULL,
                        holder TEXT,
                        heartbeat \(dialect.timestamp),
                        PRIMARY KEY (runID, url)
                    )
                    """,
                    "CREATE INDEX portalClaimRun ON portalClaim(runID, position)",
                    "CREATE INDEX uptimeSampleURLAt ON uptimeSample(url, at, up)",
                ]),
            SQLMigration(
                identifier: "v7-idempotent-writes",
                statements: [
                    // A write retried after its reply was lost (the connection dropped after COMMIT) finds
                    // what it already did: a run by the token its scanner drew, a claim by its attempt.
                    "ALTER TABLE auditRun ADD COLUMN startToken TEXT",
                    "CREATE UNIQUE INDEX auditRunStartToken ON auditRun(startToken)",
                    "ALTER TABLE portalClaim ADD COLUMN attempt TEXT",
                ]),
            SQLMigration(
                identifier: "v8-alert-outbox",
                statements: [
                    // Every alert message, kept until delivered: a mail server or a webhook that is down delays
                    // it (retried in order, per destination), never loses it, and a restart sends it once.
                    """
                    CREATE TABLE alertOutbox (
                        id \(dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"),
                        createdAt \(dialect.timestamp) NOT NULL,
                        channel TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        event TEXT NOT NULL,
                        portal TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttempt \(dialect.timestamp) NOT NULL,
                        deliveredAt \(dialect.timestamp),
                        lastError TEXT
                    )
                    """,
                    "CREATE INDEX alertOutboxDue ON alertOutbox(deliveredAt, nextAttempt)",
                ]),
            SQLMigration(
                identifier: "v9-monitor-state",
                statements: [
                    // What the monitor must remember across a restart beyond each portal's state: its open
                    // incidents (a restart mid-incident announces nothing twice).
                    """
                    CREATE TABLE monitorState (
                        name TEXT PRIMARY KEY,
                        value TEXT NOT NULL,
                        updatedAt \(dialect.timestamp) NOT NULL
                    )
                    """
                ]),
        ]
    }

    // MARK: runs

    /// Records the start of a run and returns its id.
    ///
    /// Once only, even when the database retries the statement after losing its reply: the run carries a
    /// token drawn here, and a retry finds the run it already made. A lease's heartbeat is the database's now.
    public func startRun(
        inventory: String, profile: String, planned: Int, at date: Date, lease: RunLease? = nil
    ) async throws(StoreError) -> Int64 {
        let token = UUID().uuidString
        return try await attempt("record the run") {
            let rows = try await database.transaction([
                SQLStatement(
                    """
                    INSERT INTO auditRun (startedAt, status, inventory, profile, planned, toolVersion,
                        evaluationVersion, leaseHolder, leaseHost, leasePID, leaseHeartbeat, startToken)
                    VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, \(lease == nil ? "NULL" : dialect.now), ?)
                    ON CONFLICT (startToken) DO NOTHING
                    """,
                    [
                        date, inventory, profile, planned, PortalAuditVersion.tool, Evaluator.version, lease?.holder,
                        lease?.host, lease?.pid, token,
                    ]),
                SQLStatement("SELECT id FROM auditRun WHERE startToken = ?", [token]),
            ])
            return rows[1][0]["id"]
        }
    }

    /// Marks a run finished or interrupted (even while the caller is being cancelled).
    ///
    /// With `lease`, only while this scanner still holds the run (a scanner whose lease was taken over
    /// never rewrites the run another one finished); the lease is given back.
    public func endRun(_ id: Int64, status: RunSummary.Status, at date: Date, lease: RunLease? = nil)
        async throws(StoreError)
    {
        let database = self.database
        _ = try await uncancelled("close the run") {
            var sql =
                "UPDATE auditRun SET status = ?, finishedAt = ?, leaseHolder = NULL, leaseHeartbeat = NULL WHERE id = ?"
            var arguments: [any SQLBindable] = [status.rawValue, date, id]
            if let lease {
                sql += " AND (leaseHolder IS NULL OR leaseHolder = ?)"
                arguments.append(lease.holder)
            }
            return try await database.execute(sql, arguments).count
        }
    }

    /// The most recent run of `inventory` that did not finish (to resume), if any.
    public func unfinishedRun(inventory: String) async throws(StoreError) -> RunSummary? {
        try await runs(where: "inventory = ? AND status != 'finished'", [inventory], limit: 1).first
    }

    /// A run by id, or the latest run when `id` is nil.
    public func run(_ id: Int64?) async throws(StoreError) -> RunSummary? {
        if let id { return try await runs(where: "id = ?", [id], limit: 1).first }
        return try await runs(where: "1 = 1", [], limit: 1).first
    }

    func runs(where condition: String, _ arguments: [any SQLBindable], limit: Int, offset: Int = 0)
        async throws(StoreError) -> [RunSummary]
    {
        try await attempt("read the runs") {
            try await database.fetch(
                """
                SELECT r.*, (SELECT COUNT(*) FROM portalResult p WHERE p.runID = r.id) AS done
                FROM auditRun r WHERE \(condition) ORDER BY r.id DESC LIMIT \(max(1, limit)) OFFSET \(max(0, offset))
                """, arguments
            ).map(Self.runSummary)
        }
    }

    static func runSummary(_ row: SQLRow) -> RunSummary {
        RunSummary(
            id: row["id"], startedAt: row["startedAt"], finishedAt: row["finishedAt"],
            status: RunSummary.Status(rawValue: row["status"]) ?? .running, inventory: row["inventory"],
            profile: row["profile"], planned: row["planned"], done: row["done"],
            shared: row.value("offered") != .null)
    }

    /// The latest finished run of `inventory`.
    public func lastFinishedRun(inventory: String) async throws(StoreError) -> RunSummary? {
        try await runs(where: "inventory = ? AND status = 'finished'", [inventory], limit: 1).first
    }

    /// When the latest run of `inventory` started (the scan schedule resumes from it).
    public func lastRunStart(inventory: String) async throws(StoreError) -> Date? {
        try await runs(where: "inventory = ?", [inventory], limit: 1).first?.startedAt
    }

    // MARK: leases

    /// Takes run `id` for `lease` unless another live scanner holds it.
    ///
    /// A lease is live while its heartbeat is younger than `staleAfter` on the database's clock (scanners'
    /// clocks may differ) and, when it was taken on this host, its process still runs (`isAlive`): a scanner
    /// killed with `kill -9` can be resumed at once. The takeover is a compare-and-set on the holder seen, so
    /// two scanners resuming at once never both win.
    /// - Returns: `nil` when the run is now this scanner's, else the live holder.
    public func claim(
        run id: Int64, for lease: RunLease, staleAfter: TimeInterval, isAlive: @escaping @Sendable (Int) -> Bool
    ) async throws(StoreError) -> LeaseHolder? {
        try await attempt("take over run \(id)") {
            while true {
                guard let seen = try await self.lease(of: id) else { return nil }
                if let holder = seen.holder, holder != lease.holder, let age = seen.age, age < staleAfter {
                    let deadHere = seen.host == lease.host && seen.pid.map { !isAlive($0) } == true
                    if !deadHere {
                        return LeaseHolder(host: seen.host ?? "?", pid: seen.pid ?? 0, age: age)
                    }
                }
                var sql = """
                    UPDATE auditRun SET leaseHolder = ?, leaseHost = ?, leasePID = ?, leaseHeartbeat = \(dialect.now),
                        status = 'running' WHERE id = ?
                    """
                var arguments: [any SQLBindable] = [lease.holder, lease.host, lease.pid, id]
                if let holder = seen.holder {
                    sql += " AND leaseHolder = ?"
                    arguments.append(holder)
                } else {
                    sql += " AND leaseHolder IS NULL"
                }
                if try await !database.execute(sql + " RETURNING id", arguments).isEmpty { return nil }
            }
        }
    }

    /// Run `id`'s lease, with its heartbeat's age in seconds on the database's clock.
    private func lease(of id: Int64) async throws -> (holder: String?, host: String?, pid: Int?, age: TimeInterval?)? {
        try await database.fetch(
            """
            SELECT leaseHolder, leaseHost, leasePID, \(dialect.age("leaseHeartbeat")) AS age
            FROM auditRun WHERE id = ?
            """, [id]
        ).first.map { ($0["leaseHolder"], $0["leaseHost"], $0["leasePID"], $0["age"]) }
    }

    /// The live holder of run `id`'s lease, if another scanner holds it (see `claim`).
    public func liveHolder(
        run id: Int64, other lease: RunLease, staleAfter: TimeInterval, isAlive: (Int) -> Bool
    ) async throws(StoreError) -> LeaseHolder? {
        let seen = try await attempt("read the lease of run \(id)") { try await self.lease(of: id) }
        guard let seen, let holder = seen.holder, holder != lease.holder, let age = seen.age, age < staleAfter
        else { return nil }
        if seen.host == lease.host, let pid = seen.pid, !isAlive(pid) { return nil }
        return LeaseHolder(host: seen.host ?? "?", pid: seen.pid ?? 0, age: age)
    }

    /// Renews `lease` on run `id`; `false` when another scanner has taken the run over.
    public func heartbeat(run id: Int64, lease: RunLease) async throws(StoreError) -> Bool {
        try await attempt("renew the lease of run \(id)") {
            try await !database.execute(
                "UPDATE auditRun SET leaseHeartbeat = \(dialect.now) WHERE id = ? AND leaseHolder = ? RETURNING id",
                [id, lease.holder]
            ).isEmpty
        }
    }

    // MARK: portals shared by several scanners

    /// Offers run `id`'s `urls` (those without a result yet) to the scanners that join it, in this order,
    /// all at once: a scanner joining meanwhile waits for `offered`, never sees half the run.
    public func offer(_ urls: [String], run id: Int64, at date: Date) async throws(StoreError) {
        try await attempt("offer the portals of run \(id)") {
            var statements = urls.enumerated().map { position, url in
                SQLStatement(
                    """
                    INSERT INTO portalClaim (runID, position, url) SELECT ?, ?, ?
                    WHERE NOT EXISTS (SELECT 1 FROM portalResult WHERE runID = ? AND url = ?)
                    ON CONFLICT (runID, url) DO NOTHING
                    """, [id, position, url, id, url])
            }
            statements.append(SQLStatement("UPDATE auditRun SET offered = ? WHERE id = ?", [date, id]))
            _ = try await database.transaction(statements)
        }
    }

    /// Claims up to `limit` of run `id`'s portals that no live scanner holds (never claimed, or whose
    /// holder's heartbeat is older than `staleAfter` on the database's clock), for `holder`. PostgreSQL skips
    /// the rows another scanner is claiming at the same moment (`FOR UPDATE SKIP LOCKED`); SQLite has one
    /// writer.
    ///
    /// Once only, even when the database retries after losing the reply to its COMMIT: the claim is marked
    /// with an attempt drawn here, a retry claims nothing more once that attempt holds rows, and the portals
    /// returned are the attempt's (none left held by this scanner without its knowing).
    public func claimPortals(run id: Int64, holder: String, limit: Int, staleAfter: TimeInterval)
        async throws(StoreError) -> [String]
    {
        let attempt = UUID().uuidString
        return try await self.attempt("claim portals of run \(id)") {
            try await database.transaction([
                SQLStatement(
                    """
                    UPDATE portalClaim SET holder = ?, heartbeat = \(dialect.now), attempt = ? WHERE runID = ?
                    AND NOT EXISTS (SELECT 1 FROM portalClaim WHERE runID = ? AND attempt = ?) AND url IN (
                        SELECT url FROM portalClaim WHERE runID = ?
                        AND (holder IS NULL OR \(dialect.age("heartbeat")) > ?)
                        ORDER BY position LIMIT ? \(dialect.skipLocked))
                    """, [holder, attempt, id, id, attempt, id, staleAfter, max(1, limit)]),
                SQLStatement(
                    "SELECT url FROM portalClaim WHERE runID = ? AND attempt = ? ORDER BY position", [id, attempt]),
            ])[1].map { $0["url"] }
        }
    }

    /// Renews `holder`'s claims on run `id` (on the database's clock).
    public func renewClaims(run id: Int64, holder: String) async throws(StoreError) {
        try await attempt("renew the claims on run \(id)") {
            _ = try await database.execute(
                "UPDATE portalClaim SET heartbeat = \(dialect.now) WHERE runID = ? AND holder = ?", [id, holder])
        }
    }

    /// Gives `holder`'s unfinished claims on run `id` back (a scanner stopped by the user).
    public func releaseClaims(run id: Int64, holder: String) async throws(StoreError) {
        let database = self.database
        _ = try await uncancelled("give back the claims on run \(id)") {
            try await database.execute(
                "UPDATE portalClaim SET holder = NULL, heartbeat = NULL WHERE runID = ? AND holder = ?", [id, holder]
            ).count
        }
    }

    /// Gives back the claims on run `id` of scanners on `host` whose process has ended (a holder is
    /// "HOST PID UUID"): a scanner killed with `kill -9` need not wait for its claims to go stale.
    public func releaseDeadClaims(run id: Int64, host: String, isAlive: @Sendable (Int) -> Bool)
        async throws(StoreError)
    {
        try await attempt("give back the claims of ended scanners on run \(id)") {
            let holders: [String] = try await database.fetch(
                "SELECT DISTINCT holder FROM portalClaim WHERE runID = ? AND holder IS NOT NULL", [id]
            ).map { $0["holder"] }
            for holder in holders {
                let parts = holder.split(separator: " ")
                guard parts.count == 3, parts[0] == host, let pid = Int(parts[1]), !isAlive(pid) else { continue }
                _ = try await database.execute(
                    "UPDATE portalClaim SET holder = NULL, heartbeat = NULL WHERE runID = ? AND holder = ?",
                    [id, holder])
            }
        }
    }

    /// How many of run `id`'s offered portals have no result yet (claimed or not).
    public func unclaimedCount(run id: Int64) async throws(StoreError) -> Int {
        try await attempt("count the portals left in run \(id)") {
            try await database.fetch("SELECT COUNT(*) AS n FROM portalClaim WHERE runID = ?", [id]).first?["n"] ?? 0
        }
    }

    /// Marks run `id` finished when no portal is left to claim; `true` when it did.
    public func finishIfComplete(run id: Int64, at date: Date) async throws(StoreError) -> Bool {
        let database = self.database
        return try await uncancelled("close the run") {
            try await !database.execute(
                """
                UPDATE auditRun SET status = 'finished', finishedAt = ?, leaseHolder = NULL, leaseHeartbeat = NULL
                WHERE id = ? AND status != 'finished' AND offered IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM portalClaim WHERE runID = ?)
                RETURNING id
                """, [date, id, id]
            ).isEmpty
        }
    }

    /// URLs that already have a result in run `id`.
    public func finishedURLs(run id: Int64) async throws(StoreError) -> Set<String> {
        try await attempt("read the finished portals") {
            Set(try await database.fetch("SELECT url FROM portalResult WHERE runID = ?", [id]).map { $0["url"] })
        }
    }

    /// How many portals of run `id` got each verdict.
    public func verdictCounts(run id: Int64) async throws(StoreError) -> VerdictSummary {
        try await verdictCounts(runs: [id])[id] ?? VerdictSummary()
    }

    /// Verdict counts of each run in `runs`.
    public func verdictCounts(runs: [Int64]) async throws(StoreError) -> [Int64: VerdictSummary] {
        guard !runs.isEmpty else { return [:] }
        return try await attempt("count the verdicts") {
            let marks = Array(repeating: "?", count: runs.count).joined(separator: ", ")
            var out: [Int64: VerdictSummary] = [:]
            for row in try await database.fetch(
                """
                SELECT runID, verdict, COUNT(*) AS n FROM portalResult WHERE runID IN (\(marks))
                GROUP BY runID, verdict
                """, runs)
            {
                guard let verdict = Verdict(rawValue: row["verdict"]) else { continue }
                out[row["runID"], default: VerdictSummary()].add(verdict, count: row["n"])
            }
            return out
        }
    }

    // MARK: results

    /// Commits one portal's result (and its findings) to run `id` at once, replacing any earlier result of
    /// the portal in the run, and gives back its claim.
    ///
    /// When the calling task is being cancelled (Ctrl-C), the result is still written: a portal that
    /// finished is never lost.
    public func save(_ result: SiteResult, run id: Int64, at date: Date) async throws(StoreError) {
        let blob: Data
        do {
            blob = try LeanResult(result).blob()
        } catch {
            throw StoreError.wrap(error, "encode the result of \(result.target.url)")
        }
        let label = result.profile.label
        let newSettings = settingsWritten.withLock { $0.insert(label).inserted }
        let statements = LeanResult.insert(
            result, blob: blob, run: id, at: date, identity: identity, settings: newSettings)
        let database = self.database
        do {
            _ = try await uncancelled("save the result of \(result.target.url)") {
                try await database.transaction(statements).count
            }
        } catch {
            if newSettings { settingsWritten.withLock { _ = $0.remove(label) } }
            throw error
        }
    }

    /// Every stored result of run `id`, sorted by URL (observations included, for re-grading).
    public func results(run id: Int64) async throws(StoreError) -> [SiteResult] {
        try await observedResults(run: id).map(\.result)
    }

    /// Every stored result of run `id` with the time it was observed (the "now" it is judged at).
    public func observedResults(run id: Int64) async throws(StoreError) -> [(result: SiteResult, observedAt: Date)] {
        try await attempt("read the results of run \(id)") { try await LeanResult.results(run: id, database) }
    }

    /// Portal `url`'s whole result in run `run` (findings with their texts) and when it was observed.
    public func result(run: Int64, url: String) async throws(StoreError) -> (result: SiteResult, observedAt: Date)? {
        try await attempt("read the result of \(url)") { try await LeanResult.result(run: run, url: url, database) }
    }

    /// For each portal of run `id`, its result in the latest earlier run that has it.
    public func previousResults(run id: Int64) async throws(StoreError) -> [String: (
        runID: Int64, verdict: Verdict, grade: String, score: Int
    )] {
        try await attempt("read the previous results") {
            let rows = try await database.fetch(
                """
                SELECT p.url, p.runID, p.verdict, p.grade, p.score FROM portalResult p
                JOIN (SELECT q.url, MAX(q.runID) AS previous FROM portalResult q
                      JOIN portalResult c ON c.url = q.url AND c.runID = ?
                      WHERE q.runID < ? GROUP BY q.url) m
                  ON m.url = p.url AND m.previous = p.runID
                """, [id, id])
            var out: [String: (runID: Int64, verdict: Verdict, grade: String, score: Int)] = [:]
            for row in rows {
                guard let verdict = Verdict(rawValue: row["verdict"]) else { continue }
                out[row["url"]] = (row["runID"], verdict, row["grade"], row["score"])
            }
            return out
        }
    }

    /// The home page's fingerprints in the latest `limit` runs before `run` that have `url`, newest first,
    /// with when each was seen (results made before fingerprints were kept are skipped).
    public func previousFingerprints(url: String, before run: Int64, limit: Int) async throws(StoreError) -> [(
        fingerprint: PageFingerprint, observedAt: Date
    )] {
        try await attempt("read the previous scans of \(url)") {
            try await LeanResult.latest(url: url, before: run, limit: limit, database).compactMap { observation, at in
                observation.content?.fingerprint.map { ($0, at) }
            }
        }
    }

    /// `text` as a `LIKE` pattern matching it anywhere (`\` escapes).
    static func containing(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }

    /// The rules a result failed, comma-separated, as a column `failed` (over `portalResult p`).
    var failedColumn: String {
        """
        (SELECT \(dialect.groupConcat)(rule, ',') FROM (SELECT rule FROM finding f
          WHERE f.portalResultID = p.id AND f.status = 'fail' ORDER BY rule) AS failedRules) AS failed
        """
    }

    /// Verdicts over time, newest first: of one portal (`url` or a part of it), or of every portal.
    public func history(matching url: String?, since: Date?, limit: Int = 1_000) async throws(StoreError)
        -> [HistoryEntry]
    {
        try await attempt("read the history") {
            var conditions = ["1 = 1"]
            var arguments: [any SQLBindable] = []
            if let url {
                conditions.append("(p.url = ? OR p.url LIKE ? ESCAPE '\\')")
                arguments += [url, Self.containing(url)]
            }
            if let since {
                conditions.append("p.observedAt >= ?")
                arguments.append(since)
            }
            let rows = try await database.fetch(
                """
                SELECT p.id, p.runID, p.url, p.name, p.observedAt, p.verdict, p.score, p.grade, p.profileID,
                       p.profileVersion, \(failedColumn)
                FROM portalResult p WHERE \(conditions.joined(separator: " AND "))
                ORDER BY p.url, p.observedAt DESC LIMIT \(limit)
                """, arguments)
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
    }

    // MARK: uptime and alerts

    /// Records one availability sample.
    public func saveSample(url: String, _ sample: UptimeSample) async throws(StoreError) {
        try await attempt("save a sample of \(url)") {
            _ = try await database.execute(
                "INSERT INTO uptimeSample (url, at, up, status, totalMS, cause) VALUES (?, ?, ?, ?, ?, ?)",
                [url, sample.at, sample.up, sample.status, sample.totalMS, sample.cause])
        }
    }

    /// Deletes the samples older than `date` (the monitor keeps 31 days, what the 30-day uptime needs).
    /// - Returns: how many were deleted.
    @discardableResult
    public func pruneSamples(before date: Date) async throws(StoreError) -> Int {
        try await attempt("prune the samples") {
            let rows = try await database.transaction([
                SQLStatement("SELECT COUNT(*) AS n FROM uptimeSample WHERE at < ?", [date]),
                SQLStatement("DELETE FROM uptimeSample WHERE at < ?", [date]),
            ])
            return rows[0].first?["n"] ?? 0
        }
    }

    /// Forgets the samples taken from `start` on: taken while the monitor's own network was cut, they say
    /// nothing about the portals (the time is unmonitored, not down).
    public func deleteSamples(from start: Date) async throws(StoreError) {
        try await attempt("forget the unmonitored samples") {
            _ = try await database.execute("DELETE FROM uptimeSample WHERE at >= ?", [start])
        }
    }

    /// The samples of `url` since `date`, oldest first.
    public func samples(url: String, since date: Date) async throws(StoreError) -> [UptimeSample] {
        try await attempt("read the samples of \(url)") {
            try await database.fetch(
                "SELECT at, up, status, totalMS, cause FROM uptimeSample WHERE url = ? AND at >= ? ORDER BY at",
                [url, date]
            ).map {
                UptimeSample(
                    at: $0["at"], up: $0["up"], status: $0["status"], totalMS: $0["totalMS"], cause: $0["cause"])
            }
        }
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

    /// One alert message to one destination, kept until delivered.
    public struct OutboxMessage: Sendable, Equatable {
        public var id: Int64
        public var createdAt: Date
        /// `webhook` or `email`.
        public var channel: String
        /// The webhook's URL, or the e-mail's recipients, comma-separated.
        public var destination: String
        public var event: String
        public var portal: String
        public var subject: String
        /// The webhook's JSON, or the whole e-mail (headers and body).
        public var body: String
        public var attempts: Int
        public var deliveredAt: Date?
        public var lastError: String?

        public init(
            id: Int64 = 0, createdAt: Date, channel: String, destination: String, event: String, portal: String,
            subject: String, body: String, attempts: Int = 0, deliveredAt: Date? = nil, lastError: String? = nil
        ) {
            self.id = id
            self.createdAt = createdAt
            self.channel = channel
            self.destination = destination
            self.event = event
            self.portal = portal
            self.subject = subject
            self.body = body
            self.attempts = attempts
            self.deliveredAt = deliveredAt
            self.lastError = lastError
        }
    }

    /// Keeps `messages` to be delivered, in this order (one transaction: all or none).
    public func enqueueAlerts(_ messages: [OutboxMessage]) async throws(StoreError) {
        guard !messages.isEmpty else { return }
        try await attempt("keep \(messages.count) alert messages") {
            _ = try await database.transaction(
                messages.map { message in
                    SQLStatement(
                        """
                        INSERT INTO alertOutbox (createdAt, channel, destination, event, portal, subject, body,
                            attempts, nextAttempt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
                        """,
                        [
                            message.createdAt, message.channel, message.destination, message.event, message.portal,
                            message.subject, message.body, message.createdAt,
                        ])
                })
        }
    }

    static func outboxMessage(_ row: SQLRow) -> OutboxMessage {
        OutboxMessage(
            id: row["id"], createdAt: row["createdAt"], channel: row["channel"], destination: row["destination"],
            event: row["event"], portal: row["portal"], subject: row["subject"], body: row["body"],
            attempts: row["attempts"], deliveredAt: row["deliveredAt"], lastError: row["lastError"])
    }

    /// The messages to try now, oldest first: for each destination its oldest message not yet delivered,
    /// when its next attempt is due at `now` (a destination's later messages wait behind it: they arrive in
    /// the order they were made).
    public func dueAlerts(now: Date, limit: Int = 500) async throws(StoreError) -> [OutboxMessage] {
        try await attempt("read the alerts to deliver") {
            let rows = try await database.fetch(
                """
                SELECT id, createdAt, channel, destination, event, portal, subject, body, attempts, deliveredAt,
                    lastError, nextAttempt
                FROM alertOutbox WHERE deliveredAt IS NULL ORDER BY id LIMIT ?
                """, [limit])
            var seen = Set<String>()
            var due: [OutboxMessage] = []
            for row in rows {
                let message = Self.outboxMessage(row)
                guard seen.insert(message.channel + " " + message.destination).inserted else { continue }
                let next: Date = row["nextAttempt"]
                if next <= now { due.append(message) }
            }
            return due
        }
    }

    /// Every message kept since `date`, delivered or not, oldest first (the dashboard's "who was told when").
    public func alertMessages(since date: Date, limit: Int = 500) async throws(StoreError) -> [OutboxMessage] {
        try await attempt("read the alert messages") {
            try await database.fetch(
                """
                SELECT id, createdAt, channel, destination, event, portal, subject, body, attempts, deliveredAt,
                    lastError
                FROM alertOutbox WHERE createdAt >= ? ORDER BY id LIMIT ?
                """, [date, limit]
            ).map(Self.outboxMessage)
        }
    }

    public func alertDelivered(id: Int64, at date: Date) async throws(StoreError) {
        try await attempt("record an alert delivered") {
            _ = try await database.execute(
                "UPDATE alertOutbox SET deliveredAt = ?, attempts = attempts + 1, lastError = NULL WHERE id = ?",
                [date, id])
        }
    }

    /// Records a failed attempt: tried again at `next`.
    public func alertFailed(id: Int64, error: String, next: Date) async throws(StoreError) {
        try await attempt("record an alert not delivered") {
            _ = try await database.execute(
                "UPDATE alertOutbox SET attempts = attempts + 1, lastError = ?, nextAttempt = ? WHERE id = ?",
                [String(error.prefix(500)), next, id])
        }
    }

    /// The monitor's remembered value named `name` (JSON), if any.
    public func monitorState(_ name: String) async throws(StoreError) -> String? {
        try await attempt("read the monitor's \(name)") {
            try await database.fetch("SELECT value FROM monitorState WHERE name = ?", [name]).first.map { $0["value"] }
        }
    }

    public func setMonitorState(_ name: String, _ value: String, at date: Date) async throws(StoreError) {
        try await attempt("save the monitor's \(name)") {
            _ = try await database.execute(
                """
                INSERT INTO monitorState (name, value, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt
                """, [name, value, date])
        }
    }

    /// Every portal's remembered state of `kind`.
    public func alertStates(kind: AlertSubject) async throws(StoreError) -> [(url: String, state: AlertState)] {
        try await attempt("read the alert states") {
            try await database.fetch(
                "SELECT url, state, since, lastSent FROM alertState WHERE kind = ? ORDER BY url", [kind.rawValue]
            ).compactMap { row in
                AlertCondition(rawValue: row["state"]).map {
                    (row["url"], AlertState(state: $0, since: row["since"], lastSent: row["lastSent"]))
                }
            }
        }
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

    public func alertState(url: String, kind: AlertSubject) async throws(StoreError) -> AlertState? {
        try await attempt("read the alert state of \(url)") {
            try await database.fetch(
                "SELECT state, since, lastSent FROM alertState WHERE url = ? AND kind = ?", [url, kind.rawValue]
            ).first.flatMap { row in
                AlertCondition(rawValue: row["state"]).map {
                    AlertState(state: $0, since: row["since"], lastSent: row["lastSent"])
                }
            }
        }
    }

    public func setAlertState(url: String, kind: AlertSubject, _ state: AlertState) async throws(StoreError) {
        try await attempt("save the alert state of \(url)") {
            _ = try await database.execute(
                """
                INSERT INTO alertState (url, kind, state, since, lastSent) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (url, kind) DO UPDATE SET state = excluded.state, since = excluded.since,
                    lastSent = excluded.lastSent
                """, [url, kind.rawValue, state.state.rawValue, state.since, state.lastSent])
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
        try await attempt("summarise the samples") {
            let rows = try await database.fetch(
                """
                SELECT url,
                       CAST(SUM(CASE WHEN NOT up AND run >= ? THEN 0 ELSE 1 END) AS DOUBLE PRECISION) / COUNT(*)
                           AS ratio
                FROM (SELECT url, up, COUNT(*) OVER (PARTITION BY url, up, upsBefore) AS run
                      FROM (SELECT url, up,
                                   SUM(CASE WHEN up THEN 1 ELSE 0 END)
                                       OVER (PARTITION BY url ORDER BY at ROWS UNBOUNDED PRECEDING) AS upsBefore
                            FROM uptimeSample WHERE at >= ?) AS counted) AS runs
                GROUP BY url
                """, [AvailabilityPolicy.confirmations, date])
            let last = try await database.fetch(
                """
                SELECT s.url, s.up, s.totalMS FROM uptimeSample s
                JOIN (SELECT url, MAX(id) AS id FROM uptimeSample WHERE at >= ? GROUP BY url) m ON m.id = s.id
                """, [date])
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
    }
}
