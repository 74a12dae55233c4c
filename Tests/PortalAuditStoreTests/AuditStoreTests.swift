import Foundation
import PortalAuditCore
import PortalAuditStore
import PortalAuditTestSupport
import Testing

@Suite("History database")
struct AuditStoreTests {
    private func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
    }

    private func site(_ url: String, _ verdict: Verdict, failing: [String] = []) -> SiteResult {
        var target = Fixtures.target
        target.url = url
        let findings = failing.map {
            Finding(rule: $0, status: .fail, requirement: .required, severity: .high, resultCode: "x",
                    evidence: ["k": "v"], title: LocalizedText(en: "t", vi: "t"), source: "s")
        }
        return SiteResult(
            target: target, profile: ProfileReference(id: "vn-level2", version: 1), verdict: verdict, score: 50,
            grade: verdict == .fail ? "F" : "A", durationMS: 10, cost: ProbeCost(connections: 9, tlsHandshakes: 8, requests: 9),
            probes: [], observation: Fixtures.exemplary(), findings: findings)
    }

    @Test("a run's results are saved one by one, read back whole, and counted")
    func roundTrip() async throws {
        // Given a new database and a run
        let store = try AuditStore(path: temporaryDatabase())
        let run = try await store.startRun(inventory: "/x/inv.yaml", profile: "vn-level2@1", planned: 3, at: Date())
        // When two portals are saved
        try await store.save(site("https://a.gov.vn/", .pass), run: run, at: Date())
        try await store.save(site("https://b.gov.vn/", .fail, failing: ["tls.min-version"]), run: run, at: Date())
        // Then they come back with their observations, and the run is resumable
        let results = try await store.results(run: run)
        #expect(results.map(\.target.url) == ["https://a.gov.vn/", "https://b.gov.vn/"])
        #expect(results[0].observation == Fixtures.exemplary())
        #expect(try store.finishedURLs(run: run) == ["https://a.gov.vn/", "https://b.gov.vn/"])
        #expect(try store.verdictCounts(run: run) == [.pass: 1, .fail: 1])
        let unfinished = try #require(try store.unfinishedRun(inventory: "/x/inv.yaml"))
        #expect(unfinished.id == run && unfinished.done == 2 && unfinished.planned == 3)
        try store.endRun(run, status: .finished, at: Date())
        #expect(try store.unfinishedRun(inventory: "/x/inv.yaml") == nil)
        #expect(try store.run(nil)?.status == .finished)
    }

    @Test("history lists a portal's verdicts over runs, newest first, with failed rules")
    func history() async throws {
        let path = temporaryDatabase()
        let store = try AuditStore(path: path)
        let first = try await store.startRun(inventory: "i", profile: "p", planned: 1, at: Date())
        try await store.save(site("https://a.gov.vn/", .fail, failing: ["cert.not-expired"]), run: first, at: Date(timeIntervalSinceNow: -3600))
        let second = try await store.startRun(inventory: "i", profile: "p", planned: 1, at: Date())
        try await store.save(site("https://a.gov.vn/", .pass), run: second, at: Date())
        // Reopening the file keeps everything (committed, WAL)
        let reopened = try AuditStore(path: path)
        let entries = try reopened.history(matching: "a.gov.vn", since: nil)
        #expect(entries.map(\.runID) == [second, first])
        #expect(entries.map(\.verdict) == [.pass, .fail])
        #expect(entries[1].failedRules == ["cert.not-expired"])
        #expect(try reopened.history(matching: "a.gov.vn", since: Date(timeIntervalSinceNow: -60)).count == 1)
        #expect(try reopened.history(matching: "nothing%", since: nil).isEmpty)
    }

    @Test("a database from a newer portal-audit is refused")
    func superseded() async throws {
        let path = temporaryDatabase()
        _ = try AuditStore(path: path)
        let sqlite = try await Command.run("/usr/bin/env", ["python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v9-future')\"); c.commit()",
            path])
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        #expect(throws: StoreError.self) { try AuditStore(path: path) }
    }

    @Test("samples older than the retention are pruned; newer ones stay and still count")
    func pruneSamples() async throws {
        let store = try AuditStore(path: temporaryDatabase())
        let now = Date()
        for days in [40.0, 32, 2, 0] {
            try await store.saveSample(url: "https://a.gov.vn/", UptimeSample(at: now.addingTimeInterval(-days * 86_400), up: true, status: 200, totalMS: 10, cause: nil))
        }
        #expect(try await store.pruneSamples(before: now.addingTimeInterval(-31 * 86_400)) == 2)
        #expect(try await store.samples(url: "https://a.gov.vn/", since: .distantPast).count == 2)
        #expect(try await store.metricsSummary(since: now.addingTimeInterval(-86_400))["https://a.gov.vn/"]?.up == true)
    }
}
