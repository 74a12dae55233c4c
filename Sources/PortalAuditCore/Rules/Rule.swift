import Foundation

/// The area a rule belongs to; reports group findings by it, in this order.
public enum RuleArea: String, Codable, Sendable, CaseIterable {
    /// Whether the portal answers.
    case availability
    /// Protocol versions and cipher suites.
    case tls
    /// The certificate and its verification.
    case certificate = "cert"
    /// The HTTP→HTTPS redirect.
    case http
    /// Security response headers.
    case headers
    /// Cookie flags.
    case cookies
    /// Freshness and the information a portal must publish.
    case content
    /// The software the portal announces, against its end of life.
    case software
    /// Files and listings that should not be public (authorised audits only).
    case exposure
    /// Reachability over IPv6.
    case ipv6
    /// Personal data published by mistake.
    case privacy

    /// The area's heading in reports.
    public var title: LocalizedText {
        switch self {
        case .availability: LocalizedText(en: "Availability", vi: "Tính sẵn sàng")
        case .tls: LocalizedText(en: "TLS protocols and ciphers", vi: "Giao thức và bộ mã hóa TLS")
        case .certificate: LocalizedText(en: "Certificate", vi: "Chứng thư số")
        case .http: LocalizedText(en: "HTTPS redirect", vi: "Chuyển hướng sang HTTPS")
        case .headers: LocalizedText(en: "Security headers", vi: "Tiêu đề bảo mật HTTP")
        case .cookies: LocalizedText(en: "Cookies", vi: "Cookie")
        case .content: LocalizedText(en: "Content and mandatory information", vi: "Nội dung và thông tin bắt buộc")
        case .software: LocalizedText(en: "Software versions", vi: "Phiên bản phần mềm")
        case .exposure: LocalizedText(en: "Exposed files", vi: "Tệp tin bị lộ")
        case .ipv6: LocalizedText(en: "IPv6", vi: "IPv6")
        case .privacy: LocalizedText(en: "Personal data", vi: "Dữ liệu cá nhân")
        }
    }
}

/// A rule parameter's value, as a profile sets it.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    /// A whole number.
    case integer(Int)
    /// A string.
    case string(String)

    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .string(let value): value
        }
    }
}

/// What a parameter accepts.
///
/// Every parameter is ordered from loose to strict: a higher integer (a lower one where
/// `lowerIsStricter`, as for time and age limits), or a later choice, is stricter. The profile tests rely
/// on this to check that each level is at least as strict as the one below.
public struct ParameterSpec: Sendable, Equatable {
    /// The accepted type and range.
    public enum Kind: Sendable, Equatable {
        /// A whole number within the range.
        case integer(ClosedRange<Int>)
        /// One of the listed strings.
        case choice([String])
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: ParameterValue
    public var meaning: LocalizedText
    /// A smaller value is the stricter one (limits: milliseconds, days).
    public var lowerIsStricter: Bool

    public init(
        name: String, kind: Kind, defaultValue: ParameterValue, meaning: LocalizedText, lowerIsStricter: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.meaning = meaning
        self.lowerIsStricter = lowerIsStricter
    }

    /// Whether `value` is at least as strict as `other`.
    public func isAtLeastAsStrict(_ value: ParameterValue, as other: ParameterValue) -> Bool {
        switch (kind, value, other) {
        case (.integer, .integer(let a), .integer(let b)): lowerIsStricter ? a <= b : a >= b
        case (.choice(let choices), .string(let a), .string(let b)):
            (choices.firstIndex(of: a) ?? -1) >= (choices.firstIndex(of: b) ?? Int.max)
        default: false
        }
    }

    /// A readable description of the accepted values, for error messages.
    public var expected: String {
        switch kind {
        case .integer(let range): "an integer in \(range.lowerBound)…\(range.upperBound)"
        case .choice(let values): "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        }
    }
}

/// A rule's parameter values as a profile sets them, after the defaults were filled in; rules read them
/// decoded into their typed `Parameters`.
public struct RuleParameters: Sendable, Equatable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }
}

/// The configuration lines that fix a rule on each web server, for the rules one line fixes (headers):
/// reports group them into one block per server when several such rules fail.
public struct ServerDirectives: Sendable, Equatable {
    public var nginx: String
    public var apache: String
    public var iis: String

    public init(nginx: String, apache: String, iis: String) {
        self.nginx = nginx
        self.apache = apache
        self.iis = iis
    }
}

/// The data that describes a rule: identity, texts, citations and parameters.
public struct RuleDescriptor: Sendable {
    public var id: String
    public var area: RuleArea
    public var title: LocalizedText
    public var rationale: LocalizedText
    /// What to change, with nginx and Apache/IIS hints.
    public var advice: LocalizedText
    /// The references the rule's check itself rests on (profiles cite the legal basis).
    public var citations: [String]
    public var defaultSeverity: Severity
    public var parameters: [ParameterSpec]
    /// The one-line fix per server, when there is one.
    public var directives: ServerDirectives?
    /// What to change for a result code whose fix differs from `advice` (each CSP weakness), by code.
    public var codeAdvice: [String: LocalizedText]

    public init(
        id: String, area: RuleArea, title: LocalizedText, rationale: LocalizedText, advice: LocalizedText,
        citations: [String], defaultSeverity: Severity, parameters: [ParameterSpec] = [],
        directives: ServerDirectives? = nil, codeAdvice: [String: LocalizedText] = [:]
    ) {
        self.codeAdvice = codeAdvice
        self.id = id
        self.area = area
        self.title = title
        self.rationale = rationale
        self.advice = advice
        self.citations = citations
        self.defaultSeverity = defaultSeverity
        self.parameters = parameters
        self.directives = directives
    }

    /// What to change for a finding with `code`.
    public func advice(for code: String) -> LocalizedText { codeAdvice[code] ?? advice }

    /// The default value of every declared parameter.
    public var defaultParameters: RuleParameters {
        RuleParameters(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) }))
    }
}

/// What the evaluation may know besides the observation: the clock and the target.
public struct EvaluationContext: Sendable {
    public var now: Date
    public var target: Target

    public init(now: Date, target: Target) {
        self.now = now
        self.target = target
    }
}

/// A rule's result codes: a closed set, with the shared code for missing facts.
public protocol RuleCode: RawRepresentable<String>, CaseIterable, Sendable, Equatable {
    /// The observation section the rule needs is missing, or its probe failed.
    static var missingFacts: Self { get }
}

/// A rule's typed parameters, decoded from the profile's values by explicit `CodingKeys` (see `ParameterDecoder`).
public protocol RuleParameterSet: Decodable, Sendable, Equatable {}

/// The parameters of a rule that takes none.
public struct NoParameters: RuleParameterSet {}

/// A rule's judgement in its own codes, before the profile adds requirement and severity.
public struct Judgement<Code: RuleCode>: Sendable, Equatable {
    public var status: FindingStatus
    public var code: Code
    public var evidence: [String: String]

    public static func pass(_ code: Code, _ evidence: [String: String] = [:]) -> Self {
        Self(status: .pass, code: code, evidence: evidence)
    }

    public static func fail(_ code: Code, _ evidence: [String: String] = [:]) -> Self {
        Self(status: .fail, code: code, evidence: evidence)
    }

    public static func notApplicable(_ code: Code, _ evidence: [String: String] = [:]) -> Self {
        Self(status: .notApplicable, code: code, evidence: evidence)
    }

    /// The probe ran but could not decide (a code from the rule's set).
    public static func inconclusive(_ code: Code, _ evidence: [String: String] = [:]) -> Self {
        Self(status: .inconclusive, code: code, evidence: evidence)
    }

    /// The observation `section` is missing or its probe failed.
    public static func missingFacts(_ section: String, _ evidence: [String: String] = [:]) -> Self {
        var details = evidence
        details["missing"] = section
        return Self(status: .inconclusive, code: .missingFacts, evidence: details)
    }
}

/// A judgement with its code as text, as findings carry it.
public struct RuleOutcome: Sendable, Equatable {
    public var status: FindingStatus
    public var resultCode: String
    public var evidence: [String: String]

    /// The code of a rule whose profile values do not decode into its parameters (a programming error the
    /// profile loader and the rule tests rule out; kept visible rather than crashing a scan).
    public static let invalidParametersCode = "invalid-parameters"

    public init(status: FindingStatus, resultCode: String, evidence: [String: String]) {
        self.status = status
        self.resultCode = resultCode
        self.evidence = evidence
    }

    public init<Code>(_ judgement: Judgement<Code>) {
        self.init(status: judgement.status, resultCode: judgement.code.rawValue, evidence: judgement.evidence)
    }
}

/// A built-in check: a descriptor (data), a pure judgement of an observation, and its own examples.
///
/// One rule per file under `Rules/<Area>/`, registered in `RuleRegistry.all`; see docs/CONTRIBUTING.md.
public protocol Rule: Sendable {
    associatedtype Parameters: RuleParameterSet = NoParameters
    associatedtype Code: RuleCode

    static var descriptor: RuleDescriptor { get }

    /// Judges `observation`; pure: no I/O, no clock but `context.now`.
    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>

    /// The finding in one sentence with its values, in both languages: what a report says instead of the
    /// result code ("Chứng thư số đã hết hạn ngày 02/12/2026"). Every code has one; the switch is exhaustive.
    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText

    /// Worked cases, each one fact changed from `ExampleFacts.exemplary()`: at least a pass, a fail and an
    /// inconclusive. One test runs every rule's examples.
    static var examples: [RuleExample<Self>] { get }
}

extension Rule {
    /// Every result code the rule can give, `missing-facts` included.
    public static var resultCodes: [String] { Code.allCases.map(\.rawValue) }

    /// The sentence for a finding's code and evidence; `nil` for a code the rule does not give.
    public static func sentence(code: String, evidence: [String: String]) -> LocalizedText? {
        Code(rawValue: code).map { sentence($0, FindingValues(evidence)) }
    }

    /// The profile's values decoded into the rule's parameters.
    public static func parameters(_ values: RuleParameters) throws -> Parameters {
        try ParameterDecoder.decode(Parameters.self, from: values.values)
    }

    /// Judges with the profile's values, the code as text.
    public static func evaluate(_ observation: Observation, _ values: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        let parameters: Parameters
        do {
            parameters = try Self.parameters(values)
        } catch {
            return RuleOutcome(
                status: .inconclusive, resultCode: RuleOutcome.invalidParametersCode,
                evidence: ["error": clip(String(describing: error))])
        }
        return RuleOutcome(judge(observation, parameters, context))
    }
}

/// Evidence values are small: at most 256 characters each.
func clip(_ text: String, _ limit: Int = 256) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
}
