import Foundation

/// Fails when a session cookie set by the home page lacks `Secure`, `HttpOnly` or `SameSite`. Other cookies
/// are `cookies.other-flags`: only a session cookie carries the authentication a level 3 system must
/// protect in transit, so only it can make the rule required.
struct CookieFlagsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noCookies = "no-cookies"
        case noSessionCookies = "no-session-cookies"
        case flagsMissing = "flags-missing"
        case missingFacts = "missing-facts"
    }

    /// Whether a cookie's name is that of a session or authentication token: the frameworks' own names,
    /// or a name that says so (`sess`, `sid`, `auth`, `token`, `login`, `jwt`).
    static func isSession(_ cookie: CookieFacts) -> Bool {
        let name = cookie.name.lowercased()
        let known = ["phpsessid", "jsessionid", "asp.net_sessionid", ".aspxauth", "connect.sid", "cfid", "cftoken"]
        if known.contains(name) || name.hasPrefix("wordpress_logged_in") || name.hasPrefix("__host-")
            || name.hasPrefix("__secure-")
        {
            return true
        }
        return ["sess", "sid", "auth", "token", "login", "jwt"].contains { name.contains($0) }
    }

    static let descriptor = RuleDescriptor(
        id: "cookies.secure-flags", area: .cookies,
        title: LocalizedText(
            en: "Session cookies carry Secure, HttpOnly and SameSite",
            vi: "Cookie phiên có cờ Secure, HttpOnly và SameSite"),
        rationale: LocalizedText(
            en:
                "Session cookies without these flags can be sent over HTTP, read by injected scripts, or replayed from other sites. SameSite counts only as Strict, Lax or None (any other value is ignored by browsers, RFC 6265bis); a cookie browsers refuse to store (a __Host-/__Secure- prefix's conditions unmet, SameSite=None without Secure) is not judged.",
            vi:
                "Cookie phiên thiếu các cờ này có thể bị gửi qua HTTP, bị script chèn đọc được, hoặc bị trang khác lợi dụng. SameSite chỉ được tính khi là Strict, Lax hoặc None (giá trị khác bị trình duyệt bỏ qua, RFC 6265bis); cookie bị trình duyệt từ chối lưu (không đáp ứng điều kiện tiền tố __Host-/__Secure-, SameSite=None thiếu Secure) không được đánh giá."
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
        // A cookie browsers refuse to store puts nothing at risk.
        let sessions = cookies.filter { isSession($0) && $0.rejected == nil }
        if sessions.isEmpty {
            return .pass(.noSessionCookies, ["cookies": clip(cookies.map(\.name).joined(separator: ","))])
        }
        let problems = missingFlags(sessions, httpOnly: true)
        if problems.isEmpty { return .pass(.ok, ["cookies": clip(sessions.map(\.name).joined(separator: ","))]) }
        return .fail(.flagsMissing, ["missing": clip(problems.joined(separator: "; "))])
    }

    /// `name: Secure,HttpOnly,SameSite` for each of `cookies` (by name) that lacks a flag asked for.
    static func missingFlags(_ cookies: [CookieFacts], httpOnly: Bool) -> [String] {
        cookies.sorted { $0.name < $1.name }.compactMap { cookie in
            var missing: [String] = []
            if !cookie.secure { missing.append("Secure") }
            if httpOnly && !cookie.httpOnly { missing.append("HttpOnly") }
            if !cookie.hasSameSite { missing.append("SameSite") }
            return missing.isEmpty ? nil : "\(cookie.name): \(missing.joined(separator: ","))"
        }
    }

    /// The `missing` evidence `missingFlags` wrote, read back: each cookie's name and the flags it lacks as
    /// "Secure, HttpOnly" (empty for a fragment the clip cut short, kept as sent).
    static func lacking(_ values: FindingValues) -> [(cookie: String, flags: String)] {
        (values.evidence["missing"] ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }.map {
            item -> (cookie: String, flags: String) in
            guard let colon = item.range(of: ": ", options: .backwards) else { return (item, "") }
            let flags = item[colon.upperBound...].split(separator: ",").joined(separator: ", ")
            return (String(item[..<colon.lowerBound]), flags)
        }
    }

    /// The cookies `missing` names, each with its flags ("PHPSESSID (Secure, HttpOnly)"), and whether it is one
    /// cookie with flags named.
    static func lackingText(_ values: FindingValues) -> (
        found: [(cookie: String, flags: String)], each: String, one: Bool
    ) {
        let found = lacking(values)
        let each = found.map { $0.flags.isEmpty ? $0.cookie : "\($0.cookie) (\($0.flags))" }.joined(separator: ", ")
        return (found, each, found.count == 1 && !found[0].flags.isEmpty)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let (found, each, one) = lackingText(values)
        return switch code {
        case .ok:
            values.count("cookies") == 1
                ? LocalizedText(
                    en: "The session cookie \(values.list("cookies")) carries Secure, HttpOnly and SameSite.",
                    vi: "Cookie phiên \(values.list("cookies")) có đủ thuộc tính Secure, HttpOnly và SameSite.")
                : LocalizedText(
                    en: "The session cookies \(values.list("cookies")) all carry Secure, HttpOnly and SameSite.",
                    vi: "Các cookie phiên \(values.list("cookies")) đều có đủ thuộc tính Secure, HttpOnly và SameSite.")
        case .noCookies:
            LocalizedText(
                en: "The home page sets no cookies.",
                vi: "Trang chủ không đặt cookie nào.")
        case .noSessionCookies:
            LocalizedText(
                en: "The home page sets no session cookie to judge (cookies received: \(values.list("cookies"))).",
                vi:
                    "Trang chủ không đặt cookie phiên nào cần đánh giá (các cookie nhận được: \(values.list("cookies")))."
            )
        case .flagsMissing:
            one
                ? LocalizedText(
                    en: "The session cookie \(found[0].cookie) lacks \(found[0].flags).",
                    vi: "Cookie phiên \(found[0].cookie) thiếu thuộc tính \(found[0].flags).")
                : LocalizedText(
                    en: "Session cookies lack security flags: \(each).",
                    vi: "Các cookie phiên thiếu thuộc tính bảo mật: \(each).")
        case .missingFacts:
            LocalizedText(
                en:
                    "The HTTP headers and cookies could not be read, so the session cookies' flags could not be checked.",
                vi:
                    "Không đọc được tiêu đề HTTP và cookie của trang chủ nên chưa kiểm tra được thuộc tính của cookie phiên."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("all flags", .pass, .ok),
        .init("no cookies", .pass, .noCookies) { $0.cookies = [] },
        .init("only a language cookie without flags", .pass, .noSessionCookies) {
            $0.cookies = [CookieFacts(name: "lang", secure: false, httpOnly: false, sameSite: nil)]
        },
        .init("a framework's session cookie without flags", .fail, .flagsMissing) {
            $0.cookies = [
                CookieFacts(name: "lang", secure: false, httpOnly: false, sameSite: nil),
                CookieFacts(name: "laravel_session", secure: true, httpOnly: false, sameSite: "Lax"),
            ]
        },
        .init("SameSite=True is no SameSite", .fail, .flagsMissing) {
            $0.cookies = [CookieFacts(name: "PHPSESSID", secure: true, httpOnly: true, sameSite: "True")]
        },
        .init("a __Host- session cookie browsers refuse is not judged", .pass, .noSessionCookies) {
            $0.cookies = [
                CookieFacts(
                    name: "__Host-sid", secure: false, httpOnly: true, sameSite: "Lax",
                    rejected: "a __Host- cookie needs Secure, Path=/ and no Domain")
            ]
        },
        .init("flags missing", .fail, .flagsMissing) {
            $0.cookies = [CookieFacts(name: "ASP.NET_SessionId", secure: false, httpOnly: false, sameSite: nil)]
        },
        .init("no headers", .inconclusive, .missingFacts) {
            $0.headers = nil
            $0.cookies = nil
        },
    ]
}
