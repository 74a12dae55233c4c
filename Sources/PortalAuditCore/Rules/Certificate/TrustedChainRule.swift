import Foundation

/// Fails when the chain as served does not lead to a trusted root: self-signed, a root the store does not
/// trust, an intermediate left out (even when AIA lets a browser complete it), or an unknown issuer; and when
/// a certificate on the path to the root (the leaf or an intermediate) is signed with SHA-1 or MD5, which
/// every current browser refuses (a root's own signature is never checked, so it is not judged).
struct TrustedChainRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case weakSignature = "weak-signature-in-chain"
        case selfSigned = "self-signed"
        case untrustedRoot = "untrusted-root"
        case incompleteChain = "incomplete-chain"
        case untrustedIssuer = "untrusted-issuer"
        /// Trusted, but the intermediates are not in issuing order (info).
        case wrongOrder = "wrong-order"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.trusted-chain", area: .certificate,
        title: LocalizedText(en: "The certificate chain is trusted", vi: "Chuỗi chứng thư số được tin cậy"),
        rationale: LocalizedText(
            en:
                "Browsers warn on a certificate they cannot trace to a trusted authority, or whose chain is signed with SHA-1 or MD5 (the leaf or an intermediate; a root's own signature is not checked); users learn to click through warnings, which makes impersonation easy.",
            vi:
                "Trình duyệt cảnh báo khi chứng thư không dẫn tới tổ chức tin cậy, hoặc chuỗi được ký bằng SHA-1 hay MD5 (chứng thư máy chủ hoặc trung gian; chữ ký của chứng thư gốc không được kiểm tra); người dùng quen bỏ qua cảnh báo khiến việc giả mạo trở nên dễ dàng."
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
        if cert.has(X509Code.selfSignedLeaf) { return .fail(.selfSigned, issuer) }
        if cert.has(X509Code.selfSignedInChain) {
            let root = cert.chain.last { $0.selfIssued }?.subject ?? leaf.issuer
            return .fail(.untrustedRoot, issuer.merging(["root": clip(root)]) { a, _ in a })
        }
        let problems = cert.verifyErrors.filter { !X509Code.notChain.contains($0.code) }
        guard let problem = problems.first else {
            if let weak = weakSignature(cert.chain) {
                return .fail(
                    .weakSignature,
                    issuer.merging(["certificate": clip(weak.subject), "signature": weak.signatureAlgorithm]) { a, _ in
                        a
                    })
            }
            let order = zip(cert.chain, cert.chain.dropFirst()).allSatisfy { $0.issuer == $1.subject }
            return order
                ? .pass(.ok, issuer)
                : .pass(
                    .wrongOrder,
                    issuer.merging(["served": clip(cert.chain.map(\.subject).joined(separator: " | "))]) { a, _ in a })
        }
        if problems.allSatisfy({ X509Code.missingIssuer.contains($0.code) }), let completion = cert.completion,
            completion.failure == nil
        {
            let completed = completion.verifyErrors.filter { !X509Code.notChain.contains($0.code) }
            if completed.isEmpty {
                // Browsers fetch the missing intermediate; curl, Java, Android and many phones do not.
                return .fail(
                    .incompleteChain,
                    issuer.merging(["served": "\(cert.chain.count) certificate(s)", "issuer_url": clip(completion.url)])
                    {
                        a, _ in a
                    })
            }
            if completed.contains(where: { $0.code == X509Code.selfSignedInChain }) {
                return .fail(.untrustedRoot, issuer.merging(["issuer_url": clip(completion.url)]) { a, _ in a })
            }
        }
        return .fail(
            .untrustedIssuer, issuer.merging(["error": "\(problem.code) \(problem.message)"]) { a, _ in a })
    }

    /// The first certificate on the path from the leaf towards the root (issuer by issuer through the chain
    /// as served) signed with a digest browsers refuse: MD2, MD4, MD5 or SHA-1. A self-issued root is not judged.
    static func weakSignature(_ chain: [CertificateSummary]) -> CertificateSummary? {
        var current = chain.first
        var steps = 0
        while let certificate = current, !certificate.selfIssued, steps < chain.count {
            let algorithm = certificate.signatureAlgorithm.lowercased()
            if ["sha1", "md5", "md4", "md2"].contains(where: algorithm.contains) { return certificate }
            current = chain.first { $0.subject == certificate.issuer && $0 != certificate }
            steps += 1
        }
        return nil
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The certificate chain leads to a trusted root (issuer: \(values["issuer"])).",
                vi: "Chuỗi chứng thư số dẫn tới tổ chức chứng thực được tin cậy (tổ chức cấp: \(values["issuer"])).")
        case .weakSignature:
            LocalizedText(
                en:
                    "The chain includes \(values["certificate"]), signed with \(values["signature"]), which browsers refuse.",
                vi:
                    "Chuỗi chứng thư số có chứng thư \(values["certificate"]) được ký bằng \(values["signature"]), trình duyệt từ chối chuỗi này."
            )
        case .selfSigned:
            LocalizedText(
                en: "The certificate is self-signed; browsers do not trust it.",
                vi: "Chứng thư số tự ký, trình duyệt không tin cậy.")
        case .untrustedRoot:
            values.has("root")
                ? LocalizedText(
                    en: "The chain ends at the root \(values["root"]), which browsers do not trust.",
                    vi: "Chuỗi chứng thư số dẫn tới chứng thư gốc \(values["root"]) không được trình duyệt tin cậy.")
                : LocalizedText(
                    en:
                        "Completed with the intermediate from \(values["issuer_url"]), the chain ends at a root browsers do not trust.",
                    vi:
                        "Chuỗi chứng thư số, khi bổ sung chứng thư trung gian tải từ \(values["issuer_url"]), dẫn tới chứng thư gốc không được tin cậy."
                )
        case .incompleteChain:
            LocalizedText(
                en:
                    "The server leaves out the intermediate certificate of \(values["issuer"]) (sent: \(values["served"])); browsers fetch it from \(values["issuer_url"]), but many apps and phones do not.",
                vi:
                    "Máy chủ gửi thiếu chứng thư trung gian của \(values["issuer"]); trình duyệt tự tải được từ \(values["issuer_url"]) nhưng nhiều ứng dụng và điện thoại thì không."
            )
        case .untrustedIssuer:
            LocalizedText(
                en:
                    "The certificate, issued by \(values["issuer"]), does not lead to a trusted root (\(values["error"])).",
                vi: "Chứng thư số do \(values["issuer"]) cấp không xác minh được tới tổ chức chứng thực được tin cậy.")
        case .wrongOrder:
            LocalizedText(
                en: "The chain is trusted, but the server sends the certificates out of order: \(values["served"]).",
                vi: "Chuỗi chứng thư số được tin cậy nhưng máy chủ gửi các chứng thư sai thứ tự: \(values["served"]).")
        case .missingFacts:
            LocalizedText(
                en: "No certificate could be read, so its chain could not be checked.",
                vi: "Không đọc được chứng thư số nên chưa kiểm tra được chuỗi tin cậy.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("trusted", .pass, .ok),
        .init("self-signed", .fail, .selfSigned) {
            $0.certificate?.verifyErrors = [VerifyError(code: 18, depth: 0, message: "self-signed certificate")]
        },
        .init("a root sent but not trusted", .fail, .untrustedRoot) {
            $0.certificate?.verifyErrors = [
                VerifyError(code: 19, depth: 1, message: "self-signed certificate in chain")
            ]
        },
        .init("the intermediate left out, completed through AIA", .fail, .incompleteChain) {
            $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
            $0.certificate?.completion = ChainCompletion(url: "http://ca.example/int.der", verifyErrors: [])
        },
        .init("AIA completes it to a root nobody trusts", .fail, .untrustedRoot) {
            $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
            $0.certificate?.completion = ChainCompletion(
                url: "http://ca.example/int.der",
                verifyErrors: [VerifyError(code: 19, depth: 2, message: "self-signed certificate in chain")])
        },
        .init("unknown issuer, no AIA", .fail, .untrustedIssuer) {
            $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
        },
        .init("unknown issuer, AIA not reachable", .fail, .untrustedIssuer) {
            $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
            $0.certificate?.completion = ChainCompletion(
                url: "http://ca.example/int.der", verifyErrors: [], failure: "the issuer could not be fetched")
        },
        .init("a 1024-bit leaf is a strength matter, not trust", .pass, .ok) {
            $0.certificate?.verifyErrors = [VerifyError(code: 66, depth: 0, message: "EE certificate key too weak")]
        },
        .init("a SHA-1 intermediate: browsers refuse the chain", .fail, .weakSignature) {
            $0.certificate?.verifyErrors = [VerifyError(code: 68, depth: 1, message: "CA signature digest too weak")]
            var intermediate = $0.certificate!.chain[0]
            intermediate.subject = intermediate.issuer
            intermediate.issuer = "CN=Root"
            intermediate.signatureAlgorithm = "RSA-SHA1"
            $0.certificate?.chain.append(intermediate)
        },
        .init("a root's own SHA-1 self-signature is not judged", .pass, .ok) {
            var root = $0.certificate!.chain[0]
            root.subject = root.issuer
            root.selfIssued = true
            root.signatureAlgorithm = "RSA-SHA1"
            $0.certificate?.chain.append(root)
        },
        .init("intermediates out of order", .pass, .wrongOrder) {
            let leaf = $0.certificate!.chain[0]
            var a = leaf
            a.subject = "CN=Root"
            a.issuer = "CN=Root"
            var b = leaf
            b.subject = "CN=Lab CA"
            b.issuer = "CN=Root"
            $0.certificate?.chain = [leaf, a, b]
        },
        .init("expired but trusted", .pass, .ok) {
            $0.certificate?.verifyErrors = [VerifyError(code: 10, depth: 0, message: "certificate has expired")]
        },
        .init("no handshake", .inconclusive, .missingFacts) { $0.certificate = nil },
    ]
}
