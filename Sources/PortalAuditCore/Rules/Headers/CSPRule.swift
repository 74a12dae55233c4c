import Foundation

/// Fails when no `Content-Security-Policy` is sent.
struct CSPRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.csp", area: .headers,
        title: LocalizedText(en: "A Content-Security-Policy is set", vi: "Có chính sách Content-Security-Policy"),
        rationale: LocalizedText(
            en:
                "A CSP limits where scripts may come from, which blunts cross-site scripting and defacement through injected scripts.",
            vi:
                "CSP giới hạn nguồn được phép tải mã script, giảm tác hại của tấn công XSS và thay đổi giao diện bằng mã chèn."
        ),
        advice: LocalizedText(
            en:
                "Start with `Content-Security-Policy: default-src 'self'; frame-ancestors 'self'; object-src 'none'` and widen it for the sources the portal really uses (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` in web.config).",
            vi:
                "Bắt đầu với `Content-Security-Policy: default-src 'self'; frame-ancestors 'self'; object-src 'none'` rồi nới cho các nguồn cổng thực sự dùng (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` trong web.config)."
        ),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.3"], defaultSeverity: .low,
        directives: ServerDirectives(
            nginx:
                "add_header Content-Security-Policy \"default-src 'self'; frame-ancestors 'self'; object-src 'none'\" always;",
            apache:
                "Header always set Content-Security-Policy \"default-src 'self'; frame-ancestors 'self'; object-src 'none'\"",
            iis:
                "<add name=\"Content-Security-Policy\" value=\"default-src 'self'; frame-ancestors 'self'; object-src 'none'\" />"
        ))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("content-security-policy"), !value.trimmingCharacters(in: .whitespaces).isEmpty
        else { return .fail(.missing) }
        return .pass(.ok, ["value": clip(value)])
    }

    static let examples: [RuleExample<Self>] = [
        .init("present", .pass, .ok),
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "content-security-policy", nil) },
        .init("empty", .fail, .missing) { ExampleFacts.setHeader(&$0, "content-security-policy", "  ") },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
