import Foundation
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

/// A history made by scanning part of the lab fleet and three lab cases (the hostile one included) twice.
struct LabHistory: Sendable {
    var database: String
    var folder: URL
    /// The report JSON of the latest run, as `portal-audit report --format json` writes it.
    var report: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reportText.utf8))) as? [String: Any] ?? [:]
    }
    var reportText: String
    var hostileURL: String
    var expiredURL: String

    static let hostileName = "Cổng <script>document.body.setAttribute('data-pwned','1')</script> xã Phước Hòa"

    static let shared = Task<LabHistory, any Error> { try await make() }

    static func make() async throws -> LabHistory {
        let fleet = try Lab.fleet(150, seed: 7)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The fleet inventory's first 30 portals, then the lab cases.
        let text = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        var yaml = ""
        var portals = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - url:") { portals += 1 }
            if portals > 30 { break }
            yaml += line + "\n"
        }
        let hostile = try Lab.portal("hostile")
        let expired = try Lab.portal("expired")
        let exemplary = try Lab.portal("exemplary")
        for (portal, name) in [
            (hostile, hostileName), (expired, "Cổng xã Quảng Lộc"), (exemplary, "Cổng xã Yên Thái"),
        ] {
            yaml += """
                  - url: \(portal.url)
                    http_port: \(portal.httpPort)
                    name: "\(name.replacingOccurrences(of: "\"", with: "\\\""))"
                    commune: "Xã \(portal.name)"

                """
        }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try yaml.write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("history.sqlite").path
        for _ in 0..<2 {
            let scan = try await Command.run(
                Repository.binary,
                [
                    "scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--sample-pages", "0",
                    "--concurrency", "16", "--confirm-after", "0",
                ],
                environment: environment)
            guard scan.status == 1 else { throw LabError(message: "scan: exit \(scan.status): \(scan.stderr)") }
        }
        let report = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "json", "--out", "-"], environment: environment)
        guard report.status == 0 else { throw LabError(message: "report: \(report.stderr)") }
        return LabHistory(
            database: database, folder: folder, reportText: report.stdout, hostileURL: hostile.url,
            expiredURL: expired.url)
    }
}

/// A running `portal-audit serve` (or `monitor --serve`) and the address it reported.
struct Server: Sendable {
    var process: Command.Running
    var base: String

    /// Starts `arguments` and waits for the "serving http://…/" line on stderr.
    static func start(_ arguments: [String]) async throws -> Server {
        let process = try Command.start(Repository.binary, arguments, environment: environment)
        for _ in 0..<300 {
            if let range = process.stderrSoFar.range(of: #"serving http://[^ ]+/"#, options: .regularExpression) {
                let url = process.stderrSoFar[range].dropFirst("serving ".count)
                return Server(process: process, base: String(url.dropLast()))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.kill(SIGKILL)
        throw LabError(message: "the server did not start: \(process.stderrSoFar)")
    }

    func stop() async -> Int32 {
        process.kill(SIGTERM)
        return await process.wait()
    }
}

/// What curl received: status, headers (lower-case names) and body.
struct Fetched {
    var status: Int
    var headers: [String: String]
    var body: String
}

func fetch(_ url: String, _ extra: [String] = []) async throws -> Fetched {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let headers = folder.appendingPathComponent("headers").path
    let result = try await Command.run(
        "/usr/bin/curl",
        ["-s", "--max-time", "60", "-D", headers, "-o", folder.appendingPathComponent("body").path]
            + extra + [url])
    guard result.status == 0 else { throw LabError(message: "curl \(url): exit \(result.status)") }
    let head = try String(contentsOfFile: headers, encoding: .utf8).split(separator: "\r\n")
    var fields: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = String(decoding: try Data(contentsOf: folder.appendingPathComponent("body")), as: UTF8.self)
    return Fetched(status: status, headers: fields, body: body)
}

/// A page as headless Chromium built it, and what the page logged to its console.
func browse(_ url: String) async throws -> (dom: String, console: [String]) {
    let chromium = try #require(
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
        "chromium is not installed (scripts/setup installs it)")
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chrome-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: profile) }
    let result = try await Command.run(
        chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile)", "--enable-logging=stderr", "--log-level=0", "--dump-dom", url,
        ])
    guard result.status == 0 else { throw LabError(message: "chromium: exit \(result.status): \(result.stderr)") }
    let console = result.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") }.map(String.init)
    return (result.stdout, console)
}

/// The whole numbers of the elements `<… id="ID">N</…>` and the number of `needle`s in `text`.
func number(_ id: String, in dom: String) -> Int? {
    guard let start = dom.range(of: "id=\"\(id)\">") else { return nil }
    let digits = dom[start.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "," }
    return Int(digits.filter(\.isNumber))
}

func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

@Suite("serve: the dashboard and the API over a lab history", .serialized, .timeLimit(.minutes(10)))
struct ServeTests {
    @Test(
        "every page loads in Chromium with the counts of `report --format json`, no console message, the hostile script inert"
    )
    func pagesInBrowser() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start(["serve", "--db", history.database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let summary = try #require(history.report["summary"] as? [String: Int])
        let sites = try #require(history.report["sites"] as? [[String: Any]])

        // Overview: the tiles count what the report counts
        let overview = try await browse(server.base + "/")
        #expect(overview.console.isEmpty, "\(overview.console)")
        for verdict in ["pass", "warn", "incomplete", "fail"] {
            #expect(number("count-\(verdict)", in: overview.dom) == summary[verdict], "\(verdict)")
        }
        #expect(number("count-total", in: overview.dom) == sites.count)
        #expect(overview.dom.contains("Xã hostile"))
        #expect(overview.dom.contains("id=\"expiring\""))

        // A run's page: every portal, then only the failing ones
        let run = try await browse(server.base + "/runs/2")
        #expect(run.console.isEmpty, "\(run.console)")
        #expect(occurrences("<tr class=\"portal ", in: run.dom) == sites.count)
        let failing = try await browse(server.base + "/runs/2?verdict=fail&sort=url")
        #expect(occurrences("<tr class=\"portal fail\"", in: failing.dom) == summary["fail"])
        #expect(occurrences("<tr class=\"portal ", in: failing.dom) == summary["fail"])

        // The hostile portal's page: its name and header shown as text, its script never run
        let hostile = try await browse(server.base + "/portal?url=" + query(history.hostileURL))
        #expect(hostile.console.isEmpty, "\(hostile.console)")
        #expect(!hostile.dom.contains("data-pwned=\"1\""))
        #expect(hostile.dom.contains("&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;"))
        let site = try #require(
            sites.first { ($0["target"] as? [String: Any])?["url"] as? String == history.hostileURL })
        let findings = try #require(site["findings"] as? [[String: Any]])
        #expect(occurrences("<tr class=\"finding ", in: hostile.dom) == findings.count)
        #expect(hostile.dom.contains("id=\"history\""))

        // A rule's page: the expired certificate's portal fails cert.not-expired
        let rule = try await browse(server.base + "/rules/cert.not-expired")
        #expect(rule.console.isEmpty, "\(rule.console)")
        #expect(rule.dom.contains(history.expiredURL))
        for page in ["/runs", "/rules"] {
            let loaded = try await browse(server.base + page)
            #expect(loaded.console.isEmpty, "\(page): \(loaded.console)")
            #expect(loaded.dom.contains("</table>"), "\(page)")
        }
    }

    @Test("the run's JSON report downloaded from the dashboard is `report --format json`, byte for byte; --lang en")
    func downloads() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start([
            "serve", "--db", history.database, "--listen", "127.0.0.1:0", "--lang", "en",
        ])
        defer { Task { _ = await server.stop() } }
        let overview = try await fetch(server.base + "/")
        #expect(overview.body.contains("<html lang=\"en\">") && overview.body.contains("Compliance of the portals"))
        #expect(overview.body.contains("/runs/2/report.pdf"))
        let json = try await fetch(server.base + "/runs/2/report.json")
        #expect(json.status == 200)
        #expect(json.headers["content-disposition"]?.hasPrefix("attachment") == true)
        #expect(json.body == history.reportText)
        let csv = try await fetch(server.base + "/runs/2/report.csv")
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let html = try await fetch(server.base + "/runs/2/report.html")
        #expect(html.status == 200 && html.body.contains("<html"))
        #expect(try await fetch(server.base + "/runs/2/report.exe").status == 404)
        #expect(try await fetch(server.base + "/runs/99/report.json").status == 404)
    }

    @Test("the API pages and filters a run's portals as the report counts them")
    func api() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start(["serve", "--db", history.database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let summary = try #require(history.report["summary"] as? [String: Int])
        let sites = try #require(history.report["sites"] as? [[String: Any]])
        func object(_ path: String) async throws -> [String: Any] {
            let fetched = try await fetch(server.base + path)
            #expect(fetched.status == 200, "\(path): \(fetched.body)")
            #expect(fetched.headers["content-type"] == "application/json")
            return try #require(try JSONSerialization.jsonObject(with: Data(fetched.body.utf8)) as? [String: Any])
        }
        let runs = try await object("/api/v1/runs")
        #expect(runs["total"] as? Int == 2)
        // Paging: 10 per page, every portal exactly once
        var seen: [String] = []
        for page in 1...4 {
            let list = try await object("/api/v1/runs/2/portals?per_page=10&sort=url&page=\(page)")
            #expect(list["total"] as? Int == sites.count)
            seen += (list["portals"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
        }
        #expect(seen == sites.compactMap { ($0["target"] as? [String: Any])?["url"] as? String }.sorted())
        let failing = try await object("/api/v1/runs/2/portals?verdict=fail&per_page=500")
        #expect(failing["total"] as? Int == summary["fail"])
        let portal = try await object("/api/v1/portal?url=" + query(history.hostileURL))
        #expect((portal["history"] as? [Any])?.count == 2)
        #expect(portal["previous_run_id"] as? Int == 1)
        let result = try #require(portal["result"] as? [String: Any])
        let site = sites.first { ($0["target"] as? [String: Any])?["url"] as? String == history.hostileURL }
        #expect(result["verdict"] as? String == site?["verdict"] as? String)
        let bad = try await fetch(server.base + "/api/v1/runs/2/portals?verdict=maybe")
        #expect(bad.status == 400 && bad.body.contains("verdict"))
        #expect(try await fetch(server.base + "/api/v1/runs/77").status == 404)
    }

    @Test("the API answers as docs/openapi.yaml says (schemathesis)")
    func contract() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start(["serve", "--db", history.database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let contract = try await Command.run(
            "/bin/bash",
            [
                Repository.root.appendingPathComponent("scripts/api-contract").path, server.base + "/api/v1", "2",
                history.hostileURL,
            ])
        #expect(contract.status == 0, "\(contract.stdout)\n\(contract.stderr)")
        #expect(occurrences("200, as documented", in: contract.stdout) == 6, "\(contract.stdout)")
    }

    @Test("the dashboard passes portal-audit's own header checks")
    func ownCheck() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start(["serve", "--db", history.database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let check = try await Command.run(
            Repository.binary, ["check", server.base + "/", "--format", "json", "--sample-pages", "0"],
            environment: environment)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let site = try #require((document["sites"] as? [[String: Any]])?.first)
        let findings = try #require(site["findings"] as? [[String: Any]])
        let headers = findings.filter {
            ($0["rule"] as? String)?.hasPrefix("headers.") == true && $0["rule"] as? String != "headers.hsts"
        }
        #expect(headers.count >= 5, "\(headers)")
        for finding in headers {
            #expect(finding["status"] as? String == "pass", "\(finding)")
        }
    }

    @Test("a history with no run yet: the overview says what to do, the API lists nothing, a run is not found")
    func emptyHistory() async throws {
        let history = try await LabHistory.shared.value
        let database = history.folder.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: database, contents: Data()))
        let server = try await Server.start(["serve", "--db", database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let overview = try await fetch(server.base + "/")
        #expect(overview.status == 200 && overview.body.contains("id=\"no-run\""))
        let runs = try await fetch(server.base + "/api/v1/runs")
        #expect(runs.status == 200 && runs.body.contains("\"total\":0"))
        #expect(try await fetch(server.base + "/runs/1").status == 404)
        #expect(try await fetch(server.base + "/?run=1").status == 404)
        #expect(try await fetch(server.base + "/portal").status == 400)
        #expect(try await fetch(server.base + "/", ["-X", "POST"]).status == 405)
    }

    @Test("beyond loopback only with a token; the token is asked for and checked")
    func token() async throws {
        let history = try await LabHistory.shared.value
        let open = try await Command.run(
            Repository.binary, ["serve", "--db", history.database, "--listen", "0.0.0.0:0"], environment: environment)
        #expect(open.status == 64)
        #expect(open.stderr.contains("--listen: 0.0.0.0:0") && open.stderr.contains("--token-file"))
        let short = history.folder.appendingPathComponent("short-token").path
        try "abc\n".write(toFile: short, atomically: true, encoding: .utf8)
        let weak = try await Command.run(
            Repository.binary, ["serve", "--db", history.database, "--listen", "0.0.0.0:0", "--token-file", short],
            environment: environment)
        #expect(weak.status == 64 && weak.stderr.contains("at least 16 characters"))
        let file = history.folder.appendingPathComponent("token").path
        let token = "s3cret-token-\(UUID().uuidString)"
        try (token + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let server = try await Server.start([
            "serve", "--db", history.database, "--listen", "127.0.0.1:0", "--token-file", file,
        ])
        defer { Task { _ = await server.stop() } }
        let anonymous = try await fetch(server.base + "/api/v1/runs")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Basic") == true)
        #expect(try await fetch(server.base + "/api/v1/runs", ["-H", "Authorization: Bearer \(token)x"]).status == 401)
        #expect(try await fetch(server.base + "/api/v1/runs", ["-H", "Authorization: Bearer \(token)"]).status == 200)
        #expect(try await fetch(server.base + "/", ["-u", "officer:\(token)"]).status == 200)
        // Behind the token a report is made on demand by POST only, from the page's buttons
        let overview = try await fetch(server.base + "/", ["-u", "officer:\(token)"])
        #expect(overview.body.contains("<form method=\"post\" action=\"/runs/2/report.csv\">"))
        let auth = ["-H", "Authorization: Bearer \(token)"]
        let get = try await fetch(server.base + "/runs/2/report.csv", auth)
        #expect(get.status == 405 && get.headers["allow"] == "POST")
        #expect(try await fetch(server.base + "/runs/2/report.csv", ["-X", "POST"]).status == 401)
        let made = try await fetch(server.base + "/runs/2/report.csv", auth + ["-X", "POST"])
        #expect(made.status == 200 && made.headers["content-type"]?.hasPrefix("text/csv") == true)
    }

    @Test(
        "without a token, a request by another name (DNS rebinding) is refused; by the listening address it is served")
    func rebinding() async throws {
        let history = try await LabHistory.shared.value
        let server = try await Server.start(["serve", "--db", history.database, "--listen", "127.0.0.1:0"])
        defer { Task { _ = await server.stop() } }
        let port = server.base.split(separator: ":").last.map(String.init) ?? ""
        let rebound = try await fetch(server.base + "/api/v1/runs", ["-H", "Host: rebind.attacker.example:\(port)"])
        #expect(rebound.status == 421)
        #expect(!rebound.body.contains("\"runs\""))
        #expect(try await fetch(server.base + "/api/v1/runs").status == 200)
        #expect(try await fetch(server.base + "/", ["-H", "Host: localhost:\(port)"]).status == 200)
        #expect(try await fetch(server.base + "/", ["-H", "Host: [::1]:\(port)"]).status == 200)
    }

    @Test("a connection that sends nothing is closed after --idle-timeout; a bad value is refused with exit 64")
    func idleConnection() async throws {
        let history = try await LabHistory.shared.value
        let bad = try await Command.run(
            Repository.binary, ["serve", "--db", history.database, "--idle-timeout", "0"], environment: environment)
        #expect(bad.status == 64 && bad.stderr.contains("--idle-timeout: expected 1 to 3600 seconds, found 0"))
        let server = try await Server.start([
            "serve", "--db", history.database, "--listen", "127.0.0.1:0", "--idle-timeout", "1",
        ])
        defer { Task { _ = await server.stop() } }
        let port = server.base.split(separator: ":").last.map(String.init) ?? ""
        // A client that connects and says nothing: the server closes the connection (recv gives b'')
        let probe = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(20)
            try:
                print("closed" if s.recv(1) == b"" else "data")
            except socket.timeout:
                print("open")
            """
        let result = try await Command.run("/usr/bin/env", ["python3", "-c", probe, port])
        #expect(result.stdout == "closed\n", "\(result.stdout) \(result.stderr)")
    }

    @Test("monitor --serve: the monitor's dashboard answers while it samples, and stops with it")
    func monitorServe() async throws {
        let history = try await LabHistory.shared.value
        let exemplary = try Lab.portal("exemplary")
        let inventory = history.folder.appendingPathComponent("monitor.yaml").path
        // Given the exemplary portal and one whose port nothing listens on (18489)
        try """
        defaults: { address: "127.0.0.1,::1" }
        portals:
          - url: \(exemplary.url)
            http_port: \(exemplary.httpPort)
          - url: https://xa-ngunghoatdong.laocai.gov.vn:18489/
            name: "Trang xã Ngừng Hoạt Động"
            address: 127.0.0.1
        """.write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = history.folder.appendingPathComponent("monitor.sqlite").path
        // When the monitor samples every second and serves its dashboard
        let server = try await Server.start([
            "monitor", inventory, "--db", database, "--ca-file", Lab.caFile, "--uptime-every", "1s",
            "--scan-every", "24h", "--sample-pages", "0", "--confirm-after", "0", "--timeout", "3",
            "--serve", "127.0.0.1:0",
        ])
        // Then the overview lists the silent portal as down, from the monitor's confirmed outage
        var overview = ""
        for _ in 0..<100 where !overview.contains("id=\"down\"") {
            let page = try await fetch(server.base + "/")
            #expect(page.status == 200)
            overview = page.body
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(overview.contains("id=\"down\""))
        #expect(overview.contains("Trang xã Ngừng Hoạt Động") || overview.contains("xa-ngunghoatdong.laocai.gov.vn"))
        // and the portal's page shows its uptime windows and the outage on the 30-day bar
        var portal = Fetched(status: 0, headers: [:], body: "")
        for _ in 0..<100 where !portal.body.contains("id=\"outages\"") {
            portal = try await fetch(
                server.base + "/portal?url=" + query("https://xa-ngunghoatdong.laocai.gov.vn:18489/"))
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(portal.status == 200)
        #expect(portal.body.contains("class=\"timeline\"") && portal.body.contains("id=\"outages\""))
        #expect(portal.body.contains("<b>24h</b>") && portal.body.contains("<b>30d</b>"))
        let runs = try await fetch(server.base + "/api/v1/runs")
        let object = try JSONSerialization.jsonObject(with: Data(runs.body.utf8)) as? [String: Any]
        #expect(object?["total"] as? Int == 1)
        #expect(await server.stop() == 0, "\(server.process.stderrSoFar)")
        let refused = try await Command.run(
            Repository.binary, ["monitor", inventory, "--db", database, "--serve", "0.0.0.0:8080"],
            environment: environment)
        #expect(refused.status == 64 && refused.stderr.contains("--serve: 0.0.0.0:8080"))
    }
}

func query(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}
