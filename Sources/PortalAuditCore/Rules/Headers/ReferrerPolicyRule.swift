import Foundation

/// Fails when `Referrer-Policy` is missing or leaks full URLs to other sites.
struct ReferrerPolicyRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case unsafe
        case missingFacts = "missing-facts"
    }

    static let unsafe: Set<String> = ["unsafe-url", "no-referrer-when-downgrade"]

    static let descriptor = RuleDescriptor(
        id: "headers.referrer-policy", area: .headers,
        title: LocalizedText(en: "A safe Referrer-Policy is set", vi: "Có Referrer-Policy an toàn"),
        rationale: LocalizedText(
            en: "Full URLs, which may carry record numbers or search terms, should not leak to other sites.",
            vi: "Không để lộ đường dẫn đầy đủ (có thể chứa mã hồ sơ, từ khóa tìm kiếm) sang trang khác."),
        advice: LocalizedText(
            en:
                "Send `Referrer-Policy: strict-origin-when-cross-origin` (nginx: `add_header Referrer-Policy strict-origin-when-cross-origin always;`; Apache: `Header always set Referrer-Policy strict-origin-when-cross-origin`; IIS: custom header).",
            vi:
                "Gửi `Referrer-Policy: strict-origin-when-cross-origin` (nginx: `add_header Referrer-Policy strict-origin-when-cross-origin always;`; Apache: `Header always set Referrer-Policy strict-origin-when-cross-origin`; IIS: custom header)."
        ),
        citations: ["W3C Referrer Policy", "OWASP Secure Headers Project"], defaultSeverity: .info,
        directives: ServerDirectives(
            nginx: "add_header Referrer-Policy strict-origin-when-cross-origin always;",
            apache: "Header always set Referrer-Policy strict-origin-when-cross-origin",
            iis: "<add name=\"Referrer-Policy\" value=\"strict-origin-when-cross-origin\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("referrer-policy") else { return .fail(.missing) }
        let policies = value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let last = policies.last, Self.unsafe.contains(last) { return .fail(.unsafe, ["value": clip(value)]) }
        return .pass(.ok, ["value": clip(value)])
    }

    static let examples: [RuleExample<Self>] = [
        .init("strict-origin-when-cross-origin", .pass, .ok),
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "referrer-policy", nil) },
        .init("unsafe-url", .fail, .unsafe) { ExampleFacts.setHeader(&$0, "referrer-policy", "unsafe-url") },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
