import Foundation
import PortalAuditTestSupport
import Testing

/// Runs the built binary as a user would, in loopback-only mode.
private func portalAudit(_ arguments: [String]) async throws -> Command.Result {
    try await Command.run(
        Repository.binary, arguments,
        environment: ["PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles, "NO_COLOR": "1"])
}

private func labArguments(_ name: String) throws -> [String] {
    let portal = try Lab.portal(name)
    return [portal.url, "--http-port", String(portal.httpPort), "--ca-file", Lab.caFile]
        + portal.resolve.flatMap { ["--resolve", $0] }
}

@Suite("portal-audit command line", .serialized, .timeLimit(.minutes(2)))
struct CLITests {
    @Test(
        "bad input gets one clear line on stderr and exit 64, before any traffic",
        arguments: [
            (["check", "https://exa mple.gov.vn/"], "is not a host name or an http(s) URL"),
            (["check", "xa-a.gov.vn", "--profile", "vn-level9"], "no such profile"),
            (
                ["check", "xa-a.gov.vn", "--ca-file", "/nonexistent/ca.pem"],
                "cannot read a PEM certificate from CA file"
            ),
            (["check", "xa-a.gov.vn", "--resolve", "xa-a.gov.vn:443"], "expected HOST:PORT:ADDRESS"),
        ])
    func badInput(arguments: [String], message: String) async throws {
        let result = try await portalAudit(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains(message))
    }

    @Test("every input problem is listed, not only the first")
    func allProblems() async throws {
        let result = try await portalAudit(["check", "bad url", "--profile", "vn-level9", "--ca-file", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 3)
    }

    @Test("a usage error exits 64 too")
    func usage() async throws {
        let result = try await portalAudit(["check", "--format", "xml", "a.gov.vn"])
        #expect(result.status == 64)
    }

    @Test(
        "JSON output is on stdout alone and validates against docs/report-schema.json",
        arguments: ["exemplary", "legacy-tls", "down", "http-only", "insecure-cookies"])
    func jsonSchema(_ name: String) async throws {
        // (The silent portal judged at once: its confirmation's wait is the next test's.)
        let result = try await portalAudit(["check", "--format", "json", "--confirm-after", "0"] + labArguments(name))
        #expect(result.stderr == "")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["schema_version"] as? Int == 1)
        let validation = try await Command.run(
            "/usr/bin/env", ["python3", Repository.root.appendingPathComponent("scripts/validate-json").path],
            stdin: result.stdout)
        #expect(validation.status == 0, "\(validation.stderr)")
    }

    @Test("a silent portal: the user is told at once that it is asked again in 30 s before being called down")
    func confirmationNotice() async throws {
        let process = try Command.start(
            Repository.binary, ["check"] + labArguments("down"),
            environment: ["PORTAL_AUDIT_LOOPBACK_ONLY": "1", "PORTAL_AUDIT_PROFILES": Repository.profiles])
        defer { process.kill(SIGKILL) }
        let notice =
            "xa-ealy.daklak.gov.vn: không phản hồi; thử lại sau 30 giây để xác nhận (--confirm-after 0: không thử lại)\n"
        // (Kit's confirmation itself runs on a test clock: LabCaseTests.confirmation.)
        #expect(try await eventually(20) { process.stderrSoFar == notice }, "\(process.stderrSoFar)")
        process.kill(SIGTERM)
        _ = await process.wait()
    }

    @Test("loopback-only mode refuses a name that only looks like a loopback address, before any lookup")
    func loopbackLookalike() async throws {
        let result = try await portalAudit([
            "check", "https://127.0.0.1.attacker.example/", "--confirm-after", "0", "--format", "json", "--lang", "en",
        ])
        #expect(result.stdout.contains("loopback-only mode forbids DNS lookups"), "\(result.stdout.prefix(2_000))")
        let literal = try await portalAudit([
            "check", "https://127.0.0.9:1/", "--confirm-after", "0", "--format", "json",
        ])
        #expect(!literal.stdout.contains("forbids DNS lookups"))
    }

    @Test("exit status: 0 when the portal meets its profile, 1 when it fails")
    func exitStatus() async throws {
        #expect(try await portalAudit(["check"] + labArguments("exemplary")).status == 0)
        #expect(try await portalAudit(["check"] + labArguments("insecure-cookies")).status == 0)
        #expect(try await portalAudit(["check"] + labArguments("expired")).status == 1)
        // A silent portal asked once is not judged down (incomplete: exit 0); confirmed, it fails like any
        // other failure (LabCaseTests.confirmation: the confirmation on Kit's test clock)
        #expect(try await portalAudit(["check", "--confirm-after", "0"] + labArguments("down")).status == 0)
    }

    @Test("the terminal report speaks Vietnamese by default and English on request, without colour off a TTY")
    func languages() async throws {
        let vi = try await portalAudit(["check"] + labArguments("expired"))
        #expect(vi.stdout.contains("Kết luận: KHÔNG ĐẠT"))
        #expect(vi.stdout.contains("Chứng thư số còn hiệu lực"))
        #expect(vi.stdout.contains("Khắc phục:"))
        #expect(!vi.stdout.contains("\u{1B}["))
        let en = try await portalAudit(["check", "--lang", "en"] + labArguments("expired"))
        #expect(en.stdout.contains("Verdict: FAIL"))
        #expect(en.stdout.contains("The certificate is within its validity period"))
        #expect(en.stdout.contains("nginx"))
    }
}
