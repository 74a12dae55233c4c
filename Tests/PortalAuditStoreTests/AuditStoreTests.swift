import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@testable import PortalAuditStore

@Suite("History database")
struct AuditStoreTests {
    private func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
    }

    private func site(_ url: String, _ verdict: Verdict, failing: [String] = []) -> SiteResult {
        var target = Fixtures.target
        target.url = url
        let findings = failing.map {
            Finding(
                rule: $0, status: .fail, requirement: .required, severity: .high, resultCode: "x",
                evidence: ["k": "v"], title: LocalizedText(en: "t", vi: "t"), source: "s")
        }
        return SiteResult(
            target: target, profile: ProfileReference(id: "vn-level2", version: 1), verdict: verdict, score: 50,
            grade: verdict == .fail ? "F" : "A", durationMS: 10,
            cost: ProbeCost(connections: 9, tlsHandshakes: 8, requests: 9),
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
        let counts = try store.verdictCounts(run: run)
        #expect(counts.sites == 2 && counts.pass == 1 && counts.fail == 1 && counts.warn == 0)
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
        try await store.save(
            site("https://a.gov.vn/", .fail, failing: ["cert.not-expired"]), run: first,
            at: Date(timeIntervalSinceNow: -3600))
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

    @Test("a new history opened by several writers at once is created once, each open succeeding")
    func concurrentCreation() async throws {
        // A monitor, a scan and a report started together on a path that does not exist yet (the Ctrl-C
        // test's poller and its scan did exactly this): every open succeeds and every migration runs once.
        for _ in 0..<12 {
            let path = temporaryDatabase()
            let failures = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do { _ = try AuditStore(path: path) } catch { return "\(error)" }
                        return nil
                    }
                }
                return await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(failures.isEmpty)
            #expect(try AuditStore.schema(path: path) == AuditStore.knownSchemas)
        }
    }

    @Test("a database from a newer portal-audit is refused")
    func superseded() async throws {
        let path = temporaryDatabase()
        _ = try AuditStore(path: path)
        let sqlite = try await Command.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v9-future')\"); c.commit()",
                path,
            ])
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        #expect(throws: StoreError.self) { try AuditStore(path: path) }
    }

    @Test("samples older than the retention are pruned; newer ones stay and still count")
    func pruneSamples() async throws {
        let store = try AuditStore(path: temporaryDatabase())
        let now = Date()
        for days in [40.0, 32, 2, 0] {
            try await store.saveSample(
                url: "https://a.gov.vn/",
                UptimeSample(at: now.addingTimeInterval(-days * 86_400), up: true, status: 200, totalMS: 10, cause: nil)
            )
        }
        #expect(try await store.pruneSamples(before: now.addingTimeInterval(-31 * 86_400)) == 2)
        #expect(try await store.samples(url: "https://a.gov.vn/", since: .distantPast).count == 2)
        #expect(try await store.metricsSummary(since: now.addingTimeInterval(-86_400))["https://a.gov.vn/"]?.up == true)
    }
}

@Suite("Lean history")
struct LeanHistoryTests {
    private func copyOfFixture() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "history-v3-\(UUID().uuidString).sqlite"
        ).path
        try FileManager.default.copyItem(
            atPath: Repository.root.appendingPathComponent("Tests/Fixtures/history-v3.sqlite").path, toPath: copy)
        return copy
    }

    /// runID, url → (verdict, grade, score, profile), as the release before the lean history reported them.
    private func expected() throws -> [String: [String]] {
        let text = try String(
            contentsOf: Repository.root.appendingPathComponent("Tests/Fixtures/history-v3.expected.tsv"),
            encoding: .utf8)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            out[fields[0] + " " + fields[1]] = Array(fields[2...])
        }
        return out
    }

    @Test("a database written before the lean history opens, migrates, shrinks and reports the same results")
    func migratesFixture() async throws {
        // Given a history of two runs of 19 lab portals written by the previous release (schema v3)
        let path = try copyOfFixture()
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        // When the current release opens it
        let store = try AuditStore(path: path)
        // Then every result reads back with the verdict, grade, score and profile it was stored with
        let expected = try expected()
        var seen = 0
        for run in [Int64(1), 2] {
            for site in try await store.results(run: run) {
                let row = try #require(expected["\(run) \(site.target.url)"])
                #expect([site.verdict.rawValue, site.grade, String(site.score), site.profile.label] == row)
                // with its findings' texts back from the profile version's settings
                #expect(!site.findings.isEmpty)
                #expect(site.findings.filter { $0.requirement == .required }.allSatisfy { !$0.source.isEmpty })
                #expect(site.findings.allSatisfy { $0.title.en != $0.rule })
                seen += 1
            }
        }
        #expect(seen == expected.count)
        // And the failed rules are still indexed for `history`, and the file is smaller
        let history = try store.history(matching: "phuong-dongson", since: nil)
        #expect(history.count == 2 && history.allSatisfy { $0.failedRules.contains("tls.min-version") })
        let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(after < before / 4, "\(before) → \(after) bytes")
    }

    @Test("v5 fills the dashboard's columns from each stored result: the unit, level and certificate expiry")
    func dashboardColumns() async throws {
        // Given the v3 history migrated by the current release
        let store = try AuditStore(path: try copyOfFixture())
        for run in [Int64(1), 2] {
            let results = try await store.results(run: run)
            // When a run's portals are listed from the columns alone
            let (total, rows) = try await store.portals(run: run, PortalQuery(sort: .url, limit: 500))
            // Then each line holds what the stored result holds
            #expect(total == results.count && rows.count == results.count)
            for (row, site) in zip(rows, results) {
                #expect(row.url == site.target.url && row.verdict == site.verdict && row.grade == site.grade)
                #expect(row.province == site.target.province && row.commune == site.target.commune)
                #expect(row.level == site.target.level)
                #expect(row.certNotAfter == site.observation.certificate?.chain.first?.notAfter)
                #expect(row.failedRules == site.findings.filter { $0.status == .fail }.map(\.rule).sorted())
            }
            // and the counts per unit and per failed rule add up to the run's
            let units = try await store.unitCounts(run: run)
            #expect(units.map(\.counts.sites).reduce(0, +) == results.count)
            let failures = try await store.failureCounts(run: run)
            #expect(
                failures["tls.min-version"]
                    == results.filter { $0.findings.contains { $0.rule == "tls.min-version" && $0.status == .fail } }
                    .count)
            // and a filter by verdict, unit and rule pages through exactly the matching portals
            let failing = try await store.portals(run: run, PortalQuery(verdict: .fail, limit: 3))
            #expect(failing.total == results.filter { $0.verdict == .fail }.count && failing.rows.count <= 3)
            let ruled = try await store.portals(run: run, PortalQuery(rule: "tls.min-version", limit: 500))
            #expect(ruled.rows.allSatisfy { $0.failedRules.contains("tls.min-version") })
        }
        // And run 2's portals are compared with run 1's
        let changes = try await store.verdictChanges(run: 2)
        #expect(changes.count == (try await store.results(run: 2)).count)
        #expect(changes.allSatisfy { $0.previousRun == 1 })
    }

    @Test("the migrated history reports identically to a fresh read: report --format json twice")
    func reportsMigrated() async throws {
        // Given the migrated fixture
        let path = try copyOfFixture()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lean-\(UUID().uuidString)").path
        // When its last run is reported
        let report = try await Command.run(
            Repository.binary, ["report", "--db", path, "--format", "json", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".json") })
        let document =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + file)))
            as? [String: Any]
        let sites = try #require(document?["sites"] as? [[String: Any]])
        // Then it holds the 19 portals of run 2, their verdicts as stored, every finding cited
        let expected = try expected()
        #expect(sites.count == 19)
        for site in sites {
            let url = try #require((site["target"] as? [String: Any])?["url"] as? String)
            #expect(site["verdict"] as? String == expected["2 \(url)"]?.first)
            let findings = try #require(site["findings"] as? [[String: Any]])
            #expect(findings.allSatisfy { ($0["title"] as? [String: String])?["vi"]?.isEmpty == false })
        }
    }

    @Test("the blob dictionary is frozen: its bytes are those every stored blob was written with")
    func dictionaryFrozen() {
        #expect(
            SHA256.hex(of: HistoryDictionary.v1) == "52a48e6fff49411bf6bace146145b23be905f979ac9f6f090953c62bb0ffcba9")
    }

    @Test("a damaged blob is a clear error, never a crash or an unbounded allocation")
    func damagedBlob() {
        // A length past the limit, an unknown format, a truncated stream
        #expect(throws: Deflate.Failure.self) { try Deflate.decompress(Data([1, 0xff, 0xff, 0xff, 0xff, 0x78])) }
        #expect(throws: Deflate.Failure.self) { try Deflate.decompress(Data([9, 0, 0, 0, 1])) }
        #expect(throws: Deflate.Failure.self) { try Deflate.decompress(Data([1, 0, 0, 0, 10, 1, 2, 3])) }
        // And a good blob round-trips
        let text = Data("{\"observation\":{\"tls\":null}}".utf8)
        #expect((try? Deflate.decompress(Deflate.compress(text))) == text)
    }
}
