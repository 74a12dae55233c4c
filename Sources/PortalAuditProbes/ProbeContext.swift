import CurlClient
import Foundation
import PortalAuditCore

/// What every area probe of one site shares: the transfer runtime, the options, the target, its name pins
/// and the site's time budget. Requests built here draw on that budget.
struct ProbeContext: Sendable {
    let runtime: CurlRuntime
    let options: ProbeOptions
    let target: Target
    var pins: NamePins
    let budget: Budget
    /// Where this site's requests may connect: its own addresses and ports, else public web addresses.
    let egress: EgressPolicy

    /// A request for `url` on `host:port` with the site's pins, the egress policy, the budget's timeouts and
    /// the body cap.
    func request(_ url: String, host: String, port: Int) -> TransferRequest {
        var request = TransferRequest(
            url: url, resolve: pins.entries(host: host, port: port), connectTimeoutMS: budget.connectMS(),
            timeoutMS: max(1, budget.remainingMS()), maxBodyBytes: options.maxBodyBytes, userAgent: options.userAgent)
        request.egress = egress
        return request
    }

    /// A request for another URL of the portal (robots.txt, a feed, an exposure path): one reused
    /// connection, HTTP/1.1, a body cap and at most `timeoutMS`.
    func fetch(_ url: String, cap: Int, timeoutMS: Int) -> TransferRequest? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        var request = request(url, host: host, port: port)
        request.maxBodyBytes = cap
        request.timeoutMS = max(1, min(budget.remainingMS(), timeoutMS))
        request.verification = .record(host: host)
        request.reuseConnection = true
        request.allowHTTP2 = false
        return request
    }

    func perform(_ request: TransferRequest) async -> TransferResult { await runtime.perform(request) }

    /// `request`, and once more when nothing came back before its timeout while the site's budget still holds
    /// a whole second attempt: a moment when this machine or the network stalled does not leave a required
    /// criterion unjudged. A server that answered, even wrongly or slowly, is not asked twice. Every transfer
    /// made, the last one deciding.
    func performPatiently(_ request: TransferRequest) async -> [TransferResult] {
        let first = await perform(request)
        guard first.responseCode == 0, first.failure?.kind == .timeout, budget.remainingMS() >= request.timeoutMS
        else { return [first] }
        var again = request
        again.connectTimeoutMS = budget.connectMS()
        return [first, await perform(again)]
    }
}

/// What one area probe found: its facts (optional for the probes that may record none) and every
/// transfer it made.
struct ProbeRun<Facts: Sendable>: Sendable {
    var facts: Facts
    var results: [TransferResult]
}

/// One area's probe: the jobs it runs for a target within the site's budget, and how their results
/// become that area's facts. `SiteProber` plans them; each reports under its `kind`.
protocol AreaProbe: Sendable {
    associatedtype Facts: Sendable
    static var kind: ProbeKind { get }
    func run(_ context: ProbeContext) async -> ProbeRun<Facts>
}

/// Turning libcurl's results into facts, shared by the probes.
enum TransferFacts {
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
            kind: failure.kind, curlCode: failure.curlCode,
            message: String(failure.message.prefix(256)))
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
