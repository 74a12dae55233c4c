import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditTestSupport
import Testing

@testable import PortalAuditStore

/// The two engines the history runs on: every store test runs against each, with the same assertions.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The address of a new, empty history.
    func freshAddress() async throws -> String {
        switch self {
        case .sqlite:
            FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path
        case .postgres: try await PostgresLab.freshDatabase()
        }
    }

    /// The history at `address`, opened as the commands open it.
    static func open(_ address: String) async throws -> AuditStore {
        try await HistoryDatabase(address).open(create: true)
    }
}

@Suite("History database")
struct AuditStoreTests {
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

    @Test("a run's results are saved one by one, read back whole, and counted", arguments: Engine.allCases)
    func roundTrip(engine: Engine) async throws {
        // Given a new database and a run
        let store = try await Engine.open(try await engine.freshAddress())
        let run = try await store.startRun(inventory: "/x/inv.yaml", profile: "vn-level2@1", planned: 3, at: Date())
        // When two portals are saved (one twice: the second result replaces the first)
        try await store.save(site("https://a.gov.vn/", .fail, failing: ["tls.min-version"]), run: run, at: Date())
        try await store.save(site("https://a.gov.vn/", .pass), run: run, at: Date())
        try await store.save(site("https://b.gov.vn/", .fail, failing: ["tls.min-version"]), run: run, at: Date())
        // Then they come back with their observations, and the run is resumable
        let results = try await store.results(run: run)
        #expect(results.map(\.target.url) == ["https://a.gov.vn/", "https://b.gov.vn/"])
        #expect(results[0].observation == Fixtures.exemplary())
        #expect(results.map(\.verdict) == [.pass, .fail])
        #expect(results[1].findings.map(\.source) == ["s"])
        #expect(try await store.finishedURLs(run: run) == ["https://a.gov.vn/", "https://b.gov.vn/"])
        let counts = try await store.verdictCounts(run: run)
        #expect(counts.sites == 2 && counts.pass == 1 && counts.fail == 1 && counts.warn == 0)
        #expect(try await store.failureCounts(run: run) == ["tls.min-version": 1])
        let unfinished = try #require(try await store.unfinishedRun(inventory: "/x/inv.yaml"))
        #expect(unfinished.id == run && unfinished.done == 2 && unfinished.planned == 3)
        try await store.endRun(run, status: .finished, at: Date())
        #expect(try await store.unfinishedRun(inventory: "/x/inv.yaml") == nil)
        #expect(try await store.run(nil)?.status == .finished)
        await store.close()
    }

    @Test("history lists a portal's verdicts over runs, newest first, with failed rules", arguments: Engine.allCases)
    func history(engine: Engine) async throws {
        let address = try await engine.freshAddress()
        let store = try await Engine.open(address)
        let first = try await store.startRun(inventory: "i", profile: "p", planned: 1, at: Date())
        try await store.save(
            site("https://a.gov.vn/", .fail, failing: ["cert.not-expired", "cert.chain-trusted"]), run: first,
            at: Date(timeIntervalSinceNow: -3600))
        let second = try await store.startRun(inventory: "i", profile: "p", planned: 1, at: Date())
        try await store.save(site("https://a.gov.vn/", .pass), run: second, at: Date())
        await store.close()
        // Reopening keeps everything (committed)
        let reopened = try await Engine.open(address)
        let entries = try await reopened.history(matching: "a.gov.vn", since: nil)
        #expect(entries.map(\.runID) == [second, first])
        #expect(entries.map(\.verdict) == [.pass, .fail])
        #expect(entries[1].failedRules == ["cert.chain-trusted", "cert.not-expired"])
        #expect(try await reopened.history(matching: "a.gov.vn", since: Date(timeIntervalSinceNow: -60)).count == 1)
        #expect(try await reopened.history(matching: "nothing%", since: nil).isEmpty)
        // and the dashboard's queries see the same: a text search ignores ASCII case, changes are paired
        #expect(try await reopened.portals(run: second, PortalQuery(text: "A.GOV")).total == 1)
        #expect(try await reopened.verdictChanges(run: second).map(\.previous) == [.fail])
        #expect(try await reopened.previousRun(of: "https://a.gov.vn/", before: second) == first)
        #expect(try await reopened.previousResults(run: second)["https://a.gov.vn/"]?.verdict == .fail)
        #expect(try await reopened.runs(offset: 0, limit: 10).total == 2)
        await reopened.close()
    }

    @Test(
        "a new history opened by several writers at once is created once, each open succeeding",
        arguments: Engine.allCases)
    func concurrentCreation(engine: Engine) async throws {
        // A monitor, a scan and a report started together on a history that does not exist yet (the Ctrl-C
        // test's poller and its scan did exactly this): every open succeeds and every migration runs once.
        for _ in 0..<(engine == .sqlite ? 12 : 4) {
            let address = try await engine.freshAddress()
            let failures = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            let store = try await Engine.open(address)
                            await store.close()
                        } catch {
                            return "\(error)"
                        }
                        return nil
                    }
                }
                return await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(failures.isEmpty)
            let store = try await Engine.open(address)
            #expect(try await store.database.appliedMigrations().sorted() == AuditStore.knownSchemas.sorted())
            await store.close()
        }
    }

    @Test("a database from a newer portal-audit is refused", arguments: Engine.allCases)
    func superseded(engine: Engine) async throws {
        let address = try await engine.freshAddress()
        let store = try await Engine.open(address)
        try await store.database.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        await store.close()
        await #expect(throws: StoreError.self) { try await Engine.open(address) }
    }

    @Test("samples older than the retention are pruned; newer ones stay and still count", arguments: Engine.allCases)
    func pruneSamples(engine: Engine) async throws {
        let store = try await Engine.open(try await engine.freshAddress())
        let now = Date()
        for (days, up) in [(40.0, true), (32, true), (2, false), (1, true), (0, true)] {
            try await store.saveSample(
                url: "https://a.gov.vn/",
                UptimeSample(
                    at: now.addingTimeInterval(-days * 86_400), up: up, status: up ? 200 : nil, totalMS: 10,
                    cause: up ? nil : "connect"))
        }
        #expect(try await store.pruneSamples(before: now.addingTimeInterval(-31 * 86_400)) == 2)
        let samples = try await store.samples(url: "https://a.gov.vn/", since: .distantPast)
        #expect(samples.map(\.up) == [false, true, true] && samples[0].cause == "connect")
        let summary = try #require(
            try await store.metricsSummary(since: now.addingTimeInterval(-3 * 86_400))["https://a.gov.vn/"])
        // A lone failed sample is not an outage: it counts as up.
        #expect(summary.up && summary.ratio == 1)
        await store.close()
    }

    @Test("alert states are remembered and replaced", arguments: Engine.allCases)
    func alertStates(engine: Engine) async throws {
        let store = try await Engine.open(try await engine.freshAddress())
        let since = Date(timeIntervalSince1970: 1_790_000_000.25)
        #expect(try await store.alertState(url: "https://a.gov.vn/", kind: .availability) == nil)
        try await store.setAlertState(
            url: "https://a.gov.vn/", kind: .availability, .init(state: .down, since: since, lastSent: since))
        try await store.saveSample(
            url: "https://a.gov.vn/", UptimeSample(at: Date(), up: false, status: nil, totalMS: nil, cause: "connect"))
        #expect(try await store.alertState(url: "https://a.gov.vn/", kind: .availability)?.state == .down)
        #expect(try await store.alertState(url: "https://a.gov.vn/", kind: .availability)?.since == since)
        #expect(
            try await store.portalsDown(sampledSince: Date(timeIntervalSinceNow: -60)).map(\.url) == [
                "https://a.gov.vn/"
            ])
        try await store.setAlertState(
            url: "https://a.gov.vn/", kind: .availability, .init(state: .up, since: Date(), lastSent: nil))
        #expect(try await store.portalsDown(sampledSince: Date(timeIntervalSinceNow: -60)).isEmpty)
        await store.close()
    }

    @Test(
        "a write whose COMMIT reply is lost (the connection dropped after it) is not done twice: one run, one claim",
        arguments: ["INSERT INTO auditRun", "UPDATE portalClaim SET holder"])
    func lostCommitReply(trigger: String) async throws {
        // Given a PostgreSQL history reached through a proxy that loses the reply to the COMMIT of the first
        // statement containing `trigger` (the transaction is committed; the client sees its connection lost)
        let address = try await PostgresLab.freshDatabase()
        let name = String(address.split(separator: "/").last ?? "")
        let seed = try await Engine.open(address)
        var run: Int64 = 0
        if trigger.hasPrefix("UPDATE") {
            run = try await seed.startRun(inventory: "i", profile: "vn-level2@1", planned: 4, at: Date())
            try await seed.offer((1...4).map { "https://x\($0).gov.vn/" }, run: run, at: Date())
        }
        await seed.close()
        let proxy = try Command.start(
            "/usr/bin/env",
            [
                "python3", Repository.root.appendingPathComponent("scripts/pg-drop-proxy.py").path,
                "\(PostgresLab.shared.port)", trigger,
            ])
        defer { proxy.kill(SIGKILL) }
        #expect(try await eventually(10) { Int(proxy.stdoutSoFar.split(separator: "\n").first ?? "") != nil })
        let port = String(proxy.stdoutSoFar.split(separator: "\n")[0])
        let store = try await Engine.open(
            address.replacingOccurrences(of: ":\(PostgresLab.shared.port)/", with: ":\(port)/"))
        // When the statement is sent, its reply lost and the statement retried on a new connection
        if trigger.hasPrefix("UPDATE") {
            let claimed = try await store.claimPortals(run: run, holder: "h 1 a", limit: 2, staleAfter: 30)
            // Then it returns the portals its first try claimed, and holds no others
            #expect(claimed == ["https://x1.gov.vn/", "https://x2.gov.vn/"])
            let held = try await PostgresLab.shared.psql(
                "SELECT url FROM portalClaim WHERE holder = 'h 1 a' ORDER BY position", database: name)
            #expect(held == "https://x1.gov.vn/\nhttps://x2.gov.vn/")
        } else {
            let made = try await store.startRun(inventory: "i", profile: "vn-level2@1", planned: 4, at: Date())
            // Then one run exists, the one returned
            #expect(try await PostgresLab.shared.psql("SELECT id FROM auditRun", database: name) == "\(made)")
        }
        #expect(proxy.stdoutSoFar.contains("dropped"), "the proxy lost no reply: \(proxy.stderrSoFar)")
        await store.close()
    }

    @Test(
        "a shared run's portals are each claimed by one scanner; a dead scanner's claims go back",
        arguments: Engine.allCases)
    func claims(engine: Engine) async throws {
        let store = try await Engine.open(try await engine.freshAddress())
        let run = try await store.startRun(inventory: "i", profile: "vn-level2@1", planned: 4, at: Date())
        let urls = (1...4).map { "https://x\($0).gov.vn/" }
        #expect(try await !store.finishIfComplete(run: run, at: Date()))  // not offered yet: not complete
        try await store.offer(urls, run: run, at: Date())
        try await store.offer(urls, run: run, at: Date())  // offered twice: nothing doubles
        #expect(try await store.run(run)?.shared == true)
        #expect(try await store.unclaimedCount(run: run) == 4)
        let first = try await store.claimPortals(run: run, holder: "h 1 a", limit: 3, staleAfter: 30)
        let second = try await store.claimPortals(run: run, holder: "h 2 b", limit: 3, staleAfter: 30)
        #expect(first == Array(urls[0..<3]) && second == [urls[3]])
        #expect(try await store.claimPortals(run: run, holder: "h 3 c", limit: 3, staleAfter: 30).isEmpty)
        // A result gives its claim back for good
        try await store.save(site(urls[3], .pass), run: run, at: Date())
        #expect(try await store.unclaimedCount(run: run) == 3)
        // The first scanner died on this host: its claims go back and another takes them
        try await store.releaseDeadClaims(run: run, host: "h", isAlive: { $0 != 1 })
        let third = try await store.claimPortals(run: run, holder: "h 3 c", limit: 5, staleAfter: 30)
        #expect(third == Array(urls[0..<3]))
        // A claim whose heartbeat is older than the staleness asked (on the database's clock) goes back too;
        // renewed ones do not
        try await Task.sleep(for: .milliseconds(50))
        #expect(
            try await store.claimPortals(run: run, holder: "h 4 d", limit: 5, staleAfter: 0.02) == Array(urls[0..<3]))
        try await store.renewClaims(run: run, holder: "h 4 d")
        #expect(try await store.claimPortals(run: run, holder: "h 5 e", limit: 5, staleAfter: 30).isEmpty)
        #expect(try await !store.finishIfComplete(run: run, at: Date()))
        for url in urls[0..<3] { try await store.save(site(url, .pass), run: run, at: Date()) }
        #expect(try await store.finishIfComplete(run: run, at: Date()))
        #expect(try await store.run(run)?.status == .finished)
        await store.close()
    }

    @Test(
        "db copy moves a whole history once: runs, results, samples, alerts; a second copy adds nothing",
        arguments: Engine.allCases)
    func copy(target engine: Engine) async throws {
        // Given an SQLite history of two runs with samples and an alert
        let source = try await Engine.open(try await Engine.sqlite.freshAddress())
        let started = Date(timeIntervalSince1970: 1_790_000_000.123)
        for offset in [0.0, 86_400] {
            let run = try await source.startRun(
                inventory: "/p/inv.yaml", profile: "vn-level2@1", planned: 2, at: started.addingTimeInterval(offset))
            try await source.save(site("https://a.gov.vn/", .fail, failing: ["tls.min-version"]), run: run, at: started)
            try await source.save(site("https://b.gov.vn/", .pass), run: run, at: started)
            try await source.endRun(run, status: .finished, at: started.addingTimeInterval(offset + 60))
        }
        for minute in 0..<450 {
            try await source.saveSample(
                url: "https://a.gov.vn/",
                UptimeSample(
                    at: started.addingTimeInterval(Double(minute) * 60.001), up: minute % 7 != 0, status: 200,
                    totalMS: 12.5, cause: nil))
        }
        try await source.setAlertState(
            url: "https://a.gov.vn/", kind: .certificate, .init(state: .expiring, since: started, lastSent: started))
        // When it is copied into a new history twice
        let target = try await Engine.open(try await engine.freshAddress())
        let once = try await target.copy(from: source)
        let twice = try await target.copy(from: source)
        // Then everything arrived once
        #expect(once.runsCopied == 2 && once.resultsCopied == 4 && once.samplesCopied == 450)
        #expect(twice.runsCopied == 0 && twice.resultsCopied == 0 && twice.samplesCopied == 0)
        #expect(twice.runsAlreadyThere == 2 && twice.resultsAlreadyThere == 4 && twice.samplesAlreadyThere == 450)
        for (from, to) in zip([Int64(1), 2], [Int64(1), 2]) {
            let a = try await source.results(run: from)
            let b = try await target.results(run: to)
            #expect(a == b)
            #expect(try await source.run(from)?.startedAt == target.run(to)?.startedAt)
        }
        #expect(
            try await target.samples(url: "https://a.gov.vn/", since: .distantPast)
                == source.samples(url: "https://a.gov.vn/", since: .distantPast))
        #expect(try await target.alertState(url: "https://a.gov.vn/", kind: .certificate)?.state == .expiring)
        #expect(
            try await target.history(matching: nil, since: nil).map(\.failedRules)
                == source.history(
                    matching: nil, since: nil
                ).map(\.failedRules))
        await source.close()
        await target.close()
    }

    @Test(
        "alert messages are kept until delivered: each destination's oldest first, the later ones behind it",
        arguments: Engine.allCases)
    func outbox(engine: Engine) async throws {
        let store = try await Engine.open(try await engine.freshAddress())
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        func message(_ destination: String, _ portal: String) -> AuditStore.OutboxMessage {
            AuditStore.OutboxMessage(
                createdAt: t0, channel: "email", destination: destination, event: "down", portal: portal,
                subject: "s", body: "Subject: x\r\n\r\nXã Yên Thái")
        }
        // Given three messages to the province and one to a unit
        try await store.enqueueAlerts([
            message("attt@tinh", "https://a/"), message("vp@a", "https://a/"), message("attt@tinh", "https://b/"),
        ])
        // Then the first of each destination is due
        var due = try await store.dueAlerts(now: t0)
        #expect(due.map(\.destination) == ["attt@tinh", "vp@a"])
        #expect(due.first?.body.hasSuffix("Xã Yên Thái") == true)
        // When the province's fails, its second waits behind it until it is retried and delivered
        try await store.alertFailed(id: due[0].id, error: "refused", next: t0.addingTimeInterval(60))
        try await store.alertDelivered(id: due[1].id, at: t0)
        due = try await store.dueAlerts(now: t0.addingTimeInterval(30))
        #expect(due.isEmpty)
        due = try await store.dueAlerts(now: t0.addingTimeInterval(60))
        #expect(due.map(\.portal) == ["https://a/"] && due.first?.attempts == 1 && due.first?.lastError == "refused")
        try await store.alertDelivered(id: due[0].id, at: t0.addingTimeInterval(60))
        due = try await store.dueAlerts(now: t0.addingTimeInterval(60))
        #expect(due.map(\.portal) == ["https://b/"])
        try await store.alertDelivered(id: due[0].id, at: t0.addingTimeInterval(61))
        // And the history says who was told when
        let all = try await store.alertMessages(since: t0)
        #expect(all.count == 3 && all.allSatisfy { $0.deliveredAt != nil })
        #expect(all.map(\.attempts) == [2, 1, 1])
        #expect(try await store.dueAlerts(now: t0.addingTimeInterval(3_600)).isEmpty)
        await store.close()
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
        let history = try await store.history(matching: "phuong-dongson", since: nil)
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
        #expect(
            SHA256.hex(of: HistoryDictionary.v2) == "ca4fd3ca23eb8a6f7892bbe4eba2faa925ce838a28680d63c381559948fc22d0")
    }

    @Test("a blob of format 1 still reads; new blobs are written with format 2")
    func formats() throws {
        let json = Data(#"{"findings":[],"observation":{"content":{"mandatory_found":["agency"]}}}"#.utf8)
        let old = try Deflate.compress(json, format: .dictionaryV1)
        let oldRead = try Deflate.decompress(old)
        #expect(old.first == 1 && oldRead == json)
        let new = try Deflate.compress(json)
        let newRead = try Deflate.decompress(new)
        #expect(new.first == 2 && newRead == json)
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
