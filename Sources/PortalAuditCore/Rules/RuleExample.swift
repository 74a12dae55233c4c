import Foundation

/// One worked case of a rule: the exemplary observation changed by one fact, parameters changed from the
/// rule's defaults, and the status and code the rule must give.
public struct RuleExample<R: Rule>: Sendable {
    public let name: String
    public let status: FindingStatus
    public let code: R.Code
    public let adjust: @Sendable (inout R.Parameters) -> Void
    public let change: @Sendable (inout Observation) -> Void

    /// An example with the rule's default parameters.
    public init(
        _ name: String, _ status: FindingStatus, _ code: R.Code,
        _ change: @escaping @Sendable (inout Observation) -> Void = { _ in }
    ) {
        self.init(name, status, code, parameters: { _ in }, change)
    }

    /// An example with parameters changed from the defaults.
    public init(
        _ name: String, _ status: FindingStatus, _ code: R.Code,
        parameters adjust: @escaping @Sendable (inout R.Parameters) -> Void,
        _ change: @escaping @Sendable (inout Observation) -> Void = { _ in }
    ) {
        self.name = name
        self.status = status
        self.code = code
        self.adjust = adjust
        self.change = change
    }

    /// The example's observation.
    public var observation: Observation {
        var observation = ExampleFacts.exemplary()
        change(&observation)
        return observation
    }
}

/// The facts rule examples start from: one exemplary portal, judged at a fixed time.
public enum ExampleFacts {
    /// The examples' clock.
    public static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    public static let day: TimeInterval = 86_400

    /// The examples' portal: its inventory names it and declares the verification token its staff placed.
    public static let target: Target = {
        var target = Target(
            url: "https://xa-a.tinh.gov.vn/", host: "xa-a.tinh.gov.vn", httpsPort: 443, httpPort: 80, path: "/",
            name: "Cổng thông tin điện tử xã An Bình")
        target.verification = ["google:declared-by-the-unit"]
        return target
    }()

    public static var context: EvaluationContext { EvaluationContext(now: now, target: target) }

    /// Everything an exemplary portal shows.
    public static func exemplary() -> Observation {
        let timings = Timings(dnsMS: 0, connectMS: 0.2, tlsMS: 2, ttfbMS: 1, totalMS: 4)
        return Observation(
            reachability: ReachabilityFacts(
                https: EndpointFacts(url: "https://xa-a.tinh.gov.vn/", status: 200, httpVersion: "2", timings: timings),
                http: EndpointFacts(url: "http://xa-a.tinh.gov.vn/", status: 301, httpVersion: "1.1", timings: timings)),
            tls: TLSFacts(
                versions: [
                    .ssl3: .rejected, .tls10: .rejected, .tls11: .rejected, .tls12: .accepted,
                    .tls13: .accepted,
                ],
                negotiatedVersion: .tls13, negotiatedCipher: "TLS_AES_256_GCM_SHA384", alpn: "h2",
                suites: [
                    AcceptedSuite(
                        version: .tls12, name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", classes: [.aead, .ecdhe],
                        group: "x25519"),
                    AcceptedSuite(version: .tls13, name: "TLS_AES_128_GCM_SHA256", classes: [.tls13, .aead]),
                ],
                coverage: .complete, serverPreference: false, staticRSAAccepted: false),
            certificate: CertificateFacts(
                chain: [
                    CertificateSummary(
                        subject: "CN=xa-a.tinh.gov.vn", issuer: "CN=Lab CA", subjectAltNames: ["xa-a.tinh.gov.vn"],
                        keyType: "RSA", keyBits: 2048, signatureAlgorithm: "RSA-SHA256",
                        notBefore: now.addingTimeInterval(-86_400 * 30), notAfter: now.addingTimeInterval(86_400 * 200),
                        selfIssued: false)
                ],
                verifyErrors: [], checkedHost: "xa-a.tinh.gov.vn",
                revocation: RevocationFacts(status: .good, method: .ocspStapled)),
            redirect: RedirectFacts(
                hops: [
                    RedirectHop(url: "http://xa-a.tinh.gov.vn/", status: 301, location: "https://xa-a.tinh.gov.vn/"),
                    RedirectHop(url: "https://xa-a.tinh.gov.vn/", status: 200),
                ],
                outcome: .final, finalScheme: "https", finalURL: "https://xa-a.tinh.gov.vn/"),
            headers: HeaderFacts(
                url: "https://xa-a.tinh.gov.vn/", status: 200,
                fields: [
                    HeaderField(name: "server", value: "nginx"),
                    HeaderField(name: "strict-transport-security", value: "max-age=63072000; includeSubDomains"),
                    HeaderField(
                        name: "content-security-policy",
                        value: "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"),
                    HeaderField(name: "x-frame-options", value: "SAMEORIGIN"),
                    HeaderField(name: "x-content-type-options", value: "nosniff"),
                    HeaderField(name: "referrer-policy", value: "strict-origin-when-cross-origin"),
                    HeaderField(name: "permissions-policy", value: "camera=(), microphone=(), geolocation=()"),
                    HeaderField(name: "set-cookie", value: "PHPSESSID=x; Path=/; Secure; HttpOnly; SameSite=Lax"),
                ]),
            cookies: [CookieFacts(name: "PHPSESSID", secure: true, httpOnly: true, sameSite: "Lax")],
            page: PageFacts(title: "Cổng thông tin điện tử xã A", bytes: 2_000, truncated: false),
            content: ContentFacts(
                newest: now.addingTimeInterval(-86_400 * 2), newestSource: "feed",
                newestURL: "https://xa-a.tinh.gov.vn/rss.xml",
                sources: [
                    DatedSource(
                        source: "feed", url: "https://xa-a.tinh.gov.vn/rss.xml",
                        newest: now.addingTimeInterval(-86_400 * 2), count: 3)
                ],
                mandatoryFound: ["agency", "responsible", "address", "phone", "email"], mandatoryMissing: [],
                homeSHA256: String(repeating: "0", count: 64), mixedActive: [], mixedPassive: [],
                spam: SpamFacts(score: 0, injected: false, lawfulContext: false, hits: []),
                cloaking: CloakingFacts(
                    browserStatus: 200, browserLocation: nil, browserSpam: false,
                    variants: [
                        CloakVariant(agent: .crawler, status: 200, location: nil, similarity: 100, spam: false),
                        CloakVariant(agent: .searchReferrer, status: 200, location: nil, similarity: 100, spam: false),
                    ]),
                sample: PageSample(size: 20, candidates: 0, disallowed: 0, pages: [], search: nil),
                fingerprint: PageFingerprint(
                    title: "Cổng thông tin điện tử xã A", sketch: [7, 19, 23], outbound: ["chinhphu.vn"],
                    defacementMarks: [], verification: []),
                software: [
                    SoftwareComponent(
                        product: "php", version: "8.4.14", source: "header X-Powered-By", evidence: "PHP/8.4.14")
                ],
                search: SearchFacts(verification: [], types: ["WebSite"], siteNames: [], sitemapOffHost: 0),
                privacy: PrivacyFacts(pagesRead: 1, pages: [])),
            exposure: ExposureSignatures.checks.map {
                ExposureCheckFacts(path: $0.path, kind: $0.kind.rawValue, status: 404, matched: false)
            },
            ipv6: IPv6Facts(
                https: EndpointFacts(
                    url: "https://xa-a.tinh.gov.vn/", status: 200, address: "2001:db8::1", timings: timings),
                hasAddress: true),
            authorised: true,
            uptime: UptimeFacts(
                windowHours: 720, upSeconds: 2_590_000, downSeconds: 2_000, unmonitoredSeconds: 0, outages: []),
            change: PageChange(
                previousObservedAt: now.addingTimeInterval(-86_400), previousTitle: "Cổng thông tin điện tử xã A",
                title: "Cổng thông tin điện tử xã A", similarity: 70, newOutbound: [], previousOutbound: 1))
    }

    /// Replaces (or removes, with `nil`) header `name` in `observation`.
    public static func setHeader(_ observation: inout Observation, _ name: String, _ value: String?) {
        guard var headers = observation.headers else { return }
        headers.fields.removeAll { $0.name == name }
        if let value { headers.fields.append(HeaderField(name: name, value: value)) }
        observation.headers = headers
    }
}
