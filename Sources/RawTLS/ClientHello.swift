import PortalAuditCore

/// Named groups offered in `supported_groups` (and the one TLS 1.3 key share).
public enum NamedGroup: UInt16, Sendable, CaseIterable {
    case secp256r1 = 0x0017
    case secp384r1 = 0x0018
    case secp521r1 = 0x0019
    case x25519 = 0x001D
    case x448 = 0x001E

    /// The name the facts use.
    public static func name(_ code: UInt16) -> String {
        switch NamedGroup(rawValue: code) {
        case .secp256r1: "secp256r1"
        case .secp384r1: "secp384r1"
        case .secp521r1: "secp521r1"
        case .x25519: "x25519"
        case .x448: "x448"
        case nil: "group-0x" + String(code, radix: 16)
        }
    }
}

/// A ClientHello offering exactly one protocol version and a chosen list of suites: what a probe asks a
/// server. The bytes are one TLS record; nothing is encrypted and no handshake is ever completed.
public struct ClientHello: Sendable, Equatable {
    public var version: TLSVersion
    public var suites: [CipherSuite]
    /// The server name for SNI (left out for an IP address, as RFC 6066 asks).
    public var serverName: String?
    public var groups: [NamedGroup]
    /// 32 bytes (the client random); a caller passes fresh random bytes, tests pass fixed ones.
    public var random: [UInt8]
    /// TLS 1.3's key share: 32 bytes of an x25519 public key (any bytes get a ServerHello; nothing is decrypted);
    /// empty for no share.
    public var keyShare: [UInt8]

    public init(
        version: TLSVersion, suites: [CipherSuite], serverName: String?,
        groups: [NamedGroup] = [.x25519, .secp256r1, .secp384r1, .secp521r1, .x448],
        random: [UInt8], keyShare: [UInt8] = []
    ) {
        self.version = version
        self.suites = suites
        self.serverName = serverName
        self.groups = groups
        self.random = random
        self.keyShare = keyShare
    }

    /// Signature algorithms offered: every one a server may still use, SHA-1 and DSA included, so that
    /// a legacy server is not refused for its certificate.
    static let signatureAlgorithms: [UInt16] = [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
    ]

    /// The record to send.
    public var bytes: [UInt8] {
        var body = Writer()
        body.u16(version == .tls13 ? TLSVersion.tls12.wire : version.wire)
        body.bytes(
            random.count == 32 ? random : Array(random.prefix(32)) + Array(repeating: 0, count: 32 - random.count))
        // A 32-byte legacy session id in TLS 1.3 (middlebox compatibility, RFC 8446 D.4); none before.
        if version == .tls13 {
            body.u8(32)
            body.bytes(Array(random.reversed()))
        } else {
            body.u8(0)
        }
        var suiteCodes = suites.map(\.code)
        // The renegotiation SCSV (RFC 5746) stands in for the extension, so SSLv3 hellos carry it too.
        if version != .tls13 { suiteCodes.append(0x00FF) }
        body.u16(UInt16(suiteCodes.count * 2))
        for code in suiteCodes { body.u16(code) }
        body.u8(1)
        body.u8(0)
        if version != .ssl3 { body.vector16(extensions) }
        var handshake = Writer()
        handshake.u8(1)
        handshake.u24(body.out.count)
        handshake.bytes(body.out)
        var record = Writer()
        record.u8(22)
        // Record version 0x0300 for SSLv3, 0x0301 otherwise (what servers of every age accept).
        record.u16(version == .ssl3 ? 0x0300 : 0x0301)
        record.u16(UInt16(handshake.out.count))
        record.bytes(handshake.out)
        return record.out
    }

    private var extensions: [UInt8] {
        var out = Writer()
        if let serverName, !serverName.isEmpty, !serverName.contains(":"),
            serverName.contains(where: { $0.isLetter })
        {
            let name = Array(serverName.utf8)
            var list = Writer()
            list.u8(0)
            list.u16(UInt16(name.count))
            list.bytes(name)
            out.extensionBlock(0x0000) { $0.vector16(list.out) }
        }
        out.extensionBlock(0x000A) { ext in
            ext.u16(UInt16(groups.count * 2))
            for group in groups { ext.u16(group.rawValue) }
        }
        out.extensionBlock(0x000B) { $0.bytes([1, 0]) }
        if version >= .tls12 {
            out.extensionBlock(0x000D) { ext in
                ext.u16(UInt16(Self.signatureAlgorithms.count * 2))
                for algorithm in Self.signatureAlgorithms { ext.u16(algorithm) }
            }
        }
        // extended_master_secret, empty.
        out.extensionBlock(0x0017) { _ in }
        if version == .tls13 {
            out.extensionBlock(0x002B) { $0.bytes([2, 0x03, 0x04]) }
            out.extensionBlock(0x002D) { $0.bytes([1, 1]) }
            out.extensionBlock(0x0033) { ext in
                // No share at all when none is given: a server that supports an offered group answers with a
                // HelloRetryRequest naming it (how a single group is asked about).
                var share = Writer()
                if !keyShare.isEmpty {
                    share.u16(NamedGroup.x25519.rawValue)
                    share.u16(UInt16(keyShare.count))
                    share.bytes(keyShare)
                }
                ext.vector16(share.out)
            }
        }
        return out.out
    }
}

/// Big-endian byte writing for the hello.
struct Writer {
    var out: [UInt8] = []

    mutating func u8(_ value: UInt8) { out.append(value) }
    mutating func u16(_ value: UInt16) { out += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func u24(_ value: Int) {
        out += [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    mutating func bytes(_ value: [UInt8]) { out += value }
    mutating func vector16(_ value: [UInt8]) {
        u16(UInt16(value.count))
        out += value
    }
    mutating func extensionBlock(_ type: UInt16, _ body: (inout Writer) -> Void) {
        var inner = Writer()
        body(&inner)
        u16(type)
        vector16(inner.out)
    }
}
