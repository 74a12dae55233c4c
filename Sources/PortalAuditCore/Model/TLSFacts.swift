import Foundation

/// How a TLS protocol version fared when offered alone.
public enum VersionSupport: String, Codable, Sendable, Equatable {
    /// A handshake pinned to this version completed.
    case accepted
    /// The server refused a handshake pinned to this version.
    case rejected
    /// The client cannot offer this version (SSLv2/SSLv3 with Debian's OpenSSL).
    case notTestable = "not_testable"
    /// The probe could not tell (timeout, connection refused).
    case error
}

/// One cipher suite the server accepted that a profile may call weak.
public struct WeakSuite: Codable, Sendable, Equatable {
    public var version: String
    public var cipher: String
    /// `static-rsa`, `cbc`, `sha1-mac`, `null`, `anonymous` (DH group size is `dhBits`, judged by the rule).
    public var reasons: [String]
    /// DH group size when the suite used ephemeral DH.
    public var dhBits: Int?

    enum CodingKeys: String, CodingKey {
        case version, cipher, reasons
        case dhBits = "dh_bits"
    }

    public init(version: String, cipher: String, reasons: [String], dhBits: Int? = nil) {
        self.version = version
        self.cipher = cipher
        self.reasons = reasons
        self.dhBits = dhBits
    }
}

/// TLS protocol and cipher facts.
public struct TLSFacts: Codable, Sendable, Equatable {
    /// `TLSv1.0` … `TLSv1.3`, and `SSLv3` as `not_testable`.
    public var versions: [String: VersionSupport]
    /// What the default handshake negotiated.
    public var negotiatedVersion: String?
    public var negotiatedCipher: String?
    public var alpn: String?
    /// Weak suites seen accepted (at least one per accepted version when any; not an exhaustive list).
    public var weakSuites: [WeakSuite]
    /// Whether a static-RSA (no forward secrecy) key exchange was accepted; `nil` when not tested.
    public var staticRSAAccepted: Bool?
    /// The smallest ephemeral DH group seen, when the server accepts DHE.
    public var dheMinBits: Int?
    /// What Debian's OpenSSL cannot offer, so was not tested (`3DES`, `RC4`, `EXPORT`, `SSLv3`).
    public var notTestable: [String]

    enum CodingKeys: String, CodingKey {
        case versions, alpn
        case negotiatedVersion = "negotiated_version"
        case negotiatedCipher = "negotiated_cipher"
        case weakSuites = "weak_suites"
        case staticRSAAccepted = "static_rsa_accepted"
        case dheMinBits = "dhe_min_bits"
        case notTestable = "not_testable"
    }

    public init(
        versions: [String: VersionSupport], negotiatedVersion: String? = nil, negotiatedCipher: String? = nil,
        alpn: String? = nil, weakSuites: [WeakSuite] = [], staticRSAAccepted: Bool? = nil, dheMinBits: Int? = nil,
        notTestable: [String] = ["SSLv3", "3DES", "RC4", "EXPORT"]
    ) {
        self.versions = versions
        self.negotiatedVersion = negotiatedVersion
        self.negotiatedCipher = negotiatedCipher
        self.alpn = alpn
        self.weakSuites = weakSuites
        self.staticRSAAccepted = staticRSAAccepted
        self.dheMinBits = dheMinBits
        self.notTestable = notTestable
    }
}
