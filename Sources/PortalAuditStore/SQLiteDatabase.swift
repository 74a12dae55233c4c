import Foundation
import GRDB

/// The embedded history: one SQLite file in WAL mode, through GRDB's pool (reads on its own queues, one
/// writer at a time).
final class SQLiteDatabase: SQLDatabase {
    let pool: DatabasePool
    let location: String
    var dialect: SQLDialect { .sqlite }

    init(pool: DatabasePool, path: String) {
        self.pool = pool
        location = path
    }

    /// Reads on GRDB's reader queues. GRDB's async reads honour cancellation; a scan being stopped
    /// (Ctrl-C) still reads its summary: a cancelled task reads synchronously instead.
    func fetch(_ statement: SQLStatement) async throws -> [SQLRow] {
        if Task.isCancelled { return try readNow(statement) }
        do {
            return try await pool.read { db in try Self.rows(statement, db) }
        } catch is CancellationError {
            return try readNow(statement)
        }
    }

    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        try await pool.write { db in try statements.map { try Self.rows($0, db) } }
    }

    /// The synchronous read (a non-async function, so GRDB's blocking overload is the one chosen).
    private func readNow(_ statement: SQLStatement) throws -> [SQLRow] {
        try pool.read { db in try Self.rows(statement, db) }
    }

    func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try AuditStore.migrator.appliedIdentifiers(db).sorted() }
    }

    /// SQLite's migrations are registered with GRDB's migrator (v1–v5 and the shared ones after them)
    /// and applied when the store opens.
    func migrate(_ migrations: [SQLMigration]) async throws {
        try AuditStore.migrate(pool)
    }

    func close() async {
        try? pool.close()
    }

    static func rows(_ statement: SQLStatement, _ db: Database) throws -> [SQLRow] {
        let arguments = StatementArguments(statement.arguments.map(databaseValue))
        return try Row.fetchAll(db, sql: statement.sql, arguments: arguments).map { row in
            SQLRow(
                names: Array(row.columnNames), values: row.databaseValues.map(sqlValue), parseDate: parseDate)
        }
    }

    /// GRDB's own date text ("yyyy-MM-dd HH:mm:ss.SSS", UTC), as every history since v1 has stored it.
    @Sendable static func parseDate(_ text: String) -> Date? {
        Date.fromDatabaseValue(text.databaseValue)
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let integer): return integer.databaseValue
        case .real(let real): return real.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let data): return data.databaseValue
        case .date(let date): return date.databaseValue
        case .bool(let bool): return bool.databaseValue
        }
    }

    static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let real): return .real(real)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob(data)
        }
    }
}
