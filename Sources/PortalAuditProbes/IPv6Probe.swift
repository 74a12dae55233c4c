import CurlClient
import Foundation
import PortalAuditCore

/// HTTPS over IPv6 only. A pinned name uses its pins (an IPv6 pin pins the IPv6 probe, as an IPv4
/// one pins IPv4); a name pinned to IPv4 only has, for this audit, no IPv6 address.
struct IPv6Probe: AreaProbe {
    static let kind = ProbeKind.ipv6

    func run(_ context: ProbeContext) async -> ProbeRun<IPv6Facts> {
        let target = context.target
        let url = target.httpsURL
        let pinning = context.pins.pinning(host: target.host)
        if pinning.pinned && !pinning.hasIPv6 {
            let endpoint = EndpointFacts(
                url: url, failure: ProbeFailure(kind: .dns, message: "the name is pinned to IPv4 addresses only"))
            return ProbeRun(facts: IPv6Facts(https: endpoint, hasAddress: false), results: [])
        }
        var request = context.request(url, host: target.host, port: target.httpsPort)
        request.ipv6Only = true
        request.maxBodyBytes = 64 << 10
        request.verification = .record(host: target.host)
        // The question is the network path: a server that speaks only legacy TLS still answers over IPv6
        // (its TLS is the tls rules' question).
        request.legacyTLS = true
        let result = await context.perform(request)
        let endpoint = TransferFacts.endpoint(url: url, result)
        let hasAddress = result.failure?.kind != .dns
        return ProbeRun(facts: IPv6Facts(https: endpoint, hasAddress: hasAddress), results: [result])
    }
}
