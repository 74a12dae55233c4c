import PortalAuditCore
import PortalAuditProbes
import Testing

@Suite("Name pins (--resolve and inventory addresses)")
struct NamePinsTests {
    @Test(
        "malformed --resolve entries are named, well-formed ones accepted",
        arguments: [
            ("portal.gov.vn:443:127.0.0.1", true), ("portal.gov.vn:443:127.0.0.1,[::1]", true),
            ("portal.gov.vn:443", false), (":443:127.0.0.1", false), ("portal.gov.vn:0:127.0.0.1", false),
            ("portal.gov.vn:70000:127.0.0.1", false), ("portal.gov.vn:443:", false),
            ("portal.gov.vn:443:localhost", false), ("portal.gov.vn:x:127.0.0.1", false),
        ])
    func validate(_ entry: String, _ valid: Bool) {
        #expect((NamePins.validate(entry) == nil) == valid)
    }

    @Test("a name pinned on one port is pinned on every port, case-insensitively, IPv6 bracketed")
    func everyPort() {
        let pins = NamePins(entries: ["Portal.GOV.vn:443:127.0.0.1,::1"])
        #expect(pins.address(of: "portal.gov.vn") == "127.0.0.1")
        #expect(pins.entries(host: "PORTAL.gov.vn", port: 80) == ["portal.gov.vn:80:127.0.0.1,[::1]"])
        // Another name gets no entry: a request hands libcurl its own host's pin, not every pin of the run
        #expect(pins.entries(host: "other.gov.vn", port: 80) == [])
        #expect(pins.pinning(host: "portal.gov.vn") == (true, true))
        #expect(pins.pinning(host: "other.gov.vn") == (false, false))
    }

    @Test("an inventory address pins the target's HTTPS and HTTP ports; resolved names can be added")
    func inventoryAddress() {
        var target = Target(
            url: "https://xa.gov.vn:8443/", host: "xa.gov.vn", httpsPort: 8443, httpPort: 8080, path: "/")
        target.address = "127.0.0.2"
        var pins = NamePins(entries: [], target: target)
        #expect(pins.entries(host: "xa.gov.vn", port: 8080) == ["xa.gov.vn:8080:127.0.0.2"])
        #expect(pins.pinning(host: "xa.gov.vn") == (true, false))
        pins.pin(host: "CDN.gov.vn", ports: [443], addresses: ["127.0.0.3"])
        pins.pin(host: "none.gov.vn", ports: [443], addresses: [])
        #expect(pins.address(of: "cdn.gov.vn") == "127.0.0.3")
        #expect(pins.address(of: "none.gov.vn") == nil)
    }

    @Test("the egress policy of a portal: its own pinned addresses on its ports and pinned ones, no other name's")
    func egress() {
        var target = Target(
            url: "https://xa.gov.vn:8443/", host: "xa.gov.vn", httpsPort: 8443, httpPort: 8080, path: "/")
        target.address = "10.1.2.3"
        let pins = NamePins(entries: ["xa.gov.vn:9443:fd00::7", "intranet.gov.vn:443:10.9.9.9"], target: target)
        let policy = pins.egress(for: target)
        #expect(policy.permits(address: "10.1.2.3", port: 8443))
        #expect(policy.permits(address: "10.1.2.3", port: 8080))
        #expect(policy.permits(address: "10.1.2.3", port: 9443))
        #expect(policy.permits(address: "fd00::7", port: 8443))
        #expect(!policy.permits(address: "10.1.2.3", port: 22))
        #expect(!policy.permits(address: "10.9.9.9", port: 443))
        let literal = Target(url: "https://10.4.4.4/", host: "10.4.4.4", httpsPort: 443, httpPort: 80, path: "/")
        #expect(NamePins(entries: []).egress(for: literal).permits(address: "10.4.4.4", port: 80))
    }
}
