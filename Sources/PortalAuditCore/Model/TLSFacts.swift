import Foundation

/// How a TLS protocol version fared when offered alone.
public enum VersionSupport: String, Codable, Sendable, Equatable {
    /// A handshake pinned to this version completed.
    case accepted
    /// The server refused a handshake pinned to this version.
    case rejected
    /// The client could not offer this version (SSLv3 in histories written before the raw TLS engine).
    case notTestable = "not_testable"
    /// The probe could not tell (timeout, connection refused).
    case error
}

/// One cipher suite the server accepted, as the raw TLS engine saw it.
public struct AcceptedSuite: Codable, Sendable, Equatable {
    public var version: TLSVersion
    /// The IANA name, e.g. `TLS_RSA_WITH_3DES_EDE_CBC_SHA`.
    public var name: String
    /// What the suite is (written by name: `3des`, `cbc`, `static-rsa` …).
    public var classes: [SuiteClass]
    /// The DH prime size when the server's key exchange was finite-field DH.
    public var dhBits: Int?
    /// The ECDHE curve, when one was chosen.
    public var group: String?

    enum CodingKeys: String, CodingKey {
        case version, name, classes, group
        case dhBits = "dh_bits"
    }

    public init(
        version: TLSVersion, name: String, classes: [SuiteClass], dhBits: Int? = nil, group: String? = nil
    ) {
        self.version = version
        self.name = name
        self.classes = classes
        self.dhBits = dhBits
        self.group = group
    }

    /// Reads a class this release does not know (written by a newer one) as absent, not as an error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(TLSVersion.self, forKey: .version)
        name = try c.decode(String.self, forKey: .name)
        classes = try c.decode([String].self, forKey: .classes).compactMap(SuiteClass.init(rawValue:))
        dhBits = try c.decodeIfPresent(Int.self, forKey: .dhBits)
        group = try c.decodeIfPresent(String.self, forKey: .group)
    }

    /// The suite's classes the rules call broken (NULL, anonymous, EXPORT, DES, 3DES, RC4).
    public var brokenClasses: [SuiteClass] { classes.filter(SuiteClass.broken.contains) }
}

/// How completely the accepted suites were listed.
public enum SuiteCoverage: String, Codable, Sendable, Equatable {
    /// Every accepted suite of every accepted version (iterative removal: `check`, `scan --enumerate`).
    case complete
    /// One hello per class answered "accepted or not"; only the suites the server chose are named.
    case byClass = "by_class"
}

/// One cipher suite the server accepted that a profile may call weak (histories written before the raw
/// TLS engine; new scans record `AcceptedSuite`s).
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
    /// How each version fared offered alone.
    public var versions: [TLSVersion: VersionSupport]
    /// What the default handshake negotiated.
    public var negotiatedVersion: TLSVersion?
    public var negotiatedCipher: String?
    public var alpn: String?
    /// The suites the server accepted, per version (`nil` in histories written before the raw TLS engine).
    public var suites: [AcceptedSuite]?
    /// Whether `suites` is every accepted suite or one per class.
    public var coverage: SuiteCoverage?
    /// Whether the server chooses by its own order rather than the client's (`nil`: not asked).
    public var serverPreference: Bool?
    /// The ECDHE groups the server accepts, each offered alone (`nil`: not asked; `check` asks).
    public var groups: [String]?
    /// Weak suites of histories written before the raw TLS engine (empty in new scans).
    public var weakSuites: [WeakSuite]
    /// Whether a static-RSA (no forward secrecy) key exchange was accepted; `nil` when not tested.
    public var staticRSAAccepted: Bool?
    /// The smallest ephemeral DH group seen, when the server accepts DHE.
    public var dheMinBits: Int?
    /// What could not be offered, so was not tested (histories before the raw TLS engine: `3DES`, `RC4`,
    /// `EXPORT`, `SSLv3`; empty now).
    public var notTestable: [String]

    enum CodingKeys: String, CodingKey {
        case versions, alpn
        case negotiatedVersion = "negotiated_version"
        case negotiatedCipher = "negotiated_cipher"
        case weakSuites = "weak_suites"
        case staticRSAAccepted = "static_rsa_accepted"
        case dheMinBits = "dhe_min_bits"
        case notTestable = "not_testable"
        case suites, coverage
        case serverPreference = "server_preference"
        case groups
    }

    public init(
        versions: [TLSVersion: VersionSupport], negotiatedVersion: TLSVersion? = nil, negotiatedCipher: String? = nil,
        alpn: String? = nil, suites: [AcceptedSuite]? = nil, coverage: SuiteCoverage? = nil,
        serverPreference: Bool? = nil, weakSuites: [WeakSuite] = [], staticRSAAccepted: Bool? = nil,
        dheMinBits: Int? = nil, notTestable: [String] = []
    ) {
        self.versions = versions
        self.negotiatedVersion = negotiatedVersion
        self.negotiatedCipher = negotiatedCipher
        self.alpn = alpn
        self.suites = suites
        self.coverage = coverage
        self.serverPreference = serverPreference
        self.weakSuites = weakSuites
        self.staticRSAAccepted = staticRSAAccepted
        self.dheMinBits = dheMinBits
        self.notTestable = notTestable
    }
}

extension TLSFacts {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // By name, OpenSSL's `TLSv1` as `TLSv1.0`; a name this release does not know is left out.
        versions = Dictionary(
            try c.decode([String: VersionSupport].self, forKey: .versions).compactMap { name, support in
                TLSVersion(name: name).map { ($0, support) }
            }, uniquingKeysWith: { first, _ in first })
        negotiatedVersion = try c.decodeIfPresent(String.self, forKey: .negotiatedVersion).flatMap(
            TLSVersion.init(name:))
        negotiatedCipher = try c.decodeIfPresent(String.self, forKey: .negotiatedCipher)
        alpn = try c.decodeIfPresent(String.self, forKey: .alpn)
        suites = try c.decodeIfPresent([AcceptedSuite].self, forKey: .suites)
        coverage = try c.decodeIfPresent(SuiteCoverage.self, forKey: .coverage)
        serverPreference = try c.decodeIfPresent(Bool.self, forKey: .serverPreference)
        groups = try c.decodeIfPresent([String].self, forKey: .groups)
        weakSuites = try c.decodeIfPresent([WeakSuite].self, forKey: .weakSuites) ?? []
        staticRSAAccepted = try c.decodeIfPresent(Bool.self, forKey: .staticRSAAccepted)
        dheMinBits = try c.decodeIfPresent(Int.self, forKey: .dheMinBits)
        notTestable = try c.decodeIfPresent([String].self, forKey: .notTestable) ?? []
    }
}
