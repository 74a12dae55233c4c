import Foundation

/// Fails when the server accepts a broken suite: NULL, anonymous, EXPORT, single DES, 3DES or RC4.
struct BrokenCiphersRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case brokenAccepted = "broken-accepted"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.broken-ciphers", area: .tls,
        title: LocalizedText(
            en: "No broken cipher suites (NULL, anonymous, EXPORT, DES, 3DES, RC4)",
            vi: "Không chấp nhận bộ mã hóa đã bị phá (NULL, ẩn danh, EXPORT, DES, 3DES, RC4)"),
        rationale: LocalizedText(
            en:
                "These suites are broken in practice: NULL sends in clear, anonymous suites let anyone impersonate the portal, EXPORT and DES keys are brute-forced in hours, 3DES falls to SWEET32 and RC4 is prohibited by RFC 7465. A downgrade or a single old client is enough to use them.",
            vi:
                "Các bộ mã này đã bị phá trên thực tế: NULL gửi dữ liệu không mã hóa, bộ ẩn danh cho phép bất kỳ ai giả mạo cổng, khóa EXPORT và DES bị dò trong vài giờ, 3DES bị tấn công SWEET32 và RC4 bị RFC 7465 cấm. Chỉ cần một lần hạ cấp hoặc một máy khách cũ là đủ để dùng chúng."
        ),
        advice: LocalizedText(
            en:
                "Remove them from the server's list (nginx: `ssl_ciphers` without `3DES`, `RC4`, `DES`, `NULL`, `EXPORT`, `aNULL`, e.g. Mozilla's intermediate list; Apache: `SSLCipherSuite` the same, `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: disable Triple DES 168, RC4 and NULL under SCHANNEL\\Ciphers or with IIS Crypto, and turn SSL 3.0 off).",
            vi:
                "Loại chúng khỏi danh sách của máy chủ (nginx: `ssl_ciphers` không có `3DES`, `RC4`, `DES`, `NULL`, `EXPORT`, `aNULL`, ví dụ danh sách intermediate của Mozilla; Apache: `SSLCipherSuite` tương tự, `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: tắt Triple DES 168, RC4 và NULL trong SCHANNEL\\Ciphers hoặc bằng IIS Crypto, và tắt SSL 3.0)."
        ),
        citations: ["RFC 7465", "SWEET32 (CVE-2016-2183)", "Mozilla Server Side TLS 6.0", "OWASP ASVS 4.0.3 V9.1.2"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let tls = observation.tls else { return .missingFacts("tls") }
        guard tls.versions.values.contains(.accepted) else { return .missingFacts("tls.versions") }
        // Histories written before the raw TLS engine could not offer 3DES, RC4 or EXPORT.
        guard let suites = tls.suites else { return .missingFacts("tls.suites") }
        let broken = suites.filter { !$0.brokenClasses.isEmpty }
        let coverage = ["coverage": (tls.coverage ?? .byClass).rawValue]
        if broken.isEmpty { return .pass(.ok, coverage) }
        let named = broken.map {
            "\($0.version.rawValue) \($0.name) (\($0.brokenClasses.map(\.rawValue).joined(separator: "+")))"
        }
        return .fail(.brokenAccepted, coverage.merging(["accepted": clip(named.joined(separator: "; "))]) { a, _ in a })
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let partial =
            values["coverage"] == SuiteCoverage.byClass.rawValue
            ? LocalizedText(
                en: " (one probe per class: other suites of these classes may be accepted too)",
                vi: " (mỗi nhóm bộ mã chỉ thử một lần nên có thể còn bộ mã khác cùng nhóm)")
            : LocalizedText(en: "", vi: "")
        return switch code {
        case .ok:
            LocalizedText(
                en: "The server accepts no broken cipher suite (NULL, anonymous, EXPORT, DES, 3DES, RC4).",
                vi: "Máy chủ không chấp nhận bộ mã hóa nào đã bị phá (NULL, ẩn danh, EXPORT, DES, 3DES, RC4).")
        case .brokenAccepted:
            LocalizedText(
                en: "The server accepts broken cipher suites: \(values["accepted"])\(partial.en).",
                vi:
                    "Máy chủ chấp nhận bộ mã hóa đã bị phá: \(WeakCiphersRule.suitesInVietnamese(values["accepted"]))\(partial.vi)."
            )
        case .missingFacts:
            LocalizedText(
                en: "The accepted cipher suites are not known, so broken suites could not be checked.",
                vi: "Không xác định được các bộ mã hóa máy chủ chấp nhận nên chưa kiểm tra được bộ mã đã bị phá.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("modern suites only", .pass, .ok),
        .init("3DES beside AES-GCM", .fail, .brokenAccepted) {
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", classes: [.tripleDES, .cbc, .staticRSA]))
        },
        .init("RC4 on SSLv3", .fail, .brokenAccepted) {
            $0.tls?.versions[.ssl3] = .accepted
            $0.tls?.suites = [
                AcceptedSuite(version: .ssl3, name: "TLS_RSA_WITH_RC4_128_MD5", classes: [.rc4, .staticRSA])
            ]
        },
        .init("a history written before suites were recorded", .inconclusive, .missingFacts) { $0.tls?.suites = nil },
        .init("no version known", .inconclusive, .missingFacts) {
            $0.tls?.versions = [.tls12: .error, .tls13: .error]
        },
    ]
}
