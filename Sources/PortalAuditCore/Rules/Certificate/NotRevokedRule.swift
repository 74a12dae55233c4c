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
