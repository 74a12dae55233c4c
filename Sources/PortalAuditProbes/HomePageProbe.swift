import CurlClient
import Foundation
import PortalAuditCore

/// The home page over HTTPS on the verdict handshake (trust store and host check): reachability, the
/// certificate, headers, cookies and the page. Content and exposure start from what it fetched.
struct HomePageProbe: AreaProbe {
    static let kind = ProbeKind.reachability

    /// The home page's facts, and the result content and exposure read further.
    struct Facts: Sendable {
        var https: EndpointFacts
        var certificate: CertificateFacts?
        var headers: HeaderFacts?
        var cookies: [CookieFacts]?
        var page: PageFacts?
        var home: TransferResult
    }

    func run(_ context: ProbeContext) async -> ProbeRun<Facts> {
        let target = context.target
        var request = context.request(target.httpsURL, host: target.host, port: target.httpsPort)
        request.verification = .record(host: target.host)
        let home = await context.perform(request)
        var facts = Facts(https: TransferFacts.endpoint(url: target.httpsURL, home), home: home)
        if let handshake = home.handshake {
            facts.certificate = Self.certificate(handshake, host: target.host)
        }
        if home.responseCode > 0 {
            let (fields, cookies, title) = await ParseWorker.run {
                let raw = HeaderLines.fields(home.headerLines)
                let cookies = raw.filter { $0.name == "set-cookie" }.compactMap { CookieParser.parse($0.value) }
                // Cookie values (session ids, balancer cookies naming internal hosts) are dropped here,
                // before anything is stored or reported: names and flags are all the rules need.
                let fields = raw.map {
                    $0.name == "set-cookie" ? HeaderField(name: $0.name, value: CookieParser.redacted($0.value)) : $0
                }
                return (fields, cookies, HTMLTitle.extract(home.body))
            }
            facts.headers = HeaderFacts(
                url: target.httpsURL, status: home.responseCode, fields: fields, truncated: home.headersTruncated)
            facts.cookies = cookies
            facts.page = PageFacts(title: title, bytes: home.body.count, truncated: home.bodyTruncated)
        }
        return ProbeRun(facts: facts, results: [home])
    }

    static func certificate(_ handshake: HandshakeFacts, host: String) -> CertificateFacts {
        CertificateFacts(
            chain: handshake.chain,
            verifyErrors: handshake.verifyErrors.map {
                VerifyError(code: $0.code, depth: $0.depth, message: x509ErrorDescription($0.code))
            },
            checkedHost: host)
    }
}

/// The monitor's availability sample: one light `GET` of the HTTPS home page on a fresh connection, body
/// capped at 64 KiB, judged by `AvailabilityPolicy` (docs/uptime.md).
public struct AvailabilitySampler: Sendable {
    let runtime: CurlRuntime
    let options: ProbeOptions

    public init(runtime: CurlRuntime = .shared, options: ProbeOptions) {
        self.runtime = runtime
        self.options = options
    }

    /// Samples `target`, giving up after `timeoutMS`; `nil` when the sample was cancelled (the monitor is
    /// stopping): a cancelled request says nothing about the portal.
    public func sample(_ target: Target, timeoutMS: Int, at date: @Sendable () -> Date = { Date() }) async
        -> UptimeSample?
    {
        let pins = NamePins(entries: options.resolve, target: target)
        var request = TransferRequest(
            url: target.httpsURL, resolve: pins.entries(host: target.host, port: target.httpsPort),
            verification: .record(host: target.host), connectTimeoutMS: min(timeoutMS, 5_000), timeoutMS: timeoutMS,
            maxBodyBytes: 64 << 10, userAgent: options.userAgent)
        request.allowHTTP2 = false
        let result = await runtime.perform(request)
        if Task.isCancelled && result.failure?.kind == .cancelled { return nil }
        let status = result.responseCode > 0 ? result.responseCode : nil
        let up = status.map { AvailabilityPolicy.serves(status: $0, bodyBytes: result.body.count) } ?? false
        let cause = up ? nil : (status.map { "http \($0)" } ?? result.failure?.kind.rawValue ?? "no response")
        return UptimeSample(
            at: date(), up: up, status: status, totalMS: Double(result.timings.totalUS) / 1_000, cause: cause)
    }
}
