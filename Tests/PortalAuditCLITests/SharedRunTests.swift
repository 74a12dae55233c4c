import Foundation
import PortalAuditStore
import PortalAuditTestSupport
import Testing

/// The URLs a scanner printed a line for ("[n/total] verdict grade score URL …"): one per portal it saved.
private func savedURLs(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("["), line.contains("/") else { return nil }
        let fields = line.split(separator: " ")
        return fields.count >= 5 && fields[4].hasPrefix("https://") ? String(fields[4]) : nil
    }
}

@Suite("Several scanners, one run (PostgreSQL)", .serialized, .timeLimit(.minutes(8)))
struct SharedRunTests {
    let environment = ["PORTAL_AUDIT_LOOPBACK_ONLY": "1"]

    /// A scan of the fleet into `database` (silent portals asked once: the confirmation's fixed wait is not
    /// what these tests measure).
    private func scan(_ fleet: Lab.Fleet, _ database: String) -> [String] {
        [
            "scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--confirm-after", "0",
            "--concurrency", "16",
        ]
    }

    /// count, distinct URLs, distinct scanners of run `run`'s results; its status.
    private func tally(_ lab: PostgresLab, _ database: String, run: Int = 1) async throws -> (String, String) {
        let name = String(database.split(separator: "/").last ?? "")
        let counts = try await lab.psql(
            "SELECT COUNT(*), COUNT(DISTINCT url), COUNT(DISTINCT scanner) FROM portalResult WHERE runID = \(run)",
            database: name)
        let status = try await lab.psql("SELECT status FROM auditRun WHERE id = \(run)", database: name)
        return (counts, status)
    }

    /// Exactly once across scanner processes, proven once: three scanners (two started together, one joined
    /// from "elsewhere"), one of them killed with portals in flight. 400 portals keep every scanner busy
    /// for several claim rounds each, and the killed one's claims must go back to the others.
    @Test(
        "three scanners share a run, one killed with SIGKILL mid-run: its portals go back, every portal saved once, each result signed"
    )
    func killedScanner() async throws {
        let fleet = try Lab.fleet(400, seed: 7)
        let database = try await PostgresLab.freshDatabase()
        let name = String(database.split(separator: "/").last ?? "")
        // Given a run shared by two scanners here, and a third joined from "elsewhere"
        let main = try Command.start(
            Repository.binary, scan(fleet, database) + ["--workers", "2"], environment: environment)
        defer { main.kill(SIGKILL) }
        #expect(
            try await eventually(60) {
                try await PostgresLab.shared.psql("SELECT COUNT(*) FROM auditRun", database: name) == "1"
            })
        let joined = try Command.start(
            Repository.binary, scan(fleet, database) + ["--join", "1"], environment: environment)
        defer { joined.kill(SIGKILL) }
        let mine = "scanner LIKE '% pid \(joined.pid)'"
        #expect(
            try await eventually(90) {
                Int(
                    try await PostgresLab.shared.psql("SELECT COUNT(*) FROM portalResult WHERE \(mine)", database: name)
                ) ?? 0
                    >= 20
            }, "\(joined.stderrSoFar.suffix(1_000))")
        // When the joined scanner is killed with portals in flight
        joined.kill(SIGKILL)
        #expect(await joined.wait() == 128 + SIGKILL)
        // Then the others take its portals back and finish the run, every portal once
        #expect(await main.wait() == 1, "\(main.stderrSoFar.suffix(2_000))")
        let (counts, status) = try await tally(.shared, database)
        #expect(counts == "400|400|3")
        #expect(status == "finished")
        let lines = savedURLs(main.stderrSoFar) + savedURLs(joined.stderrSoFar)
        #expect(Set(lines).count == lines.count, "a portal scanned twice")
        #expect(!main.stderrSoFar.contains("portal-audit:"), "\(main.stderrSoFar.suffix(2_000))")
    }

    @Test("PostgreSQL restarted in the middle of a shared scan: the scanners wait, retry, lose no finished result")
    func databaseRestart() async throws {
        // Given a cluster of its own (restarting the shared one would disturb the other suites)
        let lab = PostgresLab(port: 25433)
        try await lab.script("start")
        defer { Task { try? await lab.script("stop") } }
        let fleet = try Lab.fleet(300, seed: 7)
        let database = try await lab.freshDatabase()
        let name = String(database.split(separator: "/").last ?? "")
        let main = try Command.start(
            Repository.binary, scan(fleet, database) + ["--workers", "2"], environment: environment)
        defer { main.kill(SIGKILL) }
        #expect(
            try await eventually(90) {
                Int(try await lab.psql("SELECT COUNT(*) FROM portalResult", database: name)) ?? 0 >= 100
            })
        let before = Set(try await lab.psql("SELECT url FROM portalResult", database: name).split(separator: "\n"))
        // When the database is restarted (every connection dropped, the server away for a moment)
        try await lab.script("restart")
        // Then the scan goes on and finishes: every portal once, every result saved before still there
        #expect(await main.wait() == 1, "\(main.stderrSoFar.suffix(2_000))")
        let (counts, status) = try await tally(lab, database)
        #expect(counts == "300|300|2")
        #expect(status == "finished")
        let after = Set(try await lab.psql("SELECT url FROM portalResult", database: name).split(separator: "\n"))
        #expect(before.isSubset(of: after) && !before.isEmpty)
        #expect(!main.stderrSoFar.contains("portal-audit:"), "\(main.stderrSoFar.suffix(2_000))")
        try await lab.script("stop")
    }

    @Test("the fleet into PostgreSQL and into SQLite: the same verdicts and findings; db copy reports the same bytes")
    func sameAsSQLite() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = folder.appendingPathComponent("h.sqlite").path
        let postgres = try await PostgresLab.freshDatabase()
        for database in [sqlite, postgres] {
            let result = try await Command.run(Repository.binary, scan(fleet, database), environment: environment)
            #expect(result.status == 1, "\(result.stderr.suffix(1_000))")
        }
        func report(_ database: String) async throws -> String {
            let result = try await Command.run(
                Repository.binary, ["report", "--db", database, "--format", "json", "--out", "-"])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        // Each portal's verdict and findings (rule, status, code) agree
        func judged(_ json: String) throws -> [String: String] {
            let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            var out: [String: String] = [:]
            for site in document?["sites"] as? [[String: Any]] ?? [] {
                let url = (site["target"] as? [String: Any])?["url"] as? String ?? ""
                let findings = (site["findings"] as? [[String: Any]] ?? []).map {
                    "\($0["rule"] ?? "") \($0["status"] ?? "") \($0["result_code"] ?? "")"
                }
                out[url] = "\(site["verdict"] ?? "") " + findings.sorted().joined(separator: ",")
            }
            return out
        }
        let fromSQLite = try judged(try await report(sqlite))
        let fromPostgres = try judged(try await report(postgres))
        #expect(fromSQLite.count == 150)
        for (url, judgement) in fromSQLite { #expect(fromPostgres[url] == judgement, "\(url)") }
        // And the SQLite history moved into a new PostgreSQL database reports the same bytes
        let national = try await PostgresLab.freshDatabase()
        let copy = try await Command.run(Repository.binary, ["db", "copy", "--from", sqlite, "--to", national])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stderr.contains("1 runs, 150 results"))
        let again = try await Command.run(Repository.binary, ["db", "copy", "--from", sqlite, "--to", national])
        #expect(again.stderr.contains("0 runs, 0 results, 0 samples copied"), "\(again.stderr)")
        let a = try await report(sqlite)
        let b = try await report(national)
        #expect(a == b && a.count > 100_000)
    }

    @Test("bad database input is exit 64 naming every problem; a wrong password is said plainly")
    func badInput() async throws {
        let wrong = try await Command.run(
            Repository.binary, ["history", "--db", "postgres://@127.0.0.1:99999/?sslmode=maybe&x=1"])
        #expect(wrong.status == 64)
        for problem in ["port: 99999", "sslmode: \"maybe\"", "x: unknown parameter"] {
            #expect(wrong.stderr.contains(problem), "\(wrong.stderr)")
        }
        // The lab cluster asks the user `secret` for its password (scram)
        let url = PostgresLab.shared.url("portal_audit").replacingOccurrences(of: "portal@", with: "secret@")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("bad").path
        let good = folder.appendingPathComponent("good").path
        try "not-the-password\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try "lab-password-0123\n".write(toFile: good, atomically: true, encoding: .utf8)
        let denied = try await Command.run(
            Repository.binary, ["db", "migrate", "--db", url, "--db-password-file", bad])
        #expect(
            denied.status == 70 && denied.stderr.contains("password was refused"), "\(denied.status) \(denied.stderr)")
        #expect(!denied.stderr.contains("not-the-password") && !denied.stdout.contains("not-the-password"))
        let allowed = try await Command.run(
            Repository.binary, ["db", "migrate", "--db", url, "--db-password-file", good])
        #expect(
            allowed.status == 0 && allowed.stderr.contains("schema \(AuditStore.currentSchema)"), "\(allowed.stderr)")
        let fromEnvironment = try await Command.run(
            Repository.binary, ["db", "migrate", "--db", url], environment: ["PGPASSWORD": "lab-password-0123"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(!allowed.stderr.contains("lab-password"))
        // TLS to the database, as asked: encrypted; checked against its CA and name; refused when not trusted
        let plain = PostgresLab.shared.url("portal_audit")
        let cert = "/tmp/portal-audit-pg-\(PostgresLab.shared.port)/server.pem"
        for (query, status) in [
            ("?sslmode=require", 0), ("?sslmode=verify-full&sslrootcert=\(cert)", 0), ("?sslmode=verify-full", 70),
        ] {
            let tls = try await Command.run(Repository.binary, ["history", "--db", plain + query])
            #expect(tls.status == status, "\(query): \(tls.stderr)")
        }
        // libpq's own settings, as psql users keep them: a password file, a service file, a keyword string
        let port = PostgresLab.shared.port
        let pgpass = folder.appendingPathComponent("pgpass").path
        try "127.0.0.1:\(port):*:secret:lab-password-0123\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass)
        let services = folder.appendingPathComponent("pg_service.conf").path
        try "[national]\nhost=127.0.0.1\nport=\(port)\ndbname=portal_audit\nuser=secret\n"
            .write(toFile: services, atomically: true, encoding: .utf8)
        let libpq = ["PGPASSFILE": pgpass, "PGSERVICEFILE": services, "PGPASSWORD": ""]
        for (address, extra) in [
            (url, [String: String]()), ("service=national", [:]), ("postgresql://", ["PGSERVICE": "national"]),
            ("host=127.0.0.1 port=\(port) dbname=portal_audit user=secret connect_timeout=5", [:]),
        ] {
            let viaLibpq = try await Command.run(
                Repository.binary, ["db", "migrate", "--db", address],
                environment: libpq.merging(extra) { _, new in new })
            #expect(viaLibpq.status == 0, "\(address): \(viaLibpq.stderr)")
        }
        let missing = try await Command.run(
            Repository.binary, ["db", "migrate", "--db", url, "--db-password-file", folder.path + "/none"])
        #expect(missing.status == 64 && missing.stderr.contains("--db-password-file"))
    }
}
