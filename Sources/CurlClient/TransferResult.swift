import Foundation

/// Why a transfer did not complete, as a closed set a probe can reason about.
public enum TransferFailureKind: String, Sendable, Codable, Equatable {
    /// The name did not resolve.
    case dns
    /// TCP connect refused, unreachable, or refused by the loopback guard.
    case connect
    /// The TLS handshake failed (protocol version or cipher refused, broken TLS).
    case tls
    /// The connect or total timeout was reached.
    case timeout
    /// An HTTP-level problem (malformed response, too many headers).
    case http
    /// The transfer was cancelled by the caller.
    case cancelled
    /// The auditor itself ran out of descriptors or memory: never the portal's failure.
    case localResources = "local_resources"
    /// Anything else libcurl reported.
    case other
}

/// A libcurl error, mapped to a kind, with libcurl's code and message.
public struct TransferFailure: Error, Sendable, Equatable {
    public var kind: TransferFailureKind
    public var curlCode: Int
    public var message: String

    public init(kind: TransferFailureKind, curlCode: Int, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }
}

/// One certificate as the server presented it.
public struct PresentedCertificate: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var subjectAltNames: [String]
    public var keyType: String
    public var keyBits: Int
    public var signatureAlgorithm: String
    public var notBefore: Date
    public var notAfter: Date
    public var selfIssued: Bool
}

/// The facts of one completed TLS handshake, copied from OpenSSL while it happened.
public struct HandshakeFacts: Sendable, Equatable {
    public var version: String
    public var cipher: String
    public var cipherStandardName: String?
    public var cipherIsAEAD: Bool
    /// `kx-rsa`, `kx-ecdhe`, `kx-dhe`, `kx-any` (TLS 1.3).
    public var keyExchange: String?
    public var ephemeralKeyType: String?
    public var ephemeralKeyBits: Int?
    public var alpn: String?
    public var chain: [PresentedCertificate]
    /// X509 verification errors: (code, depth), in the order OpenSSL met them.
    public var verifyErrors: [(code: Int, depth: Int)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.version == rhs.version && lhs.cipher == rhs.cipher && lhs.chain == rhs.chain
            && lhs.verifyErrors.map(\.code) == rhs.verifyErrors.map(\.code)
            && lhs.verifyErrors.map(\.depth) == rhs.verifyErrors.map(\.depth)
    }
}

/// Timings of one transfer, in microseconds from its start (libcurl's `*_TIME_T`).
public struct TransferTimings: Sendable, Equatable {
    public var nameLookupUS: Int
    public var connectUS: Int
    public var appConnectUS: Int
    public var preTransferUS: Int
    public var startTransferUS: Int
    public var totalUS: Int
}

/// What one transfer observed. A failed transfer is a result too (`failure` set).
public struct TransferResult: Sendable {
    public var failure: TransferFailure?
    public var responseCode: Int
    /// 10, 11, 20, 30 for HTTP/1.0, 1.1, 2, 3; 0 when no response.
    public var httpVersion: Int
    /// The absolute URL of a `Location` header, when the response is a redirect.
    public var redirectURL: String?
    public var primaryIP: String?
    /// Raw header lines of the last response, status line first, without line ends.
    public var headerLines: [String]
    public var headersTruncated: Bool
    public var body: [UInt8]
    public var bodyTruncated: Bool
    public var timings: TransferTimings
    public var handshake: HandshakeFacts?
    /// TCP connections this transfer opened.
    public var connections: Int
    /// TLS handshakes completed during this transfer.
    public var handshakes: Int
    /// Whether a TLS handshake was attempted (an https URL whose TCP connect succeeded).
    public var tlsAttempted: Bool
    public var durationMS: Int
}

extension TransferFailure {
    /// Maps a libcurl result code to a failure kind.
    static func from(code: Int, message: String) -> TransferFailure {
        let kind: TransferFailureKind
        switch code {
        case 5, 6: kind = .dns
        case 7, 45: kind = .connect
        case 28: kind = .timeout
        case 35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91: kind = .tls
        case 1, 3, 8, 16, 18, 52, 56, 92: kind = .http
        case 42: kind = .cancelled
        default: kind = .other
        }
        return TransferFailure(kind: kind, curlCode: code, message: message)
    }
}
