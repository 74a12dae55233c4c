import Foundation

/// Fails when the server accepts a legacy suite: CBC, static RSA or DH key exchange, or a DH group under
/// the profile's minimum. Broken suites (3DES, RC4, NULL …) are `tls.broken-ciphers`.
struct WeakCiphersRule: Rule {
    struct Parameters: RuleParameterSet {
        var minDHBits: Int

        enum CodingKeys: String, CodingKey {
            case minDHBits = "min_dh_bits"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case legacyAccepted = "legacy-accepted"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.weak-ciphers", area: .tls,
        title: LocalizedText(
            en: "No legacy cipher suites (CBC, static RSA, small DH)",
            vi: "Không chấp nhận bộ mã hóa lỗi thời (CBC, RSA tĩnh, DH nhỏ)"),
        rationale: LocalizedText(
            en:
                "CBC suites (Lucky13 and padding oracles), static-RSA or static-DH key exchange (no forward secrecy) and DH groups under 2048 bits still work with every browser but are outside current recommendations; broken suites are judged by tls.broken-ciphers.",
            vi:
                "Bộ mã CBC (Lucky13, tấn công padding oracle), trao đổi khóa RSA hoặc DH tĩnh (không có bí mật chuyển tiếp) và nhóm DH dưới 2048 bit vẫn dùng được với mọi trình duyệt nhưng nằm ngoài khuyến nghị hiện hành; bộ mã đã bị phá do quy tắc tls.broken-ciphers đánh giá."
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
        guard let suites = tls.suites else { return judgeLegacyHistory(tls, minimumDH: minimumDH) }
        let legacy = suites.compactMap { suite -> String? in
            // A broken suite is tls.broken-ciphers' finding, not repeated here.
            guard suite.brokenClasses.isEmpty else { return nil }
            var reasons = suite.classes.filter(SuiteClass.legacy.contains).map(\.rawValue)
            if let bits = suite.dhBits, bits < minimumDH { reasons.append("dh-\(bits)") }
            return reasons.isEmpty ? nil : "\(suite.version.rawValue) \(suite.name) (\(reasons.joined(separator: "+")))"
        }
        let coverage = ["coverage": (tls.coverage ?? .byClass).rawValue]
        if legacy.isEmpty { return .pass(.ok, coverage) }
        return .fail(
            .legacyAccepted, coverage.merging(["accepted": clip(legacy.joined(separator: "; "))]) { a, _ in a })
    }

    /// Histories written before the raw TLS engine: weak suites were tagged by reasons, small groups
    /// (before 2026-12) as `dh-small` at a fixed 2048; the size decides.
    private static func judgeLegacyHistory(_ tls: TLSFacts, minimumDH: Int) -> Judgement<Code> {
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
        return .fail(.legacyAccepted, untested.merging(["accepted": clip(weak.joined(separator: "; "))]) { a, _ in a })
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let partial =
            values["coverage"] == SuiteCoverage.byClass.rawValue
            ? LocalizedText(
                en: " (one probe per class: other suites of these classes may be accepted too)",
                vi: " (mỗi nhóm bộ mã chỉ thử một lần nên có thể còn bộ mã khác cùng nhóm)")
            : LocalizedText(en: "", vi: "")
        let untested = MinimumVersionRule.versionNames(values.list("not_testable"))
        return switch code {
        case .ok:
            values.has("not_testable")
                ? LocalizedText(
                    en:
                        "The server accepts no legacy cipher suite (CBC, static RSA or DH, small DH group); not tested: \(untested).",
                    vi:
                        "Máy chủ không chấp nhận bộ mã hóa lỗi thời nào (CBC, trao đổi khóa RSA hoặc DH tĩnh, nhóm DH nhỏ); chưa thử được: \(untested)."
                )
                : LocalizedText(
                    en: "The server accepts no legacy cipher suite (CBC, static RSA or DH, small DH group).",
                    vi:
                        "Máy chủ không chấp nhận bộ mã hóa lỗi thời nào (CBC, trao đổi khóa RSA hoặc DH tĩnh, nhóm DH nhỏ)."
                )
        case .legacyAccepted:
            LocalizedText(
                en: "The server accepts legacy cipher suites: \(values["accepted"])\(partial.en).",
                vi: "Máy chủ chấp nhận bộ mã hóa lỗi thời: \(suitesInVietnamese(values["accepted"]))\(partial.vi).")
        case .missingFacts:
            LocalizedText(
                en: "The accepted cipher suites are not known, so legacy suites could not be checked.",
                vi: "Không xác định được các bộ mã hóa máy chủ chấp nhận nên chưa kiểm tra được bộ mã lỗi thời.")
        }
    }

    /// An `accepted` value of this rule or `tls.broken-ciphers` ("TLSv1.2 TLS_… (cbc+static-rsa); …") with each
    /// suite's classes named in Vietnamese ("TLSv1.2 TLS_… (CBC, RSA tĩnh); …"): a class with no Vietnamese
    /// name is left out rather than shown in English.
    static func suitesInVietnamese(_ accepted: String) -> String {
        accepted.components(separatedBy: "; ").map { (item: String) -> String in
            guard let open = item.range(of: " (") else { return item }
            let name = String(item[..<open.lowerBound])
            // The last suite of a clipped value ends in "…" instead of ")".
            guard item.hasSuffix(")") else { return name + "…" }
            let tags = item[open.upperBound...].dropLast().split(separator: "+").map(String.init)
            let named: [String] = tags.compactMap { (tag: String) -> String? in
                if let text = classNames[tag] { return text }
                return tag.hasPrefix("dh-") ? "DH \(tag.dropFirst(3)) bit" : nil
            }
            return named.isEmpty ? name : "\(name) (\(named.joined(separator: ", ")))"
        }
        .joined(separator: "; ")
    }

    /// The Vietnamese names of the suite classes and history reasons `accepted` values carry.
    private static let classNames: [String: String] = [
        "null": "NULL", "anonymous": "ẩn danh", "export": "EXPORT", "des": "DES", "3des": "3DES", "rc4": "RC4",
        "cbc": "CBC", "static-rsa": "RSA tĩnh", "static-dh": "DH tĩnh", "sha1-mac": "MAC SHA-1",
    ]

    static let examples: [RuleExample<Self>] = [
        .init("ECDHE with AEAD only", .pass, .ok),
        .init("CBC accepted", .fail, .legacyAccepted) {
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", classes: [.cbc, .ecdhe]))
        },
        .init("static RSA with GCM", .fail, .legacyAccepted) {
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_RSA_WITH_AES_128_GCM_SHA256", classes: [.aead, .staticRSA]))
        },
        .init("3DES only: the broken-suite rule's finding", .pass, .ok) {
            $0.tls?.suites = [
                AcceptedSuite(
                    version: .tls12, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", classes: [.tripleDES, .cbc, .staticRSA])
            ]
        },
        .init("DHE 1024", .fail, .legacyAccepted) {
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", classes: [.aead, .dhe],
                    dhBits: 1024))
        },
        .init("DHE 1024 allowed by a profile's 1024 minimum", .pass, .ok, parameters: { $0.minDHBits = 1024 }) {
            $0.tls?.suites?.append(
                AcceptedSuite(
                    version: .tls12, name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", classes: [.aead, .dhe],
                    dhBits: 1024))
        },
        .init("a history's CBC-SHA", .fail, .legacyAccepted) {
            $0.tls?.suites = nil
            $0.tls?.weakSuites = [
                WeakSuite(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-SHA", reasons: ["cbc", "sha1-mac"])
            ]
        },
        .init("a history's DH 2048 with a 4096 minimum", .fail, .legacyAccepted, parameters: { $0.minDHBits = 4096 }) {
            $0.tls?.suites = nil
            $0.tls?.dheMinBits = 2048
        },
        .init("a history with nothing weak", .pass, .ok) { $0.tls?.suites = nil },
        .init("no version known", .inconclusive, .missingFacts) {
            $0.tls?.versions = [.tls12: .error, .tls13: .error]
        },
    ]
}
