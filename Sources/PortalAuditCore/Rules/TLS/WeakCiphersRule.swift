import Foundation

/// Fails when the server accepts a suite the profile calls weak (CBC, SHA-1 MAC, static RSA, small DH, NULL).
struct WeakCiphersRule: Rule {
    struct Parameters: RuleParameterSet {
        var minDHBits: Int

        enum CodingKeys: String, CodingKey {
            case minDHBits = "min_dh_bits"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case weakAccepted = "weak-accepted"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.weak-ciphers", area: .tls,
        title: LocalizedText(en: "No weak cipher suites", vi: "Không chấp nhận bộ mã hóa yếu"),
        rationale: LocalizedText(
            en:
                "CBC suites with SHA-1, static-RSA key exchange, DH groups under 2048 bits and NULL/anonymous suites are outside every current recommendation. 3DES, RC4 and EXPORT cannot be offered by this tool's OpenSSL and are reported as not testable.",
            vi:
                "Bộ mã CBC với SHA-1, trao đổi khóa RSA tĩnh, nhóm DH dưới 2048 bit và bộ mã NULL/ẩn danh đều nằm ngoài mọi khuyến nghị hiện hành. 3DES, RC4 và EXPORT không thể kiểm tra bằng OpenSSL của công cụ và được ghi là không kiểm tra được."
        ),
        advice: LocalizedText(
            en:
                "Offer only ECDHE with AES-GCM or ChaCha20 (nginx: `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`; Apache: the same list in `SSLCipherSuite`; IIS: reorder and trim the suites with IIS Crypto or the SSL Cipher Suite Order policy).",
            vi:
                "Chỉ dùng ECDHE với AES-GCM hoặc ChaCha20 (nginx: `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`; Apache: cùng danh sách trong `SSLCipherSuite`; IIS: sắp xếp và loại bớt bộ mã bằng IIS Crypto hoặc chính sách SSL Cipher Suite Order)."
        ),
        citations: ["Mozilla Server Side TLS 6.0 (intermediate)", "CISA BOD 18-01", "OWASP ASVS 4.0.3 V9.1.2"],
        defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_dh_bits", kind: .integer(1024...8192), defaultValue: .integer(2048),
                meaning: LocalizedText(en: "Smallest DH group allowed (bits)", vi: "Nhóm DH nhỏ nhất được phép (bit)"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let tls = observation.tls else { return .missingFacts("tls") }
        guard tls.versions.values.contains(.accepted) else { return .missingFacts("tls.versions") }
        // The probe records DH group sizes; the profile's minimum decides which are too small.
        let minimumDH = parameters.minDHBits
        // (Histories written before 2026-12 tag small groups `dh-small` at a fixed 2048: the size decides.)
        var weak = tls.weakSuites.compactMap { suite -> String? in
            let small = suite.dhBits.map { $0 < minimumDH } ?? false
            let reasons = suite.reasons.filter { $0 != "dh-small" } + (small ? ["dh-\(suite.dhBits ?? 0)"] : [])
            return reasons.isEmpty ? nil : "\(suite.version) \(suite.cipher) (\(reasons.joined(separator: "+")))"
        }
        if let bits = tls.dheMinBits, bits < minimumDH,
            !tls.weakSuites.contains(where: { ($0.dhBits ?? Int.max) < minimumDH })
        {
            weak.append("DHE \(bits) bit")
        }
        let untested = ["not_testable": tls.notTestable.joined(separator: ",")]
        if weak.isEmpty { return .pass(.ok, untested) }
        return .fail(.weakAccepted, untested.merging(["accepted": clip(weak.joined(separator: "; "))]) { a, _ in a })
    }

    static let examples: [RuleExample<Self>] = [
        .init("none", .pass, .ok),
        .init("CBC-SHA accepted", .fail, .weakAccepted) {
            $0.tls?.weakSuites = [
                WeakSuite(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-SHA", reasons: ["cbc", "sha1-mac"])
            ]
        },
        .init("DH 1024", .fail, .weakAccepted) { $0.tls?.dheMinBits = 1024 },
        .init("DH 1024 allowed by a profile's 1024 minimum", .pass, .ok, parameters: { $0.minDHBits = 1024 }) {
            $0.tls?.dheMinBits = 1024
        },
        .init("DH 2048 with a 4096 minimum", .fail, .weakAccepted, parameters: { $0.minDHBits = 4096 }) {
            $0.tls?.dheMinBits = 2048
        },
        .init("no version known", .inconclusive, .missingFacts) {
            $0.tls?.versions = ["TLSv1.2": .error, "TLSv1.3": .error]
        },
    ]
}
