import Foundation

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
    /// Not connected: the address is inside the auditor's network (or a port) that the egress policy keeps
    /// what a portal sends from reaching (`EgressPolicy`). A fact about the portal's content, never an outage.
    case egress
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
    /// Set when the home page could be fetched only with a legacy TLS configuration (TLS 1.0/1.1 or suites
    /// current browsers refuse): the audit reads it, citizens' browsers do not.
    public var legacyTLSOnly: Bool?
    /// Set when nothing answered twice: the seconds between the first attempt and the second, which
    /// confirmed the outage. One failed attempt alone is not an outage (`availability.reachable`).
    public var confirmedAfterSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case https, http
        case legacyTLSOnly = "legacy_tls_only"
        case confirmedAfterSeconds = "confirmed_after_s"
    }

    public init(
        https: EndpointFacts, http: EndpointFacts? = nil, legacyTLSOnly: Bool? = nil, confirmedAfterSeconds: Int? = nil
    ) {
        self.https = https
        self.http = http
        self.legacyTLSOnly = legacyTLSOnly
        self.confirmedAfterSeconds = confirmedAfterSeconds
    }

    /// Nothing answered at all: no status over HTTPS or HTTP, each attempt ending in a name, connect or
    /// timeout failure (a TLS or HTTP error is an answer: the server is there and misconfigured).
    public var nothingAnswered: Bool {
        func silent(_ endpoint: EndpointFacts) -> Bool {
            guard endpoint.status == nil, let kind = endpoint.failure?.kind else { return false }
            return kind == .dns || kind == .connect || kind == .timeout
        }
        return silent(https) && (http.map(silent) ?? true)
    }
}
