import Foundation

/// Fails when the home page takes longer than the profile's limit on a fresh connection.
struct ResponseTimeRule: Rule {
    struct Parameters: RuleParameterSet {
        var maxMS: Int

        enum CodingKeys: String, CodingKey {
            case maxMS = "max_ms"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case slow
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "availability.response-time", area: .availability,
        title: LocalizedText(en: "The home page answers quickly", vi: "Trang chủ phản hồi nhanh"),
        rationale: LocalizedText(
            en:
                "The 2025 evaluation criteria for state portals expect first content within 3 s; a slow home page on a fresh connection (DNS, TCP, TLS, first byte, body) is the first sign of an overloaded or misconfigured server. Measured from the tool's location, not by a browser.",
            vi:
                "Bộ tiêu chí đánh giá cổng/trang năm 2025 yêu cầu hiển thị nội dung đầu tiên dưới 3 giây; trang chủ chậm trên kết nối mới (DNS, TCP, TLS, byte đầu tiên, nội dung) là dấu hiệu đầu tiên của máy chủ quá tải hoặc cấu hình chưa tốt. Đo từ vị trí của công cụ, không phải bằng trình duyệt."
        ),
        advice: LocalizedText(
            en:
                "Cache pages and static files (nginx: `proxy_cache`/`fastcgi_cache`, `expires`; Apache: mod_cache; IIS: output caching), compress (gzip/brotli), enable HTTP/2 and keep TLS session resumption; check the application server and database for slow queries.",
            vi:
                "Bật bộ đệm trang và tệp tĩnh (nginx: `proxy_cache`/`fastcgi_cache`, `expires`; Apache: mod_cache; IIS: output caching), nén (gzip/brotli), bật HTTP/2 và nối lại phiên TLS; kiểm tra máy chủ ứng dụng và truy vấn cơ sở dữ liệu chậm."
        ),
        citations: ["Bộ tiêu chí đánh giá cổng/trang TTĐT 2025 (Bộ KH&CN)", "NĐ 224/2026 Điều 12.2.b"],
        defaultSeverity: .low,
        parameters: [
            ParameterSpec(
                name: "max_ms", kind: .integer(100...60_000), defaultValue: .integer(3_000),
                meaning: LocalizedText(
                    en: "Slowest acceptable home page (ms, fresh connection)",
                    vi: "Thời gian tối đa tải trang chủ (ms, kết nối mới)"),
                lowerIsStricter: true)
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let timings = observation.reachability?.https.timings else { return .missingFacts("reachability") }
        let evidence = [
            "total_ms": String(Int(timings.totalMS)), "ttfb_ms": String(Int(timings.ttfbMS)),
            "tls_ms": String(Int(timings.tlsMS)),
        ]
        return timings.totalMS > Double(parameters.maxMS) ? .fail(.slow, evidence) : .pass(.ok, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The home page loaded in \(values.number("total_ms").en) ms on a fresh connection.",
                vi: "Trang chủ tải xong trong \(values.number("total_ms").vi) ms trên kết nối mới.")
        case .slow:
            LocalizedText(
                en:
                    "The home page took \(values.number("total_ms").en) ms on a fresh connection (TLS handshake \(values.number("tls_ms").en) ms, first byte \(values.number("ttfb_ms").en) ms after the request).",
                vi:
                    "Trang chủ tải chậm: mất \(values.number("total_ms").vi) ms trên kết nối mới (bắt tay TLS \(values.number("tls_ms").vi) ms, chờ byte đầu tiên \(values.number("ttfb_ms").vi) ms)."
            )
        case .missingFacts:
            LocalizedText(
                en: "The home page's load time was not measured, so its speed could not be judged.",
                vi: "Không đo được thời gian tải trang chủ nên chưa đánh giá được tốc độ phản hồi.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("4 ms", .pass, .ok),
        .init("5 s", .fail, .slow) {
            $0.reachability?.https.timings = Timings(dnsMS: 0, connectMS: 1, tlsMS: 2, ttfbMS: 4_990, totalMS: 5_000)
        },
        .init("5 s under a 6 s limit", .pass, .ok, parameters: { $0.maxMS = 6_000 }) {
            $0.reachability?.https.timings = Timings(dnsMS: 0, connectMS: 1, tlsMS: 2, ttfbMS: 4_990, totalMS: 5_000)
        },
        .init("no timings", .inconclusive, .missingFacts) { $0.reachability?.https.timings = nil },
    ]
}
