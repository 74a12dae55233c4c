import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditProbes
import PortalAuditStore
import PortalAuditTestSupport
import Synchronization
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

private func temporaryDatabase() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).sqlite").path
}

/// Starts `portal-audit ARGS` without waiting for it.
private func launch(_ arguments: [String]) throws -> Command.Running {
    try Command.start(Repository.binary, arguments, environment: environment)
}

/// Waits until run 1 of `database` holds at least `count` results, while `process` runs.
private func waitForResults(_ database: String, atLeast count: Int, of process: Command.Running) async throws -> Int {
    for _ in 0..<3600 {  // up to 90 s: the machine is shared and CI runs suites in parallel
        if FileManager.default.fileExists(atPath: database),
            let store = try? AuditStore(path: database), let run = try? await store.run(nil), run.done >= count
        {
            return run.done
        }
        try await Task.sleep(for: .milliseconds(25))
    }
    let alive = kill(process.pid, 0) == 0
    throw LabError(
        message: "the scan never reached \(count) results (\(alive ? "still running" : "exited")): "
            + String(process.stderrSoFar.suffix(1_500)))
}

/// An inventory of lab `portals` (pinned to loopback, level 2) in `folder`, and a scanner of Kit on `clock`
/// restricted to loopback: a scan run in-process, its waits the test's to move.
func labScan(_ portals: [Lab.Portal], in folder: URL, clock: TestClock) throws -> (
    inventory: String, scanner: FleetScanner
) {
    try labScan(portals, in: folder, clock: KitClock(now: clock.now, sleep: clock.sleep))
}

/// The same, on any clock (a scanner whose clock is wrong).
func labScan(_ portals: [Lab.Portal], in folder: URL, clock: KitClock) throws -> (
    inventory: String, scanner: FleetScanner
) {
    let inventory = folder.appendingPathComponent("inventory.yaml").path
    var yaml = "defaults: { address: \"127.0.0.1,::1\", level: 2 }\nportals:\n"
    for portal in portals { yaml += "  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n" }
    try yaml.write(toFile: inventory, atomically: true, encoding: .utf8)
    let runner = AuditRunner(profileLoader: ProfileLoader(searchPaths: [Repository.profiles]))
    runner.restrictToLoopback(true)
    return (inventory, FleetScanner(runner: runner, clock: clock))
}

@Suite("portal-audit scan", .serialized, .timeLimit(.minutes(3)))
struct ScanTests {
    @Test(
        "a lab fleet scanned 128 at a time gives every portal its expected verdict, keeps it in history, and keeps its pooled connections: at most 20 per portal"
    )
    func fleetVerdicts() async throws {
        // Given a 150-portal lab fleet with a seeded mix of flaws, nearly all of it probed at once (each
        // portal's page sample keeps three pooled connections: 384 idle ones, more than a fixed cache of 256
        // would keep)
        let fleet = try Lab.fleet(150, seed: 7)
        let database = temporaryDatabase()
        // When it is scanned
        let result = try await Command.run(
            Repository.binary,
            [
                "scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--concurrency", "128",
                "--confirm-after", "0",
            ] + Lab.Fleet.crowdedBudget,
            environment: environment)
        // Then every portal has one result with its expected verdict
        #expect(result.status == 1)  // the fleet holds failing portals
        let store = try AuditStore(path: database)
        let run = try #require(try await store.run(nil))
        #expect(run.status == .finished && run.done == 150)
        let results = try await store.results(run: run.id)
        #expect(results.count == fleet.expected.count)
        let expected = fleet.expectedAskedOnce
        for site in results {
            #expect(
                site.verdict.rawValue == expected[site.target.url],
                "\(site.target.url) (\(fleet.cases[site.target.url] ?? "?")) in \(site.durationMS) ms, \(site.observation.content?.sample?.pages.count ?? 0) pages sampled; not judged: \(site.findings.filter { $0.status == .inconclusive }.map { "\($0.rule)=\($0.resultCode)" }); failed: \(site.findings.filter { $0.status == .fail }.map { "\($0.rule)=\($0.resultCode)" })"
            )
        }
        // And the connections per portal stay those of a modern site's plan, not one per sampled page
        let modern = results.filter { fleet.cases[$0.target.url] == "exemplary" }
        #expect(!modern.isEmpty)
        let mean = Double(modern.map(\.cost.connections).reduce(0, +)) / Double(max(1, modern.count))
        #expect(mean <= 20, "\(mean) connections per modern portal")
        // And plain (non-TTY) progress is one line per portal plus the summary
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("[") }.count == 150)
        #expect(result.stderr.contains("scan: run \(run.id) finished — 150/150 portals"))
        // And history shows a portal's verdict
        let url = try #require(results.first?.target.url)
        let history = try await Command.run(
            Repository.binary, ["history", url, "--db", database, "--lang", "en"], environment: environment)
        #expect(history.status == 0)
        #expect(history.stdout.contains("run \(run.id)"))
    }

    @Test("a scan killed with SIGKILL halfway loses only the portals in flight, and --resume completes it")
    func killAndResume() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let database = temporaryDatabase()
        let arguments = [
            "scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--concurrency", "3", "--confirm-after",
            "0", "--profile", Lab.Fleet.crowdedProfile,
        ]
        // Given a scan running slowly (3 at a time; judged with the crowded lab's response-time limit, as the
        // other suites load the same cores)
        let process = try launch(arguments)
        // When it is killed with SIGKILL once 40 portals are done
        let before = try await waitForResults(database, atLeast: 40, of: process)
        process.kill(SIGKILL)
        _ = await process.wait()
        let store = try AuditStore(path: database)
        let killed = try #require(try await store.run(nil))
        #expect(killed.status == .running)
        #expect(killed.done >= before && killed.done < 150)
        let kept = try await store.results(run: killed.id)
        // Then --resume finishes the same run, scanning only what is missing
        let resumed = try await Command.run(Repository.binary, arguments + ["--resume"], environment: environment)
        #expect(resumed.stderr.contains("resuming run \(killed.id) (\(killed.done) of 150 portals already done)"))
        #expect(resumed.stderr.contains("\(150 - killed.done) scanned now"))
        let run = try #require(try await store.run(killed.id))
        #expect(run.status == .finished && run.done == 150)
        let results = try await store.results(run: run.id)
        #expect(Set(results.map(\.target.url)) == Set(fleet.expected.keys))
        for site in results {
            #expect(site.verdict.rawValue == fleet.expectedAskedOnce[site.target.url])
        }
        // And what was kept before the kill was not scanned again
        for site in kept {
            #expect(results.first { $0.target.url == site.target.url }?.durationMS == site.durationMS)
        }
        // And the history of the fleet's run takes at most 4 KiB per portal (pages in use, all tables and indexes)
        let pages = try await Command.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA page_count').fetchone()[0] - c.execute('PRAGMA freelist_count').fetchone()[0], c.execute('PRAGMA page_size').fetchone()[0])",
                database,
            ])
        let numbers = pages.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(numbers.count == 2 && numbers[0] * numbers[1] / 150 <= 4_096, "\(pages.stdout) \(pages.stderr)")
    }

    @Test("Ctrl-C stops cleanly: finished portals kept, run marked interrupted, exit 130")
    func interrupt() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let database = temporaryDatabase()
        let process = try launch([
            "scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--concurrency", "3",
            "--confirm-after", "0",
        ])
        _ = try await waitForResults(database, atLeast: 20, of: process)
        process.kill(SIGINT)
        let status = await process.wait()
        #expect(status == 130)
        let run = try #require(try await AuditStore(path: database).run(nil))
        #expect(run.status == .interrupted)
        #expect(run.done >= 20 && run.done < 150)
    }

    @Test("a bad inventory lists every problem and sends no traffic")
    func badInventory() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv").path
        try "url;level\nhttps://a.gov.vn/;9\nnot a url;2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let database = temporaryDatabase()
        let result = try await Command.run(
            Repository.binary, ["scan", path, "--db", database], environment: environment)
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 2)
        #expect(result.stderr.contains("\(path):2:19: error: level: expected a security level 1…5, found '9'"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test(
        "re-grading a stored run with another profile changes verdicts without any traffic: headers read as browsers read them, the spam threshold moved"
    )
    func regrade() async throws {
        // Given a scan of lab portals stored in history: three plain cases, the header cases (every header
        // on two lines, frame-ancestors *, 'unsafe-inline', HSTS on two lines, SameSite=True) and footer spam
        let portals = try [
            "exemplary", "no-headers", "insecure-cookies", "headers-repeated", "frame-ancestors-open",
            "csp-unsafe-inline", "hsts-repeated", "cookie-samesite-invalid", "spam-footer",
        ].map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        var yaml = "defaults: { address: \"127.0.0.1,::1\", level: 2 }\nportals:\n"
        for portal in portals { yaml += "  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n" }
        try yaml.write(toFile: inventory, atomically: true, encoding: .utf8)
        let strict = folder.appendingPathComponent("strict.yaml").path
        try """
        schema: 1
        id: strict-headers
        extends: vn-level2
        rules:
          headers.hsts: { requirement: required, source: "Quy định nội bộ (thử nghiệm)" }
          cookies.secure-flags: { requirement: required, source: "Quy định nội bộ (thử nghiệm)" }
          headers.x-frame-options: { requirement: required, source: "Quy định nội bộ (thử nghiệm)" }
          headers.csp: { requirement: required, source: "Quy định nội bộ (thử nghiệm)" }
          content.spam-injection:
            { requirement: required, params: { min_score: 100 }, source: "Quy định nội bộ (thử nghiệm)" }
        """.write(toFile: strict, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        let scan = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        #expect(scan.status == 1)  // the footer spam fails vn-level2
        // When the run is reported with the stricter profile, in a network namespace with no network at all
        // (the lab's access log is shared by every suite running at the same time, so it proves nothing)
        let arguments = ["report", "--db", database, "--profile", strict, "--format", "json", "--out", "-"]
        let isolated = FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") && getuid() == 0
        let (program, prefix) = isolated ? ("/usr/bin/unshare", ["-n", Repository.binary]) : (Repository.binary, [])
        let report = try await Command.run(program, prefix + arguments, environment: environment)
        // Then the portals that only warned now fail, judged by the new profile from the stored facts: the
        // exemplary portal still passes, which it could not if anything had been probed again
        #expect(report.status == 0, "\(report.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let sites = try #require(document["sites"] as? [[String: Any]])
        let verdicts = Dictionary(
            uniqueKeysWithValues: sites.map {
                (($0["target"] as? [String: Any])?["url"] as? String ?? "", $0["verdict"] as? String ?? "")
            })
        // (the header cases from their stored header lines: the repeated headers pass, each flawed one fails)
        #expect(verdicts[portals[0].url] == "pass")
        #expect(verdicts[portals[3].url] == "pass")
        // (the spam from its stored score: below a threshold of 100, the footer's links no longer fail it)
        #expect(verdicts[portals[8].url] == "pass")
        for index in [1, 2, 4, 5, 6, 7] { #expect(verdicts[portals[index].url] == "fail", "\(portals[index].name)") }
        #expect(sites.allSatisfy { ($0["profile"] as? [String: Any])?["id"] as? String == "strict-headers" })
        let stored = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "text", "--out", "-", "--lang", "en"],
            environment: environment)
        #expect(stored.stdout.contains("pass 2, pass with warnings 6, incomplete 0, fail 1"), "\(stored.stdout)")
    }

    @Test(
        "report --only with a unit the run does not hold exits 64 naming the run's units, as an impossible --date does; a unit it holds keeps its portals"
    )
    func onlyUnknownUnit() async throws {
        let portals = try ["exemplary", "no-headers"].map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("only-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        defaults: { address: "127.0.0.1,::1", province: "Thanh Hóa" }
        portals:
          - { url: "\(portals[0].url)", http_port: \(portals[0].httpPort), commune: "Xã Yên Thái" }
          - { url: "\(portals[1].url)", http_port: \(portals[1].httpPort), commune: "Xã Định Tân" }
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--confirm-after", "0"],
            environment: environment)
        // When the report asks for a unit no portal of the run is in (a typing slip)
        let out = folder.appendingPathComponent("reports").path
        let wrong = try await Command.run(
            Repository.binary, ["report", "--db", database, "--only", "Xã Yên Thai", "--out", out],
            environment: environment)
        // Then nothing is written, and the error lists the units the run holds
        #expect(wrong.status == 64)
        #expect(
            wrong.stderr.contains(
                "<command line>: error: --only: no portal of this run is in 'Xã Yên Thai'; the run's units: 'Thanh Hóa', 'Xã Yên Thái', 'Xã Định Tân'"
            ), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // (an impossible --date is refused the same way)
        let badDate = try await Command.run(
            Repository.binary, ["report", "--db", database, "--date", "2027-02-30", "--out", out],
            environment: environment)
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("--date: expected a day as YYYY-MM-DD or `blank`, found '2027-02-30'"))
        // And a unit it holds keeps only its portals
        let right = try await Command.run(
            Repository.binary, ["report", "--db", database, "--only", "Xã Yên Thái", "--format", "json", "--out", "-"],
            environment: environment)
        #expect(right.status == 0, "\(right.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(right.stdout.utf8)) as? [String: Any])
        #expect((document["sites"] as? [[String: Any]])?.count == 1)
    }

    @Test("each portal is judged by the profile of its approved level when --profile is not given")
    func levels() async throws {
        let noHeaders = try Lab.portal("no-headers")
        let cookies = try Lab.portal("insecure-cookies")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("levels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        defaults: { address: "127.0.0.1,::1" }
        portals:
          - url: \(noHeaders.url)
            http_port: \(noHeaders.httpPort)
            level: 3
          - url: \(cookies.url)
            http_port: \(cookies.httpPort)
            level: 2
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        let scan = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        #expect(scan.status == 1)
        let results = try await AuditStore(path: database).results(run: 1)
        let level3 = try #require(results.first { $0.target.url == noHeaders.url })
        let level2 = try #require(results.first { $0.target.url == cookies.url })
        #expect(level3.profile.label == "vn-level3@7")
        #expect(level3.verdict == .fail)  // HSTS and version leak are required at level 3
        #expect(level3.findings.first { $0.rule == "headers.hsts" }?.requirement == .required)
        #expect(level2.profile.label == "vn-level2@6")
        #expect(level2.verdict == .warn)  // the same cookie flaw is only recommended at level 2
        let report = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "text", "--out", "-", "--lang", "en"],
            environment: environment)
        #expect(report.stdout.contains("vn-level3@7") && report.stdout.contains("vn-level2@6"))
    }

    @Test(
        "a silent portal is asked again 30 s later without holding a slot: the others finish first, it fails confirmed"
    )
    func confirmedOutage() async throws {
        // Given one portal where nothing listens, ahead of two that answer, scanned one at a time
        let down = try Lab.portal("down")
        let up = try ["exemplary", "insecure-cookies"].map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("h.sqlite").path
        // When Kit scans it on a test clock (the 30 s wait is the clock's, moved by this test)
        let clock = TestClock()
        let (inventory, scanner) = try labScan([down] + up, in: folder, clock: clock)
        let prepared = try await scanner.prepare(
            ScanRequest(
                inventory: inventory, concurrency: 1, database: database, probe: ProbeOptions(), caFile: Lab.caFile))
        let order = Mutex<[String]>([])
        let scan = Task {
            try await scanner.scan(prepared) { event in order.withLock { $0.append(event.site.target.url) } }
        }
        // Then the portals that answer are saved while the silent one waits outside the slot, on the clock
        #expect(try await eventually(60) { order.withLock { $0 } == up.map(\.url) && clock.pending.contains(30) })
        clock.advance(by: 30)
        let summary = try await scan.value
        #expect(summary.counts.fail == 1)
        #expect(order.withLock { $0 } == up.map(\.url) + [down.url])
        // And it fails, confirmed by a second attempt 30 s (on the clock) after the first, its connections counted twice
        let results = try await AuditStore(path: database).results(run: 1)
        let silent = try #require(results.first { $0.target.url == down.url })
        #expect(silent.verdict == .fail)
        #expect(silent.observation.reachability?.confirmedAfterSeconds == 30)
        #expect(silent.findings.first { $0.rule == "availability.reachable" }?.status == .fail)
        // And without a second attempt the same portal is incomplete, with the reason, never down
        let once = folder.appendingPathComponent("once.sqlite").path
        let quick = try await Command.run(
            Repository.binary,
            ["scan", inventory, "--db", once, "--ca-file", Lab.caFile, "--confirm-after", "0"],
            environment: environment)
        #expect(quick.status == 0)
        let unconfirmed = try #require(
            try await AuditStore(path: once).results(run: 1).first { $0.target.url == down.url })
        #expect(unconfirmed.verdict == .incomplete)
        let finding = try #require(unconfirmed.findings.first { $0.rule == "availability.reachable" })
        #expect(finding.resultCode == "unconfirmed" && finding.evidence["reason"] != nil)
        #expect(silent.cost.requests == 2 * unconfirmed.cost.requests && unconfirmed.cost.requests > 0)
        let refused = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", once, "--confirm-after", "10"], environment: environment)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--confirm-after: expected 0 or at least 30 seconds, found 10"))
    }
}
