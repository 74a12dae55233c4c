import Foundation
import PortalAuditTestSupport
import Testing

private let environment = [
    "PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1",
]

@Suite("Personal data published by mistake", .serialized, .timeLimit(.minutes(2)))
struct PrivacyTests {
    /// The lab's `personal-list` portal publishes these (synthetic) identifiers and mobiles.
    static let planted = [
        "038082104417", "038185220931", "038090310528", "038301458823", "0912468135", "0983572604", "0355190427",
        "0868215903",
    ]

    @Test("a list with CCCD and mobiles is found, and no output or history holds a whole number")
    func foundNeverKept() async throws {
        let portal = try Lab.portal("personal-list")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inventory = folder.appendingPathComponent("inventory.yaml").path
        try "portals:\n  - url: \(portal.url)\n    http_port: \(portal.httpPort)\n    address: \"127.0.0.1,::1\"\n"
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
        // (as published, and as the page wrote them: "0912 468 135")
        let written = Self.planted + ["0912 468 135", "0983 572 604", "0355 190 427", "0868 215 903"]
        for (name, text) in outputs {
            for number in written { #expect(!text.contains(number), "\(name) holds \(number)") }
        }
    }
}
