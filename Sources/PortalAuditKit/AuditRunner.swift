import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditProbes

/// Orchestrates an audit: validates all input before any traffic, probes, evaluates, returns the report.
public struct AuditRunner: Sendable {
    public var profileLoader: ProfileLoader
    let runtime: CurlRuntime

    public init(profileLoader: ProfileLoader = ProfileLoader(searchPaths: ProfileLoader.defaultSearchPaths())) {
        self.profileLoader = profileLoader
        self.runtime = .shared
    }

    /// A validated check: the resolved profile and parsed targets.
    public struct PreparedCheck: Sendable {
        public var profile: Profile
        public var targets: [Target]
        public var request: CheckRequest
    }

    /// Validates every input of `request` and reports all problems together.
    ///
    /// - Throws: `InputIssues` (exit 64) before any traffic is sent.
    public func prepare(_ request: CheckRequest) throws(InputIssues) -> PreparedCheck {
        var issues: [InputIssue] = []
        var targets: [Target] = []
        for text in request.targets {
            if let target = Target.parse(text, httpPort: request.httpPort) {
                targets.append(target)
            } else {
                issues.append(
                    InputIssue(
                        file: "<command line>", field: "TARGET",
                        problem: "'\(text)' is not a host name or an http(s) URL (example: https://xa-abc.tinh.gov.vn/)"
                    ))
            }
        }
        for entry in request.probe.resolve {
            if let problem = NamePins.validate(entry) {
                issues.append(InputIssue(file: "<command line>", field: "--resolve", problem: problem))
            }
        }
        if let perAddress = request.probe.connectionsPerAddress, !(1...4096).contains(perAddress) {
            issues.append(
                InputIssue(file: "<command line>", field: "--per-address", problem: "expected 1…4096 connections"))
        }
        if !(0.1...600).contains(request.probe.timeoutSeconds) {
            issues.append(
                InputIssue(file: "<command line>", field: "--timeout", problem: "expected seconds in 0.1…600"))
        }
        if let caFile = request.caFile {
            do {
                try runtime.trust(extraCAFile: caFile)
            } catch {
                issues.append(InputIssue(file: caFile, field: "--ca-file", problem: error.description))
            }
        }
        var profile: Profile?
        do {
            profile = try profileLoader.load(request.profile)
        } catch {
            issues.append(contentsOf: error.issues)
        }
        guard issues.isEmpty, let profile else { throw InputIssues(issues) }
        return PreparedCheck(profile: profile, targets: targets, request: request)
    }

    /// Fails unless the system CA store has certificates: without them every portal would be graded
    /// "untrusted", silently.
    ///
    /// - Throws: `CurlConfigurationError.noSystemAnchors` (the tool's own problem: exit 70).
    public func checkTrustStore() throws(CurlConfigurationError) {
        try runtime.checkSystemStore()
    }

    /// Probes and judges every target of a prepared check, a few at a time.
    ///
    /// - Throws: `LocalResourceError` when this machine ran out of descriptors: no verdict is given then,
    ///   since the failure was the auditor's, not the portal's.
    /// A portal where nothing answered is asked again `confirmOutagesAfterSeconds` later (`onRetry` hears
    /// of it first, for a waiting user); only a second silence makes it down.
    /// - Parameter clock: the time the check runs on (its start and end, the confirmation's wait).
    public func run(
        _ check: PreparedCheck, clock: KitClock = .system, onRetry: @Sendable (Target, Int) -> Void = { _, _ in }
    ) async throws(LocalResourceError) -> ReportDocument {
        let started = clock.now()
        let options = check.request.probe
        let prober = SiteProber(runtime: runtime, options: options)
        let profile = check.profile
        var outcomes = await boundedMap(check.targets, limit: 8) { target in (target, await prober.probe(target)) }
        let silent = outcomes.indices.filter { OutageConfirmation.needed(outcomes[$0].1, options) }
        if !silent.isEmpty {
            for index in silent { onRetry(outcomes[index].0, options.confirmOutagesAfterSeconds) }
            let waited = options.confirmOutagesAfterSeconds
            try? await clock.sleep(.seconds(waited))
            let again = await boundedMap(silent.map { outcomes[$0].0 }, limit: 8) { await prober.probe($0) }
            for (index, second) in zip(silent, again) {
                outcomes[index].1 = OutageConfirmation.merge(first: outcomes[index].1, second: second, waited: waited)
            }
        }
        if let failure = outcomes.lazy.compactMap(\.1.localFailure).first { throw LocalResourceError(failure: failure) }
        let results = outcomes.map { target, outcome in
            Self.judge(target: target, outcome: outcome, profile: profile, now: outcome.observedAt)
        }
        return ReportDocument(profile: profile, startedAt: started, finishedAt: clock.now(), sites: results)
    }

    /// Evaluates one probed site.
    static func judge(target: Target, outcome: SiteProber.Outcome, profile: Profile, now: Date) -> SiteResult {
        let evaluation = Evaluator.evaluate(
            outcome.observation, profile: profile, context: EvaluationContext(now: now, target: target))
        return SiteResult(
            target: target, profile: profile.reference, verdict: evaluation.verdict, score: evaluation.score,
            grade: evaluation.grade, durationMS: outcome.durationMS, cost: outcome.cost, probes: outcome.probes,
            observation: outcome.observation, findings: evaluation.findings)
    }

    /// Refuses any connection outside loopback (tests and the lab demo).
    public func restrictToLoopback(_ on: Bool) { runtime.restrictToLoopback(on) }

    /// TCP sockets opened by this process so far.
    public var socketsOpened: Int { runtime.socketsOpened }

    /// Sizes libcurl's idle-connection cache for `sites` probed at once.
    public func keepIdleConnections(forSites sites: Int) { runtime.keepIdleConnections(forSites: sites) }

    /// The open-descriptor limit of this process (raised to the hard limit at start).
    public var descriptorLimit: Int { runtime.descriptorLimit }
}

/// This machine ran out of file descriptors (or memory for sockets) while probing.
public struct LocalResourceError: Error, Sendable, CustomStringConvertible {
    public var failure: TransferFailure

    public var description: String {
        "stopped: \(failure.message); results so far are kept, and no portal was judged on this failure"
    }
}

/// Maps `items` with at most `limit` bodies in flight; output keeps input order.
func boundedMap<T: Sendable, R: Sendable>(
    _ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R
) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        for (index, item) in items.enumerated() {
            if index >= limit, let (done, value) = await group.next() { results[done] = value }
            group.addTask { (index, await body(item)) }
        }
        for await (index, value) in group { results[index] = value }
        return results.compactMap { $0 }
    }
}
