import Foundation

/// Fails when no `Referrer-Policy` is in force or the one in force leaks full URLs to other sites: the last
/// valid token of the combined header decides (`ReferrerPolicyHeader`), unknown tokens are skipped.
struct ReferrerPolicyRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case unsafe
        /// Sent, but no token is a referrer policy: the browser's default applies.
        case invalid
        case missingFacts = "missing-facts"
    }

    static let unsafe: Set<String> = ["unsafe-url", "no-referrer-when-downgrade"]

    static let descriptor = RuleDescriptor(
        id: "headers.referrer-policy", area: .headers,
        title: LocalizedText(en: "A safe Referrer-Policy is set", vi: "Có Referrer-Policy an toàn"),
        rationale: LocalizedText(
            en:
                "Full URLs, which may carry record numbers or search terms, should not leak to other sites. The policy in force is the last valid token of all Referrer-Policy lines read together (unknown tokens are skipped; with none valid, the browser's default applies and the header counts as unset); unsafe-url and no-referrer-when-downgrade fail.",
            vi:
                "Không để lộ đường dẫn đầy đủ (có thể chứa mã hồ sơ, từ khóa tìm kiếm) sang trang khác. Chính sách có hiệu lực là giá trị hợp lệ cuối cùng của mọi dòng Referrer-Policy đọc gộp (giá trị lạ bị bỏ qua; không có giá trị hợp lệ nào thì trình duyệt dùng mặc định và coi như chưa đặt); unsafe-url và no-referrer-when-downgrade là không đạt."
        ),
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
        guard let value = headers.combined("referrer-policy") else { return .fail(.missing) }
        guard let policy = ReferrerPolicyHeader.policy(value) else { return .fail(.invalid, ["value": clip(value)]) }
        if Self.unsafe.contains(policy) { return .fail(.unsafe, ["value": clip(value), "policy": policy]) }
        return .pass(.ok, ["value": clip(value), "policy": policy])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "The Referrer-Policy in force is \(values["policy"]), which does not leak full URLs to other sites.",
                vi:
                    "Chính sách Referrer-Policy có hiệu lực là \(values["policy"]), không để lộ đường dẫn đầy đủ sang trang khác."
            )
        case .missing:
            LocalizedText(
                en: "The server sends no Referrer-Policy header.",
                vi: "Máy chủ không gửi tiêu đề Referrer-Policy.")
        case .unsafe:
            LocalizedText(
                en:
                    "The Referrer-Policy in force is \(values["policy"]) (header “\(values["value"])”), which sends full URLs to other sites.",
                vi:
                    "Chính sách Referrer-Policy có hiệu lực là \(values["policy"]) (tiêu đề “\(values["value"])”), gửi đường dẫn đầy đủ sang trang khác."
            )
        case .invalid:
            LocalizedText(
                en:
                    "Referrer-Policy “\(values["value"])” holds no valid policy, so the browser's default applies.",
                vi:
                    "Tiêu đề Referrer-Policy “\(values["value"])” không chứa giá trị hợp lệ nào nên trình duyệt áp dụng chính sách mặc định."
            )
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so Referrer-Policy could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được Referrer-Policy.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("strict-origin-when-cross-origin", .pass, .ok),
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "referrer-policy", nil) },
        .init("unsafe-url", .fail, .unsafe) { ExampleFacts.setHeader(&$0, "referrer-policy", "unsafe-url") },
        .init("no valid token", .fail, .invalid) { ExampleFacts.setHeader(&$0, "referrer-policy", "whimsy") },
        .init("an unknown token after the last valid one is skipped", .fail, .unsafe) {
            ExampleFacts.setHeader(&$0, "referrer-policy", "unsafe-url, whimsy")
        },
        .init("a fallback list ending in a safe policy", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "referrer-policy", "no-referrer, strict-origin-when-cross-origin")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
