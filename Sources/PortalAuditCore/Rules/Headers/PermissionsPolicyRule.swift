import Foundation

/// Fails when no `Permissions-Policy` restricts the browser features (camera, microphone, geolocation…)
/// the portal and the scripts it embeds may use, or when the header is not in the structured syntax.
struct PermissionsPolicyRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        /// Only the retired `Feature-Policy` header is sent.
        case legacyOnly = "legacy-only"
        case invalid
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.permissions-policy", area: .headers,
        title: LocalizedText(
            en: "A Permissions-Policy limits browser features",
            vi: "Có Permissions-Policy giới hạn tính năng trình duyệt"),
        rationale: LocalizedText(
            en:
                "A portal embeds third-party scripts and widgets; without a Permissions-Policy any of them, or an injected script, may ask visitors for their camera, microphone or location under the portal's name.",
            vi:
                "Cổng nhúng mã và tiện ích của bên thứ ba; thiếu Permissions-Policy, bất kỳ mã nào (kể cả mã bị chèn) cũng có thể xin quyền camera, micro hoặc vị trí của người dân dưới danh nghĩa cổng."
        ),
        advice: LocalizedText(
            en:
                "Send `Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()` and allow only what the portal uses (nginx: `add_header Permissions-Policy \"camera=(), microphone=(), geolocation=()\" always;`; Apache: `Header always set Permissions-Policy \"camera=(), microphone=(), geolocation=()\"`; IIS: `<customHeaders>` in web.config). Replace an old `Feature-Policy` header with it.",
            vi:
                "Gửi `Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()` và chỉ cho phép tính năng cổng thực sự dùng (nginx: `add_header Permissions-Policy \"camera=(), microphone=(), geolocation=()\" always;`; Apache: `Header always set Permissions-Policy \"camera=(), microphone=(), geolocation=()\"`; IIS: `<customHeaders>` trong web.config). Thay tiêu đề `Feature-Policy` cũ bằng tiêu đề này."
        ),
        citations: ["W3C Permissions Policy", "OWASP Secure Headers Project"], defaultSeverity: .info,
        directives: ServerDirectives(
            nginx: "add_header Permissions-Policy \"camera=(), microphone=(), geolocation=()\" always;",
            apache: "Header always set Permissions-Policy \"camera=(), microphone=(), geolocation=()\"",
            iis: "<add name=\"Permissions-Policy\" value=\"camera=(), microphone=(), geolocation=()\" />"))

    static func judge(_ observation: Observation, _ parameters: NoParameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("permissions-policy") else {
            if let legacy = headers.first("feature-policy") {
                return .fail(.legacyOnly, ["feature_policy": clip(legacy)])
            }
            return .fail(.missing)
        }
        let members = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if members.isEmpty || !members.allSatisfy(isDictionaryMember) { return .fail(.invalid, ["value": clip(value)]) }
        return .pass(.ok, ["value": clip(value)])
    }

    /// `feature=allowlist`, the feature a lowercase token (RFC 8941 dictionary member, as the spec asks).
    private static func isDictionaryMember(_ member: String) -> Bool {
        guard let equals = member.firstIndex(of: "="), equals != member.startIndex else { return false }
        return member[..<equals].unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "*" || $0 == "."
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The server sends Permissions-Policy “\(values["value"])”, which limits browser features.",
                vi: "Máy chủ gửi tiêu đề Permissions-Policy “\(values["value"])” giới hạn tính năng trình duyệt.")
        case .missing:
            LocalizedText(
                en: "The server sends no Permissions-Policy header.",
                vi: "Máy chủ không gửi tiêu đề Permissions-Policy.")
        case .legacyOnly:
            LocalizedText(
                en:
                    "The server sends only the retired Feature-Policy header (“\(values["feature_policy"])”), no Permissions-Policy.",
                vi:
                    "Máy chủ chỉ gửi tiêu đề Feature-Policy đã bị thay thế (“\(values["feature_policy"])”), không gửi Permissions-Policy."
            )
        case .invalid:
            LocalizedText(
                en:
                    "Permissions-Policy “\(values["value"])” is not in the structured syntax (each entry like camera=()), so browsers ignore it.",
                vi:
                    "Tiêu đề Permissions-Policy “\(values["value"])” không đúng cú pháp (mỗi mục phải có dạng camera=()) nên trình duyệt bỏ qua."
            )
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so Permissions-Policy could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được Permissions-Policy.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("camera, microphone and geolocation off", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "permissions-policy", "camera=(), microphone=(), geolocation=()")
        },
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "permissions-policy", nil) },
        .init("only the retired Feature-Policy", .fail, .legacyOnly) {
            ExampleFacts.setHeader(&$0, "permissions-policy", nil)
            ExampleFacts.setHeader(&$0, "feature-policy", "camera 'none'")
        },
        .init("Feature-Policy syntax in the new header", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "permissions-policy", "camera 'none'; geolocation 'none'")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
