import PortalAuditCore

/// A TLS cipher suite by its IANA code point and name, with what the name says about it.
///
/// The classes are read from the IANA name (`TLS_<key exchange>_WITH_<cipher>_<MAC>`), so the catalogue
/// is a plain list of code points and names.
public struct CipherSuite: Sendable, Hashable, Comparable {
    public let code: UInt16
    public let name: String
    public let classes: Set<SuiteClass>

    init(_ code: UInt16, _ name: String) {
        self.code = code
        self.name = name
        self.classes = SuiteClass.of(name)
    }

    /// Whether the suite belongs to `suiteClass`.
    public func `is`(_ suiteClass: SuiteClass) -> Bool { classes.contains(suiteClass) }

    /// TLS 1.2-only suites (AEAD, SHA-256/384 MACs) are not offered in older hellos.
    public var needsTLS12: Bool {
        classes.contains(.aead) || name.hasSuffix("_SHA256") || name.hasSuffix("_SHA384")
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

    /// The suite with `code`, when the catalogue knows it.
    public static func named(code: UInt16) -> CipherSuite? { byCode[code] }

    private static let byCode = Dictionary(uniqueKeysWithValues: (legacy + tls13).map { ($0.code, $0) })
}

extension CipherSuite {
    /// The TLS 1.3 suites (RFC 8446 B.4).
    public static let tls13: [CipherSuite] = [
        .init(0x1301, "TLS_AES_128_GCM_SHA256"), .init(0x1302, "TLS_AES_256_GCM_SHA384"),
        .init(0x1303, "TLS_CHACHA20_POLY1305_SHA256"), .init(0x1304, "TLS_AES_128_CCM_SHA256"),
        .init(0x1305, "TLS_AES_128_CCM_8_SHA256"),
    ]

    /// SSLv3 – TLS 1.2 suites with RSA, DSS or ECDSA certificates, or none (anonymous); PSK, SRP and
    /// Kerberos suites are left out (no web server offers them to a browser).
    public static let legacy: [CipherSuite] = [
        .init(0x0001, "TLS_RSA_WITH_NULL_MD5"), .init(0x0002, "TLS_RSA_WITH_NULL_SHA"),
        .init(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"), .init(0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
        .init(0x0005, "TLS_RSA_WITH_RC4_128_SHA"), .init(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
        .init(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"), .init(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
        .init(0x0009, "TLS_RSA_WITH_DES_CBC_SHA"), .init(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
        .init(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA"), .init(0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA"),
        .init(0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA"), .init(0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA"),
        .init(0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA"), .init(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA"),
        .init(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"), .init(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"),
        .init(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"), .init(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
        .init(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"), .init(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
        .init(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"), .init(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
        .init(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"), .init(0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA"),
        .init(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
        .init(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"), .init(0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA"),
        .init(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA"), .init(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"),
        .init(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"), .init(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
        .init(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"), .init(0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA"),
        .init(0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA"), .init(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"),
        .init(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"), .init(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"),
        .init(0x003B, "TLS_RSA_WITH_NULL_SHA256"), .init(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
        .init(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"), .init(0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256"),
        .init(0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256"), .init(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"),
        .init(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"), .init(0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"),
        .init(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"), .init(0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA"),
        .init(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"), .init(0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256"),
        .init(0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256"), .init(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"),
        .init(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"), .init(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"),
        .init(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"),
        .init(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"), .init(0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"),
        .init(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"), .init(0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA"),
        .init(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"), .init(0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA"),
        .init(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"), .init(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
        .init(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), .init(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
        .init(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"), .init(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"),
        .init(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"), .init(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"),
        .init(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA"), .init(0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"),
        .init(0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"), .init(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"),
        .init(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"), .init(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"),
        .init(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"), .init(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
        .init(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), .init(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
        .init(0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA"), .init(0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA"),
        .init(0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"), .init(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"),
        .init(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"), .init(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
        .init(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"), .init(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
        .init(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), .init(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
        .init(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"), .init(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"),
        .init(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"), .init(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
        .init(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"),
        .init(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
        .init(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
        .init(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"),
        .init(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"),
        .init(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"), .init(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
        .init(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"), .init(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"),
        .init(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        .init(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        .init(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"),
        .init(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"),
        .init(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), .init(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        .init(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"), .init(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"),
        .init(0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"),
        .init(0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"),
        .init(0xC09C, "TLS_RSA_WITH_AES_128_CCM"), .init(0xC09D, "TLS_RSA_WITH_AES_256_CCM"),
        .init(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"), .init(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"),
        .init(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"), .init(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"),
        .init(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"), .init(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"),
        .init(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"), .init(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
        .init(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"), .init(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
        .init(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
        .init(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        .init(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    ]
}
