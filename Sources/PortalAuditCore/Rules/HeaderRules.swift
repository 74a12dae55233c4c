import Foundation

/// Fails when `Strict-Transport-Security` is missing, malformed, or shorter than the profile's minimum.
struct HSTSRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "headers.hsts", area: .headers,
        title: LocalizedText(en: "HSTS is set with a long max-age", vi: "Có HSTS với thời hạn đủ dài"),
        rationale: LocalizedText(
            en: "HSTS makes browsers use HTTPS on every later visit, so a network attacker cannot downgrade them to HTTP.",
            vi: "HSTS buộc trình duyệt luôn dùng HTTPS ở các lần truy cập sau, kẻ tấn công trên mạng không thể hạ cấp về HTTP."),
        advice: LocalizedText(
            en: "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on HTTPS responses (nginx: `add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;`; Apache: `Header always set Strict-Transport-Security \"max-age=31536000; includeSubDomains\"`; IIS: HSTS settings of the site, or a custom header).",
            vi: "Gửi `Strict-Transport-Security: max-age=31536000; includeSubDomains` trên phản hồi HTTPS (nginx: `add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;`; Apache: `Header always set Strict-Transport-Security \"max-age=31536000; includeSubDomains\"`; IIS: mục HSTS của site, hoặc thêm custom header)."),
        citations: ["RFC 6797", "OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.5"],
        defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_max_age", kind: .integer(0...315_360_000), defaultValue: .integer(31_536_000),
                meaning: LocalizedText(en: "Smallest max-age allowed (seconds)", vi: "max-age nhỏ nhất được phép (giây)"))
        ],
        resultCodes: ["ok", "missing", "invalid", "too-short"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let raw = headers.first("strict-transport-security") else { return .fail("missing") }
        guard let hsts = HSTSHeader(parsing: raw) else { return .fail("invalid", ["value": clip(raw)]) }
        if hsts.maxAge < parameters.integer("min_max_age") {
            return .fail("too-short", ["value": clip(raw), "max_age": String(hsts.maxAge)])
        }
        return .pass("ok", ["value": clip(raw)])
    }
}

/// Fails when no `Content-Security-Policy` is sent.
struct CSPRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "headers.csp", area: .headers,
        title: LocalizedText(en: "A Content-Security-Policy is set", vi: "Có chính sách Content-Security-Policy"),
        rationale: LocalizedText(
            en: "A CSP limits where scripts may come from, which blunts cross-site scripting and defacement through injected scripts.",
            vi: "CSP giới hạn nguồn được phép tải mã script, giảm tác hại của tấn công XSS và thay đổi giao diện bằng mã chèn."),
        advice: LocalizedText(
            en: "Start with `Content-Security-Policy: default-src 'self'; frame-ancestors 'self'; object-src 'none'` and widen it for the sources the portal really uses (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` in web.config).",
            vi: "Bắt đầu với `Content-Security-Policy: default-src 'self'; frame-ancestors 'self'; object-src 'none'` rồi nới cho các nguồn cổng thực sự dùng (nginx: `add_header Content-Security-Policy \"…\" always;`; Apache: `Header always set Content-Security-Policy \"…\"`; IIS: `<customHeaders>` trong web.config)."),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.3"], defaultSeverity: .low,
        resultCodes: ["ok", "missing"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("content-security-policy"), !value.trimmingCharacters(in: .whitespaces).isEmpty
        else { return .fail("missing") }
        return .pass("ok", ["value": clip(value)])
    }
}

/// Fails when framing is not restricted by `X-Frame-Options` or CSP `frame-ancestors`.
struct FrameOptionsRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "headers.x-frame-options", area: .headers,
        title: LocalizedText(en: "Framing by other sites is blocked", vi: "Chặn trang khác nhúng cổng (chống clickjacking)"),
        rationale: LocalizedText(
            en: "Without it, another site can embed the portal invisibly and trick users into clicking (clickjacking).",
            vi: "Thiếu tiêu đề này, trang khác có thể nhúng ẩn cổng và lừa người dùng bấm (clickjacking)."),
        advice: LocalizedText(
            en: "Send `X-Frame-Options: SAMEORIGIN` or CSP `frame-ancestors 'self'` (nginx: `add_header X-Frame-Options SAMEORIGIN always;`; Apache: `Header always set X-Frame-Options SAMEORIGIN`; IIS: custom header X-Frame-Options).",
            vi: "Gửi `X-Frame-Options: SAMEORIGIN` hoặc CSP `frame-ancestors 'self'` (nginx: `add_header X-Frame-Options SAMEORIGIN always;`; Apache: `Header always set X-Frame-Options SAMEORIGIN`; IIS: custom header X-Frame-Options)."),
        citations: ["RFC 7034", "OWASP ASVS 4.0.3 V14.4.7"], defaultSeverity: .low,
        resultCodes: ["ok", "missing", "invalid"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        if let csp = headers.first("content-security-policy"), csp.lowercased().contains("frame-ancestors") {
            return .pass("ok", ["csp": clip(csp)])
        }
        guard let value = headers.first("x-frame-options") else { return .fail("missing") }
        let normalized = value.trimmingCharacters(in: .whitespaces).uppercased()
        if normalized == "DENY" || normalized == "SAMEORIGIN" { return .pass("ok", ["value": clip(value)]) }
        return .fail("invalid", ["value": clip(value)])
    }
}

/// Fails unless `X-Content-Type-Options: nosniff` is sent.
struct ContentTypeOptionsRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "headers.x-content-type-options", area: .headers,
        title: LocalizedText(en: "MIME sniffing is off (nosniff)", vi: "Tắt đoán kiểu nội dung (nosniff)"),
        rationale: LocalizedText(
            en: "Without nosniff, browsers may run an uploaded file as a script.",
            vi: "Thiếu nosniff, trình duyệt có thể chạy tệp tải lên như mã script."),
        advice: LocalizedText(
            en: "Send `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header).",
            vi: "Gửi `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header)."),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.4"], defaultSeverity: .low,
        resultCodes: ["ok", "missing", "invalid"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("x-content-type-options") else { return .fail("missing") }
        if value.trimmingCharacters(in: .whitespaces).lowercased() == "nosniff" { return .pass("ok") }
        return .fail("invalid", ["value": clip(value)])
    }
}

/// Fails when `Referrer-Policy` is missing or leaks full URLs to other sites.
struct ReferrerPolicyRule: Rule {
    static let unsafe: Set<String> = ["unsafe-url", "no-referrer-when-downgrade"]

    static let descriptor = RuleDescriptor(
        id: "headers.referrer-policy", area: .headers,
        title: LocalizedText(en: "A safe Referrer-Policy is set", vi: "Có Referrer-Policy an toàn"),
        rationale: LocalizedText(
            en: "Full URLs, which may carry record numbers or search terms, should not leak to other sites.",
            vi: "Không để lộ đường dẫn đầy đủ (có thể chứa mã hồ sơ, từ khóa tìm kiếm) sang trang khác."),
        advice: LocalizedText(
            en: "Send `Referrer-Policy: strict-origin-when-cross-origin` (nginx: `add_header Referrer-Policy strict-origin-when-cross-origin always;`; Apache: `Header always set Referrer-Policy strict-origin-when-cross-origin`; IIS: custom header).",
            vi: "Gửi `Referrer-Policy: strict-origin-when-cross-origin` (nginx: `add_header Referrer-Policy strict-origin-when-cross-origin always;`; Apache: `Header always set Referrer-Policy strict-origin-when-cross-origin`; IIS: custom header)."),
        citations: ["W3C Referrer Policy", "OWASP Secure Headers Project"], defaultSeverity: .info,
        resultCodes: ["ok", "missing", "unsafe"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.first("referrer-policy") else { return .fail("missing") }
        let policies = value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let last = policies.last, Self.unsafe.contains(last) { return .fail("unsafe", ["value": clip(value)]) }
        return .pass("ok", ["value": clip(value)])
    }
}

/// Fails when `Server`, `X-Powered-By` or similar headers disclose a software version.
struct VersionLeakRule: Rule {
    static let disclosing = ["server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator"]

    static let descriptor = RuleDescriptor(
        id: "headers.version-leak", area: .headers,
        title: LocalizedText(en: "No software versions disclosed", vi: "Không để lộ phiên bản phần mềm"),
        rationale: LocalizedText(
            en: "Version banners tell attackers which known vulnerabilities to try first.",
            vi: "Thông tin phiên bản giúp kẻ tấn công biết ngay lỗ hổng nào để khai thác."),
        advice: LocalizedText(
            en: "Hide versions (nginx: `server_tokens off;` and `fastcgi_hide_header X-Powered-By;`; PHP: `expose_php = Off`; Apache: `ServerTokens Prod` and `ServerSignature Off`; IIS: `removeServerHeader=\"true\"` in requestFiltering and remove X-Powered-By/X-AspNet-Version in web.config).",
            vi: "Ẩn phiên bản (nginx: `server_tokens off;` và `fastcgi_hide_header X-Powered-By;`; PHP: `expose_php = Off`; Apache: `ServerTokens Prod` và `ServerSignature Off`; IIS: `removeServerHeader=\"true\"` trong requestFiltering và bỏ X-Powered-By/X-AspNet-Version trong web.config)."),
        citations: ["OWASP ASVS 4.0.3 V14.3.3", "OWASP Secure Headers Project (headers to remove)"],
        defaultSeverity: .low, resultCodes: ["ok", "version-disclosed"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        var leaks: [String: String] = [:]
        for name in disclosing {
            for value in headers.all(name) {
                let reveals = name == "server" ? value.contains(where: \.isNumber) : true
                if reveals { leaks[name] = clip(value) }
            }
        }
        return leaks.isEmpty ? .pass("ok") : .fail("version-disclosed", leaks)
    }
}

/// Fails when a cookie set by the home page lacks `Secure`, `HttpOnly` or `SameSite`.
struct CookieFlagsRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cookies.secure-flags", area: .cookies,
        title: LocalizedText(en: "Cookies carry Secure, HttpOnly and SameSite", vi: "Cookie có cờ Secure, HttpOnly và SameSite"),
        rationale: LocalizedText(
            en: "Session cookies without these flags can be sent over HTTP, read by injected scripts, or replayed from other sites.",
            vi: "Cookie phiên thiếu các cờ này có thể bị gửi qua HTTP, bị script chèn đọc được, hoặc bị trang khác lợi dụng."),
        advice: LocalizedText(
            en: "Set the flags where the cookie is created (PHP: `session.cookie_secure=1`, `session.cookie_httponly=1`, `session.cookie_samesite=Lax`; ASP.NET: `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" sameSite=\"Lax\"/>`; nginx in front of an app: `proxy_cookie_flags ~ secure httponly samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; HttpOnly; SameSite=Lax\"`).",
            vi: "Đặt cờ ở nơi tạo cookie (PHP: `session.cookie_secure=1`, `session.cookie_httponly=1`, `session.cookie_samesite=Lax`; ASP.NET: `<httpCookies requireSSL=\"true\" httpOnlyCookies=\"true\" sameSite=\"Lax\"/>`; nginx làm proxy: `proxy_cookie_flags ~ secure httponly samesite=lax;`; Apache: `Header edit Set-Cookie ^(.*)$ \"$1; Secure; HttpOnly; SameSite=Lax\"`)."),
        citations: ["OWASP ASVS 4.0.3 V3.4.1–V3.4.3", "RFC 6265bis"], defaultSeverity: .medium,
        resultCodes: ["ok", "no-cookies", "flags-missing"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard observation.headers != nil, let cookies = observation.cookies else { return .missingFacts("headers") }
        if cookies.isEmpty { return .pass("no-cookies") }
        var problems: [String] = []
        for cookie in cookies.sorted(by: { $0.name < $1.name }) {
            var missing: [String] = []
            if !cookie.secure { missing.append("Secure") }
            if !cookie.httpOnly { missing.append("HttpOnly") }
            if cookie.sameSite == nil { missing.append("SameSite") }
            if !missing.isEmpty { problems.append("\(cookie.name): \(missing.joined(separator: ","))") }
        }
        if problems.isEmpty { return .pass("ok", ["cookies": clip(cookies.map(\.name).joined(separator: ","))]) }
        return .fail("flags-missing", ["missing": clip(problems.joined(separator: "; "))])
    }
}
