import Foundation

/// Fails unless the enforced Content-Security-Policies restrict scripts, plugins and the base URL, as CSP3
/// applies them (`CSPAssessment`): every `Content-Security-Policy` line and `<meta http-equiv>` policy is
/// enforced, a `-Report-Only` one enforces nothing. The code names the worst weakness.
struct CSPRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        /// Only `Content-Security-Policy-Report-Only`: reported, never blocked.
        case reportOnly = "report-only"
        case noScriptRestriction = "no-script-restriction"
        case anyScriptSource = "any-script-source"
        case unsafeInlineScripts = "unsafe-inline-scripts"
        case objectsAllowed = "objects-allowed"
        case baseURIOpen = "base-uri-open"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.csp", area: .headers,
        title: LocalizedText(
            en: "A Content-Security-Policy restricts scripts, plugins and the base URL",
            vi: "Chính sách Content-Security-Policy hạn chế mã script, plugin và địa chỉ gốc (base)"),
        rationale: LocalizedText(
            en:
                "A CSP limits where scripts may come from, which blunts cross-site scripting and defacement through injected scripts. Every Content-Security-Policy line and <meta> policy is enforced (Report-Only enforces nothing); together they must allow no script from anywhere (`*`, `http:`, `https:`, `data:`), no inline script ('unsafe-inline' without a nonce or hash), no plugins (`object-src 'none'`) and no foreign base URL (`base-uri`).",
            vi:
                "CSP giới hạn nguồn được phép tải mã script, giảm tác hại của tấn công XSS và thay đổi giao diện bằng mã chèn. Mọi dòng Content-Security-Policy và chính sách trong thẻ <meta> đều được áp dụng (Report-Only không chặn gì); gộp lại, chúng không được cho phép script từ bất kỳ đâu (`*`, `http:`, `https:`, `data:`), script nội tuyến ('unsafe-inline' không kèm nonce hay hash), plugin (`object-src 'none'`) hay địa chỉ gốc lạ (`base-uri`)."
        ),
        advice: LocalizedText(
            en:
                "Start with `Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'` and widen it for the sources the portal really uses (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` in web.config).",
            vi:
                "Bắt đầu với `Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'` rồi nới cho các nguồn cổng thực sự dùng (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` trong web.config)."
        ),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.3"], defaultSeverity: .low,
        directives: ServerDirectives(
            nginx:
                "add_header Content-Security-Policy \"default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'\" always;",
            apache:
                "Header always set Content-Security-Policy \"default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'\"",
            iis:
                "<add name=\"Content-Security-Policy\" value=\"default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'\" />"
        ),
        codeAdvice: codeAdvice)

    /// `policy` as the line each server needs.
    private static func lines(_ policy: String) -> (nginx: String, apache: String, iis: String) {
        (
            "nginx: `add_header Content-Security-Policy \"\(policy)\" always;`",
            "Apache: `Header always set Content-Security-Policy \"\(policy)\"`",
            "IIS: `<add name=\"Content-Security-Policy\" value=\"\(policy)\" />`"
        )
    }

    /// What to change for each weakness, with the line for nginx, Apache and IIS.
    static let codeAdvice: [String: LocalizedText] = {
        func advice(_ en: String, _ vi: String, _ policy: String) -> LocalizedText {
            let l = lines(policy)
            let servers = "\(l.nginx); \(l.apache); \(l.iis)"
            return LocalizedText(en: "\(en) (\(servers)).", vi: "\(vi) (\(servers)).")
        }
        let base = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
        return [
            Code.reportOnly.rawValue: advice(
                "The policy is only reported: once its reports are clean, send it as `Content-Security-Policy`",
                "Chính sách mới chỉ ở chế độ báo cáo: khi báo cáo không còn vi phạm, gửi nó dưới tên `Content-Security-Policy`",
                base),
            Code.noScriptRestriction.rawValue: advice(
                "No policy says where scripts may come from: add `default-src` (or `script-src`) naming only the portal's own sources",
                "Chưa chính sách nào quy định nguồn mã script: thêm `default-src` (hoặc `script-src`) chỉ gồm các nguồn của cổng",
                base),
            Code.anyScriptSource.rawValue: advice(
                "`script-src`/`default-src` allows scripts from anywhere (`*`, `http:`, `https:` or `data:`): list the hosts the scripts really come from",
                "`script-src`/`default-src` cho phép script từ bất kỳ đâu (`*`, `http:`, `https:` hoặc `data:`): chỉ liệt kê các máy chủ thực sự cung cấp script",
                "script-src 'self' https://cdn.tinh.gov.vn; object-src 'none'; base-uri 'self'"),
            Code.unsafeInlineScripts.rawValue: advice(
                "`'unsafe-inline'` lets injected inline scripts run: move inline scripts into files (or give each a nonce) and drop it",
                "`'unsafe-inline'` cho phép mã script chèn vào trang chạy: chuyển script nội tuyến ra tệp (hoặc gắn nonce cho từng script) rồi bỏ nó",
                "script-src 'self'; object-src 'none'; base-uri 'self'"),
            Code.objectsAllowed.rawValue: advice(
                "Plugins (`<object>`, `<embed>`) are not blocked: add `object-src 'none'`",
                "Plugin (`<object>`, `<embed>`) chưa bị chặn: thêm `object-src 'none'`",
                base),
            Code.baseURIOpen.rawValue: advice(
                "An injected `<base>` tag could redirect every relative script: add `base-uri 'self'`",
                "Thẻ `<base>` bị chèn có thể chuyển hướng mọi script theo đường dẫn tương đối: thêm `base-uri 'self'`",
                base),
        ]
    }()

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        let sent = headers.all("content-security-policy") + (headers.metaPolicies ?? [])
        let policies = sent.flatMap(CSPPolicy.policies)
        guard !policies.isEmpty else {
            if let reported = headers.combined("content-security-policy-report-only"),
                !CSPPolicy.policies(reported).isEmpty
            {
                return .fail(.reportOnly, ["report_only": clip(reported)])
            }
            return .fail(.missing)
        }
        let value = ["value": clip(sent.joined(separator: ", "))]
        let weaknesses = CSPAssessment(policies).weaknesses
        guard let worst = weaknesses.first else { return .pass(.ok, value) }
        let all = ["weaknesses": weaknesses.map(\.rawValue).joined(separator: ",")]
        return .fail(Code(rawValue: worst.rawValue) ?? .missing, value.merging(all) { a, _ in a })
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let more = max(0, values.count("weaknesses") - 1)
        let also =
            more == 0
            ? LocalizedText(en: "", vi: "")
            : LocalizedText(
                en: ", and has \(more) further weakness\(more == 1 ? "" : "es")",
                vi: ", ngoài ra còn \(more) điểm yếu khác")
        return switch code {
        case .ok:
            LocalizedText(
                en:
                    "The Content-Security-Policy in force restricts scripts, plugins and the base URL: “\(values["value"])”.",
                vi:
                    "Chính sách Content-Security-Policy đang áp dụng hạn chế nguồn mã script, plugin và địa chỉ gốc: “\(values["value"])”."
            )
        case .missing:
            LocalizedText(
                en:
                    "The server sends no Content-Security-Policy header and the page declares no policy in a <meta> tag.",
                vi:
                    "Máy chủ không gửi tiêu đề Content-Security-Policy và trang cũng không khai báo chính sách CSP trong thẻ <meta>."
            )
        case .reportOnly:
            LocalizedText(
                en:
                    "Only Content-Security-Policy-Report-Only is sent (“\(values["report_only"])”): violations are reported, nothing is blocked.",
                vi:
                    "Máy chủ chỉ gửi tiêu đề Content-Security-Policy-Report-Only (“\(values["report_only"])”): vi phạm chỉ được báo cáo, không bị chặn."
            )
        case .noScriptRestriction:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["value"])” does not say where scripts may come from (no default-src or script-src)\(also.en).",
                vi:
                    "Chính sách Content-Security-Policy “\(values["value"])” không quy định nguồn được phép tải mã script (không có default-src hay script-src)\(also.vi)."
            )
        case .anyScriptSource:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["value"])” allows scripts from anywhere (*, http:, https: or data:)\(also.en).",
                vi:
                    "Chính sách Content-Security-Policy “\(values["value"])” cho phép tải mã script từ bất kỳ nguồn nào (*, http:, https: hoặc data:)\(also.vi)."
            )
        case .unsafeInlineScripts:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["value"])” lets inline scripts run ('unsafe-inline' without a nonce or hash)\(also.en).",
                vi:
                    "Chính sách Content-Security-Policy “\(values["value"])” cho phép chạy mã script nội tuyến ('unsafe-inline' không kèm nonce hay hash)\(also.vi)."
            )
        case .objectsAllowed:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["value"])” does not block plugins (<object>, <embed>) with object-src 'none'\(also.en).",
                vi:
                    "Chính sách Content-Security-Policy “\(values["value"])” không chặn plugin (<object>, <embed>) bằng object-src 'none'\(also.vi)."
            )
        case .baseURIOpen:
            LocalizedText(
                en:
                    "The Content-Security-Policy “\(values["value"])” does not restrict the page's base URL (base-uri)\(also.en).",
                vi:
                    "Chính sách Content-Security-Policy “\(values["value"])” không giới hạn địa chỉ gốc của trang (base-uri)\(also.vi)."
            )
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so the Content-Security-Policy could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được chính sách Content-Security-Policy.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("scripts, plugins and the base URL restricted", .pass, .ok),
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "content-security-policy", nil) },
        .init("empty", .fail, .missing) { ExampleFacts.setHeader(&$0, "content-security-policy", "  ") },
        .init("report-only enforces nothing", .fail, .reportOnly) {
            ExampleFacts.setHeader(&$0, "content-security-policy", nil)
            ExampleFacts.setHeader(&$0, "content-security-policy-report-only", "default-src 'self'")
        },
        .init("only framing restricted", .fail, .noScriptRestriction) {
            ExampleFacts.setHeader(&$0, "content-security-policy", "frame-ancestors 'self'")
        },
        .init("scripts from anywhere", .fail, .anyScriptSource) {
            ExampleFacts.setHeader(
                &$0, "content-security-policy", "default-src 'self'; script-src *; object-src 'none'; base-uri 'self'")
        },
        .init("inline scripts allowed", .fail, .unsafeInlineScripts) {
            ExampleFacts.setHeader(
                &$0, "content-security-policy",
                "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'")
        },
        .init("'unsafe-inline' beside a nonce is ignored", .pass, .ok) {
            ExampleFacts.setHeader(
                &$0, "content-security-policy",
                "script-src 'nonce-r4nd0m' 'unsafe-inline' 'strict-dynamic' https:; object-src 'none'; base-uri 'none'")
        },
        .init("plugins from the own site", .fail, .objectsAllowed) {
            ExampleFacts.setHeader(&$0, "content-security-policy", "default-src 'self'; base-uri 'self'")
        },
        .init("the base URL unrestricted", .fail, .baseURIOpen) {
            ExampleFacts.setHeader(&$0, "content-security-policy", "default-src 'self'; object-src 'none'")
        },
        .init("a second policy line restricts what the first lets through", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "content-security-policy", "default-src *")
            $0.headers?.fields.append(
                HeaderField(
                    name: "content-security-policy", value: "script-src 'self'; object-src 'none'; base-uri 'self'"))
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
