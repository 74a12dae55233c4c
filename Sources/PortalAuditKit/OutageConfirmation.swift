import Foundation
import PortalAuditCore
import PortalAuditProbes

/// A portal where nothing answered is asked again, at least `ProbeOptions.confirmOutagesAfterSeconds`
/// later, before it is called down: one silent attempt (a restart, a dropped route) is not an outage.
enum OutageConfirmation {
    /// Whether `outcome` needs a second attempt under `options`.
    static func needed(_ outcome: SiteProber.Outcome, _ options: ProbeOptions) -> Bool {
        options.confirmOutagesAfterSeconds > 0 && outcome.localFailure == nil
            && outcome.observation.reachability?.nothingAnswered == true
    }

    /// The result of two attempts `waited` seconds apart on the scan's clock: still silent, the first
    /// attempt's facts marked confirmed; answered, the second attempt's facts. Either way the cost and time
    /// of both are counted.
    static func merge(first: SiteProber.Outcome, second: SiteProber.Outcome, waited: Int) -> SiteProber.Outcome {
        var merged = second
        if second.localFailure == nil, second.observation.reachability?.nothingAnswered == true {
            merged = first
            merged.probes += second.probes
            merged.observedAt = second.observedAt
            let between = Int(second.observedAt.timeIntervalSince(first.observedAt).rounded(.down))
            merged.observation.reachability?.confirmedAfterSeconds = max(waited, between)
        }
        merged.cost = ProbeCost(
            connections: first.cost.connections + second.cost.connections,
            tlsHandshakes: first.cost.tlsHandshakes + second.cost.tlsHandshakes,
            requests: first.cost.requests + second.cost.requests)
        merged.durationMS = first.durationMS + second.durationMS
        return merged
    }
}
