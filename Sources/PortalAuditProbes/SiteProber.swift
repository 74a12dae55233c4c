import CurlClient
import Foundation
import PortalAuditCore

/// Runs one site's probe plan and turns what libcurl saw into an `Observation`.
///
/// The plan (LIBCURL-NOTES "suggested per-host probe plan"):
/// 1. the verdict handshake, shared with the HTTPS `GET` of the home page: version, cipher, chain and
///    every X509 error (trust store + host check), headers, cookies, timings;
/// 2. one handshake-only probe per TLS version, offered alone at `@SECLEVEL=0`;
/// 3. per accepted version ≤ 1.2, one handshake offering only weak suites, then one static-RSA and one
///    DHE handshake at the highest such version;
/// 4. the HTTP root's redirect chain, followed by hand.
/// Steps 1, 2–3 and 4 run side by side, so a site never has more than three connections open at once.
/// Every request draws on one budget (`timeoutSeconds`): a site that hangs costs at most that.
public struct SiteProber: Sendable {
    /// Weak suites: everything without AEAD, static RSA, NULL and anonymous (TLS ≤ 1.2).
    static let weakCipherList = "kRSA:aNULL:eNULL:SHA1:SHA256:SHA384:MD5:@SECLEVEL=0"
    static let staticRSAList = "kRSA:@SECLEVEL=0"
    static let dheList = "kDHE:@SECLEVEL=0"
    static let enumerationList = "ALL:COMPLEMENTOFALL:@SECLEVEL=0"
    static let legacyVersions: [TransferRequest.TLSVersion] = [.tls10, .tls11, .tls12]

    let runtime: CurlRuntime
    let options: ProbeOptions
    /// Fleet-wide: how many sites hold each address (one prober serves a whole scan).
    let admission = AddressAdmission()

    public init(runtime: CurlRuntime = .shared, options: ProbeOptions) {
        self.runtime = runtime
        self.options = options
    }

    /// What one site's probes found, with their attempts and their cost.
    public struct Outcome: Sendable {
        public var observation: Observation
        public var probes: [ProbeAttempt]
        public var cost: ProbeCost
        public var durationMS: Int
        /// Set when this machine ran out of descriptors during the probes: the observation says nothing
        /// about the portal and must not be judged or saved.
        public var localFailure: TransferFailure?
        /// When the probes ended: the "now" the observation is judged at, today and when re-graded.
        public var observedAt = Date()
    }

    /// Probes `target` within the time budget.
    ///
    /// The name is resolved once (unless pinned) and pinned for every request, so curl connects to the
    /// very addresses the per-address limit and the redirect scope were judged on. The budget starts
    /// when the site is admitted to its address.
    public func probe(_ target: Target) async -> Outcome {
        var pins = NamePins(entries: options.resolve, target: target)
        var address = AddressScope.of(target.host) != nil ? target.host : pins.address(of: target.host)
        if address == nil, !runtime.isLoopbackOnly {
            let resolved = await AddressResolver.resolve(
                target.host, timeoutMS: Int(min(options.connectTimeoutSeconds, options.timeoutSeconds) * 1000))
            pins.pin(host: target.host, ports: [target.httpsPort, target.httpPort], addresses: resolved)
            address = resolved.first
        }
        let scope = address.flatMap(AddressScope.of)
        let admitted = address.flatMap { address in options.sitesPerAddress(scope).map { (address, $0) } }
        if let (address, limit) = admitted { await admission.acquire(address, limit: limit) }
        let outcome = await probe(target, pins: pins, scope: scope)
        if let (address, _) = admitted { await admission.release(address) }
        return outcome
    }

    private func probe(_ target: Target, pins: NamePins, scope: AddressScope?) async -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let budget = Budget(deadline: started + .milliseconds(Int(options.timeoutSeconds * 1000)), options: options)

        // Four chains side by side: the home page (then content and exposure, which need it), TLS
        // enumeration, the HTTP redirect chain, and IPv6. One connection at a time within each chain.
        async let main = timed { await runtime.perform(verdictRequest(target, pins: pins, budget: budget)) }
        async let tls = timed { await probeTLS(target, pins: pins, budget: budget) }
        async let redirect = timed { await followRedirects(target, pins: pins, origin: scope, budget: budget) }
        async let ipv6 = timed { await probeIPv6(target, pins: pins, budget: budget) }
        let (mainResult, mainMS) = await main
        let ((contentFacts, contentResults), contentMS) = await timed {
            await probeContent(target, home: mainResult, pins: pins, budget: budget)
        }
        let ((exposureFacts, exposureResults), exposureMS) = await timed {
            await probeExposure(target, home: mainResult, pins: pins, budget: budget)
        }
        let ((tlsFacts, tlsResults), tlsMS) = await tls
        let ((redirectFacts, httpEndpoint, redirectResults), redirectMS) = await redirect
        let ((ipv6Facts, ipv6Results), ipv6MS) = await ipv6

        var observation = Observation()
        let https = Self.endpoint(url: target.httpsURL, mainResult)
        observation.reachability = ReachabilityFacts(https: https, http: httpEndpoint)
        observation.redirect = redirectFacts
        observation.tls = Self.mergeNegotiated(tlsFacts, mainResult.handshake)
        if let handshake = mainResult.handshake {
            observation.certificate = Self.certificate(handshake, host: target.host)
        }
        if mainResult.responseCode > 0 {
            let home = mainResult
            let (fields, cookies, title) = await ParseWorker.run {
                let raw = Self.headerFields(home.headerLines)
                let cookies = raw.filter { $0.name == "set-cookie" }.compactMap { CookieParser.parse($0.value) }
                // Cookie values (session ids, balancer cookies naming internal hosts) are dropped here,
                // before anything is stored or reported: names and flags are all the rules need.
                let fields = raw.map {
                    $0.name == "set-cookie" ? HeaderField(name: $0.name, value: CookieParser.redacted($0.value)) : $0
                }
                return (fields, cookies, HTMLTitle.extract(home.body))
            }
            observation.headers = HeaderFacts(
                url: target.httpsURL, status: mainResult.responseCode, fields: fields,
                truncated: mainResult.headersTruncated)
            observation.cookies = cookies
            observation.page = PageFacts(
                title: title, bytes: mainResult.body.count, truncated: mainResult.bodyTruncated)
        }

        observation.content = contentFacts
        observation.exposure = exposureFacts
        observation.ipv6 = ipv6Facts
        observation.authorised = options.authorised

        let failure = mainResult.failure.map(Self.failure)
        let probes = [
            ProbeAttempt(
                kind: .reachability,
                status: mainResult.responseCode > 0 || httpEndpoint?.status != nil ? .completed : .failed,
                durationMS: mainMS, failure: failure),
            ProbeAttempt(
                kind: .tls, status: observation.tls != nil ? .completed : .failed, durationMS: tlsMS,
                failure: observation.tls == nil ? failure : nil),
            ProbeAttempt(
                kind: .certificate, status: observation.certificate != nil ? .completed : .failed, durationMS: mainMS,
                failure: observation.certificate == nil ? failure : nil),
            ProbeAttempt(
                kind: .redirect, status: redirectFacts.hops.first?.status != nil ? .completed : .failed,
                durationMS: redirectMS, failure: redirectFacts.hops.first?.failure),
            ProbeAttempt(
                kind: .headers, status: observation.headers != nil ? .completed : .failed, durationMS: mainMS,
                failure: observation.headers == nil ? failure : nil),
            ProbeAttempt(
                kind: .content, status: contentFacts != nil ? .completed : .failed, durationMS: contentMS,
                failure: contentFacts == nil ? failure : nil),
            ProbeAttempt(
                kind: .exposure,
                status: options.authorised ? (exposureFacts != nil ? .completed : .failed) : .notScheduled,
                durationMS: exposureMS),
            ProbeAttempt(kind: .ipv6, status: ipv6Facts != nil ? .completed : .failed, durationMS: ipv6MS),
        ]
        let all = [mainResult] + tlsResults + redirectResults + contentResults + exposureResults + ipv6Results
        let cost = ProbeCost(
            connections: all.reduce(0) { $0 + $1.connections }, tlsHandshakes: all.filter(\.tlsAttempted).count,
            requests: all.count)
        return Outcome(
            observation: observation, probes: probes, cost: cost,
            durationMS: Int((clock.now - started) / .milliseconds(1)),
            localFailure: all.lazy.compactMap(\.failure).first { $0.kind == .localResources })
    }

    // MARK: requests

    private func base(_ url: String, pins: NamePins, host: String, port: Int, budget: Budget) -> TransferRequest {
        TransferRequest(
            url: url, resolve: pins.entries(host: host, port: port), connectTimeoutMS: budget.connectMS(),
            timeoutMS: max(1, budget.remainingMS()), maxBodyBytes: options.maxBodyBytes, userAgent: options.userAgent)
    }

    private func verdictRequest(_ target: Target, pins: NamePins, budget: Budget) -> TransferRequest {
        var request = base(target.httpsURL, pins: pins, host: target.host, port: target.httpsPort, budget: budget)
        request.verification = .record(host: target.host)
        return request
    }

    private func handshake(
        _ target: Target, pins: NamePins, budget: Budget, version: TransferRequest.TLSVersion, ciphers: String?
    ) -> TransferRequest {
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "/")
        var request = base(root, pins: pins, host: target.host, port: target.httpsPort, budget: budget)
        request.mode = .handshakeOnly
        request.tlsVersion = version
        if version == .tls13 {
            request.tls13Ciphers =
                "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"
        } else {
            request.cipherList = ciphers ?? Self.enumerationList
        }
        return request
    }

    // MARK: TLS

    private func probeTLS(_ target: Target, pins: NamePins, budget: Budget) async
        -> (TLSFacts?, [TransferResult])
    {
        var results: [TransferResult] = []
        var versions: [String: VersionSupport] = ["SSLv3": .notTestable]
        var accepted: [TransferRequest.TLSVersion] = []
        for version in TransferRequest.TLSVersion.allCases {
            guard budget.remainingMS() > 0 else {
                versions[version.rawValue] = .error
                continue
            }
            let result = await enumerate(
                handshake(target, pins: pins, budget: budget, version: version, ciphers: nil), budget: budget,
                into: &results)
            results.append(result)
            versions[version.rawValue] = Self.support(result)
            if versions[version.rawValue] == .accepted { accepted.append(version) }
            if let failure = result.failure, failure.kind == .connect || failure.kind == .dns {
                // Nothing listens: every other version would fail the same way.
                for other in TransferRequest.TLSVersion.allCases where versions[other.rawValue] == nil {
                    versions[other.rawValue] = .error
                }
                break
            }
        }
        guard versions.values.contains(.accepted) || versions.values.contains(.rejected) else { return (nil, results) }

        var weak: [WeakSuite] = []
        var staticRSA: Bool? = accepted.contains(where: { $0 <= .tls12 }) ? nil : false
        var dheBits: Int?
        let legacy = accepted.filter { $0 <= .tls12 }
        for version in legacy where budget.remainingMS() > 0 {
            let result = await enumerate(
                handshake(target, pins: pins, budget: budget, version: version, ciphers: Self.weakCipherList),
                budget: budget, into: &results)
            if let facts = result.handshake {
                let reasons = Self.weakReasons(facts)
                weak.append(
                    WeakSuite(
                        version: version.rawValue, cipher: facts.cipher, reasons: reasons, dhBits: Self.dhBits(facts)))
                if reasons.contains("static-rsa") { staticRSA = true }
            }
        }
        if let highest = legacy.last {
            if staticRSA == nil, budget.remainingMS() > 0 {
                let result = await enumerate(
                    handshake(target, pins: pins, budget: budget, version: highest, ciphers: Self.staticRSAList),
                    budget: budget, into: &results)
                if let facts = result.handshake {
                    staticRSA = true
                    if !weak.contains(where: { $0.cipher == facts.cipher && $0.version == highest.rawValue }) {
                        weak.append(
                            WeakSuite(
                                version: highest.rawValue, cipher: facts.cipher, reasons: Self.weakReasons(facts),
                                dhBits: Self.dhBits(facts)))
                    }
                } else if Self.support(result) == .rejected {
                    staticRSA = false
                }
            }
            if budget.remainingMS() > 0 {
                let result = await enumerate(
                    handshake(target, pins: pins, budget: budget, version: highest, ciphers: Self.dheList),
                    budget: budget, into: &results)
                // The group size is a fact; whether it is too small is the profile's `min_dh_bits`.
                if let facts = result.handshake, let bits = Self.dhBits(facts) { dheBits = bits }
            }
        }
        let facts = TLSFacts(versions: versions, weakSuites: weak, staticRSAAccepted: staticRSA, dheMinBits: dheBits)
        return (facts, results)
    }

    /// One enumeration handshake. A refusal the server states (a TLS alert) is an answer; anything else
    /// that broke the handshake after the TCP connect (a reset, a stall) is retried once, so a busy
    /// server is not recorded as refusing what it accepts.
    private func enumerate(_ request: TransferRequest, budget: Budget, into results: inout [TransferResult]) async
        -> TransferResult
    {
        var request = request
        let first = await runtime.perform(request)
        results.append(first)
        guard first.handshake == nil, first.connections > 0, let failure = first.failure,
            !Self.isStatedRefusal(failure), budget.remainingMS() > 0
        else { return first }
        request.connectTimeoutMS = budget.connectMS()
        request.timeoutMS = max(1, budget.remainingMS())
        let second = await runtime.perform(request)
        results.append(second)
        return second
    }

    /// Whether a failed handshake is the server saying no (an alert, no shared cipher or version).
    static func isStatedRefusal(_ failure: TransferFailure) -> Bool {
        guard failure.kind == .tls else { return false }
        let message = failure.message.lowercased()
        return [
            "alert", "no cipher", "no shared cipher", "unsupported protocol", "no protocols available",
            "wrong version number",
        ]
        .contains { message.contains($0) }
    }

    static func support(_ result: TransferResult) -> VersionSupport {
        if result.handshake != nil && (result.failure == nil || result.failure?.kind == .http) { return .accepted }
        guard let failure = result.failure else { return result.handshake != nil ? .accepted : .error }
        switch failure.kind {
        case .tls: return .rejected
        case .http, .other:
            // A server that drops the connection on an unwanted ClientHello (RST/EOF after connect).
            return result.connections > 0 ? .rejected : .error
        default: return .error
        }
    }

    static func weakReasons(_ facts: HandshakeFacts) -> [String] {
        var reasons: [String] = []
        let name = facts.cipher.uppercased()
        if facts.keyExchange == "kx-rsa" { reasons.append("static-rsa") }
        if name.contains("NULL") { reasons.append("null") }
        if name.hasPrefix("ADH") || name.hasPrefix("AECDH") { reasons.append("anonymous") }
        if !facts.cipherIsAEAD && !name.contains("NULL") { reasons.append("cbc") }
        if name.hasSuffix("-SHA") || name == "SHA" { reasons.append("sha1-mac") }
        return reasons.isEmpty ? ["weak"] : reasons
    }

    static func dhBits(_ facts: HandshakeFacts) -> Int? {
        guard facts.keyExchange == "kx-dhe", let bits = facts.ephemeralKeyBits else { return nil }
        return bits
    }

    static func mergeNegotiated(_ facts: TLSFacts?, _ handshake: HandshakeFacts?) -> TLSFacts? {
        guard var facts else { return nil }
        facts.negotiatedVersion = handshake.map { $0.version == "TLSv1" ? "TLSv1.0" : $0.version }
        facts.negotiatedCipher = handshake?.cipherStandardName ?? handshake?.cipher
        facts.alpn = handshake?.alpn
        return facts
    }

    // MARK: certificate, headers

    static func certificate(_ handshake: HandshakeFacts, host: String) -> CertificateFacts {
        CertificateFacts(
            chain: handshake.chain.map {
                CertificateSummary(
                    subject: $0.subject, issuer: $0.issuer, subjectAltNames: $0.subjectAltNames, keyType: $0.keyType,
                    keyBits: $0.keyBits, signatureAlgorithm: $0.signatureAlgorithm, notBefore: $0.notBefore,
                    notAfter: $0.notAfter, selfIssued: $0.selfIssued)
            },
            verifyErrors: handshake.verifyErrors.map {
                VerifyError(code: $0.code, depth: $0.depth, message: x509ErrorDescription($0.code))
            },
            checkedHost: host)
    }

    static func headerFields(_ lines: [String]) -> [HeaderField] { HeaderLines.fields(lines) }

    // MARK: content

    /// Caps of the content fetches: a feed that never ends or a 50 MB sitemap costs at most this.
    static let contentFetchTimeoutMS = 3_000
    static let documentCap = 2 << 20
    static let robotsCap = 64 << 10

    private func fetch(_ url: String, pins: NamePins, budget: Budget, cap: Int) -> TransferRequest? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        var request = base(url, pins: pins, host: host, port: port, budget: budget)
        request.maxBodyBytes = cap
        request.timeoutMS = max(1, min(budget.remainingMS(), Self.contentFetchTimeoutMS))
        request.verification = .record(host: host)
        request.reuseConnection = true
        request.allowHTTP2 = false
        return request
    }

    /// An absolute URL for `link` on the portal's own host (other hosts are not fetched).
    static func sameHost(_ link: String, base: String, host: String) -> String? {
        guard let baseURL = URL(string: base),
            let url = URL(string: link.trimmingCharacters(in: .whitespaces), relativeTo: baseURL)?.absoluteURL,
            url.host?.lowercased() == host, let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else { return nil }
        return url.absoluteString
    }

    /// Newest publication date (feed, sitemap, page, Last-Modified) and the mandatory information, from at
    /// most five documents: the home page already fetched, robots.txt, one sitemap, one or two feeds.
    private func probeContent(_ target: Target, home: TransferResult, pins: NamePins, budget: Budget) async
        -> (ContentFacts?, [TransferResult])
    {
        guard (200..<400).contains(home.responseCode), !home.body.isEmpty else { return (nil, []) }
        let now = Date()
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "/")
        var results: [TransferResult] = []
        var sources: [DatedSource] = []
        let body = home.body
        let (text, pageDates, links, digest, stopped) = await ParseWorker.run {
            var stopped = false
            let text = PageText.text(of: body, limit: 512 << 10) {
                stopped = budget.remainingMS() == 0
                return stopped
            }
            return (
                text, VietnameseDates.dates(in: text, now: now), PageText.feedLinks(in: body), SHA256.hex(of: body),
                stopped
            )
        }
        sources.append(
            DatedSource(
                source: "page", url: target.httpsURL, newest: pageDates.max(), count: pageDates.count,
                truncated: home.bodyTruncated || stopped))
        let headers = Self.headerFields(home.headerLines)
        if let raw = headers.first(where: { $0.name == "last-modified" })?.value,
            let date = VietnameseDates.parseFeedDate(raw), date <= now.addingTimeInterval(86_400)
        {
            sources.append(DatedSource(source: "last-modified", url: target.httpsURL, newest: date, count: 1))
        }
        // robots.txt → Sitemap:
        var sitemap = root + "sitemap.xml"
        if let request = fetch(root + "robots.txt", pins: pins, budget: budget, cap: Self.robotsCap) {
            let robots = await runtime.perform(request)
            results.append(robots)
            if robots.responseCode == 200 {
                let lines = String(decoding: robots.body, as: UTF8.self).split(whereSeparator: \.isNewline)
                if let line = lines.first(where: { $0.lowercased().hasPrefix("sitemap:") }),
                    let url = Self.sameHost(String(line.dropFirst("sitemap:".count)), base: root, host: target.host)
                {
                    sitemap = url
                }
            }
        }
        if let source = await datedDocument("sitemap", sitemap, pins: pins, budget: budget, now: now, into: &results) {
            sources.append(source)
        }
        // Feeds: the ones the page links, else the usual paths; two at most.
        let linked = links.compactMap { Self.sameHost($0, base: target.httpsURL, host: target.host) }
        var feeds = Array(linked.prefix(2))
        if feeds.isEmpty { feeds = [root + "rss.xml", root + "feed"] }
        for feed in feeds where budget.remainingMS() > 0 {
            if let source = await datedDocument("feed", feed, pins: pins, budget: budget, now: now, into: &results) {
                sources.append(source)
                if source.count > 0 { break }
            }
        }
        let best = sources.filter { $0.newest != nil }.max { ($0.newest ?? .distantPast) < ($1.newest ?? .distantPast) }
        let mandatory = await ParseWorker.run { MandatoryInfo.check(text) }
        let facts = ContentFacts(
            newest: best?.newest, newestSource: best?.source, newestURL: best?.url, sources: sources,
            mandatoryFound: mandatory.found, mandatoryMissing: mandatory.missing,
            homeSHA256: digest)
        return (facts, results)
    }

    private func datedDocument(
        _ kind: String, _ url: String, pins: NamePins, budget: Budget, now: Date, into results: inout [TransferResult]
    ) async -> DatedSource? {
        guard budget.remainingMS() > 0, let request = fetch(url, pins: pins, budget: budget, cap: Self.documentCap)
        else { return nil }
        let result = await runtime.perform(request)
        results.append(result)
        guard result.responseCode == 200 else {
            return DatedSource(source: kind, url: url, newest: nil, count: 0, failure: result.failure.map(Self.failure))
        }
        let body = result.body
        guard body.contains(UInt8(ascii: "<")) else {
            return DatedSource(source: kind, url: url, newest: nil, count: 0)
        }
        let dates = await ParseWorker.run {
            VietnameseDates.feedDates(in: String(decoding: body, as: UTF8.self), now: now)
        }
        let stopped = result.failure?.kind == .timeout
        return DatedSource(
            source: kind, url: url, newest: dates.max(), count: dates.count, truncated: result.bodyTruncated || stopped,
            failure: stopped ? result.failure.map(Self.failure) : nil)
    }

    // MARK: exposure

    /// A handful of content-checked requests, one connection reused, only in an authorised audit.
    private func probeExposure(_ target: Target, home: TransferResult, pins: NamePins, budget: Budget) async
        -> ([ExposureCheckFacts]?, [TransferResult])
    {
        guard options.authorised, home.responseCode > 0 else { return (nil, []) }
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "")
        var checks: [ExposureCheckFacts] = []
        var results: [TransferResult] = []
        for check in ExposureSignatures.checks {
            guard budget.remainingMS() > 0,
                let request = fetch(root + check.path, pins: pins, budget: budget, cap: 64 << 10)
            else {
                checks.append(
                    ExposureCheckFacts(path: check.path, kind: check.kind.rawValue, status: nil, matched: false))
                continue
            }
            let result = await runtime.perform(request)
            results.append(result)
            let status = result.responseCode > 0 ? result.responseCode : nil
            let matched = result.responseCode == 200 && check.matches(result.body)
            checks.append(
                ExposureCheckFacts(
                    path: check.path, kind: check.kind.rawValue, status: status, matched: matched,
                    failure: status == nil ? result.failure.map(Self.failure) : nil))
        }
        return (checks, results)
    }

    // MARK: IPv6

    /// HTTPS over IPv6 only. A pinned name uses its pins (an IPv6 pin pins the IPv6 probe, as an IPv4
    /// one pins IPv4); a name pinned to IPv4 only has, for this audit, no IPv6 address.
    private func probeIPv6(_ target: Target, pins: NamePins, budget: Budget) async -> (IPv6Facts?, [TransferResult]) {
        let url = target.httpsURL
        let pinning = pins.pinning(host: target.host)
        if pinning.pinned && !pinning.hasIPv6 {
            let endpoint = EndpointFacts(
                url: url, failure: ProbeFailure(kind: .dns, message: "the name is pinned to IPv4 addresses only"))
            return (IPv6Facts(https: endpoint, hasAddress: false), [])
        }
        var request = base(url, pins: pins, host: target.host, port: target.httpsPort, budget: budget)
        request.ipv6Only = true
        request.maxBodyBytes = 64 << 10
        request.verification = .record(host: target.host)
        let result = await runtime.perform(request)
        let endpoint = Self.endpoint(url: url, result)
        let hasAddress = result.failure?.kind != .dns
        return (IPv6Facts(https: endpoint, hasAddress: hasAddress), [result])
    }

    // MARK: redirect

    /// Follows the redirect chain from `http://host/` by hand, one hop at a time.
    ///
    /// A `Location` is refused (recorded, not followed) when it carries credentials, or when its address
    /// is more private than the portal's own (`origin`): a public portal cannot make the auditor fetch
    /// from 10/8, 169.254/16 or loopback. Pinned names count as what they are pinned to; other names are
    /// resolved once and pinned for the hop, so curl connects to the address that was judged.
    private func followRedirects(_ target: Target, pins: NamePins, origin: AddressScope?, budget: Budget) async
        -> (RedirectFacts, EndpointFacts?, [TransferResult])
    {
        var pins = pins
        var hops: [RedirectHop] = []
        var results: [TransferResult] = []
        var seen = Set<String>()
        var url = target.httpURL
        var endpoint: EndpointFacts?
        var outcome = RedirectFacts.Outcome.final
        while true {
            guard let components = URLComponents(string: url), let host = components.host,
                let scheme = components.scheme?.lowercased()
            else {
                outcome = .badScheme
                break
            }
            if hops.count > options.maxRedirects {
                outcome = .tooManyHops
                break
            }
            if !seen.insert(url).inserted {
                outcome = .loop
                hops.append(RedirectHop(url: url))
                break
            }
            let port = components.port ?? (scheme == "https" ? 443 : 80)
            var request = base(url, pins: pins, host: host, port: port, budget: budget)
            request.maxBodyBytes = 64 << 10
            let result = await runtime.perform(request)
            results.append(result)
            if hops.isEmpty { endpoint = Self.endpoint(url: url, result) }
            let status = result.responseCode > 0 ? result.responseCode : nil
            let location = (300...399).contains(result.responseCode) ? result.redirectURL ?? Self.location(result) : nil
            hops.append(
                RedirectHop(url: url, status: status, location: location, failure: result.failure.map(Self.failure)))
            guard status != nil else {
                outcome = .failed
                break
            }
            guard let next = location else { break }
            let nextScheme = URLComponents(string: next)?.scheme?.lowercased()
            guard nextScheme == "http" || nextScheme == "https" else {
                outcome = .badScheme
                break
            }
            if let refusal = await refusal(of: next, pins: &pins, origin: origin, budget: budget) {
                hops[hops.count - 1].refused = refusal
                // The password a portal put in its Location is a secret it sent: it is not kept.
                if refusal == .credentials { hops[hops.count - 1].location = Self.withoutPassword(next) }
                outcome = .refused
                break
            }
            url = next
        }
        let last = hops.last(where: { $0.status != nil }) ?? hops.last
        let finalURL = outcome == .final ? last?.url : (hops.last?.location ?? hops.last?.url)
        let facts = RedirectFacts(
            hops: hops, outcome: outcome,
            finalScheme: finalURL.flatMap { URLComponents(string: $0)?.scheme?.lowercased() },
            finalURL: finalURL)
        return (facts, endpoint, results)
    }

    /// `url` with the password of its user information replaced by `…`.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "…"
        return components.string ?? "(a URL with credentials)"
    }

    /// Why the hop to `url` may not be followed, or `nil` when it may.
    private func refusal(of url: String, pins: inout NamePins, origin: AddressScope?, budget: Budget) async
        -> RedirectScope.Refusal?
    {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        if components.user != nil || components.password != nil { return .credentials }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var address = AddressScope.of(bare) != nil ? bare : pins.address(of: bare)
        if address == nil, !runtime.isLoopbackOnly {
            let resolved = await AddressResolver.resolve(bare, timeoutMS: budget.connectMS())
            let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
            pins.pin(host: bare, ports: [port], addresses: resolved)
            address = resolved.first
        }
        guard let address, let scope = AddressScope.of(address) else { return nil }
        return RedirectScope.permits(from: origin, to: scope) ? nil : .privateAddress
    }

    static func location(_ result: TransferResult) -> String? {
        headerFields(result.headerLines).first { $0.name == "location" }?.value
    }

    // MARK: helpers

    static func endpoint(url: String, _ result: TransferResult) -> EndpointFacts {
        let t = result.timings
        let timings: Timings? =
            result.responseCode > 0
            ? Timings(
                dnsMS: ms(t.nameLookupUS), connectMS: ms(t.connectUS),
                tlsMS: t.appConnectUS > 0 ? ms(t.appConnectUS - t.connectUS) : 0,
                ttfbMS: ms(max(0, t.startTransferUS - t.preTransferUS)), totalMS: ms(t.totalUS)) : nil
        let version: String? =
            switch result.httpVersion {
            case 10: "1.0"
            case 11: "1.1"
            case 20: "2"
            case 30: "3"
            default: nil
            }
        return EndpointFacts(
            url: url, status: result.responseCode > 0 ? result.responseCode : nil, httpVersion: version,
            address: result.primaryIP, timings: timings,
            failure: result.responseCode > 0 ? nil : result.failure.map(failure))
    }

    static func ms(_ microseconds: Int) -> Double { (Double(microseconds) / 100).rounded() / 10 }

    static func failure(_ failure: TransferFailure) -> ProbeFailure {
        ProbeFailure(
            kind: FailureKind(rawValue: failure.kind.rawValue) ?? .other, curlCode: failure.curlCode,
            message: String(failure.message.prefix(256)))
    }

    private func timed<T: Sendable>(_ body: () async -> T) async -> (T, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = await body()
        return (value, Int((clock.now - start) / .milliseconds(1)))
    }
}

/// One site's time budget: every request gets what is left of it.
struct Budget: Sendable {
    let deadline: ContinuousClock.Instant
    let options: ProbeOptions

    func remainingMS() -> Int {
        max(0, Int((deadline - ContinuousClock.now) / .milliseconds(1)))
    }

    func connectMS() -> Int {
        max(1, min(remainingMS(), Int(options.connectTimeoutSeconds * 1000)))
    }
}
