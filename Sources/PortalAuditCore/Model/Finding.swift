/// The outcome of one rule for one portal.
public enum FindingStatus: String, Codable, Sendable, Equatable, CaseIterable {
    /// The portal meets the rule.
    case pass
    /// The portal does not meet the rule.
    case fail
    /// The probes could not tell (missing or failed observation): never counted as pass or fail.
    case inconclusive
    /// The rule does not apply (e.g. no cookies to check, an active probe without authorisation).
    case notApplicable = "not_applicable"
}

/// Whether a failing rule blocks the verdict (set by the profile, not the rule).
public enum Requirement: String, Codable, Sendable, Equatable, CaseIterable {
    /// A failure makes the portal fail its level.
    case required
    /// A failure makes the verdict `warn`.
    case recommended
}

/// How serious a failure is, ordered `info < low < medium < high < critical`.
public enum Severity: String, Codable, Sendable, Equatable, CaseIterable, Comparable {
    /// Worth knowing; no risk by itself.
    case info
    /// A minor weakness.
    case low
    /// A weakness an attacker can use with effort.
    case medium
    /// A weakness that exposes visitors or the service.
    case high
    /// The portal is unusable or its visitors are exposed now.
    case critical

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One rule's judgement of one portal.
public struct Finding: Codable, Sendable, Equatable {
    public var rule: String
    public var status: FindingStatus
    public var requirement: Requirement
    public var severity: Severity
    public var resultCode: String
    public var evidence: [String: String]
    public var title: LocalizedText
    /// The profile's citation for this rule, in Vietnamese, shown verbatim in reports.
    public var source: String
    /// The same citation in English (Vietnamese document names kept as they are), when the profile gives it.
    public var sourceEN: String?
    /// How sure the citation is: `verified`, `secondary`, `tool default`.
    public var confidence: String?

    enum CodingKeys: String, CodingKey {
        case rule, status, requirement, severity, evidence, title, source, confidence
        case resultCode = "result_code"
        case sourceEN = "source_en"
    }

    /// The citation in `language` (English falls back to the Vietnamese text when the profile has none).
    public func source(_ language: Language) -> String { language == .en ? sourceEN ?? source : source }

    public init(
        rule: String, status: FindingStatus, requirement: Requirement, severity: Severity, resultCode: String,
        evidence: [String: String], title: LocalizedText, source: String, sourceEN: String? = nil,
        confidence: String? = nil
    ) {
        self.rule = rule
        self.status = status
        self.requirement = requirement
        self.severity = severity
        self.resultCode = resultCode
        self.evidence = evidence
        self.title = title
        self.source = source
        self.sourceEN = sourceEN
        self.confidence = confidence
    }
}
