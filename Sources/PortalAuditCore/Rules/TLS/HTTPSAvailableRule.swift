import Foundation

/// Fails when the portal cannot be reached over HTTPS while it answers over HTTP, or its TLS is broken.
struct HTTPSAvailableRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noHttps = "no-https"
        case handshakeFailed = "handshake-failed"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "tls.https-available", area: .tls,
        title: LocalizedText(en: "The portal is served over HTTPS", vi: "Cổng được phục vụ qua HTTPS"),
        rationale: LocalizedText(
            en: "Without HTTPS, everything citizens read or send can be read and altered on the way.",
            vi:
                "Không có HTTPS, mọi nội dung người dân xem hoặc gửi đều có thể bị đọc trộm và sửa đổi trên đường truyền."
        ),
        advice: LocalizedText(
            en:
                "Obtain a certificate from a trusted CA and enable HTTPS on port 443 (nginx: `listen 443 ssl;` with `ssl_certificate`/`ssl_certificate_key`; Apache: `SSLEngine on` in a `<VirtualHost *:443>`; IIS: add an https binding with the certificate).",
            vi:
                "Xin chứng thư số từ tổ chức tin cậy và bật HTTPS trên cổng 443 (nginx: `listen 443 ssl;` với `ssl_certificate`/`ssl_certificate_key`; Apache: `SSLEngine on` trong `<VirtualHost *:443>`; IIS: thêm binding https gắn chứng thư)."
        ),
        citations: ["TT 39/2017/TT-BTTTT Danh mục mục 4.3 (HTTPS)", "OWASP ASVS 4.0.3 V9.1.1"],
        defaultSeverity: .critical)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let reach = observation.reachability else { return .missingFacts("reachability") }
        if observation.tls?.negotiatedVersion != nil || reach.https.status != nil {
            return .pass(.ok, ["version": observation.tls?.negotiatedVersion ?? "?"])
        }
        let failure = reach.https.failure
        let detail = clip(failure.map { "\($0.kind): \($0.message)" } ?? "no response")
        if reach.http?.status != nil {
            return .fail(.noHttps, ["https": detail])
        }
        if failure?.kind == .tls {
            return .fail(.handshakeFailed, ["https": detail])
        }
        return .missingFacts("reachability", ["https": detail])
    }

    static let examples: [RuleExample<Self>] = [
        .init("https works", .pass, .ok),
        .init("http only", .fail, .noHttps) {
            $0.tls = nil
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                http: EndpointFacts(url: "http://x/", status: 200))
        },
        .init("broken tls", .fail, .handshakeFailed) {
            $0.tls = nil
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .tls, message: "alert")),
                http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: .connect, message: "refused")))
        },
        .init("nothing answers", .inconclusive, .missingFacts) {
            $0.tls = nil
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .timeout, message: "t")))
        },
    ]
}
