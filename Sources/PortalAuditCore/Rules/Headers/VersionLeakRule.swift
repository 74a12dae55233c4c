import Foundation

/// Fails when `Server`, `X-Powered-By` or similar headers disclose a software version; a product name
/// alone (`Server: nginx`, `X-Powered-By: PHP`) passes with a note.
struct VersionLeakRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case versionDisclosed = "version-disclosed"
        /// A product is named without a version (`X-Powered-By: PHP`): a note, not a failure.
        case productNamed = "product-named"
        case missingFacts = "missing-facts"
    }

    static let disclosing = ["server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator"]

    static let descriptor = RuleDescriptor(
        id: "headers.version-leak", area: .headers,
        title: LocalizedText(en: "No software versions disclosed", vi: "Không để lộ phiên bản phần mềm"),
        rationale: LocalizedText(
            en: "Version banners tell attackers which known vulnerabilities to try first.",
            vi: "Thông tin phiên bản giúp kẻ tấn công biết ngay lỗ hổng nào để khai thác."),
        advice: LocalizedText(
            en:
                "Hide versions (nginx: `server_tokens off;` and `fastcgi_hide_header X-Powered-By;`; PHP: `expose_php = Off`; Apache: `ServerTokens Prod` and `ServerSignature Off`; IIS: `removeServerHeader=\"true\"` in requestFiltering and remove X-Powered-By/X-AspNet-Version in web.config).",
            vi:
                "Ẩn phiên bản (nginx: `server_tokens off;` và `fastcgi_hide_header X-Powered-By;`; PHP: `expose_php = Off`; Apache: `ServerTokens Prod` và `ServerSignature Off`; IIS: `removeServerHeader=\"true\"` trong requestFiltering và bỏ X-Powered-By/X-AspNet-Version trong web.config)."
        ),
        citations: ["OWASP ASVS 4.0.3 V14.3.3", "OWASP Secure Headers Project (headers to remove)"],
        defaultSeverity: .low,
        directives: ServerDirectives(
            nginx: "server_tokens off; fastcgi_hide_header X-Powered-By;",
            apache: "ServerTokens Prod\nServerSignature Off\nHeader always unset X-Powered-By",
            iis: "<requestFiltering removeServerHeader=\"true\" /> and <remove name=\"X-Powered-By\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        var leaks: [String: String] = [:]
        var named: [String: String] = [:]
        for name in disclosing {
            for value in headers.all(name) {
                if value.contains(where: \.isNumber) {
                    leaks[name] = clip(value)
                } else if name != "server" {
                    named[name] = clip(value)
                }
            }
        }
        if !leaks.isEmpty { return .fail(.versionDisclosed, leaks) }
        return named.isEmpty ? .pass(.ok) : .pass(.productNamed, named)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let names: [(key: String, name: String)] = [
            ("server", "Server"), ("x-powered-by", "X-Powered-By"), ("x-aspnet-version", "X-AspNet-Version"),
            ("x-aspnetmvc-version", "X-AspNetMvc-Version"), ("x-generator", "X-Generator"),
        ]
        let sent = names.filter { values.has($0.key) }.map { "\($0.name): \(values[$0.key])" }
            .joined(separator: "; ")
        return switch code {
        case .ok:
            LocalizedText(
                en: "No response header discloses a software version.",
                vi: "Các tiêu đề HTTP không để lộ phiên bản phần mềm.")
        case .versionDisclosed:
            LocalizedText(
                en: "Response headers disclose software versions (\(sent)).",
                vi: "Tiêu đề HTTP để lộ phiên bản phần mềm (\(sent)).")
        case .productNamed:
            LocalizedText(
                en: "Response headers name the software without its version (\(sent)).",
                vi: "Tiêu đề HTTP nêu tên phần mềm nhưng không kèm phiên bản (\(sent)).")
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so version disclosure could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được việc lộ phiên bản phần mềm.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("bare server name", .pass, .ok),
        .init("nginx/1.22.1", .fail, .versionDisclosed) {
            ExampleFacts.setHeader(&$0, "server", "nginx/1.22.1")
        },
        .init("X-Powered-By with a version", .fail, .versionDisclosed) {
            ExampleFacts.setHeader(&$0, "x-powered-by", "PHP/5.6.40")
        },
        .init("X-Powered-By naming the product only", .pass, .productNamed) {
            ExampleFacts.setHeader(&$0, "x-powered-by", "PHP")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
