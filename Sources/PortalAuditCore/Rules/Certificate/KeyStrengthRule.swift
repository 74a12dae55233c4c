import Foundation

/// Fails on a weak leaf key (RSA/DSA below the minimum, EC below 256 bits) or a SHA-1/MD5 signature.
struct KeyStrengthRule: Rule {
    struct Parameters: RuleParameterSet {
        var minRSABits: Int
        var minECBits: Int

        enum CodingKeys: String, CodingKey {
            case minRSABits = "min_rsa_bits"
            case minECBits = "min_ec_bits"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case weakKey = "weak-key"
        case weakSignature = "weak-signature"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.key-strength", area: .certificate,
        title: LocalizedText(
            en: "The certificate key and signature are strong", vi: "Khóa và chữ ký của chứng thư số đủ mạnh"),
        rationale: LocalizedText(
            en: "RSA keys under 2048 bits and SHA-1 or MD5 signatures can be broken or forged.",
            vi: "Khóa RSA dưới 2048 bit và chữ ký SHA-1 hoặc MD5 có thể bị phá hoặc giả mạo."),
        advice: LocalizedText(
            en:
                "Re-issue the certificate with an RSA 2048+ or ECDSA P-256 key and a SHA-256 signature (`openssl req -newkey rsa:2048 -sha256 …`), then install it (nginx `ssl_certificate`; Apache `SSLCertificateFile`; IIS binding).",
            vi:
                "Xin cấp lại chứng thư với khóa RSA từ 2048 bit hoặc ECDSA P-256 và chữ ký SHA-256 (`openssl req -newkey rsa:2048 -sha256 …`), rồi cài đặt (nginx `ssl_certificate`; Apache `SSLCertificateFile`; IIS binding)."
        ),
        citations: ["Mozilla Server Side TLS 6.0", "NIST SP 800-57 Part 1"], defaultSeverity: .medium,
        parameters: [
            ParameterSpec(
                name: "min_rsa_bits", kind: .integer(1024...16384), defaultValue: .integer(2048),
                meaning: LocalizedText(en: "Smallest RSA key allowed (bits)", vi: "Khóa RSA nhỏ nhất được phép (bit)")),
            ParameterSpec(
                name: "min_ec_bits", kind: .integer(160...521), defaultValue: .integer(256),
                meaning: LocalizedText(en: "Smallest EC key allowed (bits)", vi: "Khóa EC nhỏ nhất được phép (bit)")),
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        var evidence = ["key": "\(leaf.keyType) \(leaf.keyBits)", "signature": leaf.signatureAlgorithm]
        let type = leaf.keyType.uppercased()
        let minimum = type == "EC" ? parameters.minECBits : parameters.minRSABits
        if ["RSA", "RSA-PSS", "DSA", "EC"].contains(type), leaf.keyBits < minimum {
            return .fail(.weakKey, evidence)
        }
        // The leaf and every intermediate sent (a root's self-signature is never checked, so it does not count).
        let signed = cert.chain.enumerated().filter { $0.offset == 0 || !$0.element.selfIssued }
        let weak = signed.filter { entry in
            let signature = entry.element.signatureAlgorithm.uppercased()
            return signature.contains("SHA1") || signature.contains("MD5") || signature.contains("MD2")
        }
        if let first = weak.first {
            evidence["weak_signature"] = clip(
                weak.map {
                    "\($0.offset == 0 ? "leaf" : "intermediate") \($0.element.subject): \($0.element.signatureAlgorithm)"
                }
                .joined(separator: "; "))
            if first.offset > 0 { evidence["signature"] = first.element.signatureAlgorithm }
            return .fail(.weakSignature, evidence)
        }
        return .pass(.ok, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The certificate's key (\(values["key"]) bits) and signature (\(values["signature"])) are strong.",
                vi: "Khóa (\(values["key"]) bit) và chữ ký (\(values["signature"])) của chứng thư số đủ mạnh.")
        case .weakKey:
            LocalizedText(
                en: "The certificate's key is too weak: \(values["key"]) bits.",
                vi: "Khóa của chứng thư số quá yếu: \(values["key"]) bit.")
        case .weakSignature:
            LocalizedText(
                en: "The chain holds a certificate signed with a weak algorithm: \(values["weak_signature"]).",
                vi: values["weak_signature"].hasPrefix("leaf ")
                    ? "Chứng thư số được ký bằng thuật toán yếu \(values["signature"])."
                    : "Chứng thư trung gian được ký bằng thuật toán yếu \(values["signature"]).")
        case .missingFacts:
            LocalizedText(
                en: "No certificate could be read, so its key and signature could not be checked.",
                vi: "Không đọc được chứng thư số nên chưa kiểm tra được độ mạnh của khóa và chữ ký.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("RSA 2048 SHA-256", .pass, .ok),
        .init("RSA 1024", .fail, .weakKey) { $0.certificate?.chain[0].keyBits = 1024 },
        .init("EC 256", .pass, .ok) {
            $0.certificate?.chain[0].keyType = "EC"
            $0.certificate?.chain[0].keyBits = 256
        },
        .init("SHA-1 signature", .fail, .weakSignature) {
            $0.certificate?.chain[0].signatureAlgorithm = "RSA-SHA1"
        },
        .init("SHA-1 intermediate", .fail, .weakSignature) {
            var intermediate = $0.certificate!.chain[0]
            intermediate.subject = "CN=Lab Intermediate"
            intermediate.signatureAlgorithm = "RSA-SHA1"
            $0.certificate?.chain.append(intermediate)
        },
        .init("SHA-1 on a self-signed root sent along", .pass, .ok) {
            var root = $0.certificate!.chain[0]
            root.subject = "CN=Lab CA"
            root.issuer = "CN=Lab CA"
            root.selfIssued = true
            root.signatureAlgorithm = "RSA-SHA1"
            $0.certificate?.chain.append(root)
        },
        .init("no certificate", .inconclusive, .missingFacts) { $0.certificate = nil },
    ]
}
