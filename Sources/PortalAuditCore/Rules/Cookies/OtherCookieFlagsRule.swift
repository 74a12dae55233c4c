import Foundation

/// Fails when a cookie that is not a session token (language, layout, analytics) lacks `Secure` or
/// `SameSite`. Advice only: such a cookie carries no authentication (`cookies.secure-flags` judges those).
struct OtherCookieFlagsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noOtherCookies = "no-other-cookies"
        case flagsMissing = "flags-missing"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cookies.other-flags", area: .cookies,
        title: LocalizedText(en: "Other cookies carry Secure and SameSite", vi: "Cookie khác có cờ Secure và SameSite"),
        rationale: LocalizedText(
            en:
                "A cookie without Secure is also sent over plain HTTP, where anyone on the path can read or change it; without SameSite it follows requests from other sites.",
            vi:
                "Cookie thiếu cờ Secure cũng được gửi qua HTTP thường, nơi bất kỳ ai trên đường truyền đọc hoặc sửa được; thiếu SameSite thì cookie đi theo cả yêu cầu từ trang khác."
        ),
        advice: LocalizedText(
            en:
                "Add `Secure; SameSite=Lax` where the cookie is set (nginx in front of an app: `proxy_cookie_flags ~ secure samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; SameSite=Lax\"`; in scripts: `document.cookie = \"lang=vi; Secure; SameSite=Lax\"`).",
            vi:
                "Thêm `Secure; SameSite=Lax` ở nơi đặt cookie (nginx làm proxy: `proxy_cookie_flags ~ secure samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; SameSite=Lax\"`; trong script: `document.cookie = \"lang=vi; Secure; SameSite=Lax\"`)."
        ),
        citations: ["OWASP ASVS 4.0.3 V3.4.1, V3.4.3", "RFC 6265bis"], defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard observation.headers != nil, let cookies = observation.cookies else { return .missingFacts("headers") }
        let others = cookies.filter { !CookieFlagsRule.isSession($0) && $0.rejected == nil }
        if others.isEmpty { return .pass(.noOtherCookies) }
        let problems = CookieFlagsRule.missingFlags(others, httpOnly: false)
        if problems.isEmpty { return .pass(.ok, ["cookies": clip(others.map(\.name).joined(separator: ","))]) }
        return .fail(.flagsMissing, ["missing": clip(problems.joined(separator: "; "))])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let (found, each, one) = CookieFlagsRule.lackingText(values)
        return switch code {
        case .ok:
            values.count("cookies") == 1
                ? LocalizedText(
                    en: "The cookie \(values.list("cookies")) carries Secure and SameSite.",
                    vi: "Cookie \(values.list("cookies")) có đủ thuộc tính Secure và SameSite.")
                : LocalizedText(
                    en: "The cookies \(values.list("cookies")) all carry Secure and SameSite.",
                    vi: "Các cookie \(values.list("cookies")) đều có đủ thuộc tính Secure và SameSite.")
        case .noOtherCookies:
            LocalizedText(
                en: "The home page sets no cookies other than session cookies.",
                vi: "Trang chủ không đặt cookie nào khác ngoài cookie phiên.")
        case .flagsMissing:
            one
                ? LocalizedText(
                    en: "The cookie \(found[0].cookie) lacks \(found[0].flags).",
                    vi: "Cookie \(found[0].cookie) thiếu thuộc tính \(found[0].flags).")
                : LocalizedText(
                    en: "Cookies lack security flags: \(each).",
                    vi: "Các cookie thiếu thuộc tính bảo mật: \(each).")
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers and cookies could not be read, so the cookies' flags could not be checked.",
                vi: "Không đọc được tiêu đề HTTP và cookie của trang chủ nên chưa kiểm tra được thuộc tính của cookie.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("only session cookies", .pass, .noOtherCookies),
        .init("a language cookie with both flags", .pass, .ok) {
            $0.cookies = [CookieFacts(name: "lang", secure: true, httpOnly: false, sameSite: "Lax")]
        },
        .init("a language cookie without Secure", .fail, .flagsMissing) {
            $0.cookies = [CookieFacts(name: "lang", secure: false, httpOnly: false, sameSite: "Lax")]
        },
        .init("no headers", .inconclusive, .missingFacts) {
            $0.headers = nil
            $0.cookies = nil
        },
    ]
}
