import Foundation

/// How private a network address is, for the egress policy (`EgressPolicy`) and the redirect scope: what a
/// portal's content points to may lead the scanner to public unicast addresses only, so that a hacked portal
/// cannot steer it into the auditor's own network (a blind SSRF); a portal pinned to loopback (the lab) may
/// redirect within loopback.
public enum AddressScope: Int, Sendable, Comparable, Codable {
    /// Globally routable unicast.
    case `public` = 0
    /// RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space (100.64/10), IPv6 ULA (fc00::/7).
    case `private` = 1
    /// 169.254/16 (cloud metadata lives here) and fe80::/10.
    case linkLocal = 2
    /// 127/8, ::1, and the unspecified address (0.0.0.0, ::), which reaches this machine.
    case loopback = 3
    /// Not unicast on the Internet: multicast, broadcast, documentation and benchmarking ranges, the rest
    /// of 240/4 and of 192.0.0/24, 6to4 relays, Teredo, and IPv6 outside 2000::/3.
    case reserved = 4

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The scope of a textual IPv4 or IPv6 address (brackets allowed); `nil` when `text` is not one.
    public static func of(_ text: String) -> AddressScope? {
        let address = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let v4 = ipv4(address) { return scope(ipv4: v4) }
        guard let v6 = ipv6(address) else { return nil }
        return scope(ipv6: v6)
    }

    /// The scope of 16 bytes of IPv6. An address that embeds IPv4 for translation (IPv4-mapped ::ffff:0:0/96,
    /// NAT64 64:ff9b::/96, 6to4 2002::/16) is as private as the IPv4 address it leads to.
    static func scope(ipv6 v6: [UInt8]) -> AddressScope {
        if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF {
            return scope(ipv4: Array(v6[12..<16]))
        }
        if v6[0..<15].allSatisfy({ $0 == 0 }) && (v6[15] == 1 || v6[15] == 0) { return .loopback }
        if v6[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return scope(ipv4: Array(v6[12..<16])) }
        if v6[0] == 0x20 && v6[1] == 0x02 { return scope(ipv4: Array(v6[2..<6])) }
        if v6[0] & 0xFE == 0xFC { return .private }
        if v6[0] == 0xFE && v6[1] & 0xC0 == 0x80 { return .linkLocal }
        // Global unicast is 2000::/3, less documentation (2001:db8::/32) and Teredo (2001::/32).
        guard v6[0] & 0xE0 == 0x20 else { return .reserved }
        if v6[0] == 0x20 && v6[1] == 0x01 && ((v6[2] == 0x0D && v6[3] == 0xB8) || (v6[2] == 0 && v6[3] == 0)) {
            return .reserved
        }
        return .public
    }

    static func scope(ipv4 b: [UInt8]) -> AddressScope {
        switch (b[0], b[1], b[2]) {
        case (127, _, _), (0, _, _): return .loopback
        case (10, _, _), (192, 168, _), (172, 16...31, _), (100, 64...127, _): return .private
        case (169, 254, _): return .linkLocal
        case (224...255, _, _), (192, 0, 0), (192, 0, 2), (192, 88, 99), (198, 18...19, _), (198, 51, 100),
            (203, 0, 113):
            return .reserved
        default: return .public
        }
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            out.append(value)
        }
        return out
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = ipv4(String(piece)) {
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// Where a redirect hop may lead.
public enum RedirectScope {
    /// Why a hop was refused, as recorded in the redirect chain.
    public enum Refusal: String, Codable, Sendable {
        /// The `Location` carries `user:password@`: following it would send credentials.
        case credentials
        /// None of the hop's addresses may be reached: inside the auditor's network, or a port other than
        /// 80 and 443, and not the portal's own (in the lab: more private than the portal's own address).
        case privateAddress = "private_address"
        /// The hop's name did not resolve: it is not handed to libcurl to look up again.
        case unresolved
    }

    /// Whether a hop to an address of scope `target` is allowed from a portal whose address has scope
    /// `origin` (`nil` origin: the portal's address is unknown, so it counts as public).
    public static func permits(from origin: AddressScope?, to target: AddressScope) -> Bool {
        target <= (origin ?? .public)
    }
}

/// Where a connection opened for a portal may go: the portal's own addresses on its own ports and any
/// address the operator named for it (`--resolve`, the inventory's `address:`), else only a public unicast
/// address on port 80 or 443. What a portal sends (redirects, certificate URLs, sitemaps, links, forms)
/// cannot lead the scanner into the auditor's own network. The socket guard applies the same rule to
/// every address libcurl tries, after every DNS answer; the probes consult it first to say why.
public struct EgressPolicy: Sendable, Equatable {
    /// One allowed address and port (the address as its bytes: 4 for IPv4, IPv4-mapped IPv6 included).
    public struct Endpoint: Hashable, Sendable {
        public var address: [UInt8]
        public var port: Int

        /// `nil` when `address` is not an IP address or `port` is out of range.
        public init?(_ address: String, port: Int) {
            guard (1...65_535).contains(port), let bytes = EgressPolicy.bytes(address) else { return nil }
            self.address = bytes
            self.port = port
        }

        /// The address as text (dotted IPv4, or IPv6 groups), for the C guard.
        public var text: String {
            if address.count == 4 { return address.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16)
            }
            .joined(separator: ":")
        }
    }

    /// The ports a public address may be reached on when a portal's content leads there.
    public static let webPorts: Set<Int> = [80, 443]

    public var allowed: Set<Endpoint>

    public init(allowed: Set<Endpoint> = []) { self.allowed = allowed }

    /// Whether a connection to `address` (an IP address) on `port` may be opened.
    public func permits(address: String, port: Int) -> Bool {
        if let endpoint = Endpoint(address, port: port), allowed.contains(endpoint) { return true }
        return AddressScope.of(address) == .public && Self.webPorts.contains(port)
    }

    static func bytes(_ text: String) -> [UInt8]? {
        let address = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let v4 = AddressScope.ipv4(address) { return v4 }
        guard let v6 = AddressScope.ipv6(address) else { return nil }
        if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF { return Array(v6[12..<16]) }
        return v6
    }
}
