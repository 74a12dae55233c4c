/// Fails when the portal answers neither over HTTPS nor over HTTP, or answers only with server errors.
struct ReachableRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "availability.reachable", area: .availability,
        title: LocalizedText(en: "The portal answers", vi: "Cổng thông tin phản hồi truy cập"),
        rationale: LocalizedText(
            en: "A portal that does not answer cannot serve citizens; the law asks portals to run reliably and continuously.",
            vi: "Cổng không phản hồi thì không phục vụ được người dân; pháp luật yêu cầu cổng hoạt động tin cậy, liên tục."),
        advice: LocalizedText(
            en: "Check that the web server is running and that firewalls allow ports 443 and 80 from the Internet (nginx: `systemctl status nginx`; Apache: `systemctl status apache2`; IIS: the site and its application pool are started). Announce planned downtime at least 7 working days ahead.",
            vi: "Kiểm tra máy chủ web đang chạy và tường lửa cho phép cổng 443 và 80 từ Internet (nginx: `systemctl status nginx`; Apache: `systemctl status apache2`; IIS: trang và application pool đang chạy). Thông báo tạm ngừng có kế hoạch trước ít nhất 07 ngày làm việc."),
        citations: ["NĐ 224/2026 Điều 21.2.a", "NĐ 224/2026 Điều 13.1.a"], defaultSeverity: .critical,
        resultCodes: ["ok", "unreachable", "server-error"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let reach = observation.reachability else { return .missingFacts("reachability") }
        let endpoints = [reach.https] + (reach.http.map { [$0] } ?? [])
        let answered = endpoints.filter { $0.status != nil }
        if let good = answered.first(where: { ($0.status ?? 0) < 500 }) {
            return .pass("ok", ["url": clip(good.url), "status": String(good.status ?? 0)])
        }
        if let bad = answered.first {
            return .fail("server-error", ["url": clip(bad.url), "status": String(bad.status ?? 0)])
        }
        var evidence: [String: String] = [:]
        for endpoint in endpoints {
            let key = endpoint.url.hasPrefix("https:") ? "https" : "http"
            evidence[key] = clip(endpoint.failure.map { "\($0.kind): \($0.message)" } ?? "no response")
        }
        return .fail("unreachable", evidence)
    }
}
