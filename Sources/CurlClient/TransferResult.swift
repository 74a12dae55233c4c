import Foundation
import PortalAuditCore

/// A libcurl error, mapped to a kind, with libcurl's code and message.
public struct TransferFailure: Error, Sendable, Equatable {
    public var kind: FailureKind
    public var curlCode: Int
    public var message: String

    public init(kind: FailureKind, curlCode: Int, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }
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
    public var chain: [CertificateSummary]
    /// The chain as sent, DER, leaf first (for verification as served and completion through AIA).
    public var chainDER: [[UInt8]]
    /// The OCSP response the server stapled, DER.
    public var ocspStaple: [UInt8]?
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
        let kind: FailureKind
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
