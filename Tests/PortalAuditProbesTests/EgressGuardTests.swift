import CCurlShim
import PortalAuditCore
import Testing

/// The socket guard (C, in libcurl's open-socket callback) and `AddressScope` (Swift, which the probes consult
/// to say why) must class every address alike: what one calls public, the other does.
@Suite("The socket guard and the Swift policy agree")
struct EgressGuardTests {
    @Test(
        "public unicast or not, alike in C and in Swift",
        arguments: [
            "203.113.131.1", "8.8.8.8", "1.1.1.1", "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.63.255.255", "100.64.0.1",
            "100.127.255.255", "100.128.0.1", "127.0.0.1", "169.254.169.254", "172.15.255.255", "172.16.0.1",
            "172.31.255.255", "172.32.0.1", "192.0.0.8", "192.0.1.1", "192.0.2.7", "192.88.99.1", "192.168.0.1",
            "198.17.255.255", "198.18.0.1", "198.19.255.255", "198.20.0.1", "198.51.100.7", "203.0.113.7",
            "203.0.114.80", "223.255.255.255", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255", "::", "::1",
            "::ffff:10.1.2.3", "::ffff:8.8.8.8", "64:ff9b::10.0.0.1", "64:ff9b::8.8.8.8", "2002:0a00:0001::1",
            "2002:0808:0808::1", "2001:db8::1", "2001::1", "2001:4860::8888", "2402:800::1", "3fff::1", "4000::1",
            "fc00::1", "fd77::20", "fe80::1", "febf::1", "fec0::1", "ff02::1", "100::1", "::2",
        ])
    func agree(_ address: String) {
        let swift = AddressScope.of(address) == .public
        let c = pa_address_public(address)
        #expect(c != -1, "\(address) is an address to both")
        #expect(
            (c == 1) == swift, "\(address): C says \(c), Swift says \(String(describing: AddressScope.of(address)))")
    }
}
