import CurlClient
import Foundation
import PortalAuditCore

/// Follows the redirect chain from `http://host/` by hand, one hop at a time.
///
/// A `Location` is refused (recorded, not followed) when it carries credentials, when its name does not
/// resolve, or when none of its addresses is one the egress policy permits (`EgressPolicy`: the portal's own
/// addresses and ports, else public web addresses): a portal cannot make the auditor fetch from 10/8,
/// 169.254/16 or loopback. Pinned names count as what they are pinned to; other names are resolved once and
/// pinned for the hop, so curl connects to the addresses that were judged (and the socket guard judges them
/// again). In loopback-only mode (the lab) a hop may not go more private than the portal's own address.
struct RedirectProbe: AreaProbe {
    static let kind = ProbeKind.redirect

    /// The chain, and the first hop's answer (what plain HTTP serves, for reachability).
    struct Facts: Sendable {
        var redirect: RedirectFacts
        var http: EndpointFacts?
    }

    /// The portal's own address class: a hop may not go anywhere more private.
    let origin: AddressScope?

    func run(_ context: ProbeContext) async -> ProbeRun<Facts> {
        let target = context.target
        let options = context.options
        var pins = context.pins
        var hops: [RedirectHop] = []
        var results: [TransferResult] = []
        var seen = Set<String>()
        var url = target.httpURL
        var endpoint: EndpointFacts?
        var outcome = RedirectFacts.Outcome.final
        while true {
            guard let components = URLComponents(string: url), let host = components.host,
                let scheme = components.scheme?.lowercased()
            else {
                outcome = .badScheme
                break
            }
            if hops.count > options.maxRedirects {
                outcome = .tooManyHops
                break
            }
            if !seen.insert(url).inserted {
                outcome = .loop
                hops.append(RedirectHop(url: url))
                break
            }
            let port = components.port ?? (scheme == "https" ? 443 : 80)
            var hop = context
            hop.pins = pins
            var request = hop.request(url, host: host, port: port)
            request.maxBodyBytes = 64 << 10
            let result = await context.perform(request)
            results.append(result)
            if hops.isEmpty { endpoint = TransferFacts.endpoint(url: url, result) }
            let status = result.responseCode > 0 ? result.responseCode : nil
            let location = (300...399).contains(result.responseCode) ? result.redirectURL ?? Self.location(result) : nil
            hops.append(
                RedirectHop(
                    url: url, status: status, location: location, failure: result.failure.map(TransferFacts.failure)))
            guard status != nil else {
                outcome = .failed
                break
            }
            guard let next = location else { break }
            let nextScheme = URLComponents(string: next)?.scheme?.lowercased()
            guard nextScheme == "http" || nextScheme == "https" else {
                outcome = .badScheme
                break
            }
            if let refusal = await refusal(of: next, pins: &pins, context: context) {
                hops[hops.count - 1].refused = refusal
                // The password a portal put in its Location is a secret it sent: it is not kept.
                if refusal == .credentials { hops[hops.count - 1].location = Self.withoutPassword(next) }
                outcome = .refused
                break
            }
            url = next
        }
        let last = hops.last(where: { $0.status != nil }) ?? hops.last
        let finalURL = outcome == .final ? last?.url : (hops.last?.location ?? hops.last?.url)
        let facts = RedirectFacts(
            hops: hops, outcome: outcome,
            finalScheme: finalURL.flatMap { URLComponents(string: $0)?.scheme?.lowercased() },
            finalURL: finalURL)
        return ProbeRun(facts: Facts(redirect: facts, http: endpoint), results: results)
    }

    /// `url` with the password of its user information replaced by `…`.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "…"
        return components.string ?? "(a URL with credentials)"
    }

    /// Why the hop to `url` may not be followed, or `nil` when it may. A name the scanner looks up itself is
    /// pinned for the hop to the answers the egress policy permits (every answer is judged, not the first);
    /// a name that does not resolve is not followed (libcurl would look it up again, and the second answer
    /// could be another one).
    private func refusal(of url: String, pins: inout NamePins, context: ProbeContext) async -> RedirectScope.Refusal? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        if components.user != nil || components.password != nil { return .credentials }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let literal = AddressScope.of(bare) != nil
        if context.runtime.isLoopbackOnly {
            // The lab: loopback stands for the Internet, and a hop may not go more private than the portal.
            guard let address = literal ? bare : pins.address(of: bare), let scope = AddressScope.of(address) else {
                return nil
            }
            return RedirectScope.permits(from: origin, to: scope) ? nil : .privateAddress
        }
        let pinned = pins.addresses(of: bare)
        var addresses = literal ? [bare] : pinned
        if addresses.isEmpty {
            addresses = await AddressResolver.resolve(bare, timeoutMS: context.budget.connectMS())
            guard !addresses.isEmpty else { return .unresolved }
        }
        let permitted = addresses.filter { context.egress.permits(address: $0, port: port) }
        guard !permitted.isEmpty else { return .privateAddress }
        if !literal && pinned.isEmpty { pins.pin(host: bare, ports: [port], addresses: permitted) }
        return nil
    }

    static func location(_ result: TransferResult) -> String? {
        HeaderLines.fields(result.headerLines).first { $0.name == "location" }?.value
    }
}
