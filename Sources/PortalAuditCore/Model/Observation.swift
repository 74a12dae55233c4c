import Foundation

/// Everything the probes saw of one portal: facts only, never a judgement.
///
/// A `nil` section means that probe did not run or could not tell; rules that need it answer
/// `inconclusive`. Stored raw so history can be re-graded against another profile.
public struct Observation: Codable, Sendable, Equatable {
    public var reachability: ReachabilityFacts?
    public var tls: TLSFacts?
    public var certificate: CertificateFacts?
    public var redirect: RedirectFacts?
    public var headers: HeaderFacts?
    public var cookies: [CookieFacts]?
    /// The HTTPS home page itself (title, size).
    public var page: PageFacts?
    /// Freshness and mandatory information.
    public var content: ContentFacts?
    /// Sensitive paths asked for (authorised audits only).
    public var exposure: [ExposureCheckFacts]?
    /// HTTPS over IPv6.
    public var ipv6: IPv6Facts?
    /// Whether active probes were allowed (an authorised audit); `nil` for observations made before this existed.
    public var authorised: Bool?
    /// Uptime over the last 30 days, from the monitor's samples in history (`nil` without monitoring).
    public var uptime: UptimeFacts?
    /// The basis of an authorised audit as the inventory states it (a document, a consent), printed in reports.
    public var authorisation: String?
    /// Where the scan ran from.
    public var vantage: Vantage?
    /// How the home page changed since the previous scan in history (`nil`: no earlier scan, or `check`).
    public var change: PageChange?

    public init(
        reachability: ReachabilityFacts? = nil, tls: TLSFacts? = nil, certificate: CertificateFacts? = nil,
        redirect: RedirectFacts? = nil, headers: HeaderFacts? = nil, cookies: [CookieFacts]? = nil,
        page: PageFacts? = nil, content: ContentFacts? = nil, exposure: [ExposureCheckFacts]? = nil,
        ipv6: IPv6Facts? = nil, authorised: Bool? = nil, uptime: UptimeFacts? = nil, authorisation: String? = nil,
        vantage: Vantage? = nil, change: PageChange? = nil
    ) {
        self.change = change
        self.authorisation = authorisation
        self.vantage = vantage
        self.reachability = reachability
        self.tls = tls
        self.certificate = certificate
        self.redirect = redirect
        self.headers = headers
        self.cookies = cookies
        self.page = page
        self.content = content
        self.exposure = exposure
        self.ipv6 = ipv6
        self.authorised = authorised
        self.uptime = uptime
    }
}

/// Where a scan ran from: what an outside scan saw depends on it (a portal may answer one network and not
/// another), so reports record it.
public struct Vantage: Codable, Sendable, Equatable, Hashable {
    /// This machine's host name.
    public var host: String
    /// The operator's label (`--vantage`), e.g. "VNPT Hà Nội, 203.0.113.7".
    public var label: String?

    public init(host: String, label: String? = nil) {
        self.host = host
        self.label = label
    }
}
