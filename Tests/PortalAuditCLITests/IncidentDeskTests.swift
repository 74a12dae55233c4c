import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@testable import PortalAuditKit

@Suite("Incidents: outages grouped by the network the portals share")
struct IncidentDeskTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(
        "networks: the /24 of an IPv4 address, the /48 of an IPv6 one, none without an address",
        arguments: [
            ("203.0.113.7", "203.0.113.0/24"), ("127.0.0.1", "127.0.0.0/24"), ("2001:db8:1:2::7", "2001:db8:1::/48"),
            ("2001:db8::1", "2001:db8:0::/48"), ("", nil), ("not-an-address", nil),
        ] as [(String, String?)])
    func network(_ address: String, _ expected: String?) {
        #expect(IncidentDesk.network(address) == expected)
    }

    @Test("three portals of one server down in a round are one incident; a fourth network's portal is alone")
    func opens() {
        var desk = IncidentDesk(minPortals: 3)
        for n in 1...3 { desk.down(url: "https://x\(n)/", name: "Xã \(n)", since: t0, address: "203.0.113.7") }
        desk.down(url: "https://y/", name: "Xã Y", since: t0, address: "198.51.100.9")
        let (alerts, alone) = desk.flush(at: t0.addingTimeInterval(60))
        #expect(alerts.map(\.kind) == [.incidentOpen])
        #expect(
            alerts.first?.name?.hasPrefix("3 cổng trên máy chủ 203.0.113.7 ngừng phản hồi từ 15:00 15/01/2027") == true)
        #expect(alone.map(\.url) == ["https://y/"])
        #expect(desk.inIncident("https://x2/") && !desk.inIncident("https://y/"))
        // A second flush with nothing held says nothing
        #expect(desk.flush(at: t0.addingTimeInterval(120)).incidents.isEmpty)
    }

    @Test("an incident is announced again when it doubles, not for each portal; it closes with the last one back")
    func growsAndCloses() {
        var desk = IncidentDesk(minPortals: 3)
        for n in 1...3 { desk.down(url: "https://x\(n)/", name: nil, since: t0, address: "203.0.113.\(n)") }
        #expect(desk.flush(at: t0).incidents.first?.name?.contains("mạng 203.0.113.0/24") == true)
        // Two more: 5 < 6, no alert; a sixth: doubled, one alert
        for n in 4...5 { desk.down(url: "https://x\(n)/", name: nil, since: t0, address: "203.0.113.\(n)") }
        #expect(desk.flush(at: t0.addingTimeInterval(60)).incidents.isEmpty)
        desk.down(url: "https://x6/", name: nil, since: t0, address: "203.0.113.6")
        #expect(desk.flush(at: t0.addingTimeInterval(120)).incidents.map(\.kind) == [.incidentGrew])
        // Portals back one by one close their own line; the last closes the incident with every outage
        for n in 1...5 { #expect(desk.up(url: "https://x\(n)/", at: t0.addingTimeInterval(Double(600 + n))) == []) }
        let closed = desk.up(url: "https://x6/", at: t0.addingTimeInterval(3_725)) ?? []
        #expect(closed.map(\.kind) == [.incidentClosed])
        #expect(closed.first?.detail.contains("https://x6/: 1h02m") == true)
        #expect(closed.first?.detail.contains("https://x1/: 10m01s") == true)
        #expect(desk.open.isEmpty)
    }

    @Test("fewer than the threshold are announced alone; a portal back within its round was never announced")
    func alone() {
        var desk = IncidentDesk(minPortals: 3)
        desk.down(url: "https://a/", name: nil, since: t0, address: "203.0.113.7")
        desk.down(url: "https://b/", name: nil, since: t0, address: "203.0.113.7")
        desk.down(url: "https://c/", name: nil, since: t0, address: nil)
        #expect(desk.up(url: "https://b/", at: t0.addingTimeInterval(1)) == [])
        let (alerts, alone) = desk.flush(at: t0.addingTimeInterval(2))
        #expect(alerts.isEmpty && alone.map(\.url).sorted() == ["https://a/", "https://c/"])
        // Announced alone: its recovery is its own "up" (the caller's), not the desk's
        #expect(desk.up(url: "https://a/", at: t0.addingTimeInterval(60)) == nil)
    }

    @Test("the desk survives a restart as JSON: open incidents and held outages")
    func persisted() throws {
        var desk = IncidentDesk(minPortals: 2)
        desk.down(url: "https://a/", name: "A", since: t0, address: "203.0.113.7")
        desk.down(url: "https://b/", name: "B", since: t0, address: "203.0.113.8")
        _ = desk.flush(at: t0)
        desk.down(url: "https://c/", name: "C", since: t0, address: nil)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(IncidentDesk.self, from: encoder.encode(desk))
        #expect(back == desk)
    }

    @Test("outages confirmed at different moments of one window are grouped; alone they wait the window out")
    func window() {
        var desk = IncidentDesk(minPortals: 3)
        desk.down(url: "https://a/", name: nil, since: t0, address: "203.0.113.7", confirmed: t0)
        desk.down(url: "https://b/", name: nil, since: t0, address: "203.0.113.7", confirmed: t0)
        // (the round ends before the window: nothing yet)
        var flushed = desk.flush(at: t0.addingTimeInterval(0.4), window: 1)
        #expect(flushed.incidents.isEmpty && flushed.alone.isEmpty)
        desk.down(
            url: "https://c/", name: nil, since: t0, address: "203.0.113.7", confirmed: t0.addingTimeInterval(0.6))
        flushed = desk.flush(at: t0.addingTimeInterval(1), window: 1)
        #expect(flushed.incidents.map(\.kind) == [.incidentOpen] && flushed.alone.isEmpty)
        // Two alone on another network: announced once the window has passed, not before
        desk.down(url: "https://d/", name: nil, since: t0, address: "198.51.100.1", confirmed: t0.addingTimeInterval(2))
        desk.down(
            url: "https://e/", name: nil, since: t0, address: "198.51.100.2", confirmed: t0.addingTimeInterval(2.5))
        #expect(desk.flush(at: t0.addingTimeInterval(2.9), window: 1).alone.isEmpty)
        #expect(desk.flush(at: t0.addingTimeInterval(3.1), window: 1).alone.map(\.url) == ["https://d/"])
        #expect(desk.flush(at: t0.addingTimeInterval(3.6), window: 1).alone.map(\.url) == ["https://e/"])
    }
}

@Suite("Digests: each recipient its own portals, what changed since the last digest")
struct DigestBuilderTests {
    func site(_ url: String, _ verdict: Verdict, commune: String) -> SiteResult {
        var target = Target(url: url, host: "h", httpsPort: 443, httpPort: 80, path: "/", province: "Tỉnh T")
        target.commune = commune
        return SiteResult(
            target: target, profile: ProfileReference(id: "vn-level2", version: 6), verdict: verdict, score: 50,
            grade: verdict == .fail ? "F" : "A", durationMS: 1,
            cost: ProbeCost(connections: 1, tlsHandshakes: 1, requests: 1),
            probes: [], observation: Fixtures.exemplary(), findings: [])
    }

    @Test("counts in the subject: not met now, worse and better than at the previous digest")
    func counts() {
        let results = [
            site("https://a/", .fail, commune: "Xã A"), site("https://b/", .pass, commune: "Xã A"),
            site("https://c/", .warn, commune: "Xã C"),
        ]
        let letters = DigestBuilder.letters(
            results: results, previous: ["https://a/": .pass, "https://b/": .fail, "https://c/": .warn],
            province: ["tinh@t"], units: ["https://a/": ["a@t"], "https://b/": ["a@t"], "https://c/": ["c@t"]],
            dashboard: nil, at: Date())
        #expect(letters.map(\.to) == [["tinh@t"], ["a@t"], ["c@t"]])
        #expect(
            letters.map { $0.alert.name ?? "" } == [
                "Toàn Tỉnh T: 1 không đạt, 1 kém đi, 1 tốt lên", "Xã A: 1 không đạt, 1 kém đi, 1 tốt lên",
                "Xã C: 0 không đạt, 0 kém đi, 0 tốt lên",
            ])
        #expect(letters[2].alert.detail.contains("Không cổng nào không đạt"))
    }
}
