import Foundation
import Logging
import NIOCore
import NIOSSL
import PortalAuditStore
import PostgresNIO
import Synchronization
import _ConnectionPoolModule

/// The history in PostgreSQL, through postgres-nio's pooled client: the national history several
/// scanners write at once. The store's statements are the same as SQLite's (placeholders numbered here).
///
/// A lost connection or a database that restarts is waited out: each statement (each transaction) is
/// retried with backoff for up to `retryFor` seconds, so a scan loses no finished result while the server
/// is away. A transaction that fails for another reason is rolled back and its error said in full.
public final class PostgresHistory: SQLDatabase {
    public let location: String
    public var dialect: SQLDialect { .postgres }
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let retryFor: TimeInterval
    private let logger: Logger

    /// Connects to `location` with at most `connections` connections (the pool opens them as needed).
    public init(_ location: PostgresLocation, password: String?, connections: Int, retryFor: TimeInterval = 120)
        throws
    {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: password ?? location.password, database: location.database,
            tls: try Self.tls(location))
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.connectTimeout = .seconds(10)
        var logger = Logger(label: "portal-audit.postgres")
        logger.logLevel = .critical
        var first = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: password ?? location.password, database: location.database, tls: .disable)
        if location.tls != .disable {
            first.tls = .require(try NIOSSLContext(configuration: Self.tlsConfiguration(location)))
        }
        first.options.connectTimeout = .seconds(10)
        firstConnection = first
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.location = location.redacted
        self.retryFor = retryFor
        runner = Task { await client.run() }
    }

    private static func tls(_ location: PostgresLocation) throws -> PostgresClient.Configuration.TLS {
        location.tls == .disable ? .disable : .require(tlsConfiguration(location))
    }

    private static func tlsConfiguration(_ location: PostgresLocation) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let file = location.rootCertificate { tls.trustRoots = .file(file) }
        return tls
    }

    /// The first connection's settings: `connect` tries them once, so that a wrong address, password or
    /// certificate is said at once (the pool would only retry, then report its circuit breaker).
    private let firstConnection: PostgresConnection.Configuration

    /// Connects once and lets go: the server is there and takes these credentials, or the error says why.
    public func connect() async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: firstConnection, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresFailure(error)
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    // MARK: statements

    public func fetch(_ statement: SQLStatement) async throws -> [SQLRow] {
        let query = try Self.query(statement)
        let (client, logger) = (self.client, self.logger)
        return try await retrying {
            var rows: [SQLRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(Self.row(row)) }
            return rows
        }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        let queries = try statements.map(Self.query)
        let (client, logger) = (self.client, self.logger)
        return try await retrying {
            try await client.withTransaction(logger: logger) { connection in
                var results: [[SQLRow]] = []
                for query in queries {
                    var rows: [SQLRow] = []
                    for try await row in try await connection.query(query, logger: logger) {
                        rows.append(Self.row(row))
                    }
                    results.append(rows)
                }
                return results
            }
        }
    }

    /// Runs `body` again while the failure is the server being away (restarting, the connection lost),
    /// waiting 0.1 s, 0.2 s, … up to 5 s between tries, for at most `retryFor` seconds in all. A try that
    /// has not answered in `attemptLimit` is abandoned and counts as such a failure: a request caught on a
    /// connection the restart dropped must not hold a portal (and its claim) forever.
    private func retrying<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = Date(timeIntervalSinceNow: retryFor)
        var pause = 0.1
        while true {
            do {
                return try await Self.limited(attemptLimit, body)
            } catch {
                guard Self.isTransient(error), Date() < deadline, !Task.isCancelled else {
                    throw PostgresFailure(error)
                }
                try await Task.sleep(for: .seconds(pause))
                pause = min(pause * 2, 5)
            }
        }
    }

    /// How long one try may take: a page of 500 results, a transaction of a portal's rows, a run's results
    /// take far less. After a restart postgres-nio can leave one request on a
    /// dropped connection unanswered (seen about once a restart): it is tried again after this.
    let attemptLimit: Duration = .seconds(20)

    /// `body`'s answer, or `AttemptTimeout` after `limit` (the try is then cancelled and left behind).
    static func limited<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { race.start($0, limit: limit, body) }
    }

    /// A failure that waiting can cure: no connection, a connection lost, the server shutting down or starting.
    static func isTransient(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .compactMap { $0 }.contains(where: isTransient)
        }
        if error is AttemptTimeout { return true }
        if let pool = error as? ConnectionPoolError {
            return pool == .connectionCreationCircuitBreakerTripped
        }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions.
            return state.hasPrefix("57P") || state.hasPrefix("08")
        default:
            return false
        }
    }

    // MARK: migrations

    /// The schema SQLite reaches at v5, in PostgreSQL's types: a new PostgreSQL history starts there (no
    /// PostgreSQL history ever held the older shapes), and records v1–v5 as applied so that later
    /// migrations, written once for both engines, follow the same ledger.
    static let baseline: [String] = [
        """
        CREATE TABLE auditRun (
            id BIGSERIAL PRIMARY KEY,
            startedAt TIMESTAMPTZ NOT NULL,
            finishedAt TIMESTAMPTZ,
            status TEXT NOT NULL,
            inventory TEXT NOT NULL,
            profile TEXT NOT NULL,
            planned INTEGER NOT NULL,
            toolVersion TEXT NOT NULL,
            evaluationVersion INTEGER NOT NULL,
            leaseHolder TEXT,
            leaseHost TEXT,
            leasePID INTEGER,
            leaseHeartbeat TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE portalResult (
            id BIGSERIAL PRIMARY KEY,
            runID BIGINT NOT NULL REFERENCES auditRun(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            name TEXT,
            observedAt TIMESTAMPTZ NOT NULL,
            verdict TEXT NOT NULL,
            score INTEGER NOT NULL,
            grade TEXT NOT NULL,
            profileID TEXT NOT NULL,
            profileVersion INTEGER NOT NULL,
            durationMS INTEGER NOT NULL,
            connections INTEGER NOT NULL,
            tlsHandshakes INTEGER NOT NULL,
            observation BYTEA NOT NULL,
            province TEXT,
            district TEXT,
            commune TEXT,
            level INTEGER,
            certNotAfter TIMESTAMPTZ,
            UNIQUE (runID, url)
        )
        """,
        "CREATE INDEX portalResultURL ON portalResult(url, observedAt)",
        "CREATE INDEX portalResultRunVerdict ON portalResult(runID, verdict)",
        "CREATE INDEX portalResultRunUnit ON portalResult(runID, province, district, commune, verdict)",
        "CREATE INDEX portalResultURLRun ON portalResult(url, runID)",
        """
        CREATE TABLE finding (
            portalResultID BIGINT NOT NULL REFERENCES portalResult(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            status TEXT NOT NULL,
            resultCode TEXT NOT NULL
        )
        """,
        "CREATE INDEX findingRule ON finding(rule, status)",
        "CREATE INDEX findingResult ON finding(portalResultID)",
        """
        CREATE TABLE profileRule (
            profileID TEXT NOT NULL,
            profileVersion INTEGER NOT NULL,
            rule TEXT NOT NULL,
            requirement TEXT NOT NULL,
            severity TEXT NOT NULL,
            source TEXT NOT NULL,
            sourceEN TEXT,
            confidence TEXT,
            PRIMARY KEY (profileID, profileVersion, rule)
        )
        """,
        """
        CREATE TABLE uptimeSample (
            id BIGSERIAL PRIMARY KEY,
            url TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            up BOOLEAN NOT NULL,
            status INTEGER,
            totalMS DOUBLE PRECISION,
            cause TEXT
        )
        """,
        "CREATE INDEX uptimeSampleURL ON uptimeSample(url, at)",
        "CREATE INDEX uptimeSampleAt ON uptimeSample(at)",
        """
        CREATE TABLE alertState (
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            since TIMESTAMPTZ NOT NULL,
            lastSent TIMESTAMPTZ,
            PRIMARY KEY (url, kind)
        )
        """,
    ]

    /// The SQLite migrations the baseline stands for.
    static let baselineIdentifiers = [
        "v1-initial", "v2-uptime-alerts", "v3-run-lease", "v4-lean-results", "v5-dashboard-columns",
    ]

    public func appliedMigrations() async throws -> [String] {
        let exists = try await fetch(SQLStatement("SELECT to_regclass('grdb_migrations') IS NOT NULL AS present"))
        guard exists.first?["present"] == true else { return [] }
        return try await fetch(SQLStatement("SELECT identifier FROM grdb_migrations ORDER BY identifier")).map {
            $0["identifier"]
        }
    }

    /// Applies the baseline and `migrations` not yet applied, each in a transaction holding an advisory lock.
    /// Several scanners starting on a new database at once: the later ones wait on the lock, then fail on
    /// a table the first created; the ledger then shows the migration applied, and they go on.
    public func migrate(_ migrations: [SQLMigration]) async throws {
        let lock = SQLStatement("SELECT pg_advisory_xact_lock(7340)")
        let ledger = SQLStatement("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let steps = [SQLMigration(identifier: Self.baselineIdentifiers[4], statements: Self.baseline)] + migrations
        func applied(_ identifier: String) async throws -> Bool {
            try await !transaction([
                lock, ledger,
                SQLStatement("SELECT 1 AS applied FROM grdb_migrations WHERE identifier = ?", [identifier]),
            ])[2].isEmpty
        }
        for step in steps {
            if try await applied(step.identifier) { continue }
            let identifiers =
                step.identifier == Self.baselineIdentifiers[4] ? Self.baselineIdentifiers : [step.identifier]
            let statements =
                [lock, ledger] + step.statements.map { SQLStatement($0) }
                + identifiers.map { SQLStatement("INSERT INTO grdb_migrations (identifier) VALUES (?)", [$0]) }
            do {
                _ = try await transaction(statements)
            } catch {
                if try await applied(step.identifier) { continue }
                throw error
            }
        }
        let known = Set(Self.baselineIdentifiers + migrations.map(\.identifier))
        if let unknown = try await appliedMigrations().first(where: { !known.contains($0) }) {
            throw PostgresFailure(
                message: "\(location) was migrated by a newer portal-audit (\(unknown)); upgrade before writing to it")
        }
    }

    // MARK: values

    /// `statement` with its `?` numbered `$1, $2, …` (outside quoted text) and its arguments bound.
    static func query(_ statement: SQLStatement) throws -> PostgresQuery {
        var sql = ""
        var number = 0
        var quoted = false
        for character in statement.sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                sql += "$\(number)"
            } else {
                sql.append(character)
            }
        }
        guard number == statement.arguments.count else {
            throw PostgresFailure(
                message: "a statement has \(number) placeholders for \(statement.arguments.count) values")
        }
        var binds = PostgresBindings(capacity: number)
        for value in statement.arguments {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            case .text(let text): binds.append(text)
            case .blob(let data): binds.append(ByteBuffer(bytes: data))
            case .date(let date): binds.append(Moment(date))
            case .bool(let bool): binds.append(bool)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// A row as the store reads it: each cell by its type (every type the schema uses).
    static func row(_ row: PostgresRow) -> SQLRow {
        var names: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            names.append(cell.columnName)
            values.append(value(cell))
        }
        return SQLRow(names: names, values: values, parseDate: { _ in nil })
    }

    private static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map { .integer($0) } ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map { .real($0) } ?? .null
        case .numeric:
            return (try? cell.decode(Decimal.self)).map { .real(NSDecimalNumber(decimal: $0).doubleValue) } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .bool($0) } ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Data($0.readableBytesView)) } ?? .null
        case .timestamptz, .timestamp:
            return (try? cell.decode(Date.self)).map { .date($0) } ?? .null
        default:
            return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}

/// A try and its time limit: whichever ends first answers, and the other is cancelled.
final class Race<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func start(
        _ continuation: CheckedContinuation<T, any Error>, limit: Duration,
        _ body: @escaping @Sendable () async throws -> T
    ) {
        self.continuation.withLock { $0 = continuation }
        let work = Task {
            do { self.finish(.success(try await body())) } catch { self.finish(.failure(error)) }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            self.finish(.failure(AttemptTimeout()))
        }
        tasks.withLock { $0 = [work, timer] }
    }

    private func finish(_ result: Result<T, any Error>) {
        guard let continuation = continuation.withLock({ $0.take() }) else { return }
        continuation.resume(with: result)
        tasks.withLock { $0.forEach { $0.cancel() } }
    }
}

/// A try at the database that did not answer in time.
struct AttemptTimeout: Error, CustomStringConvertible {
    var description: String { "the PostgreSQL server did not answer in time" }
}

/// A moment bound as `timestamptz`, rounded to the microsecond (postgres-nio's `Date` truncates: a time
/// read from SQLite, in milliseconds, would come back a microsecond early).
struct Moment: PostgresNonThrowingEncodable {
    var date: Date

    init(_ date: Date) { self.date = date }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    /// 2000-01-01T00:00:00Z, PostgreSQL's epoch.
    static let epoch = Date(timeIntervalSince1970: 946_684_800)

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(Int64((date.timeIntervalSince(Self.epoch) * 1_000_000).rounded()))
    }
}

/// A PostgreSQL failure said in full (postgres-nio's own description hides the server's message).
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The server's SQLSTATE, when the server answered.
    public var sqlState: String?

    init(message: String) {
        description = message
        sqlState = nil
    }

    init(_ error: any Error) {
        if let failure = error as? PostgresFailure {
            self = failure
            return
        }
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError
        {
            self.init(inner)
            return
        }
        guard let error = error as? PSQLError else {
            self.init(message: "\(error)")
            return
        }
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            var text = "PostgreSQL: \(info[.message] ?? "error") (SQLSTATE \(state))"
            if let detail = info[.detail] { text += ": \(detail)" }
            if state == "53100" { text += " — the database server's disk is full: free space there, then resume" }
            if state == "28P01" || state == "28000" { text += " — check the user and PGPASSWORD or --db-password-file" }
            self.init(message: text)
            sqlState = state
            return
        }
        switch error.code {
        case .connectionError where "\(error.underlying.map { "\($0)" } ?? "")".contains("CERTIFICATE_VERIFY_FAILED"):
            self.init(
                message: "the PostgreSQL server's certificate is not trusted (sslrootcert=FILE names the CA to trust)")
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            self.init(message: "cannot reach the PostgreSQL server (\(error.code))\(cause)")
        case .authMechanismRequiresPassword:
            self.init(message: "the PostgreSQL server asks for a password: set PGPASSWORD or --db-password-file")
        case .sslUnsupported:
            self.init(message: "the PostgreSQL server does not offer TLS (sslmode asks for it)")
        default:
            self.init(message: "PostgreSQL: \(error.code)\(error.underlying.map { ": \($0)" } ?? "")")
        }
    }
}
