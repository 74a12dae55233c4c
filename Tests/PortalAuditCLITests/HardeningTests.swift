import Foundation
import PortalAuditCore
import PortalAuditStore
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

private func temporaryFile(_ suffix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hardening-\(UUID().uuidString)\(suffix)").path
}

/// Waits until something listens on 127.0.0.1:`port` (at most 10 s): a sink started under load may take
/// longer than a fixed sleep.
private func listening(_ port: Int) async throws {
    for _ in 0..<200 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(fd)
        if connected { return }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// The peak a counting sink wrote (it writes after each close; at most 5 s for the last ones to end).
private func peak(_ file: String) async throws -> Int? {
    for _ in 0..<50 {
        if let text = try? String(contentsOfFile: file, encoding: .utf8), let value = Int(text) { return value }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}

private func sink(_ arguments: [String]) throws -> Command.Running {
    try Command.start(
        "/usr/bin/env", ["python3", Repository.root.appendingPathComponent("scripts/lab-sinks.py").path] + arguments)
}

/// `check` of a lab portal as JSON, with extra environment.
private func checkJSON(_ portal: Lab.Portal, extra: [String: String] = [:], arguments: [String] = []) async throws
    -> (status: Int32, site: [String: Any], stderr: String)
{
    let result = try await Command.run(
        Repository.binary,
        ["check", portal.url, "--http-port", String(portal.httpPort), "--ca-file", Lab.caFile, "--format", "json"]
            + portal.resolve.flatMap { ["--resolve", $0] } + arguments,
        environment: environment.merging(extra) { _, new in new })
    let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
    let site = (json?["sites"] as? [[String: Any]])?.first ?? [:]
    return (result.status, site, result.stderr)
}

/// Rule → status of a JSON site.
private func statuses(_ site: [String: Any]) -> [String: String] {
    var out: [String: String] = [:]
    for finding in site["findings"] as? [[String: Any]] ?? [] {
        if let rule = finding["rule"] as? String { out[rule] = finding["status"] as? String }
    }
    return out
}

/// The YAML inventory entries of lab portals, pinned to loopback.
private func inventoryEntries(_ portals: [Lab.Portal]) -> String {
    portals.map {
        "  - url: \($0.url)\n    http_port: \($0.httpPort)\n    address: \"127.0.0.1,::1\"\n    name: \"\($0.name)\"\n"
    }
    .joined()
}

@Suite("Hostile portals cannot stall, mislead or reach past the scanner", .serialized, .timeLimit(.minutes(5)))
struct HardeningTests {
    static let bombs = ["tag-bomb", "megaword", "endless-body", "script-dates", "credentials-redirect"]

    @Test("five bombs among a fleet leave every other portal's verdict as it is")
    func bombsInAFleet() async throws {
        // Given the 150-portal lab fleet and five hostile lab portals in one inventory
        let fleet = try Lab.fleet(150, seed: 7)
        let bombs = try Self.bombs.map { try Lab.portal($0) }
        let inventory = temporaryFile(".yaml")
        let fleetText = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        try (fleetText + inventoryEntries(bombs)).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = temporaryFile(".sqlite")
        // When it is scanned (judged with the crowded lab's response-time limit: in CI an exemplary portal's
        // handshake took 3.2 s among 32 in flight, and the test would judge the machine, not the bombs)
        let result = try await Command.run(
            Repository.binary,
            [
                "scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--concurrency", "32", "--confirm-after",
                "0", "--profile", Lab.Fleet.crowdedProfile,
            ],
            environment: environment)
        // Then the 150 fleet portals get the verdicts planned for them, and the bombs their own
        #expect(result.status == 1, "\(result.stderr.suffix(400))")
        let results = try await AuditStore(path: database).results(run: 1)
        #expect(results.count == 155)
        for site in results {
            if let expected = fleet.expectedAskedOnce[site.target.url] {
                let failing = site.findings.filter { $0.status == .fail }.map { "\($0.rule)=\($0.resultCode)" }
                #expect(
                    site.verdict.rawValue == expected,
                    "\(site.target.url) (\(fleet.cases[site.target.url] ?? "?")): \(failing) \(site.findings.filter { $0.status == .fail }.map(\.evidence))"
                )
            } else {
                let bomb = try #require(bombs.first { $0.url == site.target.url })
                #expect(site.verdict.rawValue == bomb.expectedVerdict, "\(bomb.name)")
            }
        }
    }

    @Test("page text ignores multi-line scripts and styles: the scripted e-mail and date do not count")
    func scriptedContent() async throws {
        let (_, site, _) = try await checkJSON(try Lab.portal("script-dates"))
        let content = (site["observation"] as? [String: Any])?["content"] as? [String: Any]
        #expect((content?["mandatory_missing"] as? [String])?.contains("email") == true)
        let page = (content?["sources"] as? [[String: Any]])?.first { $0["source"] as? String == "page" }
        #expect(page?["count"] as? Int == 0)
    }

    @Test("a redirect with credentials is refused, and its password is not kept")
    func credentialsRedirect() async throws {
        let (status, site, _) = try await checkJSON(try Lab.portal("credentials-redirect"))
        #expect(status == 1)
        let finding = (site["findings"] as? [[String: Any]])?.first {
            $0["rule"] as? String == "http.redirect-to-https"
        }
        #expect(finding?["result_code"] as? String == "unsafe-redirect")
        let evidence = finding?["evidence"] as? [String: String]
        #expect(evidence?["refused"] == "credentials")
        let text = String(decoding: try JSONSerialization.data(withJSONObject: site), as: UTF8.self)
        #expect(!text.contains("s3cret"))
    }

    @Test("with dead proxies in the environment, check gives the same findings (proxies are never used)")
    func proxiesIgnored() async throws {
        let portal = try Lab.portal("exemplary")
        let plain = try await checkJSON(portal)
        let dead = "http://127.0.0.1:9"
        let proxied = try await checkJSON(
            portal,
            extra: [
                "http_proxy": dead, "https_proxy": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead, "all_proxy": dead,
            ])
        #expect(plain.status == 0 && proxied.status == 0)
        #expect(statuses(proxied.site) == statuses(plain.site))
        #expect(proxied.site["verdict"] as? String == "pass")
    }

    @Test("with dead proxies in the environment, scan gives the same verdicts")
    func proxiesIgnoredByScan() async throws {
        let portals = try ["exemplary", "expired", "no-headers", "insecure-cookies"].map { try Lab.portal($0) }
        let inventory = temporaryFile(".yaml")
        try ("portals:\n" + inventoryEntries(portals)).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = temporaryFile(".sqlite")
        let dead = "http://127.0.0.1:9"
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile],
            environment: environment.merging(["https_proxy": dead, "ALL_PROXY": dead, "http_proxy": dead]) { _, new in
                new
            })
        for site in try await AuditStore(path: database).results(run: 1) {
            let portal = try #require(portals.first { $0.url == site.target.url })
            #expect(site.verdict.rawValue == portal.expectedVerdict, "\(portal.name)")
        }
    }

    @Test("--concurrency 2000 under ulimit -n 256 is lowered once and gives the planned verdicts")
    func descriptorLimit() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let database = temporaryFile(".sqlite")
        let script =
            "ulimit -n 256 && exec \"$0\" scan \"$1\" --db \"$2\" --ca-file \"$3\" --concurrency 2000 --confirm-after 0 \(Lab.Fleet.crowdedBudget.joined(separator: " "))"
        let result = try await Command.run(
            "/bin/bash", ["-c", script, Repository.binary, fleet.inventory, database, Lab.caFile],
            environment: environment)
        #expect(result.status == 1, "\(result.stderr.suffix(400))")
        #expect(result.stderr.components(separatedBy: "--concurrency 2000 lowered to").count == 2)
        #expect(!result.stderr.contains("file descriptors"))
        let results = try await AuditStore(path: database).results(run: 1)
        #expect(results.count == 150)
        for site in results {
            #expect(site.verdict.rawValue == fleet.expectedAskedOnce[site.target.url], "\(site.target.url)")
        }
    }

    @Test("--per-address bounds the connections open at once to one address, across the fleet")
    func perAddress() async throws {
        // Given ten portals that all resolve to one counting server
        let port = 18_496
        let peakFile = temporaryFile(".peak")
        let counter = try sink(["count", String(port), peakFile])
        defer { counter.kill(SIGKILL) }
        try await listening(port)
        try await Task.sleep(for: .milliseconds(400))  // the probe's own connection ends first
        let inventory = temporaryFile(".yaml")
        let entries = (1...10).map {
            "  - url: https://xa-\($0).chungip.gov.vn:\(port)/\n    http_port: \(port)\n    address: 127.0.0.1\n"
        }
        try ("portals:\n" + entries.joined()).write(toFile: inventory, atomically: true, encoding: .utf8)
        // When they are scanned 10 at a time with at most 4 connections per address
        _ = try await Command.run(
            Repository.binary,
            [
                "scan", inventory, "--db", temporaryFile(".sqlite"), "--concurrency", "10", "--per-address", "4",
                "--timeout", "3",
            ],
            environment: environment)
        try await Task.sleep(for: .milliseconds(500))  // the last holds end and write their count
        let bounded = try await peak(peakFile) ?? -1
        // Then the server never saw more than 4 at once, while without the bound it sees more
        #expect((1...4).contains(bounded))
        try "0".write(toFile: peakFile, atomically: true, encoding: .utf8)
        let counter2Port = port - 1
        let counter2 = try sink(["count", String(counter2Port), peakFile])
        defer { counter2.kill(SIGKILL) }
        try await listening(counter2Port)
        try await Task.sleep(for: .milliseconds(400))
        try ("portals:\n" + entries.joined()).replacingOccurrences(of: ":\(port)", with: ":\(counter2Port)")
            .replacingOccurrences(of: "http_port: \(port)", with: "http_port: \(counter2Port)")
            .write(toFile: inventory, atomically: true, encoding: .utf8)
        _ = try await Command.run(
            Repository.binary,
            [
                "scan", inventory, "--db", temporaryFile(".sqlite"), "--concurrency", "10", "--per-address", "64",
                "--timeout", "3",
            ],
            environment: environment)
        try await Task.sleep(for: .milliseconds(500))
        #expect((try await peak(peakFile) ?? 0) > 4)
    }

    @Test("a second live scanner on the same run refuses with exit 64; the run is left to the first")
    func runLease() async throws {
        let fleet = try Lab.fleet(150, seed: 7)
        let database = temporaryFile(".sqlite")
        // Given a scan in progress (one portal at a time, so it lasts)
        let first = try Command.start(
            Repository.binary,
            [
                "scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--concurrency", "1",
                "--confirm-after", "0",
            ],
            environment: environment)
        defer { first.kill(SIGKILL) }
        var started = false
        for _ in 0..<400 where !started {
            try await Task.sleep(for: .milliseconds(50))
            started = ((try? await AuditStore(path: database).run(nil)?.done) ?? 0) >= 1
        }
        #expect(started)
        // When another scanner tries to resume it
        let second = try await Command.run(
            Repository.binary,
            ["scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--resume", "--confirm-after", "0"],
            environment: environment)
        // Then it refuses, naming the live scanner, and the run is still the first one's
        #expect(second.status == 64)
        #expect(second.stderr.contains("is being scanned now by process \(first.pid)"))
        first.kill(SIGKILL)
        _ = await first.wait()
        // And once the first is gone (killed), --resume takes the run over at once
        let resumed = try await Command.run(
            Repository.binary,
            ["scan", fleet.inventory, "--db", database, "--ca-file", Lab.caFile, "--resume", "--confirm-after", "0"],
            environment: environment)
        #expect(resumed.stderr.contains("scan: resuming run 1"))
        #expect(try await AuditStore(path: database).run(1)?.status == .finished)
    }

    @Test("re-grading a stored run years later gives the certificate and freshness outcomes of the scan")
    func regradeUnderAMovedClock() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/faketime") else {
            Issue.record("faketime is missing: scripts/setup installs it")
            return
        }
        let portals = try ["exemplary", "expired", "stale"].map { try Lab.portal($0) }
        let inventory = temporaryFile(".yaml")
        try ("portals:\n" + inventoryEntries(portals)).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = temporaryFile(".sqlite")
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        func outcomes(_ arguments: [String]) async throws -> [String: [String: String]] {
            let result = try await Command.run(arguments[0], Array(arguments.dropFirst()), environment: environment)
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            var out: [String: [String: String]] = [:]
            for site in json?["sites"] as? [[String: Any]] ?? [] {
                let all = statuses(site)
                let url = (site["target"] as? [String: Any])?["url"] as? String ?? "?"
                out[url] = all.filter {
                    ["cert.not-expired", "cert.expiry-soon", "content.freshness"].contains($0.key)
                }
            }
            return out
        }
        let report = ["report", "--db", database, "--format", "json", "--out", "-", "--profile", "vn-level2"]
        let now = try await outcomes([Repository.binary] + report)
        let later = try await outcomes(["/usr/bin/faketime", "-f", "+1500d", Repository.binary] + report)
        #expect(now.count == 3 && now.values.allSatisfy { $0.count == 3 })
        #expect(later == now)
        #expect(
            now[portals[0].url]?["cert.not-expired"] == "pass" && now[portals[0].url]?["content.freshness"] == "pass")
    }

    @Test("cookie values never reach the history or the reports")
    func cookieValues() async throws {
        let portal = try Lab.portal("insecure-cookies")
        let inventory = temporaryFile(".yaml")
        try ("portals:\n" + inventoryEntries([portal])).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = temporaryFile(".sqlite")
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        // The file's plain columns, and every stored result decoded from its compressed blob
        let store = try AuditStore(path: database)
        let run = try #require(try await store.run(nil))
        let decoded = try JSONEncoder().encode(try await store.results(run: run.id))
        let stored =
            try Data(contentsOf: URL(fileURLWithPath: database))
            + ((try? Data(contentsOf: URL(fileURLWithPath: database + "-wal"))) ?? Data()) + decoded
        #expect(stored.range(of: Data("lab4567".utf8)) == nil && stored.range(of: Data("lab89ab".utf8)) == nil)
        #expect(decoded.range(of: Data("PHPSESSID".utf8)) != nil)
        let json = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "json", "--out", "-"], environment: environment)
        #expect(json.stdout.contains("PHPSESSID=…") && !json.stdout.contains("lab4567"))
    }

    /// The observed headers of the exemplary lab portal's name served by `lab-sinks.py MODE` on `port` (with
    /// the exemplary certificate, then `extra` arguments).
    private func headersServed(by mode: String, port: Int, _ extra: [String] = []) async throws -> [String: Any]? {
        let pki = Lab.directory + "/pki"
        let server = try sink([mode, String(port), pki + "/exemplary.pem", pki + "/exemplary.key"] + extra)
        defer { server.kill(SIGKILL) }
        try await Task.sleep(for: .milliseconds(700))
        var portal = try Lab.portal("exemplary")
        portal.httpsPort = port
        let (_, site, _) = try await checkJSON(portal)
        return (site["observation"] as? [String: Any])?["headers"] as? [String: Any]
    }

    @Test("headers that exactly fill the 64 KiB cap are flagged truncated")
    func headerCap() async throws {
        let headers = try await headersServed(by: "headers", port: 18_495, [String(64 << 10)])
        #expect(headers?["truncated"] as? Bool == true)
    }

    @Test("an endless stream of interim 1xx responses ends as truncated headers, not read to the end")
    func interimResponses() async throws {
        // Given a portal that sends 50,000 "103 Early Hints" before its answer (the header counters restart at
        // each status line: only the count of responses can stop it)
        let headers = try await headersServed(by: "interim", port: 18_494)
        #expect(headers?["truncated"] as? Bool == true, "\(headers ?? [:])")
    }

    @Test("an IP-address portal is checked against the certificate's IP names, not as a host name")
    func ipAddressTarget() async throws {
        let (_, site, _) = try await checkJSON(try Lab.portal("ip-address"))
        #expect(statuses(site)["cert.hostname-match"] == "pass")
        #expect(statuses(site)["cert.trusted-chain"] == "pass")
    }

    @Test("without a system CA store, check refuses to grade (exit 70) and says what to install")
    func noSystemStore() async throws {
        let result = try await checkJSON(
            try Lab.portal("exemplary"),
            extra: ["SSL_CERT_FILE": "/nonexistent/ca.pem", "SSL_CERT_DIR": "/nonexistent"])
        #expect(result.status == 70)
        #expect(result.stderr.contains("ca-certificates"))
    }

    @Test("a Chromium that hangs is stopped after PORTAL_AUDIT_PDF_TIMEOUT, with a clear error")
    func chromiumTimeout() async throws {
        // Given a "chromium" on the PATH that never ends
        let folder = temporaryFile("-bin")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await Command.writeExecutable(folder + "/chromium", text: "#!/bin/sh\nexec sleep 600\n")
        let portal = try Lab.portal("exemplary")
        let inventory = temporaryFile(".yaml")
        try ("portals:\n" + inventoryEntries([portal])).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = temporaryFile(".sqlite")
        _ = try await Command.run(
            Repository.binary, ["scan", inventory, "--db", database, "--ca-file", Lab.caFile], environment: environment)
        // When a PDF is asked for with a 2-second allowance
        let result = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "pdf", "--out", temporaryFile("-out")],
            environment: environment.merging(["PATH": folder + ":/usr/bin:/bin", "PORTAL_AUDIT_PDF_TIMEOUT": "2"]) {
                _, new in new
            })
        // Then the report fails, saying so, instead of hanging
        #expect(result.status != 0)
        #expect(result.stderr.contains("did not print the PDF within 2 s"))
    }
}
