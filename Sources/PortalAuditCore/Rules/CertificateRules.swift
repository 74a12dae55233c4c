import Foundation

/// OpenSSL verification error codes the certificate rules tell apart.
enum X509Code {
    static let notYetValid = 9
    static let expired = 10
    static let selfSignedLeaf = 18
    static let selfSignedInChain = 19
    static let hostnameMismatch = 62
    /// Errors about dates or the host name; every other code is a chain-of-trust problem.
    static let notChain: Set<Int> = [9, 10, 13, 14, 62, 63, 64]
}

extension CertificateFacts {
    func has(_ code: Int) -> Bool { verifyErrors.contains { $0.code == code } }
}

/// Fails when the chain does not lead to a trusted root (self-signed, unknown or untrusted issuer).
struct TrustedChainRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cert.trusted-chain", area: .certificate,
        title: LocalizedText(en: "The certificate chain is trusted", vi: "Chuỗi chứng thư số được tin cậy"),
        rationale: LocalizedText(
            en: "Browsers warn on a certificate they cannot trace to a trusted authority; users learn to click through warnings, which makes impersonation easy.",
            vi: "Trình duyệt cảnh báo khi chứng thư không dẫn tới tổ chức tin cậy; người dùng quen bỏ qua cảnh báo khiến việc giả mạo trở nên dễ dàng."),
        advice: LocalizedText(
            en: "Use a certificate from a publicly trusted CA and serve the full chain (nginx: `ssl_certificate` must hold the leaf followed by the intermediates; Apache ≥ 2.4.8: the same in `SSLCertificateFile`; IIS: import the intermediate certificates into the Intermediate Certification Authorities store).",
            vi: "Dùng chứng thư của tổ chức cung cấp dịch vụ chứng thực được tin cậy công khai và gửi đủ chuỗi (nginx: tệp `ssl_certificate` chứa chứng thư máy chủ rồi tới các chứng thư trung gian; Apache ≥ 2.4.8: tương tự trong `SSLCertificateFile`; IIS: nhập chứng thư trung gian vào kho Intermediate Certification Authorities)."),
        citations: ["OWASP ASVS 4.0.3 V9.2.1", "Tín nhiệm mạng: chứng nhận SSL/TLS hợp lệ"],
        defaultSeverity: .high, resultCodes: ["ok", "self-signed", "untrusted-issuer"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let issuer = ["issuer": clip(leaf.issuer)]
        if cert.has(X509Code.selfSignedLeaf) || cert.has(X509Code.selfSignedInChain) {
            return .fail("self-signed", issuer)
        }
        if let problem = cert.verifyErrors.first(where: { !X509Code.notChain.contains($0.code) }) {
            return .fail("untrusted-issuer", issuer.merging(["error": "\(problem.code) \(problem.message)"]) { a, _ in a })
        }
        return .pass("ok", issuer)
    }
}

/// Fails when the certificate does not cover the portal's host name.
struct HostnameMatchRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cert.hostname-match", area: .certificate,
        title: LocalizedText(en: "The certificate matches the portal's name", vi: "Chứng thư số đúng tên miền của cổng"),
        rationale: LocalizedText(
            en: "A certificate issued for another name proves nothing about this portal, and browsers block it.",
            vi: "Chứng thư cấp cho tên miền khác không chứng minh được danh tính cổng này và bị trình duyệt chặn."),
        advice: LocalizedText(
            en: "Issue a certificate whose Subject Alternative Names include this exact host name (and `www.` if used), then install it on the virtual host that serves this name (nginx: the `server` block with the matching `server_name`; Apache: the matching `ServerName`; IIS: the binding with the right host name and SNI).",
            vi: "Xin chứng thư có Subject Alternative Name chứa đúng tên miền này (và cả `www.` nếu dùng), rồi gắn vào virtual host phục vụ tên miền đó (nginx: khối `server` có `server_name` tương ứng; Apache: `ServerName` tương ứng; IIS: binding đúng host name và bật SNI)."),
        citations: ["RFC 6125", "OWASP ASVS 4.0.3 V9.2.1"], defaultSeverity: .high,
        resultCodes: ["ok", "mismatch"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let names = ["host": cert.checkedHost, "names": clip(leaf.subjectAltNames.joined(separator: ","))]
        return cert.has(X509Code.hostnameMismatch) ? .fail("mismatch", names) : .pass("ok", names)
    }
}

/// Fails when the certificate has expired or is not yet valid.
struct NotExpiredRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cert.not-expired", area: .certificate,
        title: LocalizedText(en: "The certificate is within its validity period", vi: "Chứng thư số còn hiệu lực"),
        rationale: LocalizedText(
            en: "An expired certificate makes every browser show a full-page warning.",
            vi: "Chứng thư hết hạn khiến mọi trình duyệt hiện cảnh báo chặn toàn trang."),
        advice: LocalizedText(
            en: "Renew the certificate and reload the server (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: rebind the new certificate). Automate renewal (ACME/certbot, or a calendar reminder 30 days ahead).",
            vi: "Gia hạn chứng thư và nạp lại máy chủ (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: gắn lại chứng thư mới). Tự động hóa gia hạn (ACME/certbot, hoặc nhắc lịch trước 30 ngày)."),
        citations: ["RFC 5280 §4.1.2.5", "OWASP ASVS 4.0.3 V9.2.1"], defaultSeverity: .high,
        resultCodes: ["ok", "expired", "not-yet-valid"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let dates = ["not_after": iso(leaf.notAfter), "not_before": iso(leaf.notBefore)]
        if cert.has(X509Code.expired) || leaf.notAfter < context.now { return .fail("expired", dates) }
        if cert.has(X509Code.notYetValid) || leaf.notBefore > context.now { return .fail("not-yet-valid", dates) }
        return .pass("ok", dates)
    }
}

/// Fails when the certificate expires within the profile's warning window.
struct ExpirySoonRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cert.expiry-soon", area: .certificate,
        title: LocalizedText(en: "The certificate does not expire soon", vi: "Chứng thư số chưa sắp hết hạn"),
        rationale: LocalizedText(
            en: "Renewing before the last days leaves time to fix problems without an outage.",
            vi: "Gia hạn sớm để còn thời gian xử lý sự cố mà không làm gián đoạn cổng."),
        advice: LocalizedText(
            en: "Renew now and automate renewal (ACME/certbot, or a reminder well before expiry); reload the server after installing (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: rebind).",
            vi: "Gia hạn ngay và tự động hóa gia hạn (ACME/certbot, hoặc nhắc lịch trước khi hết hạn); nạp lại máy chủ sau khi cài (nginx: `nginx -s reload`; Apache: `apachectl graceful`; IIS: gắn lại)."),
        citations: ["Mozilla Server Side TLS 6.0 (certificate lifespan)"], defaultSeverity: .low,
        parameters: [
            ParameterSpec(
                name: "warn_days", kind: .integer(1...365), defaultValue: .integer(30),
                meaning: LocalizedText(en: "Warn this many days before expiry", vi: "Cảnh báo trước khi hết hạn bao nhiêu ngày"))
        ],
        resultCodes: ["ok", "expires-soon", "already-expired"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let leaf = observation.certificate?.leaf else { return .missingFacts("certificate") }
        let seconds = leaf.notAfter.timeIntervalSince(context.now)
        let days = Int((seconds / 86_400).rounded(.down))
        let evidence = ["not_after": iso(leaf.notAfter), "days_left": String(days)]
        if seconds < 0 { return .notApplicable("already-expired", evidence) }
        if days < parameters.integer("warn_days") { return .fail("expires-soon", evidence) }
        return .pass("ok", evidence)
    }
}

/// Fails on a weak leaf key (RSA/DSA below the minimum, EC below 256 bits) or a SHA-1/MD5 signature.
struct KeyStrengthRule: Rule {
    static let descriptor = RuleDescriptor(
        id: "cert.key-strength", area: .certificate,
        title: LocalizedText(en: "The certificate key and signature are strong", vi: "Khóa và chữ ký của chứng thư số đủ mạnh"),
        rationale: LocalizedText(
            en: "RSA keys under 2048 bits and SHA-1 or MD5 signatures can be broken or forged.",
            vi: "Khóa RSA dưới 2048 bit và chữ ký SHA-1 hoặc MD5 có thể bị phá hoặc giả mạo."),
        advice: LocalizedText(
            en: "Re-issue the certificate with an RSA 2048+ or ECDSA P-256 key and a SHA-256 signature (`openssl req -newkey rsa:2048 -sha256 …`), then install it (nginx `ssl_certificate`; Apache `SSLCertificateFile`; IIS binding).",
            vi: "Xin cấp lại chứng thư với khóa RSA từ 2048 bit hoặc ECDSA P-256 và chữ ký SHA-256 (`openssl req -newkey rsa:2048 -sha256 …`), rồi cài đặt (nginx `ssl_certificate`; Apache `SSLCertificateFile`; IIS binding)."),
        citations: ["Mozilla Server Side TLS 6.0", "NIST SP 800-57 Part 1"], defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_rsa_bits", kind: .integer(1024...16384), defaultValue: .integer(2048),
                meaning: LocalizedText(en: "Smallest RSA key allowed (bits)", vi: "Khóa RSA nhỏ nhất được phép (bit)")),
            ParameterSpec(
                name: "min_ec_bits", kind: .integer(160...521), defaultValue: .integer(256),
                meaning: LocalizedText(en: "Smallest EC key allowed (bits)", vi: "Khóa EC nhỏ nhất được phép (bit)")),
        ],
        resultCodes: ["ok", "weak-key", "weak-signature"])

    static func evaluate(_ observation: Observation, _ parameters: RuleParameters, _ context: EvaluationContext)
        -> RuleOutcome
    {
        guard let leaf = observation.certificate?.leaf else { return .missingFacts("certificate") }
        let evidence = ["key": "\(leaf.keyType) \(leaf.keyBits)", "signature": leaf.signatureAlgorithm]
        let type = leaf.keyType.uppercased()
        let minimum = type == "EC" ? parameters.integer("min_ec_bits") : parameters.integer("min_rsa_bits")
        if ["RSA", "RSA-PSS", "DSA", "EC"].contains(type), leaf.keyBits < minimum {
            return .fail("weak-key", evidence)
        }
        let signature = leaf.signatureAlgorithm.uppercased()
        if signature.contains("SHA1") || signature.contains("MD5") || signature.contains("MD2") {
            return .fail("weak-signature", evidence)
        }
        return .pass("ok", evidence)
    }
}

/// ISO 8601 (UTC) for evidence.
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}
