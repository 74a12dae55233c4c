import Foundation
import PortalAuditCore
import PortalAuditStore

/// Re-judges a stored run from its raw observations: another profile, no new traffic.
public struct Regrader: Sendable {
    public var profileLoader: ProfileLoader

    public init(profileLoader: ProfileLoader = ProfileLoader(searchPaths: ProfileLoader.defaultSearchPaths())) {
        self.profileLoader = profileLoader
    }

    /// The report of run `runID` (the latest when nil), judged by `profile` when given, else as stored.
    ///
    /// `now` only closes a run that never finished; every judgement uses the time of its observation.
    ///
    /// - Throws: `InputIssues` for a bad profile or an unknown run; `StoreError` for the database.
    public func report(store: AuditStore, runID: Int64?, profile reference: String?, now: Date = Date())
        async throws -> ReportDocument
    {
        guard let run = try await store.run(runID) else {
            throw InputIssues([
                InputIssue(
                    file: store.database.location, field: "--run",
                    problem: runID.map { "no run \($0) in this database" } ?? "the database holds no run")
            ])
        }
        let stored = try await store.observedResults(run: run.id)
        let profile = try profileLoader.load(
            reference ?? run.profile.split(separator: "@").first.map(String.init) ?? "vn-level2")
        let sites: [SiteResult]
        if reference == nil {
            sites = stored.map(\.result)
        } else {
            // Each portal is judged as of when it was observed, not today: a certificate valid at scan
            // time stays valid in the report, a portal fresh then stays fresh.
            sites = stored.map { site, observedAt in
                let evaluation = Evaluator.evaluate(
                    site.observation, profile: profile, context: EvaluationContext(now: observedAt, target: site.target)
                )
                var regraded = site
                regraded.profile = profile.reference
                regraded.findings = evaluation.findings
                regraded.verdict = evaluation.verdict
                regraded.score = evaluation.score
                regraded.grade = evaluation.grade
                return regraded
            }
        }
        return ReportDocument(
            profile: profile, startedAt: run.startedAt, finishedAt: run.finishedAt ?? now, sites: sites)
    }
}
