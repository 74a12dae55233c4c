import Foundation

/// Fails when the uptime measured by the monitor over the last 30 days is below the profile's threshold.
struct UptimeRule: Rule {
    struct Parameters: RuleParameterSet {
        var minBasisPoints: Int

        enum CodingKeys: String, CodingKey {
            case minBasisPoints = "min_basis_points"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case belowThreshold = "below-threshold"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "availability.uptime", area: .availability,
        title: LocalizedText(
            en: "The portal stays up (monitored uptime)",
            vi: "Cổng hoạt động liên tục (thời gian hoạt động được giám sát)"),
        rationale: LocalizedText(
            en:
                "NĐ 224/2026 asks portals to run reliably and continuously. Vietnamese law sets no percentage: the threshold is the tool's default, and the figure comes from the monitor's samples (docs/uptime.md), never from a single check.",
            vi:
                "NĐ 224/2026 yêu cầu cổng hoạt động tin cậy, liên tục. Pháp luật Việt Nam không quy định tỷ lệ: ngưỡng là mặc định của công cụ, số liệu lấy từ các lần lấy mẫu của chế độ giám sát (docs/uptime.md), không từ một lần kiểm tra."
        ),
        advice: LocalizedText(
            en:
                "Find the outages in the report and their causes; add monitoring of the server itself, a standby (nginx `upstream` with `backup`; Apache mod_proxy_balancer; IIS ARR), and announce planned downtime 7 working days ahead.",
            vi:
                "Xem các lần gián đoạn và nguyên nhân trong báo cáo; giám sát chính máy chủ, bố trí máy dự phòng (nginx `upstream` với `backup`; Apache mod_proxy_balancer; IIS ARR) và thông báo tạm ngừng có kế hoạch trước 07 ngày làm việc."
        ),
        citations: ["NĐ 224/2026 Điều 21.2.a", "NĐ 224/2026 Điều 13"], defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_basis_points", kind: .integer(0...10_000), defaultValue: .integer(9_900),
                meaning: LocalizedText(
                    en: "Lowest uptime over 30 days, in hundredths of a percent (9900 = 99.00%)",
                    vi: "Tỷ lệ hoạt động tối thiểu trong 30 ngày, phần vạn (9900 = 99,00%)"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let uptime = observation.uptime, let percent = uptime.percent else { return .missingFacts("uptime") }
        let evidence = [
            "uptime_percent": String(format: "%.2f", percent), "outages": String(uptime.outages.count),
            "unmonitored_hours": String(format: "%.1f", uptime.unmonitoredSeconds / 3_600),
            "window_hours": String(uptime.windowHours),
        ]
        return percent * 100 < Double(parameters.minBasisPoints)
            ? .fail(.belowThreshold, evidence) : .pass(.ok, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let percent = LocalizedText(
            en: values["uptime_percent"], vi: values["uptime_percent"].replacingOccurrences(of: ".", with: ","))
        let hours = values.number("window_hours")
        let outages = values.number("outages")
        let unmonitored =
            (Double(values["unmonitored_hours"]) ?? 0) > 0
            ? LocalizedText(
                en: "; \(values["unmonitored_hours"]) hours not monitored",
                vi: "; \(values["unmonitored_hours"].replacingOccurrences(of: ".", with: ",")) giờ không giám sát được")
            : LocalizedText(en: "", vi: "")
        return switch code {
        case .ok:
            LocalizedText(
                en:
                    "The portal was up \(percent.en)% of the last \(hours.en) hours, with \(outages.en) outage(s)\(unmonitored.en).",
                vi:
                    "Cổng hoạt động \(percent.vi)% thời gian trong \(hours.vi) giờ gần nhất, có \(outages.vi) lần gián đoạn\(unmonitored.vi)."
            )
        case .belowThreshold:
            LocalizedText(
                en:
                    "The portal was up only \(percent.en)% of the last \(hours.en) hours, below the required level, with \(outages.en) outage(s)\(unmonitored.en).",
                vi:
                    "Cổng chỉ hoạt động \(percent.vi)% thời gian trong \(hours.vi) giờ gần nhất, dưới ngưỡng yêu cầu, có \(outages.vi) lần gián đoạn\(unmonitored.vi)."
            )
        case .missingFacts:
            LocalizedText(
                en: "No monitored uptime is available yet, so continuous operation could not be judged.",
                vi: "Chưa có số liệu giám sát thời gian hoạt động nên chưa đánh giá được tính liên tục.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("99.92%", .pass, .ok),
        .init("95%", .fail, .belowThreshold) {
            $0.uptime = UptimeFacts(windowHours: 720, upSeconds: 95, downSeconds: 5, unmonitoredSeconds: 0, outages: [])
        },
        .init("95% under a 90% threshold", .pass, .ok, parameters: { $0.minBasisPoints = 9_000 }) {
            $0.uptime = UptimeFacts(windowHours: 720, upSeconds: 95, downSeconds: 5, unmonitoredSeconds: 0, outages: [])
        },
        .init("never monitored", .inconclusive, .missingFacts) { $0.uptime = nil },
        .init("only unmonitored time", .inconclusive, .missingFacts) {
            $0.uptime = UptimeFacts(
                windowHours: 720, upSeconds: 0, downSeconds: 0, unmonitoredSeconds: 2_592_000, outages: [])
        },
    ]
}
