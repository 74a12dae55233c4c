import CurlClient
import Foundation
import PortalAuditCore

/// Exposed files and listings: a handful of content-checked requests on one reused connection, only in an
/// authorised audit.
struct ExposureProbe: AreaProbe {
    static let kind = ProbeKind.exposure
    /// The home page the home-page probe fetched (nothing is tried on a portal that did not answer).
    let home: TransferResult

    func run(_ context: ProbeContext) async -> ProbeRun<[ExposureCheckFacts]?> {
        let target = context.target
        guard context.options.authorised, home.responseCode > 0 else { return ProbeRun(facts: nil, results: []) }
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "")
        var checks: [ExposureCheckFacts] = []
        var results: [TransferResult] = []
        for check in ExposureSignatures.checks {
            guard context.budget.remainingMS() > 0,
                let request = context.fetch(
                    root + check.path, cap: 64 << 10, timeoutMS: ContentProbe.contentFetchTimeoutMS)
            else {
                checks.append(
                    ExposureCheckFacts(path: check.path, kind: check.kind.rawValue, status: nil, matched: false))
                continue
            }
            let result = await context.perform(request)
            results.append(result)
            let status = result.responseCode > 0 ? result.responseCode : nil
            let matched = result.responseCode == 200 && check.matches(result.body)
            checks.append(
                ExposureCheckFacts(
                    path: check.path, kind: check.kind.rawValue, status: status, matched: matched,
                    failure: status == nil ? result.failure.map(TransferFacts.failure) : nil))
        }
        return ProbeRun(facts: checks, results: results)
    }
}
