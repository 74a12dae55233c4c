import Foundation

/// Fails when the certificate is revoked (stapled OCSP, the CRL, or the OCSP responder says so); an answer
/// that cannot be had is inconclusive, never a pass.
struct NotRevokedRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case revoked
        /// The responder does not know the certificate.
        case unknown
        /// No CRL or OCSP answer could be fetched or read.
        case unavailable
        /// The certificate names no CRL and no OCSP responder, and nothing was stapled.
        case noSource = "no-source"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.not-revoked", area: .certificate,
        title: LocalizedText(en: "The certificate is not revoked", vi: "Chứng thư số chưa bị thu hồi"),
        rationale: LocalizedText(
            en:
                "A certificate is revoked when its key leaked or it was issued by mistake; a portal still serving it can be impersonated by whoever holds that key, and browsers that check revocation refuse it.",
            vi:
                "Chứng thư bị thu hồi khi khóa bí mật bị lộ hoặc cấp nhầm; cổng vẫn dùng chứng thư đó có thể bị giả mạo bởi người nắm khóa, và trình duyệt có kiểm tra thu hồi sẽ từ chối."
        ),
        advice: LocalizedText(
            en:
                "Obtain a new certificate with a new key, install it and reload the server; turn on OCSP stapling so clients learn the status from the server (nginx: `ssl_stapling on; ssl_stapling_verify on;` with a `resolver`; Apache: `SSLUseStapling on` and `SSLStaplingCache`; IIS staples by default on Windows Server 2008 and later).",
            vi:
                "Xin chứng thư mới với khóa mới, cài đặt và nạp lại máy chủ; bật OCSP stapling để máy khách nhận trạng thái từ máy chủ (nginx: `ssl_stapling on; ssl_stapling_verify on;` kèm `resolver`; Apache: `SSLUseStapling on` và `SSLStaplingCache`; IIS tự bật từ Windows Server 2008)."
        ),
        citations: ["RFC 5280 §6.3", "RFC 6960", "RFC 6066 §8 (OCSP stapling)"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let revocation = observation.certificate?.revocation else { return .missingFacts("certificate") }
        var evidence = ["method": revocation.method?.rawValue ?? "none"]
        if let url = revocation.url { evidence["url"] = clip(url) }
        switch revocation.status {
        case .good: return .pass(.ok, evidence)
        case .revoked:
            if let when = revocation.revokedAt { evidence["revoked_at"] = iso(when) }
            return .fail(.revoked, evidence)
        case .unknown: return .inconclusive(.unknown, evidence)
        case .unavailable:
            evidence["detail"] = clip(revocation.detail ?? "no answer")
            return .inconclusive(.unavailable, evidence)
        case .noSource:
            return .notApplicable(.noSource, ["reason": "the certificate names no CRL or OCSP responder"])
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let source =
            switch values["method"] {
            case "ocsp_stapled":
                LocalizedText(en: "the OCSP response stapled by the server", vi: "phản hồi OCSP do máy chủ gửi kèm")
            case "crl": LocalizedText(en: "the CRL", vi: "danh sách chứng thư bị thu hồi (CRL)")
            case "ocsp": LocalizedText(en: "the OCSP responder", vi: "máy chủ OCSP")
            default: LocalizedText(en: "the revocation check", vi: "kết quả tra cứu thu hồi")
            }
        let at =
            values.has("url")
            ? LocalizedText(en: " at \(values["url"])", vi: " tại \(values["url"])") : LocalizedText(en: "", vi: "")
        return switch code {
        case .ok:
            LocalizedText(
                en: "The certificate is not revoked, according to \(source.en)\(at.en).",
                vi: "Chứng thư số chưa bị thu hồi (theo \(source.vi)\(at.vi)).")
        case .revoked:
            LocalizedText(
                en:
                    "The certificate was revoked\(values.has("revoked_at") ? " on \(values.date("revoked_at").en)" : ""), according to \(source.en)\(at.en).",
                vi:
                    "Chứng thư số đã bị thu hồi\(values.has("revoked_at") ? " từ ngày \(values.date("revoked_at").vi)" : "") (theo \(source.vi)\(at.vi))."
            )
        case .unknown:
            LocalizedText(
                en:
                    "The revocation status could not be determined: \(source.en)\(at.en) does not know the certificate.",
                vi:
                    "Chưa xác định được chứng thư số có bị thu hồi hay không: \(source.vi)\(at.vi) không có thông tin về chứng thư này."
            )
        case .unavailable:
            LocalizedText(
                en:
                    "No CRL or OCSP answer could be obtained\(values.has("url") ? " from \(values["url"])" : "") (\(values["detail"])), so revocation could not be checked.",
                vi:
                    "Không lấy được danh sách thu hồi hay phản hồi OCSP\(values.has("url") ? " từ \(values["url"])" : "") nên chưa xác định được chứng thư số có bị thu hồi hay không."
            )
        case .noSource:
            LocalizedText(
                en: "The certificate names no CRL or OCSP responder, so its revocation cannot be checked.",
                vi: "Chứng thư số không ghi địa chỉ CRL hay máy chủ OCSP nào nên không tra cứu được tình trạng thu hồi."
            )
        case .missingFacts:
            LocalizedText(
                en: "No revocation check was recorded for the certificate, so this could not be judged.",
                vi: "Không có kết quả tra cứu thu hồi chứng thư số nên chưa đánh giá được tiêu chí này.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("good by stapled OCSP", .pass, .ok) {
            $0.certificate?.revocation = RevocationFacts(status: .good, method: .ocspStapled)
        },
        .init("revoked in the CRL", .fail, .revoked) {
            $0.certificate?.revocation = RevocationFacts(
                status: .revoked, method: .crl, url: "http://ca.example/lab.crl", revokedAt: ExampleFacts.now)
        },
        .init("responder unreachable", .inconclusive, .unavailable) {
            $0.certificate?.revocation = RevocationFacts(
                status: .unavailable, url: "http://ocsp.example", detail: "the OCSP responder gave no usable answer")
        },
        .init("unknown to the responder", .inconclusive, .unknown) {
            $0.certificate?.revocation = RevocationFacts(status: .unknown, method: .ocsp)
        },
        .init("no CRL or OCSP named", .notApplicable, .noSource) {
            $0.certificate?.revocation = RevocationFacts(status: .noSource)
        },
        .init("not checked (an older history)", .inconclusive, .missingFacts) { $0.certificate?.revocation = nil },
    ]
}
