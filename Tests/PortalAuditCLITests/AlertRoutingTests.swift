import Foundation
import PortalAuditCore
import PortalAuditStore
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

/// The messages an SMTP sink stored (`scripts/lab-sinks.py smtp … MAILDIR`): envelope recipients and text.
private func inbox(_ maildir: String) throws -> [(recipients: [String], text: String)] {
    let folder = maildir + "/new"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return try names.sorted().map { name in
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        let first = text.split(separator: "\n", maxSplits: 1).first ?? ""
        return (first.dropFirst("X-Lab-Rcpt-To: ".count).split(separator: ",").map(String.init), text)
    }
}

@Suite("Alerts each unit can live with", .serialized, .timeLimit(.minutes(3)))
struct AlertRoutingTests {
    @Test(
        "each unit's inbox holds only its portals; a mail server that is down delays the alerts, which arrive once, in order, after it is back and after a restart"
    )
    func routedKeptRetried() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given two communes' portals that do not answer (nothing listens on their ports), one unit named by
        // `alerts_to:`, the other by the e-mail address in its `contact:`
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        portals:
          - url: https://xa-yenthai.laocai.gov.vn:18486/
            name: "Xã Yên Thái"
            address: 127.0.0.1
            alerts_to: "vanphong@yenthai.portal-audit.lab"
          - url: https://xa-yenbinh.laocai.gov.vn:18487/
            name: "Xã Yên Bình"
            address: 127.0.0.1
            contact: "Văn phòng UBND xã Yên Bình, vp@yenbinh.portal-audit.lab, 0214 3850 000"
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try """
        email: { smtp: "smtp://mail.portal-audit.lab:18488", from: "giamsat@portal-audit.lab", to: ["attt@portal-audit.lab"] }
        retry_seconds: 1
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("a.sqlite").path
        let maildir = folder.appendingPathComponent("Maildir").path
        let arguments = [
            "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db", database, "--alerts", alerts,
            "--ca-file", Lab.caFile, "--resolve", "mail.portal-audit.lab:18488:127.0.0.1", "--timeout", "2",
            "--confirm-after", "0",
        ]
        // And the province's mail server down when the portals go down
        var monitor = try Command.start(Repository.binary, arguments, environment: environment)
        defer { monitor.kill(SIGKILL) }
        func kept() async throws -> [AuditStore.OutboxMessage] {
            guard FileManager.default.fileExists(atPath: database) else { return [] }
            return try await AuditStore(path: database).alertMessages(since: .distantPast)
        }
        // When both are confirmed down: four messages kept (the province's two, one per unit), tried and failed
        #expect(
            try await eventually(60) {
                let messages = try await kept()
                return messages.count == 4 && messages.allSatisfy { $0.deliveredAt == nil }
                    && messages.contains { $0.attempts >= 1 }
            }, "\(monitor.stderrSoFar)")
        // And the mail server comes back
        let smtp = try Command.start(
            "/usr/bin/env",
            [
                "python3", Repository.root.appendingPathComponent("scripts/lab-sinks.py").path, "smtp", "18488",
                pki + "/smtp-sink.pem", pki + "/smtp-sink.key", folder.appendingPathComponent("events.log").path,
                maildir,
            ])
        defer { smtp.kill(SIGKILL) }
        // Then every message is delivered, once
        #expect(try await eventually(60) { try inbox(maildir).count == 4 }, "\(monitor.stderrSoFar)")
        let messages = try inbox(maildir)
        let province = messages.filter { $0.recipients == ["attt@portal-audit.lab"] }
        #expect(province.count == 2)
        #expect(
            province.contains { $0.text.contains("xa-yenthai") } && province.contains { $0.text.contains("xa-yenbinh") }
        )
        // And each unit's inbox holds its own portal only, addressed to it alone
        let yenThai = messages.filter { $0.recipients == ["vanphong@yenthai.portal-audit.lab"] }
        let yenBinh = messages.filter { $0.recipients == ["vp@yenbinh.portal-audit.lab"] }
        #expect(yenThai.count == 1 && yenBinh.count == 1)
        #expect(yenThai.allSatisfy { $0.text.contains("xa-yenthai") && !$0.text.contains("xa-yenbinh") })
        #expect(yenBinh.allSatisfy { $0.text.contains("xa-yenbinh") && !$0.text.contains("xa-yenthai") })
        #expect(yenThai.allSatisfy { $0.text.contains("\nTo: <vanphong@yenthai.portal-audit.lab>\n") })
        // And the history says who was told when, in the order the alerts were made
        let delivered = try await kept()
        #expect(delivered.allSatisfy { $0.deliveredAt != nil && $0.lastError == nil })
        // (tried while the server was down, then again)
        #expect(delivered.contains { $0.attempts >= 2 })
        for destination in Set(delivered.map(\.destination)) {
            let mine = delivered.filter { $0.destination == destination }
            let times = mine.compactMap(\.deliveredAt)
            #expect(times == times.sorted(), "\(destination)")
        }
        // And the dashboard shows who was told what and when
        let (serve, page) = try await dashboardOverview(database: database, environment: environment)
        defer { serve.kill(SIGTERM) }
        let told = String(page.split(separator: "id=\"told\"").last ?? "")
        #expect(told.contains("vanphong@yenthai.portal-audit.lab") && told.contains("attt@portal-audit.lab"))
        #expect(told.contains("đã gửi") && !told.contains("chưa gửi được"))
        // When the monitor restarts while the portals are still down, nothing is sent again
        monitor.kill(SIGTERM)
        #expect(await monitor.wait() == 0)
        monitor = try Command.start(Repository.binary, arguments, environment: environment)
        try await Task.sleep(for: .seconds(4))
        #expect(try inbox(maildir).count == 4)
        #expect(try await kept().count == 4)
    }

    @Test(
        "four portals of one server stopping together are one incident, announced once across a monitor restart and closed once when the last is back; a portal elsewhere alone"
    )
    func incident() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("incident-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sinks = Repository.root.appendingPathComponent("scripts/lab-sinks.py").path
        func portal(_ port: Int) throws -> Command.Running {
            try Command.start(
                "/usr/bin/env",
                ["python3", sinks, "portal", String(port), pki + "/monitor-portal.pem", pki + "/monitor-portal.key"])
        }
        let ports = [18501, 18502, 18503, 18504]
        var portals = try ports.map(portal)
        let hookLog = folder.appendingPathComponent("hook.log").path
        let hook = try Command.start("/usr/bin/env", ["python3", sinks, "webhook", "18506", hookLog])
        defer {
            hook.kill(SIGKILL)
            for running in portals { running.kill(SIGKILL) }
        }
        // Given four communes' portals on one server and one on another network, which does not answer
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try
            (["portals:"]
            + ports.map {
                "  - { url: \"https://xa-p\($0).laocai.gov.vn:\($0)/\", name: \"Xã P\($0)\", address: 127.0.0.1 }"
            }
            + ["  - { url: \"https://xa-le.laocai.gov.vn:18505/\", name: \"Xã Lẻ\", address: 127.0.1.1 }"])
            .joined(separator: "\n").write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        // (and an escalation channel, told once of an incident still open after 0.001 h)
        try """
        webhook: { url: "http://127.0.0.1:18506/hook" }
        escalation: { after_hours: 0.001, webhook: "http://127.0.0.1:18506/escalation" }
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("i.sqlite").path
        let arguments = [
            "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db", database, "--alerts", alerts,
            "--ca-file", Lab.caFile, "--timeout", "2", "--confirm-after", "0",
        ]
        func events() -> [String] {
            ((try? String(contentsOfFile: hookLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func count(_ event: String) -> Int { events().filter { $0.contains("\"event\":\"\(event)\"") }.count }
        #expect(try await eventually(20) { ports.allSatisfy { accepts(UInt16($0)) } && accepts(18506) })
        var monitor = try Command.start(Repository.binary, arguments, environment: environment)
        defer { monitor.kill(SIGKILL) }
        // (the lone portal is announced alone, on its own)
        #expect(try await eventually(30) { count("down") == 1 }, "\(events())")
        #expect(events().first { $0.contains("\"event\":\"down\"") }?.contains("xa-le") == true)
        // When the server of the four stops
        for running in portals { running.kill(SIGKILL) }
        for running in portals { _ = await running.wait() }
        // Then one incident opens, naming the server (the portals confirmed in that round; one confirmed a round
        // later joins it quietly), and no portal of it alerts alone
        #expect(try await eventually(20) { count("incident-open") == 1 }, "\(events())")
        let opened = events().first { $0.contains("incident-open") } ?? ""
        #expect(opened.contains("cổng trên máy chủ 127.0.0.1 ngừng phản hồi từ"))
        try await Task.sleep(for: .seconds(2))
        #expect(count("down") == 1 && count("incident-grew") == 0)
        // And the escalation channel hears once of each outage still open some seconds later: the incident and
        // the lone portal (the sink portals also fail required criteria in every scan: those escalate apart)
        func outagesEscalated() -> [String] {
            events().filter { $0.contains("\"event\":\"escalated\"") && !$0.contains("failing:") }
        }
        #expect(try await eventually(20) { outagesEscalated().count == 2 }, "\(events())")
        #expect(
            outagesEscalated().contains { $0.contains("incident:127.0.0.0") }
                && outagesEscalated().contains { $0.contains("xa-le") })
        // And a monitor restarted mid-incident announces nothing again
        monitor.kill(SIGTERM)
        #expect(await monitor.wait() == 0)
        monitor = try Command.start(Repository.binary, arguments, environment: environment)
        try await Task.sleep(for: .seconds(4))
        #expect(count("incident-open") == 1 && count("down") == 1 && outagesEscalated().count == 2)
        // When two come back, nothing is said; when the last two do, the incident closes once, with each outage
        portals = try ports.prefix(2).map(portal)
        try await Task.sleep(for: .seconds(4))
        #expect(count("incident-closed") == 0 && count("up") == 0)
        portals += try ports.suffix(2).map(portal)
        #expect(try await eventually(20) { count("incident-closed") == 1 }, "\(events())")
        let closed = events().first { $0.contains("incident-closed") } ?? ""
        #expect(ports.allSatisfy { closed.contains("Xã P\($0)") })
        try await Task.sleep(for: .seconds(2))
        #expect(count("incident-open") == 1 && count("incident-closed") == 1 && count("up") == 0)
        monitor.kill(SIGTERM)
        #expect(await monitor.wait() == 0)
    }

    @Test(
        "the monitor's own network cut: one alert, no portal's, and the time unmonitored rather than down, said by history"
    )
    func cutOff() async throws {
        _ = try Lab.portals()
        let pki = Lab.directory + "/pki"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sinks = Repository.root.appendingPathComponent("scripts/lab-sinks.py").path
        let serve = ["python3", sinks, "portal", "18507", pki + "/monitor-portal.pem", pki + "/monitor-portal.key"]
        var portal = try Command.start("/usr/bin/env", serve)
        let hookLog = folder.appendingPathComponent("hook.log").path
        let hook = try Command.start("/usr/bin/env", ["python3", sinks, "webhook", "18508", hookLog])
        defer {
            hook.kill(SIGKILL)
            portal.kill(SIGKILL)
        }
        // Given ten portals and a canary the monitor reaches through the same network (one listener on loopback
        // stands for it: stopping it is the monitor's own connection dropping)
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try
            (["portals:"]
            + (1...10).map { "  - { url: \"https://xa-n\($0).laocai.gov.vn:18507/\", address: 127.0.0.1 }" })
            .joined(separator: "\n").write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try """
        webhook: { url: "http://127.0.0.1:18508/hook" }
        canaries: ["https://127.0.0.1:18507/"]
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("c.sqlite").path
        #expect(try await eventually(20) { accepts(18507) && accepts(18508) })
        let monitor = try Command.start(
            Repository.binary,
            [
                "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db", database, "--alerts",
                alerts, "--ca-file", Lab.caFile, "--timeout", "2", "--confirm-after", "0",
            ], environment: environment)
        defer { monitor.kill(SIGKILL) }
        func events() -> [String] {
            ((try? String(contentsOfFile: hookLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        let store = try AuditStore(path: database)
        #expect(
            try await eventually(30) {
                try await store.samples(url: "https://xa-n1.laocai.gov.vn:18507/", since: .distantPast).count >= 2
            })
        // When the connection drops for about five seconds
        portal.kill(SIGKILL)
        _ = await portal.wait()
        let dropped = Date()
        #expect(try await eventually(20) { events().contains { $0.contains("\"event\":\"monitor-cut-off\"") } })
        try await Task.sleep(for: .seconds(3))
        portal = try Command.start("/usr/bin/env", serve)
        #expect(try await eventually(20) { accepts(18507) })
        try await Task.sleep(for: .seconds(4))
        // Then one alert says so, and none for any portal
        #expect(events().count == 1, "\(events())")
        // And the time is unmonitored: no outage in the samples, and history says it
        let samples = try await store.samples(url: "https://xa-n1.laocai.gov.vn:18507/", since: .distantPast)
        #expect(UptimeAccounting.outages(samples).isEmpty)
        // (the samples of the cut were not kept: a gap, not failures)
        let gap = zip(samples, samples.dropFirst()).map { $1.at.timeIntervalSince($0.at) }.max() ?? 0
        #expect(gap >= 3, "\(samples.map { ($0.at.timeIntervalSince(dropped), $0.up) })")
        let history = try await Command.run(
            Repository.binary, ["history", "--db", database, "--lang", "en"], environment: environment)
        #expect(history.stdout.contains("Unmonitored (the monitor's own network was cut; not counted as downtime): "))
        monitor.kill(SIGTERM)
        #expect(await monitor.wait() == 0)
    }

    @Test(
        "digests: each recipient its own portals, the counts in the subject, each failure with its fix; a required failure still open escalates once"
    )
    func digests() async throws {
        let pki = Lab.directory + "/pki"
        let failing = try Lab.portal("legacy-tls")
        let passing = try Lab.portal("exemplary")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let maildir = folder.appendingPathComponent("Maildir").path
        let smtp = try Command.start(
            "/usr/bin/env",
            [
                "python3", Repository.root.appendingPathComponent("scripts/lab-sinks.py").path, "smtp", "18509",
                pki + "/smtp-sink.pem", pki + "/smtp-sink.key", folder.appendingPathComponent("events.log").path,
                maildir,
            ])
        defer { smtp.kill(SIGKILL) }
        // Given two communes' portals, one failing, each commune with its own address
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try """
        defaults:
          province: "Tỉnh Lab"
        portals:
          - url: \(failing.url)
            http_port: \(failing.httpPort)
            address: "127.0.0.1,::1"
            commune: "Xã Yên Thái"
            alerts_to: "vp@yenthai.portal-audit.lab"
          - url: \(passing.url)
            http_port: \(passing.httpPort)
            address: "127.0.0.1,::1"
            commune: "Xã Yên Bình"
            alerts_to: "vp@yenbinh.portal-audit.lab"
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let alerts = folder.appendingPathComponent("alerts.yaml").path
        try """
        email: { smtp: "smtp://mail.portal-audit.lab:18509", from: "giamsat@portal-audit.lab", to: ["attt@portal-audit.lab"] }
        digest: { every: 3s, dashboard: "https://giamsat.portal-audit.lab" }
        escalation: { after_hours: 0.001, to: ["lanhdao@portal-audit.lab"] }
        """.write(toFile: alerts, atomically: true, encoding: .utf8)
        #expect(try await eventually(20) { accepts(18509) })
        // When the monitor has scanned once and a digest period has passed
        let monitor = try Command.start(
            Repository.binary,
            [
                "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db",
                folder.appendingPathComponent("d.sqlite").path, "--alerts", alerts, "--ca-file", Lab.caFile,
                "--resolve", "mail.portal-audit.lab:18509:127.0.0.1", "--sample-pages", "0",
            ], environment: environment)
        defer { monitor.kill(SIGKILL) }
        #expect(
            try await eventually(60) {
                let letters = try inbox(maildir)
                return letters.filter { $0.text.contains("X-Portal-Audit-Event: digest") }.count >= 3
                    && letters.contains { $0.recipients == ["lanhdao@portal-audit.lab"] }
            }, "\(monitor.stderrSoFar)")
        monitor.kill(SIGTERM)
        _ = await monitor.wait()
        // Then the province's digest holds both portals, each commune's only its own, counts first
        let letters = try inbox(maildir).filter { $0.text.contains("X-Portal-Audit-Event: digest") }
        let province = try #require(letters.first { $0.recipients == ["attt@portal-audit.lab"] })
        #expect(province.text.contains("[portal-audit] Toàn Tỉnh Lab: 1 không đạt, 0 kém đi, 0 tốt lên"))
        #expect(province.text.contains("Bản tin tình trạng 2 cổng/trang") && province.text.contains(failing.host))
        let yenThai = try #require(letters.first { $0.recipients == ["vp@yenthai.portal-audit.lab"] })
        #expect(yenThai.text.contains("[portal-audit] Xã Yên Thái: 1 không đạt, 0 kém đi, 0 tốt lên"))
        #expect(yenThai.text.contains("Bản tin tình trạng 1 cổng/trang") && yenThai.text.contains(failing.host))
        #expect(yenThai.text.contains("Cách khắc phục: "))
        #expect(yenThai.text.contains("https://giamsat.portal-audit.lab/portal?url="))
        let yenBinh = try #require(letters.first { $0.recipients == ["vp@yenbinh.portal-audit.lab"] })
        #expect(yenBinh.text.contains("[portal-audit] Xã Yên Bình: 0 không đạt, 0 kém đi, 0 tốt lên"))
        #expect(!yenBinh.text.contains(failing.host))
        // And the failing portal, still failing past the escalation time, went once to the second channel
        let escalated = try inbox(maildir).filter { $0.recipients == ["lanhdao@portal-audit.lab"] }
        #expect(escalated.count == 1 && escalated.first?.text.contains("failing:" + failing.url) == true)
    }
}
