import Foundation

/// A TLS protocol version: its name in the facts (`SSLv3`, `TLSv1.0` … `TLSv1.3`, the raw value) and its
/// number on the wire. One type for the raw TLS engine, libcurl's settings, the facts and the rules.
public enum TLSVersion: String, Sendable, CaseIterable, Comparable, Codable, CodingKeyRepresentable {
    case ssl3 = "SSLv3"
    case tls10 = "TLSv1.0"
    case tls11 = "TLSv1.1"
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"

    /// The version's number on the wire (`0x0303` for TLS 1.2).
    public var wire: UInt16 {
        switch self {
        case .ssl3: 0x0300
        case .tls10: 0x0301
        case .tls11: 0x0302
        case .tls12: 0x0303
        case .tls13: 0x0304
        }
    }

    /// The version numbered `wire` on the wire.
    public init?(wire: UInt16) {
        guard let version = Self.allCases.first(where: { $0.wire == wire }) else { return nil }
        self = version
    }

    /// A version by name, OpenSSL's `TLSv1` read as `TLSv1.0`.
    public init?(name: String) {
        self.init(rawValue: name == "TLSv1" ? "TLSv1.0" : name)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.wire < rhs.wire }
}

/// What a cipher suite is, read from its IANA name (`TLS_<key exchange>_WITH_<cipher>_<MAC>`); the raw value
/// is the class's name in the facts.
public enum SuiteClass: String, Sendable, Hashable, CaseIterable, Codable {
    /// No encryption at all.
    case null
    /// No server authentication (anonymous DH/ECDH).
    case anonymous
    /// Export-grade (40/56-bit) suites.
    case export
    /// Single DES (56-bit).
    case des
    /// Triple DES (64-bit blocks: SWEET32).
    case tripleDES = "3des"
    /// RC4 (RFC 7465 prohibits it).
    case rc4
    /// Block ciphers in CBC mode (Lucky13, padding oracles).
    case cbc
    /// Static RSA key exchange: no forward secrecy.
    case staticRSA = "static-rsa"
    /// Static (EC)DH key exchange: no forward secrecy.
    case staticDH = "static-dh"
    /// Ephemeral finite-field DH.
    case dhe
    /// Ephemeral elliptic-curve DH.
    case ecdhe
    /// Authenticated encryption (GCM, CCM, ChaCha20-Poly1305).
    case aead
    /// A TLS 1.3 suite.
    case tls13

    /// Classes every current recommendation forbids (broken suites).
    public static let broken: Set<SuiteClass> = [.null, .anonymous, .export, .des, .tripleDES, .rc4]
    /// Classes still met but outside current recommendations (legacy suites).
    public static let legacy: Set<SuiteClass> = [.cbc, .staticRSA, .staticDH]
    /// Key exchanges without forward secrecy.
    public static let staticKeyExchange: Set<SuiteClass> = [.staticRSA, .staticDH]

    /// The classes of the suite named `name` (IANA).
    public static func of(_ name: String) -> Set<SuiteClass> {
        if !name.contains("_WITH_") { return [.tls13, .aead] }
        let parts = name.split(separator: "_WITH_", maxSplits: 1).map(String.init)
        let exchange = parts[0]
        let cipher = parts[1]
        var classes: Set<SuiteClass> = []
        if exchange.contains("anon") { classes.insert(.anonymous) }
        if exchange.contains("EXPORT") || cipher.contains("EXPORT") || cipher.contains("40") {
            classes.insert(.export)
        }
        if cipher.hasPrefix("NULL") { classes.insert(.null) }
        if cipher.hasPrefix("RC4") { classes.insert(.rc4) }
        if cipher.hasPrefix("3DES") { classes.insert(.tripleDES) }
        if cipher.hasPrefix("DES") { classes.insert(.des) }
        if cipher.contains("_CBC") { classes.insert(.cbc) }
        if cipher.contains("GCM") || cipher.contains("CCM") || cipher.contains("POLY1305") { classes.insert(.aead) }
        switch exchange {
        case "TLS_RSA", "TLS_RSA_EXPORT", "SSL_RSA": classes.insert(.staticRSA)
        case _ where exchange.hasPrefix("TLS_ECDHE_"): classes.insert(.ecdhe)
        case _ where exchange.hasPrefix("TLS_DHE_"): classes.insert(.dhe)
        case _ where exchange.hasPrefix("TLS_ECDH_anon"): classes.insert(.ecdhe)
        case _ where exchange.hasPrefix("TLS_DH_anon"): classes.insert(.dhe)
        case _ where exchange.hasPrefix("TLS_DH_") || exchange.hasPrefix("TLS_ECDH_"): classes.insert(.staticDH)
        default: break
        }
        return classes
    }
}
