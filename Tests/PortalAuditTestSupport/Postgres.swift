import Foundation

/// A throwaway PostgreSQL cluster on loopback, made by `scripts/pg` (`scripts/test` starts the shared one).
public struct PostgresLab: Sendable {
    public var port: Int

    public init(port: Int) { self.port = port }

    /// The cluster every suite shares (`PORTAL_AUDIT_PG_PORT`, default 25432).
    public static let shared = PostgresLab(
        port: Int(ProcessInfo.processInfo.environment["PORTAL_AUDIT_PG_PORT"] ?? "") ?? 25432)

    /// A new, empty database of the shared cluster, and its address.
    public static func freshDatabase() async throws -> String { try await shared.freshDatabase() }

    /// `postgres://portal@127.0.0.1:PORT/NAME`.
    public func url(_ database: String) -> String { "postgres://portal@127.0.0.1:\(port)/\(database)" }

    /// A new, empty database (each test its own), and its address.
    public func freshDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await psql("CREATE DATABASE \(name)")
        return url(name)
    }

    /// Runs `sql` as `portal` and returns its rows (`|` between columns).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let result = try await Command.run(
            "/usr/bin/env",
            [
                "psql", "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", "\(port)", "-U", "portal", "-d", database,
                "-v", "ON_ERROR_STOP=1", "-c", sql,
            ])
        guard result.status == 0 else {
            throw PostgresLabError(description: "psql \(sql): \(result.stderr) (is it running? bash scripts/pg start)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `scripts/pg start|stop|restart` for this cluster (restart keeps the data: a database restarted in
    /// the middle of a scan).
    public func script(_ action: String) async throws {
        let result = try await Command.run(
            "/bin/bash", [Repository.root.appendingPathComponent("scripts/pg").path, action],
            environment: ["PORTAL_AUDIT_PG_PORT": "\(port)"])
        guard result.status == 0 else { throw PostgresLabError(description: "scripts/pg \(action): \(result.stderr)") }
    }
}

public struct PostgresLabError: Error, CustomStringConvertible {
    public var description: String
}
