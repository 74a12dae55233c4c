import Foundation

/// Fails unless browsers refuse to let other sites frame the page: an enforced CSP `frame-ancestors` that
/// allows only the page's own site decides (browsers then ignore `X-Frame-Options`); without one,
/// `X-Frame-Options` as HTML processes it (`FrameOptionsHeader`).
struct FrameOptionsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case invalid
        /// `frame-ancestors` lets any site (or a foreign one) frame the page, whatever X-Frame-Options says.
        case frameAncestorsOpen = "frame-ancestors-open"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.x-frame-options", area: .headers,
        title: LocalizedText(
            en: "Framing by other sites is blocked", vi: "Chặn trang khác nhúng cổng (chống clickjacking)"),
        rationale: LocalizedText(
            en:
                "Another site must not be able to embed the portal invisibly and trick users into clicking (clickjacking). Judged as browsers decide: an enforced CSP `frame-ancestors` allowing only the portal's own site protects, and browsers then ignore X-Frame-Options; `frame-ancestors` with `*`, a bare scheme or another site does not; otherwise X-Frame-Options, all its lines read together, must say DENY or SAMEORIGIN (ALLOW-FROM is not supported by browsers).",
            vi:
                "Trang khác không được nhúng ẩn cổng để lừa người dùng bấm (clickjacking). Đánh giá như trình duyệt: `frame-ancestors` của CSP (đang áp dụng) chỉ cho phép chính site của cổng là đạt, khi đó trình duyệt bỏ qua X-Frame-Options; `frame-ancestors` có `*`, chỉ ghi giao thức hoặc site khác là không đạt; nếu không có, X-Frame-Options (đọc gộp mọi dòng) phải là DENY hoặc SAMEORIGIN (trình duyệt không hỗ trợ ALLOW-FROM)."
        ),
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
        let policies = headers.all("content-security-policy").flatMap(CSPPolicy.policies)
        let host = URLComponents(string: headers.url)?.host ?? ""
        if let protects = FrameAncestors.protects(policies, pageHost: host) {
            let csp = headers.combined("content-security-policy") ?? ""
            return protects ? .pass(.ok, ["csp": clip(csp)]) : .fail(.frameAncestorsOpen, ["csp": clip(csp)])
        }
        let value = headers.combined("x-frame-options")
        switch FrameOptionsHeader.blocks(value) {
        case nil: return .fail(.missing)
        case true?: return .pass(.ok, ["value": clip(value ?? "")])
        case false?: return .fail(.invalid, ["value": clip(value ?? "")])
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            values.has("csp")
                ? LocalizedText(
                    en:
                        "The Content-Security-Policy's frame-ancestors lets only the portal's own site frame its pages: “\(values["csp"])”.",
                    vi:
                        "Chỉ thị frame-ancestors của Content-Security-Policy chỉ cho phép chính cổng nhúng trang: “\(values["csp"])”."
                )
                : LocalizedText(
                    en: "X-Frame-Options is “\(values["value"])”, so other sites cannot frame the portal.",
                    vi: "Tiêu đề X-Frame-Options có giá trị “\(values["value"])”, trang khác không nhúng được cổng.")
        case .missing:
            LocalizedText(
                en:
                    "The server sends no X-Frame-Options header and no Content-Security-Policy frame-ancestors, so any site can frame the portal.",
                vi:
                    "Máy chủ không gửi tiêu đề X-Frame-Options và Content-Security-Policy không có chỉ thị frame-ancestors, nên trang khác có thể nhúng cổng."
            )
        case .invalid:
            LocalizedText(
                en:
                    "X-Frame-Options is “\(values["value"])”, which browsers do not read as DENY or SAMEORIGIN, so other sites can frame the portal.",
                vi:
                    "Tiêu đề X-Frame-Options có giá trị “\(values["value"])”, trình duyệt không coi là DENY hay SAMEORIGIN nên trang khác vẫn nhúng được cổng."
            )
        case .frameAncestorsOpen:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["csp"])” has a frame-ancestors that lets other sites frame the portal, whatever X-Frame-Options says.",
                vi:
                    "Chính sách Content-Security-Policy “\(values["csp"])” có chỉ thị frame-ancestors cho phép trang khác nhúng cổng, bất kể X-Frame-Options."
            )
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so protection against framing could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được việc chặn trang khác nhúng cổng.")
        }
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
        .init("SAMEORIGIN on two lines is one value set", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "content-security-policy", nil)
            ExampleFacts.setHeader(&$0, "x-frame-options", "SAMEORIGIN, sameorigin")
        },
        .init("ALLOW-FROM is not supported: framing allowed", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "content-security-policy", nil)
            ExampleFacts.setHeader(&$0, "x-frame-options", "ALLOW-FROM https://tinh.gov.vn/")
        },
        .init("frame-ancestors * overrides X-Frame-Options", .fail, .frameAncestorsOpen) {
            ExampleFacts.setHeader(&$0, "content-security-policy", "frame-ancestors *")
        },
        .init("a second CSP line restricts framing", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "x-frame-options", nil)
            ExampleFacts.setHeader(&$0, "content-security-policy", "default-src 'self'")
            $0.headers?.fields.append(HeaderField(name: "content-security-policy", value: "frame-ancestors 'none'"))
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
