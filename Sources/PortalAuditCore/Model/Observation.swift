import Foundation

/// Everything the probes saw of one portal: facts only, never a judgement.
///
/// A `nil` section means that probe did not run or could not tell; rules that need it answer
/// `inconclusive`. Stored raw so history can be re-graded against another profile.
public struct Observation: Codable, Sendable, Equatable {
    public var reachability: ReachabilityFacts?
    public var tls: TLSFacts?
    public var certificate: CertificateFacts?
    public var redirect: RedirectFacts?
    public var headers: HeaderFacts?
    public var cookies: [CookieFacts]?
    /// The HTTPS home page itself (title, size).
    public var page: PageFacts?
    /// Freshness and mandatory information.
    public var content: ContentFacts?
    /// Sensitive paths asked for (authorised audits only).
    public var exposure: [ExposureCheckFacts]?
    /// HTTPS over IPv6.
    public var ipv6: IPv6Facts?
    /// Whether active probes were allowed (an authorised audit); `nil` for observations made before this existed.
    public var authorised: Bool?
    /// Uptime over the last 30 days, from the monitor's samples in history (`nil` without monitoring).
    public var uptime: UptimeFacts?

    public init(
        reachability: ReachabilityFacts? = nil, tls: TLSFacts? = nil, certificate: CertificateFacts? = nil,
        redirect: RedirectFacts? = nil, headers: HeaderFacts? = nil, cookies: [CookieFacts]? = nil,
        page: PageFacts? = nil, content: ContentFacts? = nil, exposure: [ExposureCheckFacts]? = nil,
        ipv6: IPv6Facts? = nil, authorised: Bool? = nil, uptime: UptimeFacts? = nil
    ) {
        self.reachability = reachability
        self.tls = tls
        self.certificate = certificate
        self.redirect = redirect
        self.headers = headers
        self.cookies = cookies
        self.page = page
        self.content = content
        self.exposure = exposure
        self.ipv6 = ipv6
        self.authorised = authorised
        self.uptime = uptime
    }
}

/// One place a publication date was looked for.
public struct DatedSource: Codable, Sendable, Equatable {
    /// `feed`, `sitemap`, `page`, `last-modified`.
    public var source: String
    public var url: String
    /// The newest acceptable date found there.
    public var newest: Date?
    /// How many acceptable dates were found.
    public var count: Int
    /// The document was longer than the cap and was cut (dates were read from what arrived).
    public var truncated: Bool
    public var failure: ProbeFailure?

    public init(source: String, url: String, newest: Date?, count: Int, truncated: Bool = false, failure: ProbeFailure? = nil) {
        self.source = source
        self.url = url
        self.newest = newest
        self.count = count
        self.truncated = truncated
        self.failure = failure
    }
}

/// How current the portal is, and whether it shows who runs it.
public struct ContentFacts: Codable, Sendable, Equatable {
    /// The newest publication date over every source, and where it came from.
    public var newest: Date?
    public var newestSource: String?
    public var newestURL: String?
    public var sources: [DatedSource]
    /// Mandatory items seen on the home page (`agency`, `responsible`, `address`, `phone`, `email`) and missing.
    public var mandatoryFound: [String]
    public var mandatoryMissing: [String]
    /// SHA-256 of the home page body (the content itself is never stored).
    public var homeSHA256: String?

    enum CodingKeys: String, CodingKey {
        case newest, sources
        case newestSource = "newest_source"
        case newestURL = "newest_url"
        case mandatoryFound = "mandatory_found"
        case mandatoryMissing = "mandatory_missing"
        case homeSHA256 = "home_sha256"
    }

    public init(
        newest: Date?, newestSource: String?, newestURL: String?, sources: [DatedSource], mandatoryFound: [String],
        mandatoryMissing: [String], homeSHA256: String?
    ) {
        self.newest = newest
        self.newestSource = newestSource
        self.newestURL = newestURL
        self.sources = sources
        self.mandatoryFound = mandatoryFound
        self.mandatoryMissing = mandatoryMissing
        self.homeSHA256 = homeSHA256
    }
}

/// One sensitive path asked for, and whether its content matched the signature.
public struct ExposureCheckFacts: Codable, Sendable, Equatable {
    public var path: String
    /// `vcs`, `sensitive`, `listing`.
    public var kind: String
    public var status: Int?
    public var matched: Bool
    public var failure: ProbeFailure?

    public init(path: String, kind: String, status: Int?, matched: Bool, failure: ProbeFailure? = nil) {
        self.path = path
        self.kind = kind
        self.status = status
        self.matched = matched
        self.failure = failure
    }
}

/// HTTPS over IPv6: the address used (from a pin or AAAA) and the answer.
public struct IPv6Facts: Codable, Sendable, Equatable {
    public var https: EndpointFacts
    /// The name resolved to at least one IPv6 address.
    public var hasAddress: Bool

    enum CodingKeys: String, CodingKey {
        case https
        case hasAddress = "has_address"
    }

    public init(https: EndpointFacts, hasAddress: Bool) {
        self.https = https
        self.hasAddress = hasAddress
    }
}

/// The home page as received: its title (hostile text: capped, decoded leniently) and size.
public struct PageFacts: Codable, Sendable, Equatable {
    public var title: String?
    public var bytes: Int
    /// The body was longer than the cap and was cut.
    public var truncated: Bool

    public init(title: String?, bytes: Int, truncated: Bool) {
        self.title = title
        self.bytes = bytes
        self.truncated = truncated
    }
}

/// Why a probe's request did not complete.
/// Why a probe's transfer failed: a closed set, as the JSON contract writes it.
public enum FailureKind: String, Codable, Sendable, CaseIterable {
    /// The name did not resolve (or has no address of the family asked for).
    case dns
    /// TCP connect refused or unreachable, or refused by the loopback guard.
    case connect
    /// The TLS handshake failed.
    case tls
    /// The connect or total timeout was reached.
    case timeout
    /// An HTTP-level problem (malformed response, too many headers).
    case http
    /// The transfer was cancelled by the caller.
    case cancelled
    /// The auditor itself ran out of descriptors or memory: never the portal's failure.
    case localResources = "local_resources"
    /// Anything else.
    case other

    /// A kind a newer or older release wrote that this one does not know reads as `other`.
    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = FailureKind(rawValue: raw) ?? .other
    }
}

public struct ProbeFailure: Codable, Sendable, Equatable {
    public var kind: FailureKind
    public var curlCode: Int?
    public var message: String

    enum CodingKeys: String, CodingKey {
        case kind, message
        case curlCode = "curl_code"
    }

    public init(kind: FailureKind, curlCode: Int? = nil, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }
}

/// Timings of one request on a fresh connection, in milliseconds from its start.
public struct Timings: Codable, Sendable, Equatable {
    public var dnsMS: Double
    public var connectMS: Double
    /// TLS handshake time (APPCONNECT − CONNECT); 0 over plain HTTP.
    public var tlsMS: Double
    /// Time to first byte after the request was sent (STARTTRANSFER − PRETRANSFER).
    public var ttfbMS: Double
    public var totalMS: Double

    enum CodingKeys: String, CodingKey {
        case dnsMS = "dns_ms"
        case connectMS = "connect_ms"
        case tlsMS = "tls_ms"
        case ttfbMS = "ttfb_ms"
        case totalMS = "total_ms"
    }

    public init(dnsMS: Double, connectMS: Double, tlsMS: Double, ttfbMS: Double, totalMS: Double) {
        self.dnsMS = dnsMS
        self.connectMS = connectMS
        self.tlsMS = tlsMS
        self.ttfbMS = ttfbMS
        self.totalMS = totalMS
    }
}

/// One endpoint's answer to a plain GET of its root.
public struct EndpointFacts: Codable, Sendable, Equatable {
    public var url: String
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// `1.0`, `1.1`, `2`, `3`.
    public var httpVersion: String?
    public var address: String?
    public var timings: Timings?
    public var failure: ProbeFailure?

    enum CodingKeys: String, CodingKey {
        case url, status, address, timings, failure
        case httpVersion = "http_version"
    }

    public init(
        url: String, status: Int? = nil, httpVersion: String? = nil, address: String? = nil,
        timings: Timings? = nil, failure: ProbeFailure? = nil
    ) {
        self.url = url
        self.status = status
        self.httpVersion = httpVersion
        self.address = address
        self.timings = timings
        self.failure = failure
    }
}

/// Whether the portal answered at all, over HTTPS and over HTTP.
public struct ReachabilityFacts: Codable, Sendable, Equatable {
    public var https: EndpointFacts
    public var http: EndpointFacts?

    public init(https: EndpointFacts, http: EndpointFacts? = nil) {
        self.https = https
        self.http = http
    }
}

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

/// One certificate as presented.
public struct CertificateSummary: Codable, Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var subjectAltNames: [String]
    public var keyType: String
    public var keyBits: Int
    public var signatureAlgorithm: String
    public var notBefore: Date
    public var notAfter: Date
    public var selfIssued: Bool

    enum CodingKeys: String, CodingKey {
        case subject, issuer
        case subjectAltNames = "subject_alt_names"
        case keyType = "key_type"
        case keyBits = "key_bits"
        case signatureAlgorithm = "signature_algorithm"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case selfIssued = "self_issued"
    }

    public init(
        subject: String, issuer: String, subjectAltNames: [String], keyType: String, keyBits: Int,
        signatureAlgorithm: String, notBefore: Date, notAfter: Date, selfIssued: Bool
    ) {
        self.subject = subject
        self.issuer = issuer
        self.subjectAltNames = subjectAltNames
        self.keyType = keyType
        self.keyBits = keyBits
        self.signatureAlgorithm = signatureAlgorithm
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.selfIssued = selfIssued
    }
}

/// One X509 verification error OpenSSL reported during the handshake.
public struct VerifyError: Codable, Sendable, Equatable {
    /// OpenSSL's `X509_V_ERR_*` code: 10 expired, 18 self-signed, 20 unknown issuer, 62 name mismatch …
    public var code: Int
    public var depth: Int
    public var message: String

    public init(code: Int, depth: Int, message: String) {
        self.code = code
        self.depth = depth
        self.message = message
    }
}

/// The certificate chain and every verification error, from one handshake.
public struct CertificateFacts: Codable, Sendable, Equatable {
    /// The chain as the server sent it, leaf first.
    public var chain: [CertificateSummary]
    public var verifyErrors: [VerifyError]
    /// The name checked against the certificate.
    public var checkedHost: String

    enum CodingKeys: String, CodingKey {
        case chain
        case verifyErrors = "verify_errors"
        case checkedHost = "checked_host"
    }

    public init(chain: [CertificateSummary], verifyErrors: [VerifyError], checkedHost: String) {
        self.chain = chain
        self.verifyErrors = verifyErrors
        self.checkedHost = checkedHost
    }

    /// The leaf certificate.
    public var leaf: CertificateSummary? { chain.first }
}

/// One hop of the HTTP root's redirect chain.
public struct RedirectHop: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int?
    public var location: String?
    public var failure: ProbeFailure?
    /// Set when the scanner refused to follow this hop's `Location` (and why).
    public var refused: RedirectScope.Refusal?

    public init(
        url: String, status: Int? = nil, location: String? = nil, failure: ProbeFailure? = nil,
        refused: RedirectScope.Refusal? = nil
    ) {
        self.url = url
        self.status = status
        self.location = location
        self.failure = failure
        self.refused = refused
    }
}

/// The redirect chain from `http://host/`, followed by hand.
public struct RedirectFacts: Codable, Sendable, Equatable {
    /// How the chain ended.
    public enum Outcome: String, Codable, Sendable, Equatable {
        /// A final response (no more `Location`).
        case final
        /// A URL seen twice.
        case loop
        /// More hops than the cap.
        case tooManyHops = "too_many_hops"
        /// A `Location` with a scheme other than http/https.
        case badScheme = "bad_scheme"
        /// A hop failed (connect, timeout, TLS).
        case failed
        /// A `Location` the scanner would not follow: credentials in it, or an address more private
        /// than the portal's own (the last hop's `refused` says which).
        case refused
    }

    public var hops: [RedirectHop]
    public var outcome: Outcome
    /// The scheme of the last URL reached.
    public var finalScheme: String?
    public var finalURL: String?

    enum CodingKeys: String, CodingKey {
        case hops, outcome
        case finalScheme = "final_scheme"
        case finalURL = "final_url"
    }

    public init(hops: [RedirectHop], outcome: Outcome, finalScheme: String?, finalURL: String?) {
        self.hops = hops
        self.outcome = outcome
        self.finalScheme = finalScheme
        self.finalURL = finalURL
    }
}

/// One response header, as received (names lower-cased).
public struct HeaderField: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Every response header of the HTTPS home page, repeated ones kept.
public struct HeaderFacts: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int
    public var fields: [HeaderField]
    /// More headers arrived than the caps allow; the rest were dropped.
    public var truncated: Bool

    public init(url: String, status: Int, fields: [HeaderField], truncated: Bool = false) {
        self.url = url
        self.status = status
        self.fields = fields
        self.truncated = truncated
    }

    /// The first value of header `name` (case-insensitive).
    public func first(_ name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.name == key }?.value
    }

    /// Every value of header `name` (case-insensitive).
    public func all(_ name: String) -> [String] {
        let key = name.lowercased()
        return fields.filter { $0.name == key }.map(\.value)
    }
}

/// One cookie the home page set, with its flags (never its value).
public struct CookieFacts: Codable, Sendable, Equatable {
    public var name: String
    public var secure: Bool
    public var httpOnly: Bool
    /// `Strict`, `Lax`, `None`, or `nil` when absent.
    public var sameSite: String?

    enum CodingKeys: String, CodingKey {
        case name, secure
        case httpOnly = "http_only"
        case sameSite = "same_site"
    }

    public init(name: String, secure: Bool, httpOnly: Bool, sameSite: String?) {
        self.name = name
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }
}
