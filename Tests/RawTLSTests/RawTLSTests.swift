import Foundation
import PortalAuditCore
import Testing

@testable import RawTLS

/// Builds a server flight record by record, the way servers send it.
private func record(_ type: UInt8, _ body: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
    [type, UInt8(version >> 8), UInt8(version & 0xFF), UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
}

private func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
    [type, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xFF), UInt8(body.count & 0xFF)] + body
}

private func serverHello(version: UInt16, suite: UInt16, extensions: [UInt8] = [], random: [UInt8]? = nil) -> [UInt8] {
    var body: [UInt8] = [UInt8(version >> 8), UInt8(version & 0xFF)]
    body += random ?? Array(repeating: 7, count: 32)
    body += [0]
    body += [UInt8(suite >> 8), UInt8(suite & 0xFF), 0]
    if !extensions.isEmpty { body += [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xFF)] + extensions }
    return handshake(2, body)
}

private func certificateMessage(_ certificates: [[UInt8]]) -> [UInt8] {
    let list = certificates.flatMap {
        [UInt8($0.count >> 16), UInt8(($0.count >> 8) & 0xFF), UInt8($0.count & 0xFF)] + $0
    }
    return handshake(11, [UInt8(list.count >> 16), UInt8((list.count >> 8) & 0xFF), UInt8(list.count & 0xFF)] + list)
}

@Suite("Raw TLS engine")
struct RawTLSTests {
    static let classTable: [(UInt16, Set<SuiteClass>)] = [
        (0x000A, [.tripleDES, .cbc, .staticRSA]),
        (0x0005, [.rc4, .staticRSA]),
        (0x0004, [.rc4, .staticRSA]),
        (0x0002, [.null, .staticRSA]),
        (0x0003, [.export, .rc4, .staticRSA]),
        (0x0009, [.des, .cbc, .staticRSA]),
        (0x0014, [.export, .des, .cbc, .dhe]),
        (0x0018, [.anonymous, .rc4, .dhe]),
        (0xC017, [.anonymous, .tripleDES, .cbc, .ecdhe]),
        (0x0033, [.cbc, .dhe]),
        (0x002F, [.cbc, .staticRSA]),
        (0x009C, [.aead, .staticRSA]),
        (0xC02F, [.aead, .ecdhe]),
        (0xCCA8, [.aead, .ecdhe]),
        (0xC00E, [.cbc, .staticDH]),
        (0x1301, [.tls13, .aead]),
    ]

    @Test("suite classes are read from the IANA name", arguments: classTable)
    func classes(code: UInt16, expected: Set<SuiteClass>) throws {
        let suite = try #require(CipherSuite.named(code: code))
        #expect(suite.classes == expected, "\(suite.name)")
    }

    @Test("the catalogue has no duplicate code point, and TLS 1.2-only suites are marked")
    func catalogue() {
        let all = CipherSuite.legacy + CipherSuite.tls13
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(CipherSuite.named(code: 0xC02F)?.needsTLS12 == true)
        #expect(CipherSuite.named(code: 0x0035)?.needsTLS12 == false)
        #expect(CipherSuite.named(code: 0x0000) == nil)
    }

    @Test("a TLS 1.2 hello is one record whose lengths add up, with SNI, the suites and the SCSV")
    func helloTLS12() throws {
        let suites = [try #require(CipherSuite.named(code: 0xC02F)), try #require(CipherSuite.named(code: 0x000A))]
        let hello = ClientHello(
            version: .tls12, suites: suites, serverName: "xa-a.gov.vn", random: Array(repeating: 1, count: 32))
        let bytes = hello.bytes
        #expect(Array(bytes[0..<3]) == [22, 3, 1])
        #expect(Int(bytes[3]) << 8 | Int(bytes[4]) == bytes.count - 5)
        #expect(bytes[5] == 1)
        #expect(Int(bytes[6]) << 16 | Int(bytes[7]) << 8 | Int(bytes[8]) == bytes.count - 9)
        #expect(Array(bytes[9..<11]) == [3, 3])
        // session id empty, then 3 suites (two offered and the SCSV)
        #expect(bytes[43] == 0)
        #expect(Array(bytes[44..<52]) == [0, 6, 0xC0, 0x2F, 0x00, 0x0A, 0x00, 0xFF])
        #expect(String(decoding: bytes, as: UTF8.self).contains("xa-a.gov.vn"))
    }

    @Test("an SSLv3 hello has the SSLv3 record and body versions and no extensions; no SNI for an address")
    func helloSSL3() throws {
        let suite = try #require(CipherSuite.named(code: 0x000A))
        let bytes = ClientHello(version: .ssl3, suites: [suite], serverName: "x.gov.vn", random: []).bytes
        #expect(Array(bytes[1..<3]) == [3, 0])
        #expect(Array(bytes[9..<11]) == [3, 0])
        // record header 5 + handshake header 4 + version 2 + random 32 + sid 1 + suites 2+4 + compression 2
        #expect(bytes.count == 5 + 4 + 2 + 32 + 1 + 6 + 2)
        let address = ClientHello(version: .tls12, suites: [suite], serverName: "127.0.0.1", random: []).bytes
        #expect(!String(decoding: address, as: UTF8.self).contains("127.0.0.1"))
    }

    @Test("a TLS 1.3 hello carries supported_versions 1.3 alone and an x25519 key share")
    func helloTLS13() {
        let bytes = ClientHello(
            version: .tls13, suites: CipherSuite.tls13, serverName: nil, random: Array(repeating: 2, count: 32),
            keyShare: Array(repeating: 9, count: 32)
        ).bytes
        #expect(Array(bytes[9..<11]) == [3, 3])
        let text = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(text.contains("002b0003020304"))
        #expect(text.contains("00330026" + "0024" + "001d0020" + String(repeating: "09", count: 32)))
    }

    @Test("a TLS 1.2 flight split byte by byte gives the hello, the chain, the DH size and the end")
    func flightByteByByte() {
        let prime = [UInt8(0x00), 0xC3] + Array(repeating: 0xFF, count: 127)
        var kx: [UInt8] = [UInt8(prime.count >> 8), UInt8(prime.count & 0xFF)] + prime
        kx += [0, 1, 2, 0, 1, 5]
        let flight =
            record(22, serverHello(version: 0x0303, suite: 0x0033))
            + record(22, certificateMessage([[1, 2, 3], [4, 5]]))
            + record(22, handshake(12, kx) + handshake(14, []))
        var reader = FlightReader()
        for byte in flight { reader.feed([byte]) }
        #expect(reader.isDone && reader.error == nil)
        #expect(reader.flight.hello?.version == 0x0303 && reader.flight.hello?.cipherSuite == 0x0033)
        #expect(reader.flight.certificates == [[1, 2, 3], [4, 5]])
        #expect(reader.flight.keyExchange == .dh(bits: 1024))
        #expect(reader.flight.complete)
    }

    @Test("one handshake message spread over several records is reassembled; ECDHE gives the curve")
    func messageOverRecords() {
        let messages =
            serverHello(version: 0x0303, suite: 0xC02F)
            + handshake(12, [3, 0x00, 0x17, 65] + Array(repeating: 4, count: 65))
            + handshake(14, [])
        let flight = record(22, Array(messages[0..<20])) + record(22, Array(messages[20...]))
        var reader = FlightReader()
        reader.feed(flight)
        #expect(reader.flight.keyExchange == .ecdh(group: 0x0017))
        #expect(reader.flight.complete)
    }

    @Test("an alert ends the flight; a TLS 1.3 hello and a retry request end it too")
    func endings() {
        var refused = FlightReader()
        refused.feed(record(21, [2, 40]))
        #expect(refused.flight.alert == Alert(level: 2, description: 40) && refused.isDone)

        let versions: [UInt8] = [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x17]
        var retry = FlightReader()
        retry.feed(
            record(
                22, serverHello(version: 0x0303, suite: 0x1302, extensions: versions, random: FlightReader.retryRandom))
        )
        #expect(retry.isDone)
        #expect(retry.flight.hello?.version == 0x0304 && retry.flight.hello?.isRetryRequest == true)
        #expect(retry.flight.hello?.keyShareGroup == 0x0017)
    }

    @Test("hostile answers are refused, not followed: HTTP text, a 16 MB message, a lying length")
    func hostile() {
        var http = FlightReader()
        http.feed(Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        #expect(http.error == .notTLS)

        var huge = FlightReader()
        huge.feed(record(22, [2, 0xFF, 0xFF, 0xFF]))
        #expect(huge.error == .tooLarge)

        var lying = FlightReader()
        lying.feed(record(22, handshake(2, [3, 3, 1])))
        #expect(lying.error == .malformed("length past the message"))

        var longRecord = FlightReader()
        longRecord.feed([22, 3, 3, 0xFF, 0xFF])
        #expect(longRecord.error == .tooLarge)
    }

    @Test("a flight of small messages straddling its records keeps only the unread bytes, not the whole flight")
    func straddlingMessages() {
        // Given 20,000 tiny handshake messages (type 99, 3 bytes each) sent so that every record ends inside one
        var reader = FlightReader()
        let message = handshake(99, [1, 2, 3])
        let stream = Array((0..<20_000).map { _ in message }.joined())
        var offset = 0
        var largest = 0
        // When it arrives in records that each end three bytes into a message (the first 3 bytes, then 7 at a time)
        while offset < stream.count {
            let end = min(stream.count, offset == 0 ? 3 : offset + 7)
            reader.feed(record(22, Array(stream[offset..<end])))
            largest = max(largest, reader.retainedBytes)
            offset = end
        }
        // Then the reader read on, and never kept more than a few messages' bytes (140,000 were sent)
        #expect(reader.error == nil && !reader.isDone)
        #expect(largest <= 4 * message.count, "\(largest) bytes kept")
    }

    @Test("bit lengths of primes", arguments: [([UInt8](), 0), ([0, 0, 1], 1), ([0x80, 0], 16), ([0x7F], 7)])
    func bitLength(bytes: [UInt8], bits: Int) {
        #expect(FlightReader.bitLength(bytes) == bits)
    }
}

/// Server flights captured from real servers on loopback (`openssl s_server` of Debian's OpenSSL 3.0 and
/// tlslite-ng 0.8.2, answering tlslite-ng clients), read as the probe reads them.
@Suite("Raw TLS engine on captured flights")
struct CapturedFlightTests {
    static func flight(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Flights/\(name)")
        return Array(try Data(contentsOf: url))
    }

    static func read(_ bytes: [UInt8], chunk: Int) -> FlightReader {
        var reader = FlightReader()
        var index = 0
        while index < bytes.count, !reader.isDone {
            reader.feed(Array(bytes[index..<min(bytes.count, index + chunk)]))
            index += chunk
        }
        return reader
    }

    @Test(
        "each capture gives its version, suite, chain and key exchange, however it is split",
        arguments: [
            ("openssl-tls12-ecdhe.bin", UInt16(0x0303), UInt16(0xCCA8), 1, KeyExchangeParameters.ecdh(group: 0x001D)),
            ("openssl-tls12-dhe1024.bin", 0x0303, 0x009E, 1, .dh(bits: 1024)),
            ("tlslite-ssl3-3des.bin", 0x0300, 0xC012, 1, .ecdh(group: 0x0017)),
        ])
    func legacyFlights(name: String, version: UInt16, suite: UInt16, certificates: Int, exchange: KeyExchangeParameters)
        throws
    {
        let bytes = try Self.flight(name)
        for chunk in [1, 7, 1 << 16] {
            let reader = Self.read(bytes, chunk: chunk)
            #expect(reader.error == nil && reader.flight.complete, "\(name) in chunks of \(chunk)")
            #expect(reader.flight.hello?.version == version && reader.flight.hello?.cipherSuite == suite)
            #expect(reader.flight.certificates.count == certificates)
            #expect(reader.flight.certificates.first?.first == 0x30)
            #expect(reader.flight.keyExchange == exchange)
        }
    }

    @Test("a TLS 1.3 capture ends at the ServerHello: the version from supported_versions, the key share group")
    func tls13() throws {
        let reader = Self.read(try Self.flight("openssl-tls13.bin"), chunk: 5)
        #expect(reader.flight.complete && reader.error == nil)
        #expect(reader.flight.hello?.version == 0x0304 && reader.flight.hello?.cipherSuite == 0x1302)
        // (tlslite-ng offers its secp256r1 share first)
        #expect(reader.flight.hello?.keyShareGroup == 0x0017 && reader.flight.certificates.isEmpty)
    }
}
