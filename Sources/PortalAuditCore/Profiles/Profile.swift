/// How sure a citation is, strongest first (`docs/legal-basis.md`, "Thang độ tin cậy"). A citation is
/// labelled by the weakest part it rests on.
public enum Confidence: String, CaseIterable, Sendable {
    case verified
    case mirror = "verified (mirror)"
    case secondary
    case unverified
    case toolDefault = "tool default"
    case assumption

    /// Higher is stronger; the tool's own thresholds and assumptions are the weakest.
    public var strength: Int {
        switch self {
        case .verified: 4
        case .mirror: 3
        case .secondary: 2
        case .unverified: 1
        case .toolDefault, .assumption: 0
        }
    }

    /// The label reports show.
    public var title: LocalizedText {
        switch self {
        case .verified: LocalizedText(en: "verified (original text)", vi: "đã kiểm chứng (văn bản gốc)")
        case .mirror: LocalizedText(en: "verified (copy of the text)", vi: "đã kiểm chứng (bản sao)")
        case .secondary: LocalizedText(en: "secondary source", vi: "nguồn thứ cấp")
        case .unverified: LocalizedText(en: "not yet verified", vi: "chưa xác minh")
        case .toolDefault: LocalizedText(en: "tool default", vi: "mặc định của công cụ")
        case .assumption: LocalizedText(en: "assumption", vi: "giả định")
        }
    }

    /// The label of a stored confidence text, in `language`; unknown texts are shown as stored.
    public static func label(_ raw: String?, _ language: Language) -> String? {
        guard let raw else { return nil }
        return Confidence(rawValue: raw)?.title(language) ?? raw
    }
}

/// One rule as a profile sets it: requirement, parameters, severity and the citation of its basis.
public struct ProfileRule: Sendable, Equatable {
    public var requirement: Requirement
    public var parameters: RuleParameters
    public var severity: Severity
    /// The legal or technical basis, shown verbatim in reports.
    public var source: String
    /// The citation in English, when the profile gives one (`source: { vi: …, en: … }`).
    public var sourceEN: String?
    /// How sure the citation is, a `Confidence` raw value (`verified`, `secondary`, `tool default`…).
    public var confidence: String?
    /// The keys of `docs/legal-basis.md` the citation rests on.
    public var basis: [String]
    /// Which profile file set each field last (for `profiles show`).
    public var origin: [String: String]

    public init(
        requirement: Requirement, parameters: RuleParameters, severity: Severity, source: String,
        sourceEN: String? = nil, confidence: String?, basis: [String] = [], origin: [String: String] = [:]
    ) {
        self.requirement = requirement
        self.parameters = parameters
        self.severity = severity
        self.source = source
        self.sourceEN = sourceEN
        self.confidence = confidence
        self.basis = basis
        self.origin = origin
    }
}

/// How findings become a score and a grade (`docs/grading.md`).
///
/// The score starts at 100 and loses each unmet rule's penalty, by severity (Mozilla Observatory's
/// way); the grade is the first whose minimum the score reaches, lowered to a cap when a recommendation
/// of a capping severity is unmet (SSL Labs' way). A required failure is `F` whatever the score.
public struct Grading: Sendable, Equatable {
    /// Points lost per unmet rule, by severity.
    public var penalties: [Severity: Int]
    /// Minimum score per grade, best first (`A` needs 100: nothing missing); `F` is only for failures.
    public var grades: [(grade: String, minimum: Int)]
    /// The best grade a portal can have while a recommendation of this severity is unmet.
    public var caps: [Severity: String]

    public static let standard = Grading(
        penalties: [.critical: 30, .high: 15, .medium: 10, .low: 5, .info: 0],
        grades: [("A", 100), ("B", 85), ("C", 70), ("D", 50), ("E", 0)], caps: [.high: "C", .critical: "D"])

    public init(penalties: [Severity: Int], grades: [(grade: String, minimum: Int)], caps: [Severity: String]) {
        self.penalties = penalties
        self.grades = grades
        self.caps = caps
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.penalties == rhs.penalties && lhs.grades.map(\.grade) == rhs.grades.map(\.grade)
            && lhs.grades.map(\.minimum) == rhs.grades.map(\.minimum) && lhs.caps == rhs.caps
    }

    /// The grade for `score` alone, the last grade when below every threshold.
    public func grade(for score: Int) -> String {
        grades.first { score >= $0.minimum }?.grade ?? grades.last?.grade ?? "E"
    }

    /// The worse of two grades of this table (`F` is worse than all).
    public func worse(_ a: String, _ b: String) -> String {
        let order = grades.map(\.grade) + ["F"]
        return (order.firstIndex(of: a) ?? order.count) >= (order.firstIndex(of: b) ?? order.count) ? a : b
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
    /// What an outside scan cannot tell at this level: evidence the operator must show, inherited first.
    public var unverifiable: [LocalizedText]
    /// `sha256:` of the YAML texts that made it, own file last.
    public var digest: String

    public init(
        id: String, version: Int, title: LocalizedText, ancestry: [String], rules: [String: ProfileRule],
        grading: Grading, unverifiable: [LocalizedText] = [], digest: String
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.ancestry = ancestry
        self.rules = rules
        self.grading = grading
        self.unverifiable = unverifiable
        self.digest = digest
    }

    public var reference: ProfileReference { ProfileReference(id: id, version: version) }

    /// The rule ids, sorted.
    public var ruleIDs: [String] { rules.keys.sorted() }
}
