import Foundation
import PortalAuditPostgres
import PortalAuditTestSupport
import Testing

@testable import PortalAuditKit

@Suite("doctor and a PostgreSQL history")
struct PostgresDoctorTests {
    @Test("doctor names libpq's version and the server's for a PostgreSQL history, and reads its schema")
    func versions() async throws {
        let address = try await PostgresLab.freshDatabase()
        let checks = await Doctor.run(database: HistoryDatabase(address + "?sslmode=disable"), concurrency: 8)
        let history = try #require(checks.first { $0.name == "history" })
        #expect(history.outcome == .ok && history.detail.contains("empty"), "\(history.detail)")
        let postgres = try #require(checks.first { $0.name == "postgresql" })
        // The lab cluster is Debian's PostgreSQL 15, reached on loopback without TLS: nothing to warn of
        #expect(postgres.outcome == .ok, "\(postgres.detail)")
        #expect(postgres.detail.hasPrefix("libpq 15.") && postgres.detail.contains("server 15."), "\(postgres.detail)")
        #expect(postgres.detail.contains("no TLS"))
        // libpq's default (sslmode=prefer) takes the TLS the lab cluster offers
        let tls = await Doctor.run(database: HistoryDatabase(address), concurrency: 8)
        #expect(tls.first { $0.name == "postgresql" }?.detail.hasSuffix(", TLS") == true)
    }

    @Test(
        "a history off this machine without sslmode=verify-full is warned of; on loopback or a socket it is not",
        arguments: [
            ("db.tinh.gov.vn", "require", Doctor.Check.Outcome.warning),
            ("db.tinh.gov.vn", "prefer", .warning),
            ("10.0.0.5", "verify-ca", .warning),
            ("db.tinh.gov.vn", "verify-full", .ok),
            ("127.0.0.1", "prefer", .ok),
            ("::1", "disable", .ok),
            ("/var/run/postgresql", "prefer", .ok),
            ("localhost", "prefer", .ok),
            ("127.0.0.1,db.tinh.gov.vn", "require", .warning),
        ])
    func transportWarning(host: String, mode: String, outcome: Doctor.Check.Outcome) {
        let facts = PostgresConnectionFacts(
            serverVersion: 150_018, usesTLS: mode != "disable", settings: ["host": host, "sslmode": mode])
        let check = Doctor.postgresConnectionCheck(facts)
        #expect(check.outcome == outcome, "\(check.detail)")
        if outcome == .warning { #expect(check.detail.contains("sslmode=verify-full")) }
    }
}
