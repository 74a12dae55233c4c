import Foundation

/// Fails when a cookie set by the home page lacks `Secure`, `HttpOnly` or `SameSite`.
struct CookieFlagsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noCookies = "no-cookies"
        case flagsMissing = "flags-missing"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cookies.secure-flags", area: .cookies,
        title: LocalizedText(
            en: "Cookies carry Secure, HttpOnly and SameSite", vi: "Cookie có cờ Secure, HttpOnly và SameSite"),
        rationale: LocalizedText(
            en:
                "Session cookies without these flags can be sent over HTTP, read by injected scripts, or replayed from other sites.",
            vi:
                "Cookie phiên thiếu các cờ này có thể bị gửi qua HTTP, bị script chèn đọc được, hoặc bị trang khác lợi dụng."
        ),
        advice: LocalizedText(
            en:
                "Set the flags where the cookie is created (PHP: `session.cookie_secure=1`, `session.cookie_httponly=1`, `session.cookie_samesite=Lax`; ASP.NET: `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" sameSite=\"Lax\"/>`; nginx in front of an app: `proxy_cookie_flags ~ secure httponly samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; HttpOnly; SameSite=Lax\"`).",
            vi:
                "Đặt cờ ở nơi tạo cookie (PHP: `session.cookie_secure=1`, `session.cookie_httponly=1`, `session.cookie_samesite=Lax`; ASP.NET: `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" sameSite=\"Lax\"/>`; nginx làm proxy: `proxy_cookie_flags ~ secure httponly samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; HttpOnly; SameSite=Lax\"`)."
        ),
        citations: ["OWASP ASVS 4.0.3 V3.4.1–V3.4.3", "RFC 6265bis"], defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard observation.headers != nil, let cookies = observation.cookies else { return .missingFacts("headers") }
        if cookies.isEmpty { return .pass(.noCookies) }
        var problems: [String] = []
        for cookie in cookies.sorted(by: { $0.name < $1.name }) {
            var missing: [String] = []
            if !cookie.secure { missing.append("Secure") }
            if !cookie.httpOnly { missing.append("HttpOnly") }
            if cookie.sameSite == nil { missing.append("SameSite") }
            if !missing.isEmpty { problems.append("\(cookie.name): \(missing.joined(separator: ","))") }
        }
        if problems.isEmpty { return .pass(.ok, ["cookies": clip(cookies.map(\.name).joined(separator: ","))]) }
        return .fail(.flagsMissing, ["missing": clip(problems.joined(separator: "; "))])
    }

    static let examples: [RuleExample<Self>] = [
        .init("all flags", .pass, .ok),
        .init("no cookies", .pass, .noCookies) { $0.cookies = [] },
        .init("flags missing", .fail, .flagsMissing) {
            $0.cookies = [CookieFacts(name: "ASP.NET_SessionId", secure: false, httpOnly: false, sameSite: nil)]
        },
        .init("no headers", .inconclusive, .missingFacts) {
            $0.headers = nil
            $0.cookies = nil
        },
    ]
}
