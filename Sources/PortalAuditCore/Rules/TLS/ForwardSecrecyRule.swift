import Foundation

/// Fails when a key exchange without forward secrecy (static RSA) is accepted.
struct ForwardSecrecyRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case staticRsaAccepted = "static-rsa-accepted"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.forward-secrecy", area: .tls,
        title: LocalizedText(en: "Forward secrecy is enforced", vi: "Bảo đảm bí mật chuyển tiếp (forward secrecy)"),
        rationale: LocalizedText(
            en:
                "With static-RSA key exchange, anyone who later obtains the server's private key can decrypt recorded traffic.",
            vi:
                "Với trao đổi khóa RSA tĩnh, ai lấy được khóa bí mật của máy chủ sau này đều giải mã được dữ liệu đã ghi lại."
        ),
        advice: LocalizedText(
            en:
                "Remove suites without ECDHE/DHE (nginx: drop `AES128-SHA`, `AES256-SHA`, `AES128-GCM-SHA256` … from `ssl_ciphers`; Apache: add `!kRSA` to `SSLCipherSuite`; IIS: disable the TLS_RSA_WITH_* suites).",
            vi:
                "Loại các bộ mã không có ECDHE/DHE (nginx: bỏ `AES128-SHA`, `AES256-SHA`, `AES128-GCM-SHA256` … khỏi `ssl_ciphers`; Apache: thêm `!kRSA` vào `SSLCipherSuite`; IIS: tắt các bộ TLS_RSA_WITH_*)."
        ),
        citations: ["Mozilla Server Side TLS 6.0 (intermediate)", "NIST SP 800-52r2 §3.3.1"],
        defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let tls = observation.tls, let accepted = tls.staticRSAAccepted else { return .missingFacts("tls") }
        if accepted {
            let suites =
                tls.suites.map { suites in
                    suites.filter { !SuiteClass.staticKeyExchange.isDisjoint(with: $0.classes) }.map {
                        "\($0.version.rawValue) \($0.name)"
                    }
                }
                ?? tls.weakSuites.filter { $0.reasons.contains("static-rsa") }.map { "\($0.version) \($0.cipher)" }
            return .fail(.staticRsaAccepted, ["suites": clip(suites.joined(separator: "; "))])
        }
        return .pass(.ok)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The server accepts no static-RSA key exchange: forward secrecy is ensured.",
                vi: "Máy chủ không chấp nhận trao đổi khóa RSA tĩnh, bảo đảm bí mật chuyển tiếp.")
        case .staticRsaAccepted:
            LocalizedText(
                en:
                    "The server accepts static key exchange, without forward secrecy\(values.has("suites") ? ": \(values["suites"])" : "").",
                vi:
                    "Máy chủ chấp nhận trao đổi khóa tĩnh, không có bí mật chuyển tiếp\(values.has("suites") ? ": \(values["suites"])" : "")."
            )
        case .missingFacts:
            LocalizedText(
                en: "Static-RSA key exchange was not tested, so forward secrecy could not be checked.",
                vi:
                    "Chưa dò được máy chủ có chấp nhận trao đổi khóa RSA tĩnh hay không nên chưa kiểm tra được bí mật chuyển tiếp."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no static RSA", .pass, .ok),
        .init("static RSA", .fail, .staticRsaAccepted) {
            $0.tls?.staticRSAAccepted = true
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_RSA_WITH_AES_128_GCM_SHA256", classes: [.aead, .staticRSA]))
        },
        .init("a history's static RSA", .fail, .staticRsaAccepted) {
            $0.tls?.staticRSAAccepted = true
            $0.tls?.suites = nil
        },
        .init("untested", .inconclusive, .missingFacts) { $0.tls?.staticRSAAccepted = nil },
    ]
}
