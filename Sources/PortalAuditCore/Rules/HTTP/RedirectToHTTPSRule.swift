import Foundation

/// Fails when `http://host/` does not end on `https://` (no redirect, a redirect back to http, a loop).
struct RedirectToHTTPSRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noRedirect = "no-redirect"
        case redirectToHttp = "redirect-to-http"
        case loop
        case tooManyHops = "too-many-hops"
        case badScheme = "bad-scheme"
        case httpNotServed = "http-not-served"
        case unsafeRedirect = "unsafe-redirect"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "http.redirect-to-https", area: .http,
        title: LocalizedText(en: "HTTP redirects to HTTPS", vi: "Truy cập HTTP được chuyển hướng sang HTTPS"),
        rationale: LocalizedText(
            en:
                "Citizens who type the portal's name reach http:// first; without a redirect they stay on an unencrypted page.",
            vi: "Người dân gõ tên cổng sẽ vào http:// trước; nếu không chuyển hướng, họ ở lại trang không mã hóa."),
        advice: LocalizedText(
            en:
                "Answer every plain-HTTP request with a permanent redirect to the same host over HTTPS (nginx: `server { listen 80; server_name …; return 301 https://$host$request_uri; }`; Apache: `Redirect permanent / https://host/` in the port-80 VirtualHost; IIS: URL Rewrite rule \"HTTP to HTTPS\" with a 301).",
            vi:
                "Trả lời mọi yêu cầu HTTP bằng chuyển hướng vĩnh viễn sang HTTPS cùng tên miền (nginx: `server { listen 80; server_name …; return 301 https://$host$request_uri; }`; Apache: `Redirect permanent / https://host/` trong VirtualHost cổng 80; IIS: quy tắc URL Rewrite \"HTTP to HTTPS\" với mã 301)."
        ),
        citations: ["CISA BOD 18-01 (Always-On HTTPS)", "OWASP ASVS 4.0.3 V9.1.1"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let redirect = observation.redirect, let first = redirect.hops.first else {
            return .missingFacts("redirect")
        }
        let chain = clip(
            redirect.hops.map { hop in "\(hop.status.map(String.init) ?? "-") \(hop.url)" }
                .joined(separator: " → "))
        let evidence = ["chain": chain]
        switch redirect.outcome {
        case .loop: return .fail(.loop, evidence)
        case .tooManyHops: return .fail(.tooManyHops, evidence)
        case .badScheme: return .fail(.badScheme, evidence)
        case .refused:
            // Sending visitors to a private address or with credentials in the URL is broken for the
            // public whatever comes after; the scanner did not follow it.
            let last = redirect.hops.last
            return .fail(
                .unsafeRedirect,
                evidence.merging([
                    "refused": last?.refused?.rawValue ?? "", "location": clip(last?.location ?? ""),
                ]) { a, _ in a })
        case .failed:
            if first.status == nil {
                // Nothing listens for HTTP: there is no plaintext page to leave (HTTPS-only host).
                if first.failure?.kind == .connect && observation.reachability?.https.status != nil {
                    return .notApplicable(.httpNotServed, evidence)
                }
                return .missingFacts("redirect", evidence)
            }
            if redirect.finalScheme == "https" { return .pass(.ok, evidence) }
            return .missingFacts("redirect", evidence)
        case .final:
            if redirect.hops.count == 1 { return .fail(.noRedirect, evidence) }
            if redirect.finalScheme == "https" { return .pass(.ok, evidence) }
            return .fail(.redirectToHttp, evidence)
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let location = values["location"]
        let refusal: LocalizedText =
            switch values.evidence["refused"] ?? "" {
            case RedirectScope.Refusal.credentials.rawValue:
                LocalizedText(
                    en: "an address carrying a user name and password (\(location))",
                    vi: "một địa chỉ có kèm tên đăng nhập và mật khẩu (\(location))")
            case RedirectScope.Refusal.privateAddress.rawValue:
                LocalizedText(
                    en: "an internal address or non-public port the public cannot reach (\(location))",
                    vi:
                        "một địa chỉ nội bộ hoặc cổng dịch vụ không công khai mà người dân không truy cập được (\(location))"
                )
            case RedirectScope.Refusal.unresolved.rawValue:
                LocalizedText(
                    en: "a host name that does not resolve (\(location))",
                    vi: "một tên miền không phân giải được (\(location))")
            default:
                LocalizedText(en: "an unsafe address (\(location))", vi: "một địa chỉ không an toàn (\(location))")
            }
        return switch code {
        case .ok:
            LocalizedText(
                en: "Plain HTTP redirects to HTTPS (\(values["chain"])).",
                vi: "Truy cập qua HTTP được chuyển hướng sang HTTPS (\(values["chain"])).")
        case .noRedirect:
            LocalizedText(
                en: "The portal answers over plain HTTP without redirecting to HTTPS (\(values["chain"])).",
                vi: "Cổng trả lời trực tiếp qua HTTP mà không chuyển hướng sang HTTPS (\(values["chain"])).")
        case .redirectToHttp:
            LocalizedText(
                en: "The redirect from HTTP ends on a plain HTTP page, not on HTTPS (\(values["chain"])).",
                vi: "Chuyển hướng từ HTTP kết thúc ở một trang HTTP, không sang HTTPS (\(values["chain"])).")
        case .loop:
            LocalizedText(
                en: "The redirect from HTTP loops and never reaches a page (\(values["chain"])).",
                vi: "Chuyển hướng từ HTTP lặp vòng, không dẫn tới trang nào (\(values["chain"])).")
        case .tooManyHops:
            LocalizedText(
                en: "The redirect from HTTP takes too many hops without reaching HTTPS (\(values["chain"])).",
                vi: "Chuyển hướng từ HTTP qua quá nhiều bước mà không tới được HTTPS (\(values["chain"])).")
        case .badScheme:
            LocalizedText(
                en: "The redirect from HTTP leads to a scheme other than HTTP or HTTPS (\(values["chain"])).",
                vi: "Chuyển hướng từ HTTP trỏ tới một giao thức không phải HTTP hay HTTPS (\(values["chain"])).")
        case .httpNotServed:
            LocalizedText(
                en:
                    "The server accepts no plain HTTP connection and the portal is served over HTTPS only, so there is nothing to redirect.",
                vi:
                    "Máy chủ không nhận kết nối HTTP, cổng chỉ phục vụ qua HTTPS nên không có trang không mã hóa cần chuyển hướng."
            )
        case .unsafeRedirect:
            LocalizedText(
                en: "The redirect from HTTP leads to \(refusal.en), which was not followed (\(values["chain"])).",
                vi: "Chuyển hướng từ HTTP trỏ tới \(refusal.vi), công cụ không đi theo (\(values["chain"])).")
        case .missingFacts:
            values.has("chain")
                ? LocalizedText(
                    en:
                        "The redirect chain from HTTP could not be followed to its end (\(values["chain"])), so whether it reaches HTTPS is unknown.",
                    vi:
                        "Không theo hết được chuỗi chuyển hướng từ HTTP (\(values["chain"])) nên chưa xác định được có tới HTTPS hay không."
                )
                : LocalizedText(
                    en: "Plain HTTP was not probed, so the redirect to HTTPS could not be checked.",
                    vi: "Chưa thăm dò truy cập qua HTTP nên chưa kiểm tra được việc chuyển hướng sang HTTPS.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("301 to https", .pass, .ok),
        .init("200 over http", .fail, .noRedirect) {
            $0.redirect = RedirectFacts(
                hops: [RedirectHop(url: "http://x/", status: 200)], outcome: .final,
                finalScheme: "http", finalURL: "http://x/")
        },
        .init("redirect stays on http", .fail, .redirectToHttp) {
            $0.redirect = RedirectFacts(
                hops: [
                    RedirectHop(url: "http://x/", status: 301, location: "http://x/home"),
                    RedirectHop(url: "http://x/home", status: 200),
                ],
                outcome: .final, finalScheme: "http", finalURL: "http://x/home")
        },
        .init("loop", .fail, .loop) {
            $0.redirect = RedirectFacts(
                hops: [
                    RedirectHop(url: "http://x/", status: 302, location: "http://x/"), RedirectHop(url: "http://x/"),
                ],
                outcome: .loop, finalScheme: "http", finalURL: "http://x/")
        },
        .init("too many hops", .fail, .tooManyHops) { $0.redirect?.outcome = .tooManyHops },
        .init("port 80 closed on an https-only host", .notApplicable, .httpNotServed) {
            $0.redirect = RedirectFacts(
                hops: [RedirectHop(url: "http://x/", failure: ProbeFailure(kind: .connect, message: "refused"))],
                outcome: .failed, finalScheme: "http", finalURL: "http://x/")
        },
        .init("http times out", .inconclusive, .missingFacts) {
            $0.redirect = RedirectFacts(
                hops: [RedirectHop(url: "http://x/", failure: ProbeFailure(kind: .timeout, message: "slow"))],
                outcome: .failed, finalScheme: "http", finalURL: "http://x/")
        },
        .init("not probed", .inconclusive, .missingFacts) { $0.redirect = nil },
        .init("redirect to a private address, not followed", .fail, .unsafeRedirect) {
            $0.redirect = RedirectFacts(
                hops: [
                    RedirectHop(url: "http://x/", status: 302, location: "http://10.0.0.5/", refused: .privateAddress)
                ],
                outcome: .refused, finalScheme: "http", finalURL: "http://10.0.0.5/")
        },
    ]
}
