import Foundation

/// Fails when the server does not accept TLS 1.3. A recommendation: TLS 1.2 stays the mandatory floor
/// (TT 39/2017), so no profile may make TLS 1.3 the only version allowed.
struct TLS13OfferedRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case notOffered = "tls13-not-offered"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.tls13-offered", area: .tls,
        title: LocalizedText(en: "TLS 1.3 is offered", vi: "Hỗ trợ TLS 1.3"),
        rationale: LocalizedText(
            en:
                "TLS 1.3 removes the legacy key exchanges and ciphers, always gives forward secrecy and needs one round trip less; NIST SP 800-52r2 asks government servers to plan for it.",
            vi:
                "TLS 1.3 loại bỏ các cơ chế trao đổi khóa và bộ mã cũ, luôn bảo đảm bí mật chuyển tiếp và bắt tay nhanh hơn một lượt; NIST SP 800-52r2 yêu cầu máy chủ của chính phủ có kế hoạch hỗ trợ."
        ),
        advice: LocalizedText(
            en:
                "Enable TLS 1.3 beside TLS 1.2 (nginx with OpenSSL ≥ 1.1.1: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache ≥ 2.4.37: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: Windows Server 2022 or newer).",
            vi:
                "Bật TLS 1.3 cùng TLS 1.2 (nginx với OpenSSL ≥ 1.1.1: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache ≥ 2.4.37: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: Windows Server 2022 trở lên)."
        ),
        citations: ["RFC 8446", "NIST SP 800-52r2 §3.1", "Mozilla Server Side TLS 6.0"],
        defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let tls = observation.tls, let state = tls.versions[.tls13] else { return .missingFacts("tls") }
        switch state {
        case .accepted: return .pass(.ok)
        case .rejected: return .fail(.notOffered, ["accepted": MinimumVersionRule.acceptedVersions(tls)])
        default: return .missingFacts("tls.versions", ["untested": "TLSv1.3"])
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(en: "The server offers TLS 1.3.", vi: "Máy chủ hỗ trợ TLS 1.3.")
        case .notOffered:
            values.has("accepted")
                ? LocalizedText(
                    en:
                        "The server does not offer TLS 1.3 (it accepts \(MinimumVersionRule.versionNames(values.list("accepted")))).",
                    vi:
                        "Máy chủ chưa hỗ trợ TLS 1.3 (chỉ chấp nhận \(MinimumVersionRule.versionNames(values.list("accepted"))))."
                )
                : LocalizedText(en: "The server does not offer TLS 1.3.", vi: "Máy chủ chưa hỗ trợ TLS 1.3.")
        case .missingFacts:
            LocalizedText(
                en: "Whether the server offers TLS 1.3 could not be determined.",
                vi: "Chưa xác định được máy chủ có hỗ trợ TLS 1.3 hay không.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("1.2 and 1.3", .pass, .ok),
        .init("1.2 only", .fail, .notOffered) { $0.tls?.versions[.tls13] = .rejected },
        .init("1.3 could not be asked", .inconclusive, .missingFacts) { $0.tls?.versions[.tls13] = .error },
        .init("no tls facts", .inconclusive, .missingFacts) { $0.tls = nil },
    ]
}
