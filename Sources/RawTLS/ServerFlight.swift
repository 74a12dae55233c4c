import PortalAuditCore

/// What a server answered to one ClientHello, read from its first flight in the clear.
public struct ServerFlight: Sendable, Equatable {
    /// The ServerHello, when one came.
    public var hello: ServerHello?
    /// The certificates of a TLS ≤ 1.2 Certificate message, DER, leaf first (TLS 1.3 encrypts them).
    public var certificates: [[UInt8]]
    /// What the ServerKeyExchange says about the ephemeral key.
    public var keyExchange: KeyExchangeParameters?
    /// An alert the server sent instead of (or after) its hello.
    public var alert: Alert?
    /// Whether the flight ended as it should (ServerHelloDone, a TLS 1.3 ServerHello or an alert).
    public var complete: Bool

    public init(
        hello: ServerHello? = nil, certificates: [[UInt8]] = [], keyExchange: KeyExchangeParameters? = nil,
        alert: Alert? = nil, complete: Bool = false
    ) {
        self.hello = hello
        self.certificates = certificates
        self.keyExchange = keyExchange
        self.alert = alert
        self.complete = complete
    }
}

/// The fields of a ServerHello a probe reads.
public struct ServerHello: Sendable, Equatable {
    /// The version the server chose (`supported_versions` when present, else the hello's version field).
    public var version: UInt16
    public var cipherSuite: UInt16
    /// A TLS 1.3 HelloRetryRequest (the server wants another key share; version and suite are still chosen).
    public var isRetryRequest: Bool
    /// The TLS 1.3 key share group, or the group a HelloRetryRequest asks for.
    public var keyShareGroup: UInt16?
    /// Whether the server sent `extended_master_secret` / `renegotiation_info`.
    public var extensions: [UInt16]
}

/// The ephemeral key of a ServerKeyExchange.
public enum KeyExchangeParameters: Sendable, Equatable {
    /// Finite-field DH: the prime's size in bits.
    case dh(bits: Int)
    /// ECDHE on a named curve.
    case ecdh(group: UInt16)
    /// A temporary RSA key (export suites): the modulus size in bits.
    case rsa(bits: Int)
}

/// A TLS alert.
public struct Alert: Sendable, Equatable {
    public var level: UInt8
    public var description: UInt8
}

/// Why a server's answer could not be read.
public enum FlightError: Error, Sendable, Equatable {
    /// Not TLS (an HTTP server on the HTTPS port, an SSLv2 answer, garbage).
    case notTLS
    /// A length field past what the parser allows.
    case tooLarge
    /// A message whose fields do not fit its length.
    case malformed(String)
}

/// Reads a server's first flight incrementally, record by record, in linear time and bounded memory:
/// feed it what the socket returns until `isDone`.
public struct FlightReader: Sendable {
    /// The most handshake bytes kept (a chain of 1,000 names fits; a server announcing 16 MB does not).
    public static let maxHandshakeBytes = 256 << 10
    private var pending: [UInt8] = []
    private var handshake: [UInt8] = []
    private var handshakeOffset = 0
    public private(set) var flight = ServerFlight()
    public private(set) var error: FlightError?

    public init() {}

    /// Whether nothing more needs reading: the flight is complete, or it cannot be read.
    public var isDone: Bool { flight.complete || error != nil }

    /// Consumes bytes from the socket.
    public mutating func feed(_ bytes: [UInt8]) {
        guard !isDone else { return }
        pending += bytes
        var offset = 0
        while !isDone, pending.count - offset >= 5 {
            let type = pending[offset]
            let major = pending[offset + 1]
            let length = Int(pending[offset + 3]) << 8 | Int(pending[offset + 4])
            guard [20, 21, 22, 23].contains(type), major == 3 else {
                error = .notTLS
                break
            }
            guard length <= 18_432 else {
                error = .tooLarge
                break
            }
            guard pending.count - offset - 5 >= length else { break }
            let fragment = Array(pending[(offset + 5)..<(offset + 5 + length)])
            offset += 5 + length
            switch type {
            case 21:
                if fragment.count >= 2 {
                    flight.alert = Alert(level: fragment[0], description: fragment[1])
                    flight.complete = true
                } else {
                    error = .malformed("alert")
                }
            case 22:
                guard handshake.count - handshakeOffset + fragment.count <= Self.maxHandshakeBytes else {
                    error = .tooLarge
                    break
                }
                handshake += fragment
                readMessages()
            default:
                // ChangeCipherSpec (TLS 1.3 middlebox compatibility) or application data: the clear part is over.
                if flight.hello != nil { flight.complete = true }
            }
        }
        pending.removeFirst(offset)
    }

    private mutating func readMessages() {
        while !isDone, handshake.count - handshakeOffset >= 4 {
            let type = handshake[handshakeOffset]
            let length =
                Int(handshake[handshakeOffset + 1]) << 16 | Int(handshake[handshakeOffset + 2]) << 8
                | Int(handshake[handshakeOffset + 3])
            guard length <= Self.maxHandshakeBytes else {
                error = .tooLarge
                return
            }
            guard handshake.count - handshakeOffset - 4 >= length else { return }
            let body = Array(handshake[(handshakeOffset + 4)..<(handshakeOffset + 4 + length)])
            handshakeOffset += 4 + length
            do {
                try read(type: type, body: body)
            } catch {
                self.error = error
            }
        }
        // Drop what was read once it is at least half of what is kept: a flight whose messages straddle its
        // records keeps at most twice the unread bytes, never every byte it sent (amortised linear).
        if handshakeOffset > 0 && handshakeOffset * 2 >= handshake.count {
            handshake.removeFirst(handshakeOffset)
            handshakeOffset = 0
        }
    }

    /// Bytes held between feeds: the unread part of the last record and of the handshake messages, plus at
    /// most as many already read.
    var retainedBytes: Int { pending.count + handshake.count }

    private mutating func read(type: UInt8, body: [UInt8]) throws(FlightError) {
        var reader = Reader(body)
        switch type {
        case 2:
            let hello = try Self.serverHello(&reader)
            flight.hello = hello
            // TLS 1.3 encrypts everything after the ServerHello.
            if hello.version == TLSVersion.tls13.wire { flight.complete = true }
        case 11:
            guard flight.hello != nil else { throw .malformed("certificate before hello") }
            let total = try reader.u24()
            var list = try Reader(reader.take(total))
            var certificates: [[UInt8]] = []
            while !list.isEmpty {
                let length = try list.u24()
                certificates.append(try list.take(length))
            }
            flight.certificates = certificates
        case 12:
            guard let suite = flight.hello.flatMap({ CipherSuite.named(code: $0.cipherSuite) }) else { return }
            flight.keyExchange = try Self.keyExchange(&reader, suite: suite)
        case 14:
            flight.complete = true
        default:
            // CertificateStatus, CertificateRequest: not needed.
            break
        }
    }

    static let retryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    private static func serverHello(_ reader: inout Reader) throws(FlightError) -> ServerHello {
        var version = try reader.u16()
        let random = try reader.take(32)
        _ = try reader.take(Int(try reader.u8()))
        let suite = try reader.u16()
        _ = try reader.u8()
        var group: UInt16?
        var seen: [UInt16] = []
        if !reader.isEmpty {
            var extensions = try Reader(reader.take(Int(try reader.u16())))
            while !extensions.isEmpty {
                let type = try extensions.u16()
                var data = try Reader(extensions.take(Int(try extensions.u16())))
                seen.append(type)
                switch type {
                case 0x002B: version = try data.u16()
                case 0x0033: group = try data.u16()
                default: break
                }
            }
        }
        return ServerHello(
            version: version, cipherSuite: suite, isRetryRequest: random == retryRandom, keyShareGroup: group,
            extensions: seen)
    }

    private static func keyExchange(_ reader: inout Reader, suite: CipherSuite) throws(FlightError)
        -> KeyExchangeParameters?
    {
        if suite.is(.ecdhe) {
            guard try reader.u8() == 3 else { return nil }
            return .ecdh(group: try reader.u16())
        }
        if suite.is(.dhe) {
            return .dh(bits: bitLength(try reader.take(Int(try reader.u16()))))
        }
        if suite.is(.staticRSA) && suite.is(.export) {
            return .rsa(bits: bitLength(try reader.take(Int(try reader.u16()))))
        }
        return nil
    }

    /// The size in bits of a big-endian unsigned integer.
    static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bytes.count - first - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }
}

/// Bounded big-endian reading.
struct Reader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { offset >= bytes.count }

    mutating func u8() throws(FlightError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed("short message") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(FlightError) -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

    mutating func u24() throws(FlightError) -> Int { Int(try u8()) << 16 | Int(try u8()) << 8 | Int(try u8()) }

    mutating func take(_ count: Int) throws(FlightError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .malformed("length past the message") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
