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
