import Foundation

/// Fails when the chain does not lead to a trusted root (self-signed, unknown or untrusted issuer).
struct TrustedChainRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case selfSigned = "self-signed"
        case untrustedIssuer = "untrusted-issuer"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.trusted-chain", area: .certificate,
        title: LocalizedText(en: "The certificate chain is trusted", vi: "Chuỗi chứng thư số được tin cậy"),
        rationale: LocalizedText(
            en:
                "Browsers warn on a certificate they cannot trace to a trusted authority; users learn to click through warnings, which makes impersonation easy.",
            vi:
                "Trình duyệt cảnh báo khi chứng thư không dẫn tới tổ chức tin cậy; người dùng quen bỏ qua cảnh báo khiến việc giả mạo trở nên dễ dàng."
        ),
        advice: LocalizedText(
            en:
                "Use a certificate from a publicly trusted CA and serve the full chain (nginx: `ssl_certificate` must hold the leaf followed by the intermediates; Apache ≥ 2.4.8: the same in `SSLCertificateFile`; IIS: import the intermediate certificates into the Intermediate Certification Authorities store).",
            vi:
                "Dùng chứng thư của tổ chức cung cấp dịch vụ chứng thực được tin cậy công khai và gửi đủ chuỗi (nginx: tệp `ssl_certificate` chứa chứng thư máy chủ rồi tới các chứng thư trung gian; Apache ≥ 2.4.8: tương tự trong `SSLCertificateFile`; IIS: nhập chứng thư trung gian vào kho Intermediate Certification Authorities)."
        ),
        citations: ["OWASP ASVS 4.0.3 V9.2.1", "Tín nhiệm mạng: chứng nhận SSL/TLS hợp lệ"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let issuer = ["issuer": clip(leaf.issuer)]
        if cert.has(X509Code.selfSignedLeaf) || cert.has(X509Code.selfSignedInChain) {
            return .fail(.selfSigned, issuer)
        }
        if let problem = cert.verifyErrors.first(where: { !X509Code.notChain.contains($0.code) }) {
            return .fail(
                .untrustedIssuer, issuer.merging(["error": "\(problem.code) \(problem.message)"]) { a, _ in a })
        }
        return .pass(.ok, issuer)
    }

    static let examples: [RuleExample<Self>] = [
        .init("trusted", .pass, .ok),
        .init("self-signed", .fail, .selfSigned) {
            $0.certificate?.verifyErrors = [VerifyError(code: 18, depth: 0, message: "self-signed certificate")]
        },
        .init("unknown issuer", .fail, .untrustedIssuer) {
            $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
        },
        .init("expired but trusted", .pass, .ok) {
            $0.certificate?.verifyErrors = [VerifyError(code: 10, depth: 0, message: "certificate has expired")]
        },
        .init("no handshake", .inconclusive, .missingFacts) { $0.certificate = nil },
    ]
}
