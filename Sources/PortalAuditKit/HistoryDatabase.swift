import Foundation
import PortalAuditCore
import PortalAuditPostgres
import PortalAuditStore

/// The history `--db` names: an SQLite file (the embedded default) or a `postgres://` address (the
/// national history), opened the same way by every command.
public struct HistoryDatabase: Sendable, Equatable {
    /// `--db` as given.
    public var address: String
    /// The PostgreSQL password (`--db-password-file`); libpq's own sources (`PGPASSWORD`, `~/.pgpass`) when `nil`.
    public var password: String?

    public init(_ address: String, password: String? = nil) {
        self.address = address
        self.password = password
    }

    public var isPostgres: Bool { PostgresLocation.isPostgres(address) }

    /// `address` for messages: a PostgreSQL address without its password.
    public var shown: String {
        guard isPostgres else { return address }
        if case .success(let location) = PostgresLocation.parse(address) { return location.redacted }
        // Unparsable: still never show what stands before the "@" (a password may be there).
        guard let scheme = address.range(of: "://"), let at = address.range(of: "@", options: .backwards) else {
            return address
        }
        return String(address[..<scheme.upperBound]) + "…" + String(address[at.lowerBound...])
    }

    /// Reads a password file (its first line; `chmod 600` it).
    public static func password(file: String) throws(InputIssues) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw InputIssues([InputIssue(file: file, field: "--db-password-file", problem: "cannot read this file")])
        }
        let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !password.isEmpty else {
            throw InputIssues([InputIssue(file: file, field: "--db-password-file", problem: "the first line is empty")])
        }
        return password
    }

    /// Opens the history, migrating it to this release's schema.
    ///
    /// - Parameters:
    ///   - create: whether a missing SQLite file is made (a scan, a monitor); else `NoHistoryDatabase`.
    ///   - connections: at most this many PostgreSQL connections (size it to the work: `--concurrency`).
    /// - Throws: `InputIssues` for a bad address, `NoHistoryDatabase`, `StoreError` for the database.
    public func open(create: Bool, connections: Int = 4, identity: ScannerIdentity = .local()) async throws
        -> AuditStore
    {
        guard isPostgres else {
            if !create && !FileManager.default.fileExists(atPath: address) { throw NoHistoryDatabase(path: address) }
            return try AuditStore(path: address, identity: identity)
        }
        let database = try postgres(connections: connections)
        do {
            try await database.connect()
            try await database.migrate(AuditStore.sharedMigrations(.postgres))
        } catch {
            await database.close()
            throw StoreError.wrap(error, "open the history database \(shown)")
        }
        return AuditStore(database: database, identity: identity)
    }

    /// The PostgreSQL client for this address, not yet connected (libpq reads `PGPASSWORD`, `~/.pgpass`,
    /// `PGSERVICE` and the rest of its environment itself; `--db-password-file` overrides them).
    /// - Throws: `InputIssues` for a bad address.
    func postgres(connections: Int) throws -> PostgresHistory {
        switch PostgresLocation.parse(address) {
        case .success(let location):
            return PostgresHistory(location, password: password, connections: connections)
        case .failure(let error):
            throw InputIssues(error.problems.map { InputIssue(file: shown, field: "--db", problem: $0) })
        }
    }

    /// Opens the history for one piece of work and closes it after, whatever `body` does.
    public func with<T: Sendable>(
        create: Bool, connections: Int = 4, identity: ScannerIdentity = .local(),
        _ body: (AuditStore) async throws -> T
    ) async throws -> T {
        let store = try await open(create: create, connections: connections, identity: identity)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}
