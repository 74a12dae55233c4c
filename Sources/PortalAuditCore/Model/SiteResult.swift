/// A portal's overall verdict against its profile.
public enum Verdict: String, Codable, Sendable, Equatable, CaseIterable {
    /// Every rule the profile holds passed (or did not apply).
    case pass
    /// Only recommended rules failed.
    case warn
    /// No required rule failed, but at least one required rule could not be judged.
    case incomplete
    /// A required rule failed, or the portal is unreachable.
    case fail

    /// Worst first: `fail` < `incomplete` < `warn` < `pass` (a "worse" verdict compares lower).
    public var rank: Int {
        switch self {
        case .fail: 0
        case .incomplete: 1
        case .warn: 2
        case .pass: 3
        }
    }
}

/// Whether one probe ran, and how long it took.
/// The probes a site's audit runs, in the order reports list them.
public enum ProbeKind: String, Codable, Sendable, CaseIterable {
    case reachability, tls, certificate, redirect, headers, content, exposure, ipv6
}

public struct ProbeAttempt: Codable, Sendable, Equatable {
    /// How a probe ended.
    public enum Status: String, Codable, Sendable, Equatable {
        /// It ran and recorded its facts.
        case completed
        /// It ran but could not record its facts (see `failure`).
        case failed
        /// It was not run (not part of this capability, or nothing to probe).
        case notScheduled = "not_scheduled"
    }

    public var kind: ProbeKind
    public var status: Status
    public var durationMS: Int
    public var failure: ProbeFailure?

    enum CodingKeys: String, CodingKey {
        case kind, status, failure
        case durationMS = "duration_ms"
    }

    public init(kind: ProbeKind, status: Status, durationMS: Int, failure: ProbeFailure? = nil) {
        self.kind = kind
        self.status = status
        self.durationMS = durationMS
        self.failure = failure
    }
}

/// What auditing one portal cost the network: the figure that keeps "fast" honest.
public struct ProbeCost: Codable, Sendable, Equatable {
    /// TCP connections established.
    public var connections: Int
    /// TLS handshakes attempted (accepted or refused by the server).
    public var tlsHandshakes: Int
    public var requests: Int

    enum CodingKeys: String, CodingKey {
        case connections, requests
        case tlsHandshakes = "tls_handshakes"
    }

    public init(connections: Int, tlsHandshakes: Int, requests: Int) {
        self.connections = connections
        self.tlsHandshakes = tlsHandshakes
        self.requests = requests
    }
}

/// The profile that judged a site: `id@version`.
public struct ProfileReference: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    public var label: String { "\(id)@\(version)" }
}

/// Everything known about one audited portal: what was seen and how it was judged.
public struct SiteResult: Codable, Sendable, Equatable {
    public var target: Target
    public var profile: ProfileReference
    public var verdict: Verdict
    public var score: Int
    public var grade: String
    public var durationMS: Int
    public var cost: ProbeCost
    public var probes: [ProbeAttempt]
    public var observation: Observation
    public var findings: [Finding]

    enum CodingKeys: String, CodingKey {
        case target, profile, verdict, score, grade, cost, probes, observation, findings
        case durationMS = "duration_ms"
    }

    public init(
        target: Target, profile: ProfileReference, verdict: Verdict, score: Int, grade: String, durationMS: Int,
        cost: ProbeCost, probes: [ProbeAttempt], observation: Observation, findings: [Finding]
    ) {
        self.target = target
        self.profile = profile
        self.verdict = verdict
        self.score = score
        self.grade = grade
        self.durationMS = durationMS
        self.cost = cost
        self.probes = probes
        self.observation = observation
        self.findings = findings
    }
}
