import Foundation

/// Fails when `Strict-Transport-Security` is missing, malformed, or shorter than the profile's minimum.
struct HSTSRule: Rule {
    struct Parameters: RuleParameterSet {
        var minMaxAge: Int

        enum CodingKeys: String, CodingKey {
            case minMaxAge = "min_max_age"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case missing
        case invalid
        case tooShort = "too-short"
        /// An HTTP-only portal: HSTS is sent over HTTPS or not at all.
        case overHTTP = "http-only"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.hsts", area: .headers,
        title: LocalizedText(en: "HSTS is set with a long max-age", vi: "Có HSTS với thời hạn đủ dài"),
        rationale: LocalizedText(
            en:
                "HSTS makes browsers use HTTPS on every later visit, so a network attacker cannot downgrade them to HTTP. Read as browsers read it (RFC 6797 §6.1): a max-age is required and no directive may repeat, else the whole header is ignored; a header sent on two lines repeats max-age and is ignored.",
            vi:
                "HSTS buộc trình duyệt luôn dùng HTTPS ở các lần truy cập sau, kẻ tấn công trên mạng không thể hạ cấp về HTTP. Đọc như trình duyệt (RFC 6797 mục 6.1): bắt buộc có max-age và không chỉ thị nào được lặp lại, nếu không cả tiêu đề bị bỏ qua; gửi tiêu đề trên hai dòng làm max-age lặp lại và bị bỏ qua."
        ),
        advice: LocalizedText(
            en:
                "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on HTTPS responses (nginx: `add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;`; Apache: `Header always set Strict-Transport-Security \"max-age=31536000; includeSubDomains\"`; IIS: HSTS settings of the site, or a custom header).",
            vi:
                "Gửi `Strict-Transport-Security: max-age=31536000; includeSubDomains` trên phản hồi HTTPS (nginx: `add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;`; Apache: `Header always set Strict-Transport-Security \"max-age=31536000; includeSubDomains\"`; IIS: mục HSTS của site, hoặc thêm custom header)."
        ),
        citations: ["RFC 6797", "OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.5"],
        defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_max_age", kind: .integer(0...315_360_000), defaultValue: .integer(31_536_000),
                meaning: LocalizedText(
                    en: "Smallest max-age allowed (seconds)", vi: "max-age nhỏ nhất được phép (giây)"))
        ],
        directives: ServerDirectives(
            nginx: "add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;",
            apache: "Header always set Strict-Transport-Security \"max-age=31536000; includeSubDomains\"",
            iis: "<add name=\"Strict-Transport-Security\" value=\"max-age=31536000; includeSubDomains\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        if headers.url.lowercased().hasPrefix("http://") {
            // Browsers ignore HSTS sent over plain HTTP; without HTTPS there is nothing to pin (tls.https-available).
            return .notApplicable(.overHTTP, ["reason": "no HTTPS: HSTS can only be sent over HTTPS"])
        }
        guard let raw = headers.combined("strict-transport-security") else { return .fail(.missing) }
        guard let hsts = HSTSHeader(parsing: raw) else { return .fail(.invalid, ["value": clip(raw)]) }
        if hsts.maxAge < parameters.minMaxAge {
            return .fail(.tooShort, ["value": clip(raw), "max_age": String(hsts.maxAge)])
        }
        return .pass(.ok, ["value": clip(raw)])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let days = (Int(values["max_age"]) ?? 0) / 86_400
        let about =
            days == 0
            ? LocalizedText(en: "", vi: "")
            : LocalizedText(
                en: " (about \(FindingValues.number(days).en) day\(days == 1 ? "" : "s"))",
                vi: " (khoảng \(FindingValues.number(days).vi) ngày)")
        return switch code {
        case .ok:
            LocalizedText(
                en: "The server sends Strict-Transport-Security “\(values["value"])” with a long enough max-age.",
                vi: "Máy chủ gửi tiêu đề Strict-Transport-Security “\(values["value"])” với thời hạn max-age đủ dài.")
        case .missing:
            LocalizedText(
                en: "The server sends no Strict-Transport-Security header.",
                vi: "Máy chủ không gửi tiêu đề Strict-Transport-Security.")
        case .invalid:
            LocalizedText(
                en:
                    "Strict-Transport-Security “\(values["value"])” is malformed (no max-age, or a directive repeated), so browsers ignore it.",
                vi:
                    "Tiêu đề Strict-Transport-Security “\(values["value"])” không hợp lệ (thiếu max-age hoặc có chỉ thị lặp lại) nên trình duyệt bỏ qua."
            )
        case .tooShort:
            LocalizedText(
                en:
                    "Strict-Transport-Security “\(values["value"])” sets max-age to only \(values.number("max_age").en) seconds\(about.en), below the profile's minimum.",
                vi:
                    "Tiêu đề Strict-Transport-Security “\(values["value"])” chỉ đặt max-age \(values.number("max_age").vi) giây\(about.vi), ngắn hơn mức tối thiểu của bộ tiêu chí."
            )
        case .overHTTP:
            LocalizedText(
                en:
                    "The portal is served over plain HTTP only; HSTS can only be sent over HTTPS, so it does not apply.",
                vi: "Cổng chỉ phục vụ qua HTTP; HSTS chỉ gửi được qua HTTPS nên tiêu chí này không áp dụng.")
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so Strict-Transport-Security could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được Strict-Transport-Security.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("two years", .pass, .ok),
        .init("an HTTP-only portal's plain page", .notApplicable, .overHTTP) {
            $0.headers?.url = "http://xa-a.tinh.gov.vn/"
            ExampleFacts.setHeader(&$0, "strict-transport-security", nil)
        },
        .init("missing", .fail, .missing) { ExampleFacts.setHeader(&$0, "strict-transport-security", nil) },
        .init("one minute", .fail, .tooShort) {
            ExampleFacts.setHeader(&$0, "strict-transport-security", "max-age=60")
        },
        .init("garbage", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "strict-transport-security", "max-age=soon")
        },
        .init("sent twice: max-age repeats in the combined value and browsers ignore it", .fail, .invalid) {
            $0.headers?.fields.append(
                HeaderField(name: "strict-transport-security", value: "max-age=63072000; includeSubDomains"))
        },
        .init("quoted max-age, odd case and an empty directive", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "strict-transport-security", "Max-Age=\"63072000\";; INCLUDESUBDOMAINS")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
