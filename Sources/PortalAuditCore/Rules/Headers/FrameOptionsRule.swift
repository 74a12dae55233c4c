import Foundation

/// Fails when framing is not restricted by `X-Frame-Options` or CSP `frame-ancestors`.
struct FrameOptionsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case invalid
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.x-frame-options", area: .headers,
        title: LocalizedText(
            en: "Framing by other sites is blocked", vi: "Chặn trang khác nhúng cổng (chống clickjacking)"),
        rationale: LocalizedText(
            en: "Without it, another site can embed the portal invisibly and trick users into clicking (clickjacking).",
            vi: "Thiếu tiêu đề này, trang khác có thể nhúng ẩn cổng và lừa người dùng bấm (clickjacking)."),
        advice: LocalizedText(
            en:
                "Send `X-Frame-Options: SAMEORIGIN` or CSP `frame-ancestors 'self'` (nginx: `add_header X-Frame-Options SAMEORIGIN always;`; Apache: `Header always set X-Frame-Options SAMEORIGIN`; IIS: custom header X-Frame-Options).",
            vi:
                "Gửi `X-Frame-Options: SAMEORIGIN` hoặc CSP `frame-ancestors 'self'` (nginx: `add_header X-Frame-Options SAMEORIGIN always;`; Apache: `Header always set X-Frame-Options SAMEORIGIN`; IIS: custom header X-Frame-Options)."
        ),
        citations: ["RFC 7034", "OWASP ASVS 4.0.3 V14.4.7"], defaultSeverity: .low,
        directives: ServerDirectives(
            nginx: "add_header X-Frame-Options SAMEORIGIN always;",
            apache: "Header always set X-Frame-Options SAMEORIGIN",
            iis: "<add name=\"X-Frame-Options\" value=\"SAMEORIGIN\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        if let csp = headers.first("content-security-policy"), csp.lowercased().contains("frame-ancestors") {
            return .pass(.ok, ["csp": clip(csp)])
        }
        guard let value = headers.first("x-frame-options") else { return .fail(.missing) }
        let normalized = value.trimmingCharacters(in: .whitespaces).uppercased()
        if normalized == "DENY" || normalized == "SAMEORIGIN" { return .pass(.ok, ["value": clip(value)]) }
        return .fail(.invalid, ["value": clip(value)])
    }

    static let examples: [RuleExample<Self>] = [
        .init("sameorigin", .pass, .ok) { ExampleFacts.setHeader(&$0, "content-security-policy", nil) },
        .init("csp frame-ancestors only", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "x-frame-options", nil)
        },
        .init("missing", .fail, .missing) {
            ExampleFacts.setHeader(&$0, "x-frame-options", nil)
            ExampleFacts.setHeader(&$0, "content-security-policy", nil)
        },
        .init("ALLOWALL", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "x-frame-options", "ALLOWALL")
            ExampleFacts.setHeader(&$0, "content-security-policy", "default-src 'self'")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
