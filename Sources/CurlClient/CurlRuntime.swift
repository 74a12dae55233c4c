import CCurl
import CCurlShim
import Foundation
import PortalAuditCore
import RawTLS

/// The process-wide libcurl state: global init, the shared trust store, and the driver thread.
///
/// `curl_global_init` and the OpenSSL ex_data index are set up exactly once, before any transfer.
/// Every transfer runs on one dedicated thread driving a `curl_multi` handle, never on Swift's
/// cooperative pool (LIBCURL-NOTES §5–§6: blocking calls there starve the 2-thread pool).
public final class CurlRuntime: Sendable {
    /// The runtime; created on first use.
    public static let shared = CurlRuntime()

    private let driver: MultiDriver
    /// The open-descriptor limit of this process, after raising the soft limit to the hard one.
    public let descriptorLimit: Int

    private init() {
        _ = pa_global_init()
        descriptorLimit = Self.raiseDescriptorLimit()
        // The trust store exists before the driver thread does, and is never replaced: handshakes on
        // that thread only ever read it.
        _ = pa_trust_store_build()
        // Idle connections kept for reuse: each site scanned at once holds up to three pooled ones (its page
        // sample's); a smaller cache evicts them mid-sample and every page costs a new handshake (64 gave
        // 25 connections per portal at --concurrency 32 instead of 16).
        driver = MultiDriver(maxConnects: Self.idleConnections(sites: 64, descriptorLimit: descriptorLimit))
    }

    /// The idle connections worth keeping for `sites` scanned at once: four each (a page sample's pooled
    /// connections and a spare), at least 256, never more than an eighth of the descriptors.
    static func idleConnections(sites: Int, descriptorLimit: Int) -> Int {
        min(max(256, sites * 4), max(8, descriptorLimit / 8))
    }

    /// Sizes the idle-connection cache for `sites` scanned at once (at `--concurrency 128` a cache of 256
    /// evicted the samples' connections: 26.7 connections per portal instead of 16).
    public func keepIdleConnections(forSites sites: Int) {
        driver.keepIdle(Self.idleConnections(sites: sites, descriptorLimit: descriptorLimit))
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit and returns the limit now in force.
    private static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    /// Adds a PEM file of extra trust anchors to the shared store (the system store plus these).
    ///
    /// The store itself is built once, before the first transfer, and never replaced; adding the same
    /// file twice does nothing.
    /// - Throws: `CurlConfigurationError.unreadableCAFile` when the file cannot be read or holds no certificate.
    public func trust(extraCAFile path: String?) throws(CurlConfigurationError) {
        if let path, pa_trust_store_add(path) != 0 {
            throw .unreadableCAFile(path: path)
        }
    }

    /// Certificates the system CA bundle gave the trust store.
    public var systemAnchors: Int { Int(pa_trust_store_system_count()) }

    /// - Throws: `CurlConfigurationError.noSystemAnchors` when the system CA store holds no certificate.
    public func checkSystemStore() throws(CurlConfigurationError) {
        if systemAnchors == 0 { throw .noSystemAnchors }
    }

    /// Sockets that could not be opened for lack of descriptors (the auditor's limit, never a portal's).
    public var socketsExhausted: Int { Int(pa_sockets_exhausted()) }

    /// Refuses (at socket level) every connection outside 127.0.0.0/8 and ::1 while on.
    public func restrictToLoopback(_ on: Bool) { pa_set_loopback_only(on ? 1 : 0) }

    /// Whether connections outside loopback are refused (and so no name may be looked up in DNS).
    public var isLoopbackOnly: Bool { pa_loopback_only() != 0 }

    /// TCP sockets libcurl opened in this process so far.
    public var socketsOpened: Int { Int(pa_sockets_opened()) }

    /// libcurl's version string, e.g. `7.88.1`.
    public var libcurlVersion: String { String(cString: curl_version()) }

    /// What the system's libcurl was built with that the probes rely on.
    public var libcurlFeatures: (ipv6: Bool, ssl: Bool, http2: Bool) {
        guard let info = curl_version_info(CURLVERSION_FOURTH) else { return (false, false, false) }
        let features = info.pointee.features
        return (features & CURL_VERSION_IPV6 != 0, features & CURL_VERSION_SSL != 0, features & CURL_VERSION_HTTP2 != 0)
    }

    /// Runs one transfer on the driver thread and returns what it observed.
    ///
    /// A failure to connect, a TLS refusal or a timeout is a result (`failure` set), not an error.
    /// Cancelling the calling task removes the transfer at once.
    public func perform(_ request: TransferRequest) async -> TransferResult {
        if pa_loopback_only() != 0, let refusal = Self.loopbackRefusal(request) {
            return TransferResult.failed(refusal)
        }
        let transfer: EasyTransfer
        do {
            transfer = try EasyTransfer(request)
        } catch {
            return TransferResult.failed(error)
        }
        return await driver.run(transfer)
    }
}

extension CurlRuntime {
    /// Sends one raw ClientHello over a TCP connection libcurl opens (`CONNECT_ONLY` on an `http://` URL
    /// to the HTTPS port, so pins, timeouts and the loopback guard apply) and reads the server's first
    /// flight, on the driver thread. `request.url` must be `http://HOST:PORT/`.
    public func exchange(_ request: TransferRequest, hello: [UInt8]) async -> RawExchangeResult {
        var request = request
        request.mode = .rawSocket
        request.verification = .off
        if pa_loopback_only() != 0, let refusal = Self.loopbackRefusal(request) {
            return RawExchangeResult(
                failure: refusal, flight: ServerFlight(), flightError: nil, closed: false, connections: 0,
                primaryIP: nil, durationMS: 0)
        }
        let transfer: EasyTransfer
        do {
            transfer = try EasyTransfer(request)
        } catch {
            return RawExchangeResult(
                failure: error, flight: ServerFlight(), flightError: nil, closed: false, connections: 0,
                primaryIP: nil, durationMS: 0)
        }
        return await driver.run(RawExchange(transfer: transfer, hello: hello, timeoutMS: request.timeoutMS))
    }

    /// In loopback-only mode, a name that is neither pinned by `--resolve` nor a loopback name would
    /// need a real DNS query: refuse it before libcurl resolves anything.
    static func loopbackRefusal(_ request: TransferRequest) -> TransferFailure? {
        guard let components = URLComponents(string: request.url), let rawHost = components.host else {
            return TransferFailure(kind: .dns, curlCode: 3, message: "malformed URL")
        }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        // By address, not by its text: `127.attacker.example` is a name like any other.
        if host == "localhost" || AddressScope.of(host) == .loopback { return nil }
        let pinned = request.resolve.contains { $0.lowercased().hasPrefix(host + ":") }
        if pinned { return nil }
        return TransferFailure(
            kind: .dns, curlCode: 6,
            message: "'\(host)' is not pinned with --resolve and loopback-only mode forbids DNS lookups")
    }
}

/// A problem in the runtime's configuration (bad input, reported before any traffic).
public enum CurlConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--ca-file` could not be read or contains no PEM certificate.
    case unreadableCAFile(path: String)
    /// The system CA store is empty (no `ca-certificates`, or `SSL_CERT_FILE` pointing nowhere).
    case noSystemAnchors

    public var description: String {
        switch self {
        case .unreadableCAFile(let path): "cannot read a PEM certificate from CA file '\(path)'"
        case .noSystemAnchors:
            "the system CA store holds no certificate, so every portal would be graded untrusted: install it "
                + "(`apt-get install ca-certificates`) or point SSL_CERT_FILE at a CA bundle"
        }
    }
}

extension TransferResult {
    static func failed(_ failure: TransferFailure) -> TransferResult {
        TransferResult(
            failure: failure, responseCode: 0, httpVersion: 0, redirectURL: nil, primaryIP: nil, headerLines: [],
            headersTruncated: false, body: [], bodyTruncated: false,
            timings: TransferTimings(
                nameLookupUS: 0, connectUS: 0, appConnectUS: 0, preTransferUS: 0, startTransferUS: 0, totalUS: 0),
            handshake: nil, connections: 0, handshakes: 0, tlsAttempted: false, durationMS: 0)
    }
}
