import Foundation

/// The versions that travel with every result. Each is defined here and nowhere else.
public enum PortalAuditVersion {
    /// The tool's release.
    public static let tool = "0.1.0"
    /// The JSON report contract (`docs/report-schema.json`); bumped only for a breaking change.
    public static let reportSchema = 1
}

/// Counts of verdicts: the one shape the scan's progress, the store, the reports and their units share.
public struct VerdictSummary: Codable, Sendable, Equatable {
    public var sites = 0
    public var pass = 0
    public var warn = 0
    public var incomplete = 0
    public var fail = 0

    public init() {}

    public init(_ results: [SiteResult]) {
        for result in results { add(result.verdict) }
    }

    /// Counts one more portal with `verdict`.
    public mutating func add(_ verdict: Verdict, count: Int = 1) {
        sites += count
        switch verdict {
        case .pass: pass += count
        case .warn: warn += count
        case .incomplete: incomplete += count
        case .fail: fail += count
        }
    }
}

/// The profile of a run, as the JSON contract shows it.
public struct ProfileHeader: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var digest: String

    public init(_ profile: Profile) {
        id = profile.id
        version = profile.version
        title = profile.title
        digest = profile.digest
    }
}

/// The root of a JSON report (DESIGN §8).
public struct ReportDocument: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    public var toolVersion: String
    public var evaluationVersion: Int
    public var profile: ProfileHeader
    public var startedAt: Date
    public var finishedAt: Date
    public var summary: VerdictSummary
    public var sites: [SiteResult]

    enum CodingKeys: String, CodingKey {
        case profile, summary, sites
        case schemaVersion = "schema_version"
        case toolVersion = "tool_version"
        case evaluationVersion = "evaluation_version"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// A report over `sites`, sorted by URL, findings sorted by rule.
    public init(profile: Profile, startedAt: Date, finishedAt: Date, sites: [SiteResult]) {
        schemaVersion = PortalAuditVersion.reportSchema
        toolVersion = PortalAuditVersion.tool
        evaluationVersion = Evaluator.version
        self.profile = ProfileHeader(profile)
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        let sorted = sites.sorted { $0.target.url < $1.target.url }.map { site -> SiteResult in
            var copy = site
            copy.findings.sort { $0.rule < $1.rule }
            return copy
        }
        self.summary = VerdictSummary(sorted)
        self.sites = sorted
    }
}
