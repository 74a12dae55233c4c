import Foundation
import PortalAuditKit
import PortalAuditTestSupport
import Testing

@Suite("init and doctor", .serialized, .timeLimit(.minutes(2)))
struct InitDoctorTests {
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("init writes an inventory, a CSV header and an alerts file; a scan of the filled-in template runs")
    func initThenScan() async throws {
        // Given a new folder
        let dir = try folder()
        // When init writes its files
        let written = try await Command.run(Repository.binary, ["init", dir])
        #expect(written.status == 0, "\(written.stderr)")
        let inventory = try String(contentsOfFile: dir + "/portals.yaml", encoding: .utf8)
        #expect(try String(contentsOfFile: dir + "/portals.csv", encoding: .utf8).hasPrefix("url,name,province"))
        _ = try AlertConfig.load(dir + "/alerts.yaml")
        // Then, with the lab's names filled in (each pinned to loopback), the template scans
        let portals = try ["exemplary", "expired", "no-headers"].map { try Lab.portal($0) }
        var filled = inventory
        for (example, portal) in zip(
            [
                "https://xayenthai.thanhhoa.gov.vn/", "https://dichvucong.thanhhoa.gov.vn/",
                "https://dongson.thanhhoa.gov.vn/",
            ],
            portals)
        {
            #expect(filled.contains(example))
            filled = filled.replacingOccurrences(
                of: "- url: \(example)",
                with: "- url: \(portal.url)\n    http_port: \(portal.httpPort)\n    address: \"127.0.0.1,::1\"")
        }
        try filled.write(toFile: dir + "/portals.yaml", atomically: true, encoding: .utf8)
        let scan = try await Command.run(
            Repository.binary, ["scan", dir + "/portals.yaml", "--db", dir + "/h.sqlite", "--ca-file", Lab.caFile],
            environment: ["PORTAL_AUDIT_LOOPBACK_ONLY": "1"])
        #expect(scan.status == 1, "\(scan.stderr)")
        #expect(scan.stderr.contains("3/3 portals"))
        // And init never overwrites: a second run names every existing file and writes nothing
        let again = try await Command.run(Repository.binary, ["init", dir])
        #expect(again.status == 64)
        #expect(again.stderr.split(separator: "\n").count == 3 && again.stderr.contains("never overwrites"))
        #expect(try String(contentsOfFile: dir + "/portals.yaml", encoding: .utf8) == filled)
    }

    @Test("doctor passes on this machine, and fails clearly without a CA store")
    func doctor() async throws {
        let dir = try folder()
        let good = try await Command.run(Repository.binary, ["doctor", "--db", dir + "/h.sqlite"])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout.contains("✔ trust store") && good.stdout.contains("doctor: all is well"))
        // The form's serif has every Vietnamese letter (scripts/setup installs fonts-liberation2); without
        // fontconfig's fc-list on the PATH, doctor says what to install
        #expect(
            good.stdout.contains("✔ serif font") && good.stdout.contains("Liberation Serif, every Vietnamese letter"),
            "\(good.stdout)")
        let noFonts = try await Command.run(
            Repository.binary, ["doctor", "--db", dir + "/h.sqlite"], environment: ["PATH": "/nonexistent"])
        #expect(noFonts.stdout.contains("serif font") && noFonts.stdout.contains("apt-get install fonts-liberation2"))
        let bad = try await Command.run(
            Repository.binary, ["doctor", "--db", dir + "/h.sqlite"],
            environment: ["SSL_CERT_FILE": "/nonexistent/ca.pem", "SSL_CERT_DIR": "/nonexistent"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("✘ trust store") && bad.stdout.contains("apt-get install ca-certificates"))
        // A descriptor limit too low for the planned concurrency is a problem too
        let low = try await Command.run(
            "/bin/sh",
            ["-c", "ulimit -n 256 && '\(Repository.binary)' doctor --concurrency 500 --db '\(dir)/h.sqlite'"])
        #expect(low.status == 1 && low.stdout.contains("✘ descriptors"), "\(low.stdout)")
    }

    @Test("--version names the release and the commit")
    func version() async throws {
        let result = try await Command.run(Repository.binary, ["--version"])
        #expect(result.stdout.hasPrefix("0.1.0 (commit "))
    }
}
