import Foundation

/// Fails when the certificate has expired or is not yet valid.
struct NotExpiredRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case expired
        case notYetValid = "not-yet-valid"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.not-expired", area: .certificate,
        title: LocalizedText(en: "The certificate is within its validity period", vi: "Chứng thư số còn hiệu lực"),
        rationale: LocalizedText(
            en: "An expired certificate makes every browser show a full-page warning.",
            vi: "Chứng thư hết hạn khiến mọi trình duyệt hiện cảnh báo chặn toàn trang."),
        advice: LocalizedText(
            en:
                "Renew the certificate and reload the server (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: rebind the new certificate). Automate renewal (ACME/certbot, or a calendar reminder 30 days ahead).",
            vi:
                "Gia hạn chứng thư và nạp lại máy chủ (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: gắn lại chứng thư mới). Tự động hóa gia hạn (ACME/certbot, hoặc nhắc lịch trước 30 ngày)."
        ),
        citations: ["RFC 5280 §4.1.2.5", "OWASP ASVS 4.0.3 V9.2.1"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let dates = ["not_after": iso(leaf.notAfter), "not_before": iso(leaf.notBefore)]
        if cert.has(X509Code.expired) || leaf.notAfter < context.now { return .fail(.expired, dates) }
        if cert.has(X509Code.notYetValid) || leaf.notBefore > context.now { return .fail(.notYetValid, dates) }
        return .pass(.ok, dates)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The certificate is valid until \(values.date("not_after").en).",
                vi: "Chứng thư số còn hiệu lực đến ngày \(values.date("not_after").vi).")
        case .expired:
            LocalizedText(
                en: "The certificate expired on \(values.date("not_after").en).",
                vi: "Chứng thư số đã hết hạn ngày \(values.date("not_after").vi).")
        case .notYetValid:
            LocalizedText(
                en: "The certificate is not valid before \(values.date("not_before").en).",
                vi: "Chứng thư số chưa có hiệu lực (hiệu lực từ ngày \(values.date("not_before").vi)).")
        case .missingFacts:
            LocalizedText(
                en: "No certificate could be read, so its dates could not be checked.",
                vi: "Không đọc được chứng thư số nên chưa kiểm tra được thời hạn.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("in date", .pass, .ok),
        .init("expired by date", .fail, .expired) {
            $0.certificate?.chain[0].notAfter = ExampleFacts.now.addingTimeInterval(-ExampleFacts.day)
        },
        .init("expired by OpenSSL", .fail, .expired) {
            $0.certificate?.verifyErrors = [VerifyError(code: 10, depth: 0, message: "certificate has expired")]
        },
        .init("not yet valid", .fail, .notYetValid) {
            $0.certificate?.chain[0].notBefore = ExampleFacts.now.addingTimeInterval(ExampleFacts.day)
        },
        .init("no chain", .inconclusive, .missingFacts) { $0.certificate?.chain = [] },
    ]
}
