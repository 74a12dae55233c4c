import Foundation

/// Fails when the certificate expires within the profile's warning window.
struct ExpirySoonRule: Rule {
    struct Parameters: RuleParameterSet {
        var warnDays: Int

        enum CodingKeys: String, CodingKey {
            case warnDays = "warn_days"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case expiresSoon = "expires-soon"
        case alreadyExpired = "already-expired"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.expiry-soon", area: .certificate,
        title: LocalizedText(en: "The certificate does not expire soon", vi: "Chứng thư số chưa sắp hết hạn"),
        rationale: LocalizedText(
            en: "Renewing before the last days leaves time to fix problems without an outage.",
            vi: "Gia hạn sớm để còn thời gian xử lý sự cố mà không làm gián đoạn cổng."),
        advice: LocalizedText(
            en:
                "Renew now and automate renewal (ACME/certbot, or a reminder well before expiry); reload the server after installing (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: rebind).",
            vi:
                "Gia hạn ngay và tự động hóa gia hạn (ACME/certbot, hoặc nhắc lịch trước khi hết hạn); nạp lại máy chủ sau khi cài (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: gắn lại)."
        ),
        citations: ["Mozilla Server Side TLS 6.0 (certificate lifespan)"], defaultSeverity: .low,
        parameters: [
            ParameterSpec(
                name: "warn_days", kind: .integer(1...365), defaultValue: .integer(30),
                meaning: LocalizedText(
                    en: "Warn this many days before expiry", vi: "Cảnh báo trước khi hết hạn bao nhiêu ngày"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let leaf = observation.certificate?.leaf else { return .missingFacts("certificate") }
        let seconds = leaf.notAfter.timeIntervalSince(context.now)
        let days = Int((seconds / 86_400).rounded(.down))
        let evidence = ["not_after": iso(leaf.notAfter), "days_left": String(days)]
        if seconds < 0 { return .notApplicable(.alreadyExpired, evidence) }
        if days < parameters.warnDays { return .fail(.expiresSoon, evidence) }
        return .pass(.ok, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "The certificate is valid for \(values.number("days_left").en) more days, until \(values.date("not_after").en).",
                vi:
                    "Chứng thư số còn hiệu lực \(values.number("days_left").vi) ngày, đến ngày \(values.date("not_after").vi)."
            )
        case .expiresSoon:
            LocalizedText(
                en:
                    "The certificate expires in \(values.number("days_left").en) days, on \(values.date("not_after").en).",
                vi:
                    "Chứng thư số sắp hết hạn: chỉ còn \(values.number("days_left").vi) ngày, hết hạn ngày \(values.date("not_after").vi)."
            )
        case .alreadyExpired:
            LocalizedText(
                en:
                    "The certificate already expired on \(values.date("not_after").en); the validity criterion reports it.",
                vi:
                    "Chứng thư số đã hết hạn ngày \(values.date("not_after").vi); xem tiêu chí chứng thư số còn hiệu lực."
            )
        case .missingFacts:
            LocalizedText(
                en: "No certificate could be read, so its expiry date could not be checked.",
                vi: "Không đọc được chứng thư số nên chưa kiểm tra được ngày hết hạn.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("200 days left", .pass, .ok),
        .init("10 days left", .fail, .expiresSoon) {
            $0.certificate?.chain[0].notAfter = ExampleFacts.now.addingTimeInterval(10 * ExampleFacts.day)
        },
        .init("10 days left, 7-ExampleFacts.day window", .pass, .ok, parameters: { $0.warnDays = 7 }) {
            $0.certificate?.chain[0].notAfter = ExampleFacts.now.addingTimeInterval(10 * ExampleFacts.day + 60)
        },
        .init("already expired", .notApplicable, .alreadyExpired) {
            $0.certificate?.chain[0].notAfter = ExampleFacts.now.addingTimeInterval(-ExampleFacts.day)
        },
        .init("no certificate", .inconclusive, .missingFacts) { $0.certificate = nil },
    ]
}
