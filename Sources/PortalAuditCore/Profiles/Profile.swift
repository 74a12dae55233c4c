/// One rule as a profile sets it: requirement, parameters, severity and the citation of its basis.
public struct ProfileRule: Sendable, Equatable {
    public var requirement: Requirement
    public var parameters: RuleParameters
    public var severity: Severity
    /// The legal or technical basis, shown verbatim in reports.
    public var source: String
    /// The citation in English, when the profile gives one (`source: { vi: …, en: … }`).
    public var sourceEN: String?
    /// `verified`, `secondary`, `tool default`.
    public var confidence: String?
    /// Which profile file set each field last (for `profiles show`).
    public var origin: [String: String]

    public init(
        requirement: Requirement, parameters: RuleParameters, severity: Severity, source: String,
        sourceEN: String? = nil, confidence: String?, origin: [String: String] = [:]
    ) {
        self.requirement = requirement
        self.parameters = parameters
        self.severity = severity
        self.source = source
        self.sourceEN = sourceEN
        self.confidence = confidence
        self.origin = origin
    }
}

/// How findings become a score and a grade.
public struct Grading: Sendable, Equatable {
    /// Weight of a rule by its severity.
    public var weights: [Severity: Int]
    /// Minimum score per grade, best first (`A` ≥ 90 …); below the last is `F`.
    public var grades: [(grade: String, minimum: Int)]

    public static let standard = Grading(
        weights: [.critical: 10, .high: 6, .medium: 3, .low: 1, .info: 0],
        grades: [("A", 90), ("B", 80), ("C", 65), ("D", 50), ("E", 35)])

    public init(weights: [Severity: Int], grades: [(grade: String, minimum: Int)]) {
        self.weights = weights
        self.grades = grades
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.weights == rhs.weights && lhs.grades.map(\.grade) == rhs.grades.map(\.grade)
            && lhs.grades.map(\.minimum) == rhs.grades.map(\.minimum)
    }

    /// The grade for `score`, `F` when below every threshold.
    public func grade(for score: Int) -> String {
        grades.first { score >= $0.minimum }?.grade ?? "F"
    }
}

/// A resolved profile: every rule it holds after `extends`, with its parameters filled in.
public struct Profile: Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    /// The chain of profile ids this one inherits from, nearest first.
    public var ancestry: [String]
    public var rules: [String: ProfileRule]
    public var grading: Grading
    /// `sha256:` of the YAML texts that made it, own file last.
    public var digest: String

    public init(
        id: String, version: Int, title: LocalizedText, ancestry: [String], rules: [String: ProfileRule],
        grading: Grading, digest: String
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.ancestry = ancestry
        self.rules = rules
        self.grading = grading
        self.digest = digest
    }

    public var reference: ProfileReference { ProfileReference(id: id, version: version) }

    /// The rule ids, sorted.
    public var ruleIDs: [String] { rules.keys.sorted() }
}
