/// Fails when `http://host/` does not end on `https://` (no redirect, a redirect back to http, a loop).
struct RedirectToHTTPSRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "http.redirect-to-https", area: .http,
        title: LocalizedText(en: "HTTP redirects to HTTPS", vi: "Truy cập HTTP được chuyển hướng sang HTTPS"),
        rationale: LocalizedText(
            en: "Citizens who type the portal's name reach http:// first; without a redirect they stay on an unencrypted page.",
            vi: "Người dân gõ tên cổng sẽ vào http:// trước; nếu không chuyển hướng, họ ở lại trang không mã hóa."),
        advice: LocalizedText(
            en: "Answer every plain-HTTP request with a permanent redirect to the same host over HTTPS (nginx: `server { listen 80; server_name …; return 301 https://$host$request_uri; }`; Apache: `Redirect permanent / https://host/` in the port-80 VirtualHost; IIS: URL Rewrite rule \"HTTP to HTTPS\" with a 301).",
            vi: "Trả lời mọi yêu cầu HTTP bằng chuyển hướng vĩnh viễn sang HTTPS cùng tên miền (nginx: `server { listen 80; server_name …; return 301 https://$host$request_uri; }`; Apache: `Redirect permanent / https://host/` trong VirtualHost cổng 80; IIS: quy tắc URL Rewrite \"HTTP to HTTPS\" với mã 301)."),
        citations: ["CISA BOD 18-01 (Always-On HTTPS)", "OWASP ASVS 4.0.3 V9.1.1"], defaultSeverity: .high,
        resultCodes: ["ok", "no-redirect", "redirect-to-http", "loop", "too-many-hops", "bad-scheme", "http-not-served", "unsafe-redirect"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let redirect = observation.redirect, let first = redirect.hops.first else {
            return .missingFacts("redirect")
        }
        let chain = clip(redirect.hops.map { hop in "\(hop.status.map(String.init) ?? "-") \(hop.url)" }
            .joined(separator: " → "))
        let evidence = ["chain": chain]
        switch redirect.outcome {
        case .loop: return .fail("loop", evidence)
        case .tooManyHops: return .fail("too-many-hops", evidence)
        case .badScheme: return .fail("bad-scheme", evidence)
        case .refused:
            // Sending visitors to a private address or with credentials in the URL is broken for the
            // public whatever comes after; the scanner did not follow it.
            let last = redirect.hops.last
            return .fail("unsafe-redirect", evidence.merging([
                "refused": last?.refused?.rawValue ?? "", "location": clip(last?.location ?? ""),
            ]) { a, _ in a })
        case .failed:
            if first.status == nil {
                // Nothing listens for HTTP: there is no plaintext page to leave (HTTPS-only host).
                if first.failure?.kind == "connect" && observation.reachability?.https.status != nil {
                    return .notApplicable("http-not-served", evidence)
                }
                return .missingFacts("redirect", evidence)
            }
            if redirect.finalScheme == "https" { return .pass("ok", evidence) }
            return .missingFacts("redirect", evidence)
        case .final:
            if redirect.hops.count == 1 { return .fail("no-redirect", evidence) }
            if redirect.finalScheme == "https" { return .pass("ok", evidence) }
            return .fail("redirect-to-http", evidence)
        }
    }
}
