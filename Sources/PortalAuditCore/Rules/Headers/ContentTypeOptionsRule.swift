import Foundation

/// Fails unless `X-Content-Type-Options` makes browsers stop sniffing: Fetch's "determine nosniff", the first
/// value of the combined header is `nosniff` (`NoSniffHeader`).
struct ContentTypeOptionsRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case missing
        case invalid
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "headers.x-content-type-options", area: .headers,
        title: LocalizedText(en: "MIME sniffing is off (nosniff)", vi: "Tắt đoán kiểu nội dung (nosniff)"),
        rationale: LocalizedText(
            en:
                "Without nosniff, browsers may run an uploaded file as a script. As Fetch reads it: the first value of all X-Content-Type-Options lines read together must be nosniff (any letter case; quoted is not).",
            vi:
                "Thiếu nosniff, trình duyệt có thể chạy tệp tải lên như mã script. Đọc như chuẩn Fetch: giá trị đầu tiên của mọi dòng X-Content-Type-Options đọc gộp phải là nosniff (không phân biệt hoa thường; đặt trong ngoặc kép là không hợp lệ)."
        ),
        advice: LocalizedText(
            en:
                "Send `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header).",
            vi:
                "Gửi `X-Content-Type-Options: nosniff` (nginx: `add_header X-Content-Type-Options nosniff always;`; Apache: `Header always set X-Content-Type-Options nosniff`; IIS: custom header)."
        ),
        citations: ["OWASP Secure Headers Project", "OWASP ASVS 4.0.3 V14.4.4"], defaultSeverity: .low,
        directives: ServerDirectives(
            nginx: "add_header X-Content-Type-Options nosniff always;",
            apache: "Header always set X-Content-Type-Options nosniff",
            iis: "<add name=\"X-Content-Type-Options\" value=\"nosniff\" />"))

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let headers = observation.headers else { return .missingFacts("headers") }
        guard let value = headers.combined("x-content-type-options") else { return .fail(.missing) }
        if NoSniffHeader.isSet(value) { return .pass(.ok) }
        return .fail(.invalid, ["value": clip(value)])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The server sends X-Content-Type-Options: nosniff, so browsers do not guess content types.",
                vi: "Máy chủ gửi tiêu đề X-Content-Type-Options: nosniff, trình duyệt không tự đoán kiểu nội dung.")
        case .missing:
            LocalizedText(
                en: "The server sends no X-Content-Type-Options header.",
                vi: "Máy chủ không gửi tiêu đề X-Content-Type-Options.")
        case .invalid:
            LocalizedText(
                en:
                    "X-Content-Type-Options is “\(values["value"])”, not nosniff, so browsers may still guess content types.",
                vi:
                    "Tiêu đề X-Content-Type-Options có giá trị “\(values["value"])”, không phải nosniff, nên trình duyệt vẫn có thể tự đoán kiểu nội dung."
            )
        case .missingFacts:
            LocalizedText(
                en: "The HTTP headers could not be read, so X-Content-Type-Options could not be checked.",
                vi: "Không đọc được tiêu đề HTTP của cổng nên chưa kiểm tra được X-Content-Type-Options.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("nosniff", .pass, .ok),
        .init("missing", .fail, .missing) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", nil)
        },
        .init("wrong value", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", "sniff")
        },
        .init("sent twice: the first value decides", .pass, .ok) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", "NOSNIFF, nosniff")
        },
        .init("quoted is not nosniff", .fail, .invalid) {
            ExampleFacts.setHeader(&$0, "x-content-type-options", "\"nosniff\"")
        },
        .init("no headers", .inconclusive, .missingFacts) { $0.headers = nil },
    ]
}
