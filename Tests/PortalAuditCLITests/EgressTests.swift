import Foundation
import PortalAuditStore
import PortalAuditTestSupport
import Testing

/// The egress harness (scripts/egress-lab): a network namespace of this test's own, no route out, where
/// hacked portals point the scanner at private, link-local and metadata addresses and at other ports of
/// their own address, and sinks count every connection they get.
private struct EgressLab {
    let name = "pa-egress-\(getpid())"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pa-egress-\(getpid())").path
    static let script = Repository.root.appendingPathComponent("scripts/egress-lab").path
    static let address = "10.77.0.10"

    /// Root and iproute2: what a network namespace needs (CI runs as root).
    static var available: Bool {
        getuid() == 0
            && ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].contains { FileManager.default.fileExists(atPath: $0) }
    }

    func start() async throws {
        let started = try await Command.run("/bin/bash", [Self.script, "start", name, folder])
        guard started.status == 0 else { throw LabError(message: "egress-lab: \(started.stderr)") }
    }

    func stop() async { _ = try? await Command.run("/bin/bash", [Self.script, "stop", name, folder]) }

    /// portal-audit run inside the namespace, outside loopback-only mode: the policy itself is what is tested.
    func portalAudit(_ arguments: [String]) async throws -> Command.Result {
        try await Command.run("/usr/bin/env", invocation(arguments))
    }

    func invocation(_ arguments: [String]) -> [String] {
        [
            "-u", "PORTAL_AUDIT_LOOPBACK_ONLY", "NO_COLOR=1", "PORTAL_AUDIT_PROFILES=\(Repository.profiles)",
            "/bin/bash",
            Self.script, "exec", name, Repository.binary,
        ] + arguments
    }

    /// Connections each sink received ("ADDRESS PORT" → count).
    func sinks() throws -> [String: Int] {
        let text = try String(contentsOfFile: folder + "/sinks.tsv", encoding: .utf8)
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { counts[String(fields[0])] = Int(fields[1]) }
        }
        return counts
    }

    var caFile: String { folder + "/ca.pem" }

    static func resolve(_ host: String) -> [String] {
        ["--resolve", "\(host):443:\(address)", "--resolve", "\(host):80:\(address)"]
    }
}

/// Each hacked portal of the harness and what its own plain HTTP home does.
private let portals: [(name: String, redirect: String)] = [
    ("portal", "its own HTTPS; links, forms, feeds, sitemaps, a meta refresh and its CRL and OCSP addresses inside"),
    ("aia", "its own HTTPS; its missing issuer's address (AIA) inside"),
    ("untrusted", "its own HTTPS; a self-signed certificate whose every address points inside"),
    ("ip", "http://10.77.0.20/ (an IP literal)"), ("rebind", "a name that fails, then rebinds inside"),
    ("dual", "a name with a public and a private answer"), ("port", "its own address on port 8443"),
    ("metadata", "http://169.254.169.254/latest/meta-data/"),
    ("inside", "a name answering 169.254.169.254 and fd77::20"),
    ("public", "a public address on port 8080"),
]

private func site(_ json: String) throws -> [String: Any] {
    let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let sites = try #require(document["sites"] as? [[String: Any]])
    return try #require(sites.first)
}

private func value(_ object: Any?, _ path: String...) -> Any? {
    path.reduce(object) { current, key in
        if let index = Int(key), let array = current as? [Any] { return index < array.count ? array[index] : nil }
        return (current as? [String: Any])?[key]
    }
}

@Suite(
    "Egress: a hacked portal cannot steer the scanner into the auditor's network (a network namespace)",
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: EgressLab.available, "needs root and iproute2 to create a network namespace: run the tests as root"))
struct EgressTests {
    @Test(
        "check, scan and monitor of portals whose redirects, certificates and pages point inside: no connection reaches inside, and every portal is itself scanned"
    )
    func nothingInside() async throws {
        let lab = EgressLab()
        try await lab.start()
        do {
            try await checks(lab)
            try await scanAndMonitor(lab)
            // Then no sink inside the "auditor's network" saw a single connection
            let sinks = try lab.sinks()
            #expect(sinks.count == 7)
            #expect(sinks.values.allSatisfy { $0 == 0 }, "\(sinks)")
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
        #expect(!FileManager.default.fileExists(atPath: lab.folder))
    }

    private func checks(_ lab: EgressLab) async throws {
        for portal in portals {
            let host = "\(portal.name).egress.test"
            let result = try await lab.portalAudit(
                ["check", "https://\(host)/", "--ca-file", lab.caFile, "--format", "json", "--lang", "en"]
                    + EgressLab.resolve(host))
            let facts = try site(result.stdout)
            let observation = facts["observation"]
            // The portal itself is scanned: its home page answered over HTTPS
            #expect(value(observation, "reachability", "https", "status") as? Int == 200, "\(portal.name)")
            let hops = value(observation, "redirect", "hops") as? [[String: Any]] ?? []
            let refused = hops.last?["refused"] as? String
            switch portal.name {
            case "ip", "port", "metadata", "inside", "public":
                #expect(refused == "private_address", "\(portal.name): \(hops)")
            case "rebind":
                #expect(refused == "unresolved", "\(hops)")
            case "dual":
                // The public answer is followed, the private one never tried
                #expect(hops.last?["url"] as? String == "https://twofold.egress.test/", "\(hops)")
            case "portal":
                let detail = value(observation, "certificate", "revocation", "detail") as? String ?? ""
                #expect(detail.contains("không truy cập: địa chỉ nội bộ"), "\(detail)")
                #expect(value(observation, "content", "sample", "pages", "0", "status") as? Int == 200)
            case "aia":
                let failure = value(observation, "certificate", "completion", "failure") as? String ?? ""
                #expect(failure.contains("không truy cập: địa chỉ nội bộ"), "\(failure)")
            default:
                #expect(value(observation, "certificate", "revocation", "status") as? String != "good")
            }
        }
    }

    private func scanAndMonitor(_ lab: EgressLab) async throws {
        // The same portals from an inventory that names their intranet address
        let inventory = lab.folder + "/inventory.yaml"
        let entries = portals.map {
            "  - url: https://\($0.name).egress.test/\n    name: \($0.name)\n    address: \(EgressLab.address)\n"
        }
        try ("portals:\n" + entries.joined()).write(toFile: inventory, atomically: true, encoding: .utf8)
        let database = lab.folder + "/scan.sqlite"
        let scan = try await lab.portalAudit(
            ["scan", inventory, "--db", database, "--ca-file", lab.caFile, "--confirm-after", "0"])
        #expect(scan.status == 1, "\(scan.stderr.suffix(600))")
        let results = try await AuditStore(path: database).results(run: 1)
        #expect(results.count == portals.count)
        for result in results {
            #expect(result.observation.reachability?.https.status == 200, "\(result.target.url)")
        }
        // And the monitor's samples and scheduled scan of them
        let watched = lab.folder + "/monitor.sqlite"
        let monitor = try Command.start(
            "/usr/bin/env",
            lab.invocation([
                "monitor", inventory, "--uptime-every", "1s", "--scan-every", "24h", "--db", watched, "--ca-file",
                lab.caFile, "--confirm-after", "0",
            ]))
        let finished = try await eventually(90) {
            guard FileManager.default.fileExists(atPath: watched) else { return false }
            return try await AuditStore(path: watched).run(nil)?.status == .finished
        }
        #expect(finished, "\(monitor.stderrSoFar.suffix(600))")
        try await Task.sleep(for: .seconds(2))
        monitor.kill(SIGTERM)
        #expect(await monitor.wait() == 0, "\(monitor.stderrSoFar.suffix(600))")
        let scheduled = try await AuditStore(path: watched).results(run: 1)
        #expect(scheduled.count == portals.count)
        for result in scheduled {
            #expect(result.observation.reachability?.https.status == 200, "\(result.target.url)")
        }
    }
}
