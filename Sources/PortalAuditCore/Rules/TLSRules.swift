/// Fails when the portal cannot be reached over HTTPS while it answers over HTTP, or its TLS is broken.
struct HTTPSAvailableRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "tls.https-available", area: .tls,
        title: LocalizedText(en: "The portal is served over HTTPS", vi: "Cổng được phục vụ qua HTTPS"),
        rationale: LocalizedText(
            en: "Without HTTPS, everything citizens read or send can be read and altered on the way.",
            vi: "Không có HTTPS, mọi nội dung người dân xem hoặc gửi đều có thể bị đọc trộm và sửa đổi trên đường truyền."),
        advice: LocalizedText(
            en: "Obtain a certificate from a trusted CA and enable HTTPS on port 443 (nginx: `listen 443 ssl;` with `ssl_certificate`/`ssl_certificate_key`; Apache: `SSLEngine on` in a `<VirtualHost *:443>`; IIS: add an https binding with the certificate).",
            vi: "Xin chứng thư số từ tổ chức tin cậy và bật HTTPS trên cổng 443 (nginx: `listen 443 ssl;` với `ssl_certificate`/`ssl_certificate_key`; Apache: `SSLEngine on` trong `<VirtualHost *:443>`; IIS: thêm binding https gắn chứng thư)."),
        citations: ["TT 39/2017/TT-BTTTT Danh mục mục 4.3 (HTTPS)", "OWASP ASVS 4.0.3 V9.1.1"],
        defaultSeverity: .critical, resultCodes: ["ok", "no-https", "handshake-failed"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let reach = observation.reachability else { return .missingFacts("reachability") }
        if observation.tls?.negotiatedVersion != nil || reach.https.status != nil {
            return .pass("ok", ["version": observation.tls?.negotiatedVersion ?? "?"])
        }
        let failure = reach.https.failure
        let detail = clip(failure.map { "\($0.kind): \($0.message)" } ?? "no response")
        if reach.http?.status != nil {
            return .fail("no-https", ["https": detail])
        }
        if failure?.kind == "tls" {
            return .fail("handshake-failed", ["https": detail])
        }
        return .missingFacts("reachability", ["https": detail])
    }
}

/// Fails when a TLS version below the profile's minimum is accepted.
struct MinimumVersionRule: Rule {
    static let order = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

    static let descriptor = RuleDescriptor(
        id: "tls.min-version", area: .tls,
        title: LocalizedText(en: "Only TLS 1.2 or newer is accepted", vi: "Chỉ chấp nhận TLS 1.2 trở lên"),
        rationale: LocalizedText(
            en: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and lack modern protections; Vietnamese texts mandate TLS 1.2 and the international yardsticks require the old versions off.",
            vi: "TLS 1.0 và 1.1 đã bị loại bỏ (RFC 8996), thiếu cơ chế bảo vệ hiện đại; văn bản Việt Nam bắt buộc TLS 1.2 và các chuẩn quốc tế yêu cầu tắt phiên bản cũ."),
        advice: LocalizedText(
            en: "Turn off TLS 1.0/1.1 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: disable TLS 1.0/1.1 under SCHANNEL\\Protocols in the registry or with IIS Crypto).",
            vi: "Tắt TLS 1.0/1.1 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`; IIS: tắt TLS 1.0/1.1 trong registry SCHANNEL\\Protocols hoặc bằng IIS Crypto)."),
        citations: ["RFC 8996", "Mozilla Server Side TLS 6.0 (intermediate)", "OWASP ASVS 4.0.3 V9.1.3"],
        defaultSeverity: .high,
        parameters: [
            ParameterSpec(
                name: "minimum", kind: .choice(["1.2", "1.3"]), defaultValue: .string("1.2"),
                meaning: LocalizedText(en: "Lowest TLS version allowed", vi: "Phiên bản TLS thấp nhất được phép"))
        ],
        resultCodes: ["ok", "old-versions-accepted"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let tls = observation.tls else { return .missingFacts("tls") }
        let minimum = "TLSv" + parameters.string("minimum")
        let below = order.prefix { $0 != minimum }
        let accepted = order.filter { tls.versions[$0] == .accepted }
        let old = below.filter { tls.versions[$0] == .accepted }
        let evidence = ["accepted": accepted.joined(separator: ",")]
        if !old.isEmpty {
            return .fail("old-versions-accepted", evidence.merging(["too_old": old.joined(separator: ",")]) { a, _ in a })
        }
        let unknown = below.filter { tls.versions[$0] != .rejected }
        if !unknown.isEmpty {
            return .missingFacts("tls.versions", ["untested": unknown.joined(separator: ",")])
        }
        return .pass("ok", evidence)
    }
}

/// Fails when the server accepts a suite the profile calls weak (CBC, SHA-1 MAC, static RSA, small DH, NULL).
struct WeakCiphersRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "tls.weak-ciphers", area: .tls,
        title: LocalizedText(en: "No weak cipher suites", vi: "Không chấp nhận bộ mã hóa yếu"),
        rationale: LocalizedText(
            en: "CBC suites with SHA-1, static-RSA key exchange, DH groups under 2048 bits and NULL/anonymous suites are outside every current recommendation. 3DES, RC4 and EXPORT cannot be offered by this tool's OpenSSL and are reported as not testable.",
            vi: "Bộ mã CBC với SHA-1, trao đổi khóa RSA tĩnh, nhóm DH dưới 2048 bit và bộ mã NULL/ẩn danh đều nằm ngoài mọi khuyến nghị hiện hành. 3DES, RC4 và EXPORT không thể kiểm tra bằng OpenSSL của công cụ và được ghi là không kiểm tra được."),
        advice: LocalizedText(
            en: "Offer only ECDHE with AES-GCM or ChaCha20 (nginx: `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`; Apache: the same list in `SSLCipherSuite`; IIS: reorder and trim the suites with IIS Crypto or the SSL Cipher Suite Order policy).",
            vi: "Chỉ dùng ECDHE với AES-GCM hoặc ChaCha20 (nginx: `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`; Apache: cùng danh sách trong `SSLCipherSuite`; IIS: sắp xếp và loại bớt bộ mã bằng IIS Crypto hoặc chính sách SSL Cipher Suite Order)."),
        citations: ["Mozilla Server Side TLS 6.0 (intermediate)", "CISA BOD 18-01", "OWASP ASVS 4.0.3 V9.1.2"],
        defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_dh_bits", kind: .integer(1024...8192), defaultValue: .integer(2048),
                meaning: LocalizedText(en: "Smallest DH group allowed (bits)", vi: "Nhóm DH nhỏ nhất được phép (bit)"))
        ],
        resultCodes: ["ok", "weak-accepted"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let tls = observation.tls else { return .missingFacts("tls") }
        guard tls.versions.values.contains(.accepted) else { return .missingFacts("tls.versions") }
        var weak = tls.weakSuites.map { "\($0.version) \($0.cipher) (\($0.reasons.joined(separator: "+")))" }
        let minimumDH = parameters.integer("min_dh_bits")
        if let bits = tls.dheMinBits, bits < minimumDH, !tls.weakSuites.contains(where: { $0.reasons.contains("dh-small") }) {
            weak.append("DHE \(bits) bit")
        }
        let untested = ["not_testable": tls.notTestable.joined(separator: ",")]
        if weak.isEmpty { return .pass("ok", untested) }
        return .fail("weak-accepted", untested.merging(["accepted": clip(weak.joined(separator: "; "))]) { a, _ in a })
    }
}

/// Fails when a key exchange without forward secrecy (static RSA) is accepted.
struct ForwardSecrecyRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "tls.forward-secrecy", area: .tls,
        title: LocalizedText(en: "Forward secrecy is enforced", vi: "Bảo đảm bí mật chuyển tiếp (forward secrecy)"),
        rationale: LocalizedText(
            en: "With static-RSA key exchange, anyone who later obtains the server's private key can decrypt recorded traffic.",
            vi: "Với trao đổi khóa RSA tĩnh, ai lấy được khóa bí mật của máy chủ sau này đều giải mã được dữ liệu đã ghi lại."),
        advice: LocalizedText(
            en: "Remove suites without ECDHE/DHE (nginx: drop `AES128-SHA`, `AES256-SHA`, `AES128-GCM-SHA256` … from `ssl_ciphers`; Apache: add `!kRSA` to `SSLCipherSuite`; IIS: disable the TLS_RSA_WITH_* suites).",
            vi: "Loại các bộ mã không có ECDHE/DHE (nginx: bỏ `AES128-SHA`, `AES256-SHA`, `AES128-GCM-SHA256` … khỏi `ssl_ciphers`; Apache: thêm `!kRSA` vào `SSLCipherSuite`; IIS: tắt các bộ TLS_RSA_WITH_*)."),
        citations: ["Mozilla Server Side TLS 6.0 (intermediate)", "NIST SP 800-52r2 §3.3.1"],
        defaultSeverity: .medium, resultCodes: ["ok", "static-rsa-accepted"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let tls = observation.tls, let accepted = tls.staticRSAAccepted else { return .missingFacts("tls") }
        if accepted {
            let suites = tls.weakSuites.filter { $0.reasons.contains("static-rsa") }.map { "\($0.version) \($0.cipher)" }
            return .fail("static-rsa-accepted", ["suites": clip(suites.joined(separator: "; "))])
        }
        return .pass("ok")
    }
}
