import CurlClient
import Foundation
import PortalAuditCore

/// Plans one site's area probes and assembles their facts into an `Observation`.
///
/// Four chains run side by side, one connection at a time within each: the home page (`HomePageProbe`,
/// then `ContentProbe` and `ExposureProbe`, which read what it fetched), `TLSProbe`, `RedirectProbe` and
/// `IPv6Probe`. Every request draws on one budget (`timeoutSeconds`): a site that hangs costs at most
/// that, and the site is admitted to its resolved address under the per-address limit first.
public struct SiteProber: Sendable {
    let runtime: CurlRuntime
    public let options: ProbeOptions
    /// Fleet-wide: how many sites hold each address (one prober serves a whole scan).
    let admission = AddressAdmission()
    /// Fleet-wide: issuer certificates (AIA) and CRLs fetched, by URL.
    let documents = DocumentCache()

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
    /// This machine's name, recorded as the scan's vantage point.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

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
        let context = ProbeContext(
            runtime: runtime, options: options, target: target, pins: pins, budget: budget,
            egress: pins.egress(for: target))

        async let main = timed { await HomePageProbe(documents: documents).run(context) }
        async let tls = timed { await TLSProbe().run(context) }
        async let redirect = timed { await RedirectProbe(origin: scope).run(context) }
        async let ipv6 = timed { await IPv6Probe().run(context) }
        let (homeRun, mainMS) = await main
        let home = homeRun.facts
        let (content, contentMS) = await timed { await ContentProbe(home: home.home).run(context) }
        let (exposure, exposureMS) = await timed { await ExposureProbe(home: home.home).run(context) }
        let (tlsRun, tlsMS) = await tls
        let (redirectRun, redirectMS) = await redirect
        let (ipv6Run, ipv6MS) = await ipv6

        var observation = Observation()
        let redirectFacts = redirectRun.facts.redirect
        let httpEndpoint = redirectRun.facts.http
        observation.reachability = ReachabilityFacts(
            https: home.https, http: httpEndpoint, legacyTLSOnly: home.legacyOnly ? true : nil)
        observation.redirect = redirectFacts
        observation.tls = TLSProbe.mergeNegotiated(tlsRun.facts.tls, home.home.handshake)
        // A server OpenSSL cannot talk to at all (SSLv3 or RC4 only): its chain is the raw hello's.
        observation.certificate =
            home.certificate ?? HomePageProbe.certificate(raw: tlsRun.facts.certificates, host: target.host)
        observation.headers = home.headers
        observation.cookies = home.cookies
        observation.page = home.page
        if home.headers == nil, let first = redirectRun.results.first, (200..<300).contains(first.responseCode),
            let url = redirectFacts.hops.first?.url
        {
            // An HTTP-only portal: its plain page's headers and cookies are judged all the same.
            let read = await HomePageProbe.read(first, url: url)
            observation.headers = read.headers
            observation.cookies = read.cookies
            observation.page = read.page
        }
        observation.content = content.facts
        observation.exposure = exposure.facts
        observation.ipv6 = ipv6Run.facts
        observation.authorised = options.authorised
        observation.authorisation = options.authorised ? options.authorisation : nil
        observation.vantage = Vantage(host: Self.hostName, label: options.vantage)

        let failure = home.home.failure.map(TransferFacts.failure)
        func attempt(_ kind: ProbeKind, _ recorded: Bool, _ ms: Int, _ failure: ProbeFailure?) -> ProbeAttempt {
            ProbeAttempt(
                kind: kind, status: recorded ? .completed : .failed, durationMS: ms, failure: recorded ? nil : failure)
        }
        let probes = [
            ProbeAttempt(
                kind: HomePageProbe.kind,
                status: home.home.responseCode > 0 || httpEndpoint?.status != nil ? .completed : .failed,
                durationMS: mainMS, failure: failure),
            attempt(TLSProbe.kind, observation.tls != nil, tlsMS, failure),
            attempt(.certificate, observation.certificate != nil, mainMS, failure),
            ProbeAttempt(
                kind: RedirectProbe.kind, status: redirectFacts.hops.first?.status != nil ? .completed : .failed,
                durationMS: redirectMS, failure: redirectFacts.hops.first?.failure),
            attempt(.headers, observation.headers != nil, mainMS, failure),
            attempt(ContentProbe.kind, content.facts != nil, contentMS, failure),
            ProbeAttempt(
                kind: ExposureProbe.kind,
                status: options.authorised ? (exposure.facts != nil ? .completed : .failed) : .notScheduled,
                durationMS: exposureMS),
            ProbeAttempt(kind: IPv6Probe.kind, status: .completed, durationMS: ipv6MS),
        ]
        var all: [TransferResult] = homeRun.results + tlsRun.results + redirectRun.results
        all += content.results + exposure.results + ipv6Run.results
        let cost = ProbeCost(
            connections: all.reduce(0) { $0 + $1.connections }, tlsHandshakes: all.filter { $0.tlsAttempted }.count,
            requests: all.count)
        return Outcome(
            observation: observation, probes: probes, cost: cost,
            durationMS: Int((clock.now - started) / .milliseconds(1)),
            localFailure: all.lazy.compactMap(\.failure).first { $0.kind == .localResources })
    }

    private func timed<T: Sendable>(_ body: () async -> T) async -> (T, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = await body()
        return (value, Int((clock.now - start) / .milliseconds(1)))
    }
}
