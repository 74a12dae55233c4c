import Foundation

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
    /// Where the issuer's certificate can be fetched (AIA caIssuers), its OCSP responder and its CRL.
    public var caIssuersURL: String?
    public var ocspURL: String?
    public var crlURL: String?
    /// The serial number, hex.
    public var serial: String?

    enum CodingKeys: String, CodingKey {
        case subject, issuer
        case subjectAltNames = "subject_alt_names"
        case keyType = "key_type"
        case keyBits = "key_bits"
        case signatureAlgorithm = "signature_algorithm"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case selfIssued = "self_issued"
        case caIssuersURL = "ca_issuers_url"
        case ocspURL = "ocsp_url"
        case crlURL = "crl_url"
        case serial
    }

    public init(
        subject: String, issuer: String, subjectAltNames: [String], keyType: String, keyBits: Int,
        signatureAlgorithm: String, notBefore: Date, notAfter: Date, selfIssued: Bool, caIssuersURL: String? = nil,
        ocspURL: String? = nil, crlURL: String? = nil, serial: String? = nil
    ) {
        self.caIssuersURL = caIssuersURL
        self.ocspURL = ocspURL
        self.crlURL = crlURL
        self.serial = serial
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

/// Where the chain was read.
public enum CertificateSource: String, Codable, Sendable, Equatable {
    /// The verdict handshake (Debian's OpenSSL, the shared trust store).
    case handshake
    /// A handshake with a legacy-permitting configuration (the server speaks only what browsers refuse).
    case legacyHandshake = "legacy_handshake"
    /// The Certificate message of a raw TLS ≤ 1.2 hello (SSLv3- or RC4-only servers), verified offline.
    case rawHello = "raw_hello"
}

/// The chain completed with the issuer named by the leaf's AIA caIssuers URL, and verified again.
public struct ChainCompletion: Codable, Sendable, Equatable {
    public var url: String
    /// Verification errors of the completed chain (empty: it is trusted once completed).
    public var verifyErrors: [VerifyError]
    /// Why the issuer could not be fetched or read (then `verifyErrors` is empty and means nothing).
    public var failure: String?

    enum CodingKeys: String, CodingKey {
        case url, failure
        case verifyErrors = "verify_errors"
    }

    public init(url: String, verifyErrors: [VerifyError], failure: String? = nil) {
        self.url = url
        self.verifyErrors = verifyErrors
        self.failure = failure
    }
}

/// Whether the leaf is revoked, and how that was learnt.
public struct RevocationFacts: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable {
        /// The OCSP response the server stapled to its handshake.
        case ocspStapled = "ocsp_stapled"
        /// The CRL at the leaf's distribution point.
        case crl
        /// The OCSP responder named in the leaf's AIA.
        case ocsp
    }

    public enum Status: String, Codable, Sendable {
        case good
        case revoked
        /// The responder does not know the certificate.
        case unknown
        /// No answer could be had or read (unreachable, unsigned, out of date).
        case unavailable
        /// The certificate names no CRL and no OCSP responder.
        case noSource = "no_source"
    }

    public var status: Status
    public var method: Method?
    public var url: String?
    public var revokedAt: Date?
    /// Why no answer could be had, when `unavailable`.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case status, method, url, detail
        case revokedAt = "revoked_at"
    }

    public init(
        status: Status, method: Method? = nil, url: String? = nil, revokedAt: Date? = nil, detail: String? = nil
    ) {
        self.status = status
        self.method = method
        self.url = url
        self.revokedAt = revokedAt
        self.detail = detail
    }
}

/// The certificate chain and every verification error, from one handshake.
public struct CertificateFacts: Codable, Sendable, Equatable {
    /// The chain as the server sent it, leaf first.
    public var chain: [CertificateSummary]
    public var verifyErrors: [VerifyError]
    /// The name checked against the certificate.
    public var checkedHost: String
    /// Where the chain was read (`nil`: the verdict handshake, in histories before 2026-12).
    public var source: CertificateSource?
    /// The chain completed through AIA, when the served one lacked its issuer.
    public var completion: ChainCompletion?
    /// The leaf's revocation status (`nil`: not checked, histories before 2026-12).
    public var revocation: RevocationFacts?

    enum CodingKeys: String, CodingKey {
        case chain, source, completion, revocation
        case verifyErrors = "verify_errors"
        case checkedHost = "checked_host"
    }

    public init(
        chain: [CertificateSummary], verifyErrors: [VerifyError], checkedHost: String,
        source: CertificateSource? = nil, completion: ChainCompletion? = nil, revocation: RevocationFacts? = nil
    ) {
        self.revocation = revocation
        self.chain = chain
        self.verifyErrors = verifyErrors
        self.checkedHost = checkedHost
        self.source = source
        self.completion = completion
    }

    /// The leaf certificate.
    public var leaf: CertificateSummary? { chain.first }
}
