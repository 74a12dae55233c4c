/// The history's tables and indexes as they stand at v5, declared once: a new history of either engine is
/// created from this (and records v1–v5 as applied), and the migrations from v6 on are written once for both
/// (`AuditStore.sharedMigrations`). SQLite histories older than v5 still reach the same shape through the
/// migrations they were written with (v1–v5, never edited); a test compares all three table by table.
public enum HistorySchema {
    /// What a column holds, rendered in each engine's own type.
    public enum ColumnType: String, Sendable, CaseIterable {
        /// The table's own generated key.
        case key
        /// A whole number (64-bit in PostgreSQL where it refers to a key).
        case integer
        case bigint
        case real
        case text
        case moment
        case flag
        case bytes

        /// The type's name in `dialect`'s DDL.
        func name(_ dialect: SQLDialect) -> String {
            let postgres = dialect == .postgres
            switch self {
            case .key: return postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            case .integer: return "INTEGER"
            case .bigint: return postgres ? "BIGINT" : "INTEGER"
            case .real: return postgres ? "DOUBLE PRECISION" : "DOUBLE"
            case .text: return "TEXT"
            case .moment: return dialect.timestamp
            case .flag: return "BOOLEAN"
            case .bytes: return postgres ? "BYTEA" : "BLOB"
            }
        }
    }

    public struct Column: Sendable {
        public var name: String
        public var type: ColumnType
        public var required: Bool
        /// `table(id)` this column refers to (rows deleted with it).
        public var references: String?

        init(_ name: String, _ type: ColumnType, required: Bool = true, references: String? = nil) {
            self.name = name
            self.type = type
            self.required = required
            self.references = references
        }

        /// The same column, optional.
        static func optional(_ name: String, _ type: ColumnType) -> Column { Column(name, type, required: false) }
    }

    public struct Table: Sendable {
        public var name: String
        public var columns: [Column]
        /// Column sets that are unique together (`UNIQUE (…)`).
        public var unique: [[String]] = []
        /// A primary key over several columns (a `.key` column is its table's key otherwise).
        public var primaryKey: [String] = []
    }

    public struct Index: Sendable {
        public var name: String
        public var table: String
        public var columns: [String]
    }

    /// The migrations a new history is created at: it records them as applied.
    public static let baselineIdentifiers = [
        "v1-initial", "v2-uptime-alerts", "v3-run-lease", "v4-lean-results", "v5-dashboard-columns",
    ]

    public static let tables: [Table] = [
        Table(
            name: "auditRun",
            columns: [
                Column("id", .key), Column("startedAt", .moment), .optional("finishedAt", .moment),
                Column("status", .text), Column("inventory", .text), Column("profile", .text),
                Column("planned", .integer), Column("toolVersion", .text), Column("evaluationVersion", .integer),
                .optional("leaseHolder", .text), .optional("leaseHost", .text), .optional("leasePID", .integer),
                .optional("leaseHeartbeat", .moment),
            ]),
        Table(
            name: "portalResult",
            columns: [
                Column("id", .key), Column("runID", .bigint, references: "auditRun"), Column("url", .text),
                .optional("name", .text), Column("observedAt", .moment), Column("verdict", .text),
                Column("score", .integer), Column("grade", .text), Column("profileID", .text),
                Column("profileVersion", .integer), Column("durationMS", .integer), Column("connections", .integer),
                Column("tlsHandshakes", .integer), Column("observation", .bytes), .optional("province", .text),
                .optional("district", .text), .optional("commune", .text), .optional("level", .integer),
                .optional("certNotAfter", .moment),
            ],
            unique: [["runID", "url"]]),
        Table(
            name: "finding",
            columns: [
                Column("portalResultID", .bigint, references: "portalResult"), Column("rule", .text),
                Column("status", .text), Column("resultCode", .text),
            ]),
        Table(
            name: "profileRule",
            columns: [
                Column("profileID", .text), Column("profileVersion", .integer), Column("rule", .text),
                Column("requirement", .text), Column("severity", .text), Column("source", .text),
                .optional("sourceEN", .text), .optional("confidence", .text),
            ],
            primaryKey: ["profileID", "profileVersion", "rule"]),
        Table(
            name: "uptimeSample",
            columns: [
                Column("id", .key), Column("url", .text), Column("at", .moment), Column("up", .flag),
                .optional("status", .integer), .optional("totalMS", .real), .optional("cause", .text),
            ]),
        Table(
            name: "alertState",
            columns: [
                Column("url", .text), Column("kind", .text), Column("state", .text), Column("since", .moment),
                .optional("lastSent", .moment),
            ],
            primaryKey: ["url", "kind"]),
    ]

    public static let indexes: [Index] = [
        Index(name: "portalResultURL", table: "portalResult", columns: ["url", "observedAt"]),
        Index(name: "portalResultRunVerdict", table: "portalResult", columns: ["runID", "verdict"]),
        Index(
            name: "portalResultRunUnit", table: "portalResult",
            columns: ["runID", "province", "district", "commune", "verdict"]),
        Index(name: "portalResultURLRun", table: "portalResult", columns: ["url", "runID"]),
        Index(name: "findingRule", table: "finding", columns: ["rule", "status"]),
        Index(name: "findingResult", table: "finding", columns: ["portalResultID"]),
        Index(name: "uptimeSampleURL", table: "uptimeSample", columns: ["url", "at"]),
        Index(name: "uptimeSampleAt", table: "uptimeSample", columns: ["at"]),
    ]

    /// The statements that create the v5 schema in `dialect`.
    public static func statements(_ dialect: SQLDialect) -> [String] {
        let creates = tables.map { table in
            var lines = table.columns.map { column in
                var line = "\(column.name) \(column.type.name(dialect))"
                if column.required && column.type != .key { line += " NOT NULL" }
                if let target = column.references { line += " REFERENCES \(target)(id) ON DELETE CASCADE" }
                return line
            }
            lines += table.unique.map { "UNIQUE (\($0.joined(separator: ", ")))" }
            if !table.primaryKey.isEmpty { lines.append("PRIMARY KEY (\(table.primaryKey.joined(separator: ", ")))") }
            return "CREATE TABLE \(table.name) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
        }
        return creates
            + indexes.map { "CREATE INDEX \($0.name) ON \($0.table)(\($0.columns.joined(separator: ", ")))" }
    }
}
