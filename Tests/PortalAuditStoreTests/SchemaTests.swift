import Foundation
import PortalAuditKit
import PortalAuditTestSupport
import Testing

@testable import PortalAuditStore

/// A history's schema as a set of lines, in words both engines share: each column (its kind of type and
/// whether it is required), each index, each primary key, unique set and reference.
private func schema(_ store: AuditStore) async throws -> Set<String> {
    let database = store.database
    var lines: Set<String> = []
    if database.dialect == .sqlite {
        let tables = try await database.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"
        ).map { $0["name"] as String }
        for table in tables {
            for column in try await database.fetch(
                "SELECT name, type, \"notnull\" AS required, pk FROM pragma_table_info(?)", [table])
            {
                let required = (column["required"] as Int) == 1 || (column["pk"] as Int) > 0
                lines.insert(
                    "column \(table).\(column["name"] as String) \(kind(column["type"])) \(required ? "required" : "optional")"
                        .lowercased())
            }
            let keys = try await database.fetch(
                "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]
            )
            .map { $0["name"] as String }
            if !keys.isEmpty { lines.insert("primary \(table)(\(keys.joined(separator: ",")))".lowercased()) }
            for index in try await database.fetch("SELECT name, origin FROM pragma_index_list(?)", [table]) {
                let columns = try await database.fetch(
                    "SELECT name FROM pragma_index_info(?) ORDER BY seqno", [index["name"] as String]
                ).map { $0["name"] as String }.joined(separator: ",")
                switch index["origin"] as String {
                case "u": lines.insert("unique \(table)(\(columns))".lowercased())
                case "c": lines.insert("index \(index["name"] as String) \(table)(\(columns))".lowercased())
                default: break  // the primary key's own index: said above
                }
            }
            for reference in try await database.fetch(
                "SELECT \"from\" AS source, \"table\" AS target FROM pragma_foreign_key_list(?)", [table])
            {
                lines.insert(
                    "reference \(table).\(reference["source"] as String) \(reference["target"] as String)".lowercased())
            }
        }
    } else {
        for column in try await database.fetch(
            """
            SELECT table_name AS tbl, column_name AS name, data_type AS type, is_nullable AS nullable
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name != 'grdb_migrations'
            """)
        {
            let required = (column["nullable"] as String) == "NO"
            lines.insert(
                "column \(column["tbl"] as String).\(column["name"] as String) \(kind(column["type"])) \(required ? "required" : "optional")"
                    .lowercased())
        }
        for constraint in try await database.fetch(
            """
            SELECT c.contype AS kind, t.relname AS tbl, r.relname AS target,
                array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS cols
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
            WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
                AND t.relname != 'grdb_migrations'
            """)
        {
            let table = constraint["tbl"] as String
            let columns = constraint["cols"] as String
            switch constraint["kind"] as String {
            case "p": lines.insert("primary \(table)(\(columns))".lowercased())
            case "u": lines.insert("unique \(table)(\(columns))".lowercased())
            default: lines.insert("reference \(table).\(columns) \(constraint["target"] as String)".lowercased())
            }
        }
        for index in try await database.fetch(
            """
            SELECT i.relname AS name, t.relname AS tbl,
                array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') AS cols
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            WHERE t.relnamespace = 'public'::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
            """)
        {
            lines.insert("index \(index["name"] as String) \(index["tbl"] as String)(\(index["cols"] as String))")
        }
    }
    return lines
}

/// A declared type in the kind both engines share.
private func kind(_ type: String) -> String {
    switch type.uppercased() {
    case "INTEGER", "BIGINT": return "integer"
    case "DATETIME", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE": return "moment"
    case "TEXT": return "text"
    case "BOOLEAN": return "flag"
    case "DOUBLE", "DOUBLE PRECISION": return "real"
    case "BLOB", "BYTEA": return "bytes"
    default: return "unknown type \(type)"
    }
}

@Suite("One schema for both engines")
struct SchemaTests {
    @Test(
        "a new SQLite history, a new PostgreSQL history and an SQLite history migrated from v3 have the same tables, columns, types, keys and indexes"
    )
    func sameSchema() async throws {
        let sqlite = try await Engine.open(try await Engine.sqlite.freshAddress())
        let postgres = try await Engine.open(try await Engine.postgres.freshAddress())
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("v3-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(
            atPath: Repository.root.appendingPathComponent("Tests/Fixtures/history-v3.sqlite").path, toPath: copy)
        let migrated = try await Engine.open(copy)
        let (a, b, c) = (try await schema(sqlite), try await schema(postgres), try await schema(migrated))
        #expect(a.count > 50 && !a.contains { $0.contains("unknown type") }, "\(a.sorted())")
        #expect(a == b, "SQLite only: \(a.subtracting(b).sorted()); PostgreSQL only: \(b.subtracting(a).sorted())")
        #expect(a == c, "new only: \(a.subtracting(c).sorted()); migrated only: \(c.subtracting(a).sorted())")
        #expect(try await sqlite.database.appliedMigrations() == AuditStore.knownSchemas.sorted())
        #expect(try await postgres.database.appliedMigrations() == AuditStore.knownSchemas.sorted())
        for store in [sqlite, postgres, migrated] { await store.close() }
    }
}
