import Foundation

/// Fails unless `X-Content-Type-Options: nosniff` is sent.
struct ContentTypeOptionsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case invalid
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.x-content-type-options", area: .headers,
        title: LocalizedText(en: "MIME sniffing is off (nosniff)", vi: "Tắt đoán kiểu nội dung (nosniff)"),
        rationale: LocalizedText(
            en: "Without nosniff, browsers may run an uploaded file as a script.",
            vi: "Thiếu nosniff, trình duyệt có thể chạy tệp tải lên như mã script."),
        advice: LocalizedText(
            en:
                "Send `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header).",
            vi:
                "Gửi `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header)."
        ),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.4"], defaultSeverity: .low,
        directives: ServerDirectives(
            nginx: "add_header X-Content-Type-Options nosniff always;",
            apache: "Header always set X-Content-Type-Options nosniff",
            iis: "<add name=\"X-Content-Type-Options\" value=\"nosniff\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("x-content-type-options") else { return .fail(.missing) }
        if value.trimmingCharacters(in: .whitespaces).lowercased() == "nosniff" { return .pass(.ok) }
        return .fail(.invalid, ["value": clip(value)])
    }

    static let examples: [RuleExample<Self>] = [
        .init("nosniff", .pass, .ok),
        .init("missing", .fail, .missing) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", nil)
        },
        .init("wrong value", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", "sniff")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
