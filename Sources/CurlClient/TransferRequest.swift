import PortalAuditCore

/// One libcurl transfer, described as a value: what to connect to, how, and with which caps.
///
/// A request never shares a connection or a TLS session with another one (`FORBID_REUSE`,
/// no session cache): every TLS fact a probe records comes from a fresh, full handshake.
public struct TransferRequest: Sendable, Equatable {
    /// What to do with the response.
    public enum Mode: Sendable, Equatable {
        /// TCP + TLS only (`CONNECT_ONLY`): no HTTP request is sent.
        case handshakeOnly
        /// TCP only (`CONNECT_ONLY` on an `http://` URL): the socket is kept for a raw exchange.
        case rawSocket
        /// A `GET` whose body is kept up to the cap.
        case get
    }

    /// How the server certificate is checked.
    public enum Verification: Sendable, Equatable {
        /// Record every X509 error against the shared trust store and the host name, and go on.
        case record(host: String)
        /// No verification: handshake-only enumeration probes, which read no content.
        case off
        /// Full verification (chain and name) against the shared store: refuse on any error (alerts, mail).
        case strict
    }

    /// What a transfer sends, when it is not a plain GET.
    public enum Payload: Sendable, Equatable {
        /// An HTTP POST of `body` with `contentType`.
        case post(body: [UInt8], contentType: String)
        /// An SMTP message from `from` to `to`; `requireTLS` insists on STARTTLS.
        case mail(from: String, to: [String], message: [UInt8], requireTLS: Bool)
    }

    public var url: String
    public var mode: Mode
    /// `HOST:PORT:ADDR` entries with curl's `--resolve` meaning.
    public var resolve: [String]
    public var verification: Verification
    /// OpenSSL cipher string for TLS ≤ 1.2 (`nil`: libcurl's default).
    public var cipherList: String?
    /// OpenSSL TLS 1.3 suites (`nil`: libcurl's default).
    public var tls13Ciphers: String?
    public var connectTimeoutMS: Int
    public var timeoutMS: Int
    public var maxBodyBytes: Int
    public var maxHeaderBytes: Int
    public var maxHeaderLines: Int
    public var maxHeaderLineBytes: Int
    public var userAgent: String
    /// A `Referer` header to send (`nil`: none): the cloaking probe arrives as from a search results page.
    public var referer: String?
    /// Offer HTTP/2 through ALPN (libcurl's default for https).
    public var allowHTTP2: Bool
    /// May reuse a pooled connection (content fetches of one host); TLS probes never do.
    public var reuseConnection: Bool
    /// Connect over IPv6 only.
    public var ipv6Only: Bool
    /// A POST body or an SMTP message (`nil`: GET, or handshake only).
    public var payload: Payload?
    /// Accept what current clients refuse (TLS 1.0/1.1, any suite, small keys: `@SECLEVEL=0`): reading a
    /// legacy-only portal for the audit, never to judge its TLS.
    public var legacyTLS = false
    /// Refuse TLS below 1.2, as current browsers do (the verdict handshake).
    public var browserFloor = false
    /// Where the transfer's sockets may go (`nil`: anywhere, for what the operator configured: alert
    /// webhooks and mail servers). By default only public unicast addresses on ports 80 and 443; a probe
    /// adds its portal's own addresses and ports.
    public var egress: EgressPolicy? = EgressPolicy()

    public init(
        url: String, mode: Mode = .get, resolve: [String] = [], verification: Verification = .off,
        cipherList: String? = nil, tls13Ciphers: String? = nil,
        connectTimeoutMS: Int = 5_000, timeoutMS: Int = 10_000, maxBodyBytes: Int = 2 << 20,
        maxHeaderBytes: Int = 64 << 10, maxHeaderLines: Int = 100, maxHeaderLineBytes: Int = 8 << 10,
        userAgent: String = "portal-audit", allowHTTP2: Bool = true, reuseConnection: Bool = false,
        ipv6Only: Bool = false
    ) {
        self.url = url
        self.mode = mode
        self.resolve = resolve
        self.verification = verification
        self.cipherList = cipherList
        self.tls13Ciphers = tls13Ciphers
        self.connectTimeoutMS = connectTimeoutMS
        self.timeoutMS = timeoutMS
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderLines = maxHeaderLines
        self.maxHeaderLineBytes = maxHeaderLineBytes
        self.userAgent = userAgent
        self.allowHTTP2 = allowHTTP2
        self.reuseConnection = reuseConnection
        self.ipv6Only = ipv6Only
        self.payload = nil
    }
}
