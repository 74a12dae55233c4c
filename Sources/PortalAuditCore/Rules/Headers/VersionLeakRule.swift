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
