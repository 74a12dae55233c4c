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
        resultCodes: ["ok", "unreachable", "timeout", "server-error"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let reach = observation.reachability else { return .missingFacts("reachability") }
        // The HTTPS home page decides. A plain-HTTP answer counts only for a portal that serves no
        // HTTPS at all (nothing listens, or TLS is broken): a redirect to an HTTPS page that never
        // answers is not a portal that answers.
        if let status = reach.https.status {
            let evidence = ["url": clip(reach.https.url), "status": String(status)]
            return status < 500 ? .pass("ok", evidence) : .fail("server-error", evidence)
        }
        let httpsDetail = clip(reach.https.failure.map { "\($0.kind): \($0.message)" } ?? "no response")
        let httpsServed = !(reach.https.failure.map { ["connect", "tls"].contains($0.kind) } ?? false)
        if !httpsServed, let http = reach.http, let status = http.status, !(300...399).contains(status) {
            let evidence = ["url": clip(http.url), "status": String(status), "https": httpsDetail]
            return status < 500 ? .pass("ok", evidence) : .fail("server-error", evidence)
        }
        var evidence = ["https": httpsDetail]
        if let http = reach.http {
            evidence["http"] = clip(http.status.map { "status \($0)" } ?? http.failure.map { "\($0.kind): \($0.message)" } ?? "no response")
        }
        let timedOut = reach.https.failure?.kind == "timeout"
        return .fail(timedOut ? "timeout" : "unreachable", evidence)
    }
}

/// Fails when the uptime measured by the monitor over the last 30 days is below the profile's threshold.
struct UptimeRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "availability.uptime", area: .availability,
        title: LocalizedText(en: "The portal stays up (monitored uptime)", vi: "Cổng hoạt động liên tục (thời gian hoạt động được giám sát)"),
        rationale: LocalizedText(
            en: "NĐ 224/2026 asks portals to run reliably and continuously. Vietnamese law sets no percentage: the threshold is the tool's default, and the figure comes from the monitor's samples (docs/uptime.md), never from a single check.",
            vi: "NĐ 224/2026 yêu cầu cổng hoạt động tin cậy, liên tục. Pháp luật Việt Nam không quy định tỷ lệ: ngưỡng là mặc định của công cụ, số liệu lấy từ các lần lấy mẫu của chế độ giám sát (docs/uptime.md), không từ một lần kiểm tra."),
        advice: LocalizedText(
            en: "Find the outages in the report and their causes; add monitoring of the server itself, a standby (nginx `upstream` with `backup`; Apache mod_proxy_balancer; IIS ARR), and announce planned downtime 7 working days ahead.",
            vi: "Xem các lần gián đoạn và nguyên nhân trong báo cáo; giám sát chính máy chủ, bố trí máy dự phòng (nginx `upstream` với `backup`; Apache mod_proxy_balancer; IIS ARR) và thông báo tạm ngừng có kế hoạch trước 07 ngày làm việc."),
        citations: ["NĐ 224/2026 Điều 21.2.a", "NĐ 224/2026 Điều 13"], defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_basis_points", kind: .integer(0...10_000), defaultValue: .integer(9_900),
                meaning: LocalizedText(en: "Lowest uptime over 30 days, in hundredths of a percent (9900 = 99.00%)", vi: "Tỷ lệ hoạt động tối thiểu trong 30 ngày, phần vạn (9900 = 99,00%)"))
        ],
        resultCodes: ["ok", "below-threshold"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let uptime = observation.uptime, let percent = uptime.percent else { return .missingFacts("uptime") }
        let evidence = [
            "uptime_percent": String(format: "%.2f", percent), "outages": String(uptime.outages.count),
            "unmonitored_hours": String(format: "%.1f", uptime.unmonitoredSeconds / 3_600),
            "window_hours": String(uptime.windowHours),
        ]
        return percent * 100 < Double(parameters.integer("min_basis_points")) ? .fail("below-threshold", evidence) : .pass("ok", evidence)
    }
}
