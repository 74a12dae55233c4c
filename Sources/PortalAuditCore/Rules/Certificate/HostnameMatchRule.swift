import Foundation

/// Fails when the certificate does not cover the portal's host name.
struct HostnameMatchRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case mismatch
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "cert.hostname-match", area: .certificate,
        title: LocalizedText(
            en: "The certificate matches the portal's name", vi: "Chứng thư số đúng tên miền của cổng"),
        rationale: LocalizedText(
            en: "A certificate issued for another name proves nothing about this portal, and browsers block it.",
            vi: "Chứng thư cấp cho tên miền khác không chứng minh được danh tính cổng này và bị trình duyệt chặn."),
        advice: LocalizedText(
            en:
                "Issue a certificate whose Subject Alternative Names include this exact host name (and `www.` if used), then install it on the virtual host that serves this name (nginx: the `server` block with the matching `server_name`; Apache: the matching `ServerName`; IIS: the binding with the right host name and SNI).",
            vi:
                "Xin chứng thư có Subject Alternative Name chứa đúng tên miền này (và cả `www.` nếu dùng), rồi gắn vào virtual host phục vụ tên miền đó (nginx: khối `server` có `server_name` tương ứng; Apache: `ServerName` tương ứng; IIS: binding đúng host name và bật SNI)."
        ),
        citations: ["RFC 6125", "OWASP ASVS 4.0.3 V9.2.1"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let cert = observation.certificate, let leaf = cert.leaf else { return .missingFacts("certificate") }
        let names = ["host": cert.checkedHost, "names": clip(leaf.subjectAltNames.joined(separator: ","))]
        return cert.has(X509Code.hostnameMismatch) ? .fail(.mismatch, names) : .pass(.ok, names)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The certificate covers the host name \(values["host"]).",
                vi: "Chứng thư số cấp đúng cho tên miền \(values["host"]).")
        case .mismatch:
            values.has("names")
                ? LocalizedText(
                    en: "The certificate does not cover \(values["host"]); it names \(values.list("names")).",
                    vi:
                        "Chứng thư số không cấp cho tên miền \(values["host"]); chứng thư chỉ ghi các tên miền: \(values.list("names"))."
                )
                : LocalizedText(
                    en: "The certificate does not cover \(values["host"]); it names no host.",
                    vi: "Chứng thư số không cấp cho tên miền \(values["host"]); chứng thư không ghi tên miền nào.")
        case .missingFacts:
            LocalizedText(
                en: "No certificate could be read, so its host names could not be checked.",
                vi: "Không đọc được chứng thư số nên chưa kiểm tra được tên miền ghi trong chứng thư.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("matches", .pass, .ok),
        .init("mismatch", .fail, .mismatch) {
            $0.certificate?.verifyErrors = [VerifyError(code: 62, depth: 0, message: "hostname mismatch")]
        },
        .init("no handshake", .inconclusive, .missingFacts) { $0.certificate = nil },
    ]
}
