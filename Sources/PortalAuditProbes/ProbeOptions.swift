import Foundation
import PortalAuditCore

/// How probes reach and treat a site: name pins, trust anchors, time and size caps.
public struct ProbeOptions: Sendable, Equatable {
    /// `HOST:PORT:ADDR` entries with curl's `--resolve` meaning.
    public var resolve: [String]
    /// The whole budget for one site, in seconds: no site costs more than this.
    public var timeoutSeconds: Double
    /// TCP connect timeout, in seconds (capped by the remaining budget).
    public var connectTimeoutSeconds: Double
    /// Largest body kept per response.
    public var maxBodyBytes: Int
    /// Redirect hops followed from `http://host/`.
    public var maxRedirects: Int
    /// Active probes allowed (sensitive paths): an authorised audit of one's own portals.
    public var authorised: Bool
    public var userAgent: String
    /// List every accepted cipher suite by iterative removal (`check`, `scan --enumerate`); otherwise one
    /// hello per suite class answers "accepted or not".
    public var enumerateSuites: Bool
    /// Seconds after which a portal where nothing answered is asked again, to confirm the outage (at least
    /// `minimumConfirmationSeconds`; 0: no second attempt, and the portal is reported incomplete).
    public var confirmOutagesAfterSeconds: Int
    /// Same-host pages fetched beyond the home page and spam-scanned (`--sample-pages`; 0: none).
    public var samplePages = ProbeOptions.defaultSamplePages
    public static let defaultSamplePages = 20
    /// Documents (PDF, Office, OpenDocument) fetched and read for personal data (`--documents`; 0: none).
    public var documents = ProbeOptions.defaultDocuments
    public static let defaultDocuments = 3
    /// The largest document read: a longer one is reported, not read.
    public static let documentCap = 10 << 20
    /// The basis of an authorised audit (inventory `authorisation:`), recorded with every observation.
    public var authorisation: String?
    /// Where this scan runs from (`--vantage`), recorded with every observation beside the host name.
    public var vantage: String?
    /// The shortest wait that tells an outage from a restart or a dropped packet.
    public static let minimumConfirmationSeconds = 30
    /// Sites admitted at once to an address of scope `scope` (`nil`: no limit).
    public func sitesPerAddress(_ scope: AddressScope?) -> Int? {
        if let explicit = connectionsPerAddress { return max(1, explicit / connectionsPerSite) }
        if scope == .loopback { return nil }
        return max(1, Self.defaultConnectionsPerAddress / connectionsPerSite)
    }

    /// Raw hellos the TLS probe sends at once (round trips are what a real network costs): three, fewer when
    /// `--per-address` leaves no room for them beside the site's three other chains.
    public var tlsHellosAtOnce: Int {
        let room = (connectionsPerAddress ?? Self.defaultConnectionsPerAddress) - (Self.maxConnectionsPerSite - 3)
        return max(1, min(3, room))
    }

    /// Connections one site may hold at once: its home-page, redirect and IPv6 chains, and the TLS hellos.
    public var connectionsPerSite: Int { 3 + tlsHellosAtOnce }

    /// Connections at once to one address, across the fleet (`nil`: `defaultConnectionsPerAddress`, not
    /// applied to loopback, which is this machine; a value given applies to every address).
    public var connectionsPerAddress: Int?

    /// The most connections one site holds at once (three chains and three TLS hellos).
    public static let maxConnectionsPerSite = 6
    /// Connections at once per address unless told otherwise: two sites of a shared hosting IP at a time.
    public static let defaultConnectionsPerAddress = 12

    public init(
        resolve: [String] = [], timeoutSeconds: Double = 10, connectTimeoutSeconds: Double = 5,
        maxBodyBytes: Int = 2 << 20, maxRedirects: Int = 10, authorised: Bool = false,
        userAgent: String = "portal-audit/\(PortalAuditVersion.tool) (+compliance audit)",
        connectionsPerAddress: Int? = nil, enumerateSuites: Bool = false,
        confirmOutagesAfterSeconds: Int = ProbeOptions.minimumConfirmationSeconds, vantage: String? = nil
    ) {
        self.vantage = vantage
        self.enumerateSuites = enumerateSuites
        self.confirmOutagesAfterSeconds = confirmOutagesAfterSeconds
        self.connectionsPerAddress = connectionsPerAddress
        self.resolve = resolve
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.authorised = authorised
        self.userAgent = userAgent
    }
}

/// Name pins for one site: the user's `--resolve` entries plus the target's `address`.
///
/// curl pins a name per port; a portal's redirect may move to another port of the same name, so a
/// name pinned on any port is pinned on every port to the same address. Without that, following a
/// redirect would send a real DNS query for a name the user meant to pin.
public struct NamePins: Sendable, Equatable {
    struct Pin: Sendable, Equatable {
        var host: String
        var port: Int
        /// One or more addresses (IPv4 and/or IPv6), as curl accepts them comma-separated.
        var addresses: [String]
    }

    private var pins: [Pin]

    /// Parses `HOST:PORT:ADDR` entries; `nil` entries are reported by `validate`.
    public init(entries: [String], target: Target? = nil) {
        pins = entries.compactMap(Self.parse)
        if let target, let address = target.address {
            let addresses = address.split(separator: ",").map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " []"))
            }
            pins.append(Pin(host: target.host, port: target.httpsPort, addresses: addresses))
            pins.append(Pin(host: target.host, port: target.httpPort, addresses: addresses))
        }
    }

    /// The problem with a `--resolve` entry, or `nil` when it is well formed.
    public static func validate(_ entry: String) -> String? {
        parse(entry) == nil
            ? "expected HOST:PORT:ADDRESS[,ADDRESS] (e.g. portal.gov.vn:443:127.0.0.1), found '\(entry)'" : nil
    }

    static func parse(_ entry: String) -> Pin? {
        let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else {
            return nil
        }
        let addresses = parts[2].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " []")) }
        guard !addresses.isEmpty,
            addresses.allSatisfy({ !$0.isEmpty && $0.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) })
        else { return nil }
        return Pin(host: parts[0].lowercased(), port: port, addresses: addresses)
    }

    /// Pins `host` on `ports` to `addresses` (names the scanner resolved itself, so that curl connects
    /// to exactly the addresses the redirect scope and the per-address limit were judged on).
    public mutating func pin(host: String, ports: [Int], addresses: [String]) {
        guard !addresses.isEmpty else { return }
        for port in ports { pins.append(Pin(host: host.lowercased(), port: port, addresses: addresses)) }
    }

    /// The first address `host` is pinned to, if it is pinned.
    public func address(of host: String) -> String? {
        let name = host.lowercased()
        return pins.first { $0.host == name }?.addresses.first
    }

    /// Every address `host` is pinned to, on any port.
    public func addresses(of host: String) -> [String] {
        let name = host.lowercased()
        var seen = Set<String>()
        return pins.filter { $0.host == name }.flatMap(\.addresses).filter { seen.insert($0).inserted }
    }

    /// Whether `host` is pinned at all, and whether any of its pins is an IPv6 address.
    public func pinning(host: String) -> (pinned: Bool, hasIPv6: Bool) {
        let name = host.lowercased()
        let mine = pins.filter { $0.host == name }
        return (!mine.isEmpty, mine.contains { $0.addresses.contains { $0.contains(":") } })
    }

    /// The egress policy of a probe of `target`: every address the portal's name is pinned to (by the
    /// operator, the inventory or the scanner's own lookup), or the address it is, on each port pinned and on
    /// its HTTPS and HTTP ports. Pins of other names are not the portal's: a redirect's own lookup pins its
    /// host for that hop, and gives it no right to leave the public web.
    public func egress(for target: Target) -> EgressPolicy {
        let name = target.host.lowercased()
        let mine = pins.filter { $0.host == name }
        let addresses = Set(mine.flatMap(\.addresses) + (AddressScope.of(name) != nil ? [name] : []))
        let ports = Set(mine.map(\.port) + [target.httpsPort, target.httpPort])
        return EgressPolicy(
            allowed: Set(addresses.flatMap { address in ports.compactMap { EgressPolicy.Endpoint(address, port: $0) } })
        )
    }

    /// The curl `RESOLVE` entry for `host:port`: its exact pin, else the host's pin on another port (the same
    /// name on another port is the same host), else none. Only the host asked: every entry handed to libcurl
    /// lands in its shared DNS cache, and a fleet's pins are not every request's business.
    public func entries(host: String, port: Int) -> [String] {
        let name = host.lowercased()
        guard
            let pin = pins.last(where: { $0.host == name && $0.port == port }) ?? pins.first(where: { $0.host == name })
        else { return [] }
        return ["\(name):\(port):\(Self.list(pin.addresses))"]
    }

    private static func list(_ addresses: [String]) -> String {
        addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
    }
}
