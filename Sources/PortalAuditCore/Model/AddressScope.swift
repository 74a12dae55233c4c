import Foundation

/// How private a network address is, for the redirect scope: a portal may send the auditor only to
/// addresses no more private than its own, so a public portal cannot steer it into the auditor's own
/// network (a blind SSRF), while a portal pinned to loopback (the lab) may redirect within loopback.
public enum AddressScope: Int, Sendable, Comparable, Codable {
    /// Globally routable.
    case `public` = 0
    /// RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space (100.64/10), IPv6 ULA (fc00::/7).
    case `private` = 1
    /// 169.254/16 (cloud metadata lives here) and fe80::/10.
    case linkLocal = 2
    /// 127/8, ::1, and the unspecified address (0.0.0.0, ::), which reaches this machine.
    case loopback = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The scope of a textual IPv4 or IPv6 address (brackets allowed); `nil` when `text` is not one.
    public static func of(_ text: String) -> AddressScope? {
        let address = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let v4 = ipv4(address) { return scope(ipv4: v4) }
        guard let v6 = ipv6(address) else { return nil }
        // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address decides.
        if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF {
            return scope(ipv4: Array(v6[12..<16]))
        }
        if v6[0..<15].allSatisfy({ $0 == 0 }) && (v6[15] == 1 || v6[15] == 0) { return .loopback }
        if v6[0] & 0xFE == 0xFC { return .private }
        if v6[0] == 0xFE && v6[1] & 0xC0 == 0x80 { return .linkLocal }
        return .public
    }

    private static func scope(ipv4 b: [UInt8]) -> AddressScope {
        switch (b[0], b[1]) {
        case (127, _), (0, _): return .loopback
        case (10, _), (192, 168), (172, 16...31), (100, 64...127): return .private
        case (169, 254): return .linkLocal
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
        /// The hop's address is more private than the portal's own.
        case privateAddress = "private_address"
    }

    /// Whether a hop to an address of scope `target` is allowed from a portal whose address has scope
    /// `origin` (`nil` origin: the portal's address is unknown, so it counts as public).
    public static func permits(from origin: AddressScope?, to target: AddressScope) -> Bool {
        target <= (origin ?? .public)
    }
}
