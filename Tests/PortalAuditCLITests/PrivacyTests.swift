import Foundation
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

@Suite("Personal data published by mistake", .serialized, .timeLimit(.minutes(2)))
struct PrivacyTests {
    /// The lab's `personal-list` portal publishes these (synthetic) identifiers and mobiles on a page; its
    /// `personal-pdf`, `redacted-pdf` and `personal-xlsx` portals in documents (`scripts/lab-documents.py`).
    static let planted = [
        "038082104417", "038185220931", "038090310528", "038301458823", "0912468135", "0983572604", "0355190427",
        "0868215903",
        "038079012345", "038183045678", "038091067890", "038302089012", "038068101234", "038175123456",
        "0915246801", "0978135246", "0336802417", "0862417359", "0914580362", "0987624105",
        "038080145678", "038187167890", "038093189012",
        "0912357046", "0983146027", "0356024781", "0868135790", "0377905418", "0845620193",
        "912357046", "983146027", "356024781", "868135790", "377905418", "845620193",
    ]
    /// The lab portals that publish them.
    static let portals = ["personal-list", "personal-pdf", "redacted-pdf", "personal-xlsx"]

    @Test(
        "lists with CCCD and mobiles on a page and in documents are found, and no output or history holds a whole number"
    )
    func foundNeverKept() async throws {
        let portal = try Lab.portal("personal-list")
        let others = try Self.portals.dropFirst().map(Lab.portal)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try
            ("portals:\n"
            + ([portal] + others).map {
                "  - url: \($0.url)\n    http_port: \($0.httpPort)\n    address: \"127.0.0.1,::1\"\n"
            }.joined())
            .write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("h.sqlite").path
        let out = folder.appendingPathComponent("out").path
        // When the portal is scanned, with every report format written
        let scan = try await Command.run(
            Repository.binary,
            [
                "scan", inventory, "--db", database, "--ca-file", Lab.caFile, "--confirm-after", "0", "--out", out,
                "--format", "html", "--format", "json", "--format", "csv", "--format", "md",
            ],
            environment: environment)
        #expect(scan.status == 0, "\(scan.stderr)")
        let check = try await Command.run(
            Repository.binary,
            ["check", portal.url, "--http-port", String(portal.httpPort), "--ca-file", Lab.caFile, "--format", "json"]
                + portal.resolve.flatMap { ["--resolve", $0] },
            environment: environment)
        // Then both rules fail with counts and masked samples
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let site = try #require((json["sites"] as? [[String: Any]])?.first)
        let findings = try #require(site["findings"] as? [[String: Any]])
        let ids = try #require(findings.first { $0["rule"] as? String == "privacy.id-numbers-published" })
        #expect(ids["status"] as? String == "fail")
        let evidence = try #require(ids["evidence"] as? [String: String])
        #expect(evidence["ids"] == "4")
        #expect(evidence["samples"]?.contains("0380******17") == true)
        let phones = try #require(findings.first { $0["rule"] as? String == "privacy.phone-lists-published" })
        #expect(phones["status"] as? String == "fail")
        // And the documents are found with their kind, count, address and page, through the scan's report
        let report = try #require(
            try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".json") })
        let scanned = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + report)))
                as? [String: Any])
        var byHost: [String: [String: [String: Any]]] = [:]
        for site in scanned["sites"] as? [[String: Any]] ?? [] {
            let target = (site["target"] as? [String: Any])?["host"] as? String ?? ""
            for finding in site["findings"] as? [[String: Any]] ?? [] {
                byHost[target, default: [:]][finding["rule"] as? String ?? ""] = finding
            }
        }
        func shown(_ name: String, _ rule: String) -> [String: String] {
            let host = (try? Lab.portal(name).host) ?? name
            return byHost[host]?[rule]?["evidence"] as? [String: String] ?? [:]
        }
        #expect(shown("personal-pdf", "privacy.id-numbers-published")["ids"] == "6")
        #expect(
            shown("personal-pdf", "privacy.id-numbers-published")["pages"]?.hasSuffix(
                "/tai-lieu/Danh%20s%C3%A1ch%20h%E1%BB%99%20ngh%C3%A8o%202026.pdf#page=2") == true)
        #expect(shown("redacted-pdf", "privacy.redaction-leaks")["hidden"] == "3")
        #expect(shown("personal-xlsx", "privacy.phone-lists-published")["phones"] == "6")
        #expect(
            shown("personal-xlsx", "privacy.phone-lists-published")["pages"]?.hasSuffix("/truong-thon.xlsx") == true)
        // And no report, no JSON, no log and no byte of the history holds a whole identifier or phone
        var outputs: [(String, String)] = [("check stdout", check.stdout), ("check stderr", check.stderr)]
        outputs += [("scan stdout", scan.stdout), ("scan stderr", scan.stderr)]
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            outputs.append((file, try String(contentsOfFile: out + "/" + file, encoding: .utf8)))
        }
        let stored = try await Command.run(
            Repository.binary, ["report", "--db", database, "--format", "json", "--out", "-"], environment: environment)
        outputs.append(("history as JSON", stored.stdout))
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("h.sqlite") {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            outputs.append((name, String(decoding: bytes, as: UTF8.self)))
        }
        // And the dashboard's "Dữ liệu cá nhân" panel lists the portals worst first, the redaction first
        let (serve, page) = try await dashboardOverview(database: database, environment: environment)
        defer { serve.kill(SIGTERM) }
        #expect(page.contains("Dữ liệu cá nhân"))
        let panel = String(page.split(separator: "id=\"privacy\"").last ?? "")
        let order = try ["redacted-pdf", "personal-pdf", "personal-xlsx"].map { try Lab.portal($0).host }
        let positions = order.map { panel.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions[0]! < positions[1]! && positions[1]! < positions[2]!)
        #expect(panel.contains("truong-thon.xlsx") && panel.contains("0380******"))
        outputs.append(("dashboard", page))
        // (as published, and as the page wrote them: "0912 468 135")
        let written =
            Self.planted + [
                "0912 468 135", "0983 572 604", "0355 190 427", "0868 215 903", "0915 246 801", "0978 135 246",
                "0336 802 417", "0862 417 359", "0914 580 362", "0987 624 105",
            ]
        for (name, text) in outputs {
            for number in written { #expect(!text.contains(number), "\(name) holds \(number)") }
        }
    }
}
