import CLibPQ
import Foundation
import PortalAuditStore

/// The history in PostgreSQL, through the system's libpq: the national history several scanners write at
/// once. The store's statements are the same as SQLite's (placeholders numbered here).
///
/// A lost connection or a database that restarts is waited out: each statement (each transaction) is
/// retried with backoff for up to `retryFor` seconds, so a scan loses no finished result while the server
/// is away. A transaction that fails for another reason is rolled back and its error said in full.
public final class PostgresHistory: SQLDatabase {
    public let location: String
    public var dialect: SQLDialect { .postgres }
    private let pool: ConnectionPool
    private let retryFor: TimeInterval
    private let sleep: @Sendable (Duration) async throws -> Void

    /// A history at `location` with at most `connections` connections (opened as needed), libpq reading
    /// the rest of its settings as `psql` does (`PGPASSWORD`, `~/.pgpass`, `PGSERVICE`, `PGSSLMODE`, …).
    /// - Parameters:
    ///   - password: the password from `--db-password-file`, which overrides every other.
    ///   - sleep: how a retry waits (a test's clock in tests).
    public init(
        _ location: PostgresLocation, password: String?, connections: Int, retryFor: TimeInterval = 120,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        // Defaults first (the address overrides them), then the address, then the password file.
        var keywords = ["fallback_application_name"]
        var values = ["portal-audit"]
        let environment = ProcessInfo.processInfo.environment
        if environment["PGCONNECT_TIMEOUT"] == nil {
            keywords.append("connect_timeout")
            values.append("10")
        }
        keywords.append("dbname")
        values.append(location.conninfo)
        if let password {
            keywords.append("password")
            values.append(password)
        }
        let (fixedKeywords, fixedValues) = (keywords, values)
        pool = ConnectionPool(capacity: connections) { () throws(PostgresFailure) in
            try PostgresConnection(keywords: fixedKeywords, values: fixedValues)
        }
        self.location = location.redacted
        self.retryFor = retryFor
        self.sleep = sleep
    }

    /// Connects once (the connection is kept for the work that follows): the server is there and takes
    /// these credentials, or the error says why, at once.
    public func connect() async throws {
        _ = try await pool.withConnection { _ in true }
    }

    /// What the connection is: the server's version, TLS, and the settings libpq resolved (no password).
    public func describe() async throws -> PostgresConnectionFacts {
        try await pool.withConnection { connection in
            PostgresConnectionFacts(
                serverVersion: connection.serverVersion, usesTLS: connection.usesTLS, settings: connection.settings)
        }
    }

    /// libpq's version as a number (150018 for 15.18).
    public static var libraryVersion: Int { Int(PQlibVersion()) }

    public func close() async {
        await pool.close()
    }

    // MARK: statements

    public func fetch(_ statement: SQLStatement) async throws -> [SQLRow] {
        let (sql, arguments) = try Self.numbered(statement)
        return try await retrying { connection in try connection.run(sql, arguments) }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        let numbered = try statements.map(Self.numbered)
        return try await retrying { connection in
            _ = try connection.run("BEGIN", [])
            do {
                var results: [[SQLRow]] = []
                for (sql, arguments) in numbered { results.append(try connection.run(sql, arguments)) }
                _ = try connection.run("COMMIT", [])
                return results
            } catch {
                if connection.isUsable { _ = try? connection.run("ROLLBACK", []) }
                throw error
            }
        }
    }

    /// Runs `body` again while the failure is the server being away (restarting, the connection lost),
    /// waiting 0.1 s, 0.2 s, … up to 5 s between tries, for at most `retryFor` seconds in all.
    private func retrying<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws
        -> T
    {
        let deadline = Date(timeIntervalSinceNow: retryFor)
        var pause = 0.1
        while true {
            do {
                return try await pool.withConnection(body)
            } catch let failure as PostgresFailure {
                guard failure.isTransient, Date() < deadline, !Task.isCancelled else { throw failure }
                try await sleep(.seconds(pause))
                pause = min(pause * 2, 5)
            }
        }
    }

    /// `statement` with its `?` numbered `$1, $2, …` (outside quoted text).
    static func numbered(_ statement: SQLStatement) throws -> (String, [SQLValue]) {
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
                message: "a statement has \(number) placeholders for \(statement.arguments.count) values",
                transient: false)
        }
        return (sql, statement.arguments)
    }

    // MARK: migrations

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
        let baseline = HistorySchema.baselineIdentifiers
        let steps =
            [SQLMigration(identifier: baseline[baseline.count - 1], statements: HistorySchema.statements(.postgres))]
            + migrations
        func applied(_ identifier: String) async throws -> Bool {
            try await !transaction([
                lock, ledger,
                SQLStatement("SELECT 1 AS applied FROM grdb_migrations WHERE identifier = ?", [identifier]),
            ])[2].isEmpty
        }
        for step in steps {
            if try await applied(step.identifier) { continue }
            let identifiers = step.identifier == baseline[baseline.count - 1] ? baseline : [step.identifier]
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
        let known = Set(baseline + migrations.map(\.identifier))
        if let unknown = try await appliedMigrations().first(where: { !known.contains($0) }) {
            throw PostgresFailure(
                message: "\(location) was migrated by a newer portal-audit (\(unknown)); upgrade before writing to it",
                transient: false)
        }
    }
}

/// What `doctor` says of a PostgreSQL connection.
public struct PostgresConnectionFacts: Sendable {
    /// The server's version as a number (150018 for 15.18).
    public var serverVersion: Int
    /// Whether the connection is encrypted.
    public var usesTLS: Bool
    /// The settings libpq resolved (the password left out).
    public var settings: [String: String]

    public init(serverVersion: Int, usesTLS: Bool, settings: [String: String]) {
        self.serverVersion = serverVersion
        self.usesTLS = usesTLS
        self.settings = settings
    }
}
