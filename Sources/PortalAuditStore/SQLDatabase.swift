import Foundation

/// A value bound to a statement or read from a row, the same for SQLite and PostgreSQL.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case date(Date)
    case bool(Bool)
}

/// A Swift value that binds as an `SQLValue`.
public protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .bool(self) } }
extension Date: SQLBindable { public var sqlValue: SQLValue { .date(self) } }
extension Data: SQLBindable { public var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One statement, with `?` placeholders (a PostgreSQL backend numbers them) and its arguments.
public struct SQLStatement: Sendable {
    public var sql: String
    public var arguments: [SQLValue]

    public init(_ sql: String, _ arguments: [any SQLBindable] = []) {
        self.sql = sql
        self.arguments = arguments.map(\.sqlValue)
    }
}

/// A Swift value read from a column.
public protocol SQLDecodable {
    /// `nil` when `value` cannot be this type.
    static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Self?
}

extension Int64: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Int64? {
        switch value {
        case .integer(let integer): return integer
        case .real(let real): return Int64(exactly: real.rounded())
        case .bool(let bool): return bool ? 1 : 0
        case .text(let text): return Int64(text)
        default: return nil
        }
    }
}

extension Int: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Int? {
        Int64.decode(value, dateParser: dateParser).flatMap { Int(exactly: $0) }
    }
}

extension Double: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Double? {
        switch value {
        case .integer(let integer): return Double(integer)
        case .real(let real): return real
        case .text(let text): return Double(text)
        default: return nil
        }
    }
}

extension Bool: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Bool? {
        switch value {
        case .bool(let bool): return bool
        case .integer(let integer): return integer != 0
        default: return nil
        }
    }
}

extension String: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> String? {
        switch value {
        case .text(let text): return text
        case .integer(let integer): return String(integer)
        default: return nil
        }
    }
}

extension Data: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Data? {
        switch value {
        case .blob(let data): return data
        case .text(let text): return Data(text.utf8)
        default: return nil
        }
    }
}

extension Date: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Date? {
        switch value {
        case .date(let date): return date
        case .text(let text): return dateParser(text)
        case .real(let seconds): return Date(timeIntervalSince1970: seconds)
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        default: return nil
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(_ value: SQLValue, dateParser: (String) -> Date?) -> Wrapped?? {
        if value == .null { return .some(nil) }
        return Wrapped.decode(value, dateParser: dateParser).map { .some($0) }
    }
}

/// One row of a result, its columns by name (case-insensitive: PostgreSQL folds unquoted names).
public struct SQLRow: Sendable {
    private var names: [String]
    private var values: [SQLValue]
    private var parseDate: @Sendable (String) -> Date?

    public init(names: [String], values: [SQLValue], parseDate: @escaping @Sendable (String) -> Date?) {
        self.names = names.map { $0.lowercased() }
        self.values = values
        self.parseDate = parseDate
    }

    /// The column's raw value (`.null` when the row has no such column).
    public func value(_ name: String) -> SQLValue {
        let key = name.lowercased()
        guard let index = names.firstIndex(of: key) else { return .null }
        return values[index]
    }

    /// Every column with its name, in the order of the query.
    public var columns: [(name: String, value: SQLValue)] { Array(zip(names, values)) }

    /// The column as `T`. The store reads only what it wrote: a column of another type is a programming
    /// error (as with GRDB's rows).
    public subscript<T: SQLDecodable>(_ name: String) -> T {
        let raw = value(name)
        guard let decoded = T.decode(raw, dateParser: parseDate) else {
            preconditionFailure("column \(name) holds \(raw), not \(T.self)")
        }
        return decoded
    }
}

/// Where the two engines differ in the statements the store sends.
public struct SQLDialect: Sendable, Equatable {
    /// Aggregates a text column, comma-separated.
    public var groupConcat: String
    /// Case-insensitive (for ASCII) `LIKE`.
    public var caseInsensitiveLike: String
    /// Appended to a claim's inner select: skip the rows another scanner holds.
    public var skipLocked: String
    /// The column type of a moment.
    public var timestamp: String
    /// The database's own clock, as a moment written like the others (leases and claims are judged on it, so
    /// scanners whose clocks differ never take each other's work).
    public var now: String
    /// Seconds since the moment in column `COLUMN`, on the database's clock.
    var ageTemplate: String
    /// The engine's name in messages.
    public var name: String

    /// Seconds since the moment in `column`, on the database's clock.
    public func age(_ column: String) -> String { ageTemplate.replacingOccurrences(of: "COLUMN", with: column) }

    public static let sqlite = SQLDialect(
        groupConcat: "group_concat", caseInsensitiveLike: "LIKE", skipLocked: "", timestamp: "DATETIME",
        now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
        ageTemplate: "((julianday('now') - julianday(COLUMN)) * 86400.0)", name: "SQLite")
    public static let postgres = SQLDialect(
        groupConcat: "string_agg", caseInsensitiveLike: "ILIKE", skipLocked: "FOR UPDATE SKIP LOCKED",
        timestamp: "TIMESTAMPTZ", now: "clock_timestamp()",
        ageTemplate: "(EXTRACT(EPOCH FROM (clock_timestamp() - COLUMN))::float8)", name: "PostgreSQL")
}

/// The engine under the history: what the store's statements run on.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Where it is, for messages (a path, or `postgres://user@host:port/db` without a password).
    var location: String { get }
    /// The rows of one query.
    func fetch(_ statement: SQLStatement) async throws -> [SQLRow]
    /// Runs `statements` in one transaction and returns the rows each returned (`RETURNING`).
    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]]
    /// The migrations applied, oldest first.
    func appliedMigrations() async throws -> [String]
    /// Applies `migrations` not yet applied, each in its transaction, and records it.
    func migrate(_ migrations: [SQLMigration]) async throws
    /// Lets go of the connections.
    func close() async
}

extension SQLDatabase {
    public func fetch(_ sql: String, _ arguments: [any SQLBindable] = []) async throws -> [SQLRow] {
        try await fetch(SQLStatement(sql, arguments))
    }

    @discardableResult
    public func execute(_ sql: String, _ arguments: [any SQLBindable] = []) async throws -> [SQLRow] {
        try await transaction([SQLStatement(sql, arguments)])[0]
    }
}

/// A migration written once for both engines (from v6 on; v1–v5 are SQLite's, see `AuditStore.migrator`).
public struct SQLMigration: Sendable {
    public var identifier: String
    public var statements: [String]

    public init(identifier: String, statements: [String]) {
        self.identifier = identifier
        self.statements = statements
    }
}
