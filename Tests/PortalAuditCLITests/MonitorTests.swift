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

private func sink(_ arguments: [String]) throws -> Command.Running {
    try Command.start(
        "/usr/bin/env", ["python3", Repository.root.appendingPathComponent("scripts/lab-sinks.py").path] + arguments)
}

/// Whether something listens on 127.0.0.1:`port` (a TCP connection is accepted).
func accepts(_ port: UInt16) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

@Suite("portal-audit monitor", .serialized, .timeLimit(.minutes(3)))
struct MonitorTests {
    @Test(
        "the monitor's rounds and scan schedule run on Kit's clock: a sample each interval, the next scan one interval after the last"
    )
    func scheduleOnTestClock() async throws {
        // Given one lab portal watched every 5 min and scanned daily, by Kit on a test clock
        let portal = try Lab.portal("exemplary")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try
            "defaults: { address: \"127.0.0.1,::1\" }\nportals:\n  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n"
            .write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        let clock = TestClock()
        let runner = AuditRunner(profileLoader: ProfileLoader(searchPaths: [Repository.profiles]))
        runner.restrictToLoopback(true)
        let monitor = MonitorRunner(
            scanner: FleetScanner(runner: runner, clock: KitClock(now: clock.now, sleep: clock.sleep)))
        let request = MonitorRequest(
            scan: ScanRequest(
                inventory: inventory, concurrency: 2, database: database,
                probe: ProbeOptions(confirmOutagesAfterSeconds: 0), caFile: Lab.caFile),
            uptimeEvery: 300, scanEvery: 86_400)
        let prepared = try await monitor.prepare(request)
        let task = Task { await monitor.run(prepared) { _ in } }
        defer { task.cancel() }
        let store = try AuditStore(path: database)
        func samples() async throws -> Int { try await store.samples(url: portal.url, since: .distantPast).count }
        func lastRun() async throws -> (Int64, Bool)? {
            try await store.run(nil).map { ($0.id, $0.status == .finished) }
        }
        // When it starts: one sample and one scan at once, then both wait on the clock (5 min, 24 h)
        #expect(
            try await eventually(60) {
                let finished = try await lastRun()?.1 == true
                return try await samples() == 1 && finished
            })
        #expect(
            try await eventually(10) {
                clock.pending.contains { abs($0 - 300) < 1 } && clock.pending.contains { abs($0 - 86_400) < 1 }
            }, "\(clock.pending)")
        // Then 5 min on the clock bring one more sample and no scan
        clock.advance(by: 300)
        #expect(try await eventually(30) { try await samples() == 2 })
        #expect(try await lastRun()?.0 == 1)
        // And the day's end brings the second scan, and the samples of the round due and of now: not the 287
        // rounds missed
        clock.advance(by: 86_100)
        #expect(try await eventually(60) { try await lastRun().map { $0.0 == 2 && $0.1 } == true })
        #expect(try await samples() <= 4)
        task.cancel()
        await task.value
    }

    @Test(
        "a portal stopped and started again: one outage with the right bounds, uptime from it, one down and one up alert by webhook and e-mail"
    )
    func outageAndAlerts() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let hookLog = folder.appendingPathComponent("hook.log").path
        let mailLog = folder.appendingPathComponent("mail.log").path
        let portalArgs = ["portal", "18481", pki + "/monitor-portal.pem", pki + "/monitor-portal.key"]
        var portal = try sink(portalArgs)
        let hook = try sink(["webhook", "18482", hookLog])
        let smtp = try sink(["smtp", "18483", pki + "/smtp-sink.pem", pki + "/smtp-sink.key", mailLog])
        defer {
            hook.kill(SIGKILL)
            smtp.kill(SIGKILL)
        }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        portals:
          - url: https://xa-giamsat.laocai.gov.vn:18481/
            name: "Trang thông tin điện tử xã Giám Sát"
            address: 127.0.0.1
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try """
        webhook: { url: "http://127.0.0.1:18482/hook" }
        email: { smtp: "smtp://mail.portal-audit.lab:18483", from: "giamsat@portal-audit.lab", to: ["attt@portal-audit.lab"] }
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("m.sqlite").path
        let metrics = folder.appendingPathComponent("portal_audit.prom").path
        try await Task.sleep(for: .milliseconds(500))
        // Given the monitor sampling every second
        let monitor = try Command.start(
            Repository.binary,
            [
                "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db", database, "--alerts",
                alerts,
                "--metrics-file", metrics, "--ca-file", Lab.caFile, "--resolve",
                "mail.portal-audit.lab:18483:127.0.0.1",
                "--timeout", "3",
            ],
            environment: environment)
        // (its first scheduled scan finished before the portal stops: on a loaded machine it can take longer
        // than the few seconds of sampling before the outage, and it would then meet the outage itself)
        #expect(
            try await eventually(60) {
                guard FileManager.default.fileExists(atPath: database) else { return false }
                return try await AuditStore(path: database).run(nil)?.status == .finished
            })
        try await Task.sleep(for: .seconds(2))
        // When the portal stops for about four seconds and comes back
        portal.kill(SIGKILL)
        _ = await portal.wait()
        let stopped = Date()
        try await Task.sleep(for: .seconds(4))
        portal = try sink(portalArgs)
        // Back when it listens again (a Python process starting on a busy machine takes a moment)
        #expect(try await eventually(10) { accepts(18481) })
        let restarted = Date()
        #expect(
            try await eventually(10) {
                (try? String(contentsOfFile: hookLog, encoding: .utf8))?.contains("\"event\":\"up\"") == true
            })
        try await Task.sleep(for: .seconds(1.5))
        monitor.kill(SIGTERM)
        let status = await monitor.wait()
        portal.kill(SIGKILL)
        #expect(status == 0)
        // Then the outage is recorded with the right bounds (± one interval) and uptime comes from it
        let store = try AuditStore(path: database)
        let samples = try await store.samples(url: "https://xa-giamsat.laocai.gov.vn:18481/", since: .distantPast)
        let outages = UptimeAccounting.outages(samples)
        #expect(outages.count == 1)
        let outage = try #require(outages.first)
        #expect(abs(outage.start.timeIntervalSince(stopped)) <= 1.5)
        let end = try #require(outage.end)
        #expect(end.timeIntervalSince(restarted) >= -0.5 && end.timeIntervalSince(restarted) <= 2.5)
        let facts = UptimeAccounting.facts(samples, interval: 1, windowHours: 24, now: Date())
        let percent = try #require(facts.percent)
        #expect(percent > 30 && percent < 90)
        let history = try await Command.run(
            Repository.binary, ["history", "--db", database, "--lang", "en"], environment: environment)
        #expect(history.stdout.contains("Uptime: 24h"))
        #expect(history.stdout.contains("Outage: "))
        // And exactly one "down" and one "up" alert arrived by webhook and by e-mail (STARTTLS)
        let hooks = try String(contentsOfFile: hookLog, encoding: .utf8).split(separator: "\n")
        #expect(hooks.filter { $0.contains("\"event\":\"down\"") }.count == 1)
        #expect(hooks.filter { $0.contains("\"event\":\"up\"") }.count == 1)
        #expect(hooks.count == 2)
        let mails = try String(contentsOfFile: mailLog, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(mails == ["down", "up"])
        // And the metrics file is Prometheus text
        let prom = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(prom.contains("# TYPE portal_audit_up gauge"))
        #expect(prom.contains("portal_audit_up{url=\"https://xa-giamsat.laocai.gov.vn:18481/\"} 1"))
        let ratioLine = try #require(prom.split(separator: "\n").first { $0.hasPrefix("portal_audit_uptime_ratio{") })
        let ratio = try #require(Double(ratioLine.split(separator: " ").last ?? ""))
        #expect(ratio > 0.3 && ratio < 0.95)
    }

    @Test(
        "a home page replaced between two scheduled scans alerts once, for a person to confirm; put back, it does not; a new document with identifiers alerts once"
    )
    func defacementAlert() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deface-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("index.html").path
        let hookLog = folder.appendingPathComponent("hook.log").path
        let clean = """
            <html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử xã Giám Sát</title></head><body>
            <h1>Ủy ban nhân dân xã Giám Sát</h1><p>Tin tức: hội nghị triển khai nhiệm vụ chuyển đổi số năm 2027, lịch
            tiếp công dân của Chủ tịch Ủy ban nhân dân xã, thông báo tuyển dụng viên chức và kế hoạch phòng chống thiên
            tai của xã trong mùa mưa bão.</p><a href="https://chinhphu.vn/">Cổng Chính phủ</a></body></html>
            """
        try clean.write(toFile: page, atomically: true, encoding: .utf8)
        let portal = try sink(["portal", "18484", pki + "/monitor-portal.pem", pki + "/monitor-portal.key", page])
        let hook = try sink(["webhook", "18485", hookLog])
        defer {
            portal.kill(SIGKILL)
            hook.kill(SIGKILL)
        }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        portals:
          - { url: "https://xa-giamsat.laocai.gov.vn:18484/", name: "Xã Giám Sát", address: 127.0.0.1 }
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try #"webhook: { url: "http://127.0.0.1:18485/hook" }"#.write(toFile: alerts, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("d.sqlite").path
        // (both servers listening before anything is sent to them: Python starts slowly on a loaded machine)
        #expect(try await eventually(20) { accepts(18484) && accepts(18485) })
        // Given the monitor scanning every ten seconds on Kit's test clock (each next scan when this test moves
        // it: a loaded machine cannot make two real scans miss a real deadline), and a first scan of the clean page
        let clock = TestClock()
        let runner = AuditRunner(profileLoader: ProfileLoader(searchPaths: [Repository.profiles]))
        runner.restrictToLoopback(true)
        let monitor = MonitorRunner(
            scanner: FleetScanner(runner: runner, clock: KitClock(now: clock.now, sleep: clock.sleep)))
        let prepared = try await monitor.prepare(
            MonitorRequest(
                scan: ScanRequest(
                    inventory: inventory, concurrency: 2, database: database,
                    // (10 s: the linked PDF is read within the site's budget on a loaded machine)
                    probe: ProbeOptions(timeoutSeconds: 10, confirmOutagesAfterSeconds: 0), caFile: Lab.caFile),
                uptimeEvery: 600, scanEvery: 10, alertsFile: alerts))
        let said = Mutex<[String]>([])
        let task = Task { await monitor.run(prepared) { line in said.withLock { $0.append(line) } } }
        defer { task.cancel() }
        func finishedRuns() async throws -> Int64 {
            guard let run = try await AuditStore(path: database).run(nil) else { return 0 }
            return run.status == .finished ? run.id : run.id - 1
        }
        /// The next scheduled scan: once the last one has finished and the schedule waits its ten seconds.
        func nextScan() async throws {
            let before = try await finishedRuns()
            #expect(try await eventually(30) { clock.pending.contains { abs($0 - 10) < 0.5 } }, "\(clock.pending)")
            clock.advance(by: 10)
            #expect(try await eventually(60) { try await finishedRuns() > before })
        }
        #expect(try await eventually(60) { try await finishedRuns() >= 1 })
        // When the page is replaced by another site's (another title, other text, links to four new domains)
        try """
        <html lang="en"><head><meta charset="utf-8"><title>Cheap watches and bags online</title></head><body>
        <h1>Best prices on replica watches</h1><p>Free shipping worldwide on every order, discount codes every day,
        new collections each week from the best brands in the world.</p><a href="https://shop-a.example/">a</a>
        <a href="https://shop-b.example/">b</a><a href="https://shop-c.example/">c</a><a href="https://shop-d.example/">d</a>
        </body></html>
        """.write(toFile: page, atomically: true, encoding: .utf8)
        // Then a "defaced" alert arrives, once, though the next scan sees the same replaced page
        try await nextScan()
        #expect(
            try await eventually(30) {
                (try? String(contentsOfFile: hookLog, encoding: .utf8))?.contains("\"event\":\"defaced\"") == true
            }, "\(said.withLock { $0 })")
        try await nextScan()
        // And when the editors put the clean page back, that is a restoration, not another defacement
        try clean.write(toFile: page, atomically: true, encoding: .utf8)
        try await nextScan()
        try await nextScan()
        // And when the page links a new list with identifiers (the lab's PDF of beneficiaries), that alerts once
        let list = Lab.directory + "/www/personal-pdf/tai-lieu/Danh sách hộ nghèo 2026.pdf"
        try FileManager.default.copyItem(atPath: list, toPath: folder.appendingPathComponent("ds.pdf").path)
        try clean.replacingOccurrences(
            of: "</body>", with: "<a href=\"/tai-lieu/ds.pdf\">Danh sách hộ nghèo</a></body>"
        )
        .write(toFile: page, atomically: true, encoding: .utf8)
        try await nextScan()
        // (kept alerts go out within a second of being made)
        #expect(
            try await eventually(30) {
                (try? String(contentsOfFile: hookLog, encoding: .utf8))?.contains("\"event\":\"personal-data\"") == true
            }, "\(said.withLock { $0 })")
        try await nextScan()
        try await Task.sleep(for: .seconds(1.5))
        task.cancel()
        await task.value
        let hooks = try String(contentsOfFile: hookLog, encoding: .utf8).split(separator: "\n")
        let defaced = hooks.filter { $0.contains("\"event\":\"defaced\"") }
        #expect(defaced.count == 1)
        #expect(defaced.first?.contains("replaced") == true)
        #expect(defaced.first?.contains("Cheap watches") == true)
        let personal = hooks.filter { $0.contains("\"event\":\"personal-data\"") }
        #expect(personal.count == 1, "\(hooks)")
        #expect(personal.first?.contains("ds.pdf: 6 số định danh") == true, "\(personal)")
        #expect(personal.first?.contains("0380******45") == true)
        #expect(!hooks.contains { $0.contains("038079012345") })
    }

    @Test(
        "SIGTERM in the middle of a scheduled scan keeps every finished result; a restart resumes it without a second scan"
    )
    func resumeSchedule() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "monitor-\(UUID().uuidString).sqlite"
        ).path
        let arguments = [
            "monitor", fleet.inventory, "--uptime-every", "10m", "--scan-every", "24h", "--db", database,
            "--ca-file", Lab.caFile, "--concurrency", "3", "--confirm-after", "0",
        ]
        // Given a monitor whose first scheduled scan is running
        let first = try Command.start(Repository.binary, arguments, environment: environment)
        #expect(try await eventually(60) { (try await AuditStore(path: database).run(nil)?.done ?? 0) >= 20 })
        // When it gets SIGTERM halfway
        first.kill(SIGTERM)
        #expect(await first.wait() == 0)
        let store = try AuditStore(path: database)
        let stopped = try #require(try await store.run(nil))
        #expect(stopped.status == .interrupted)
        #expect(stopped.done >= 20 && stopped.done < 150)
        let kept = try await store.results(run: stopped.id)
        // Then a restart resumes that run, and no second scan starts
        let second = try Command.start(Repository.binary, arguments, environment: environment)
        #expect(try await eventually(120) { try await AuditStore(path: database).run(stopped.id)?.status == .finished })
        try await Task.sleep(for: .seconds(1))
        second.kill(SIGTERM)
        #expect(await second.wait() == 0)
        #expect(try await store.run(nil)?.id == stopped.id)  // no new run
        let results = try await store.results(run: stopped.id)
        #expect(results.count == 150)
        #expect(Set(results.map(\.target.url)).count == 150)
        for site in kept {
            #expect(results.first { $0.target.url == site.target.url }?.durationMS == site.durationMS)
        }
    }

    @Test(
        "a search-console token placed between two scans is a finding, unless the inventory declares it; the history keeps the tokens"
    )
    func verificationToken() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("index.html").path
        let clean = """
            <html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử xã Giám Sát</title></head>
            <body><h1>Ủy ban nhân dân xã Giám Sát</h1><p>Tin tức: hội nghị chuyển đổi số.</p></body></html>
            """
        try clean.write(toFile: page, atomically: true, encoding: .utf8)
        let portal = try sink(["portal", "18487", pki + "/monitor-portal.pem", pki + "/monitor-portal.key", page])
        defer { portal.kill(SIGKILL) }
        #expect(try await eventually(20) { accepts(18487) })
        let token = "Xq3n0aKf9bLmT2uVwYz1cD4eF5gH6iJ7kL8mN9oP0qR"
        func inventory(_ name: String, declared: Bool) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try """
            portals:
              - url: "https://xa-giamsat.laocai.gov.vn:18487/"
                name: "Cổng thông tin điện tử xã Giám Sát"
                address: 127.0.0.1
            \(declared ? "    verification: \"google:\(token)\"\n" : "")
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let plain = try inventory("plain.yaml", declared: false)
        let declared = try inventory("declared.yaml", declared: true)
        let histories = [
            folder.appendingPathComponent("a.sqlite").path, folder.appendingPathComponent("b.sqlite").path,
        ]
        func scan(_ inventory: String, _ database: String) async throws -> SiteResult? {
            _ = try await Command.run(
                Repository.binary,
                ["scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--confirm-after", "0"],
                environment: environment)
            let store = try AuditStore(path: database)
            guard let run = try await store.run(nil) else { return nil }
            return try await store.results(run: run.id).first
        }
        // Given a first scan of the clean page in two histories
        for (inventory, database) in zip([plain, declared], histories) { _ = try await scan(inventory, database) }
        // When someone places a Google verification token on the page
        try clean.replacingOccurrences(
            of: "</head>", with: "<meta name=\"google-site-verification\" content=\"\(token)\"></head>"
        ).write(toFile: page, atomically: true, encoding: .utf8)
        // Then the next scan finds it new, naming it and the previous scan's time
        let found = try #require(try await scan(plain, histories[0]))
        let finding = try #require(found.findings.first { $0.rule == "content.verification-tokens" })
        #expect(finding.status == .fail && finding.resultCode == "new-token", "\(finding)")
        #expect(finding.evidence["new"] == "google:\(token)")
        #expect(found.observation.content?.fingerprint?.verification == ["google:\(token)"])
        // And where the inventory declares the token, the unit's own, it passes
        let known = try #require(try await scan(declared, histories[1]))
        let declaredFinding = known.findings.first { $0.rule == "content.verification-tokens" }
        #expect(declaredFinding?.status == .pass && declaredFinding?.resultCode == "known")
    }

    @Test("a bad alerts file lists every problem with its position, exit 64")
    func badAlerts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try """
        webhook: { url: "ftp://x" }
        email: { smtp: "smtp://mail.x", from: "nobody", to: ["a@b"], starttls: maybe }
        pager: yes
        canaries: ["gopher://x"]
        self_share: 2
        retry_seconds: 0
        incident_min_portals: 1
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try "portals:\n  - url: https://a.gov.vn/\n".write(toFile: inventory, atomically: true, encoding: .utf8)
        let result = try await Command.run(
            Repository.binary,
            ["monitor", inventory, "--alerts", alerts, "--db", folder.appendingPathComponent("m.sqlite").path],
            environment: environment)
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(alerts):1:17: error: webhook.url: expected a http or https URL, found 'ftp://x'"))
        for expected in [
            "4:12: error: canaries: expected a http or https URL, found 'gopher://x'",
            "5:13: error: self_share: expected a share of the fleet between 0 and 1, e.g. 0.5",
            "6:16: error: retry_seconds: expected an integer in 1…3600",
            "7:23: error: incident_min_portals: expected an integer from 2",
        ] {
            #expect(lines.contains("\(alerts):\(expected)"), "\(lines)")
        }
        #expect(lines.contains("\(alerts):2:39: error: email.from: expected an e-mail address"))
        #expect(lines.contains("\(alerts):2:72: error: email.starttls: expected true or false"))
        #expect(
            lines.contains(
                "\(alerts):3:1: error: pager: unknown key (allowed: canaries, digest, email, escalation, incident_min_portals, reminder_hours, retry_seconds, self_share, webhook)"
            ))
    }

    @Test("the deployment units pass systemd-analyze verify")
    func units() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for name in [
            "portal-audit-monitor.service", "portal-audit-scan.service", "portal-audit-scan.timer",
            "portal-audit-serve.service",
        ] {
            let text = try String(
                contentsOf: Repository.root.appendingPathComponent("docs/deploy/\(name)"), encoding: .utf8
            )
            .replacingOccurrences(of: "/usr/local/bin/portal-audit", with: Repository.binary)
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let result = try await Command.run("/usr/bin/systemd-analyze", ["verify"] + paths)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
