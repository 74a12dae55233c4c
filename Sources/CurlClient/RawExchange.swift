import CCurl
import Foundation
import RawTLS

/// What one raw ClientHello over a libcurl-owned TCP connection brought back.
public struct RawExchangeResult: Sendable {
    /// A connect failure (refused, timed out, loopback guard, no descriptors), or a send/receive error.
    public var failure: TransferFailure?
    /// The server's first flight as far as it was read.
    public var flight: ServerFlight
    /// Why the answer could not be read as TLS.
    public var flightError: FlightError?
    /// Whether the server closed the connection (or reset it) before its flight was complete.
    public var closed: Bool
    public var connections: Int
    public var primaryIP: String?
    public var durationMS: Int

    /// The exchange as a transfer result, for a site's cost and connection count.
    public var transferResult: TransferResult {
        TransferResult(
            failure: failure, responseCode: 0, httpVersion: 0, redirectURL: nil, primaryIP: primaryIP, headerLines: [],
            headersTruncated: false, body: [], bodyTruncated: false,
            timings: TransferTimings(
                nameLookupUS: 0, connectUS: 0, appConnectUS: 0, preTransferUS: 0, startTransferUS: 0,
                totalUS: durationMS * 1000),
            handshake: nil, connections: connections, handshakes: 0, tlsAttempted: connections > 0,
            durationMS: durationMS)
    }
}

/// A raw exchange in progress on the driver thread: the connect-only transfer, the bytes still to send
/// and the reader of the answer.
///
/// SAFETY: created on the submitting task and handed to the driver thread under its lock; from then on
/// touched only there.
final class RawExchange: @unchecked Sendable {
    let transfer: EasyTransfer
    let hello: [UInt8]
    let deadline: ContinuousClock.Instant
    var sent = 0
    var socket: Int32 = -1
    /// Set when the socket polled ready (or just connected): only then is it worth a send or a receive.
    var ready = false
    var reader = FlightReader()
    var closed = false
    var failure: TransferFailure?
    var connectResult: TransferResult?

    init(transfer: EasyTransfer, hello: [UInt8], timeoutMS: Int) {
        self.transfer = transfer
        self.hello = hello
        self.deadline = .now + .milliseconds(timeoutMS)
    }

    /// Sends what is left and reads what is there, without blocking. Returns whether the exchange is over.
    func step() -> Bool {
        if ContinuousClock.now >= deadline {
            failure = failure ?? TransferFailure(kind: .timeout, curlCode: 28, message: "no complete answer in time")
            return true
        }
        while sent < hello.count {
            var written = 0
            let code = hello[sent...].withUnsafeBytes { raw in
                curl_easy_send(transfer.handle, raw.baseAddress, raw.count, &written)
            }
            if code == CURLE_AGAIN { return false }
            guard code == CURLE_OK else {
                closed = true
                failure = TransferFailure.from(code: Int(code.rawValue), message: "send failed")
                return true
            }
            sent += written
        }
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while !reader.isDone {
            var got = 0
            let code = buffer.withUnsafeMutableBytes { raw in
                curl_easy_recv(transfer.handle, raw.baseAddress, raw.count, &got)
            }
            if code == CURLE_AGAIN { return false }
            guard code == CURLE_OK, got > 0 else {
                // A close or reset: what came before it is the answer.
                closed = true
                return true
            }
            reader.feed(Array(buffer[0..<got]))
        }
        return true
    }

    func result() -> RawExchangeResult {
        RawExchangeResult(
            failure: failure, flight: reader.flight, flightError: reader.error, closed: closed,
            connections: connectResult?.connections ?? 0, primaryIP: connectResult?.primaryIP,
            durationMS: Int((ContinuousClock.now - transfer.startedAt) / .milliseconds(1)))
    }
}
