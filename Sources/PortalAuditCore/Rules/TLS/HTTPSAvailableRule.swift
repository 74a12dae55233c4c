import Foundation

/// Fails when the portal cannot be reached over HTTPS while it answers over HTTP, or its TLS is broken.
struct HTTPSAvailableRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noHttps = "no-https"
        case handshakeFailed = "handshake-failed"
        /// The server speaks only versions or suites current browsers refuse (read for the audit all the same).
        case legacyOnly = "legacy-only"
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
        let accepted = MinimumVersionRule.order.filter { observation.tls?.versions[$0] == .accepted }
        if reach.legacyTLSOnly == true {
            return .fail(
                .legacyOnly,
                [
                    "version": observation.tls?.negotiatedVersion?.rawValue ?? "?",
                    "accepted": accepted.map(\.rawValue).joined(separator: ","),
                    "browsers": "refuse",
                ])
        }
        if observation.tls?.negotiatedVersion == nil, reach.https.status == nil, !accepted.isEmpty {
            // Raw hellos were answered, but no handshake this tool's OpenSSL can make (SSLv3 or RC4 only).
            return .fail(
                .legacyOnly, ["accepted": accepted.map(\.rawValue).joined(separator: ","), "browsers": "refuse"])
        }
        if observation.tls?.negotiatedVersion != nil || reach.https.status != nil {
            return .pass(.ok, ["version": observation.tls?.negotiatedVersion?.rawValue ?? "?"])
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

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let version = MinimumVersionRule.versionNames(values["version"])
        let accepted = MinimumVersionRule.versionNames(values.list("accepted"))
        return switch code {
        case .ok:
            values.has("version") && values["version"] != "?"
                ? LocalizedText(
                    en: "The portal is served over HTTPS (\(version)).", vi: "Cổng được phục vụ qua HTTPS (\(version))."
                )
                : LocalizedText(en: "The portal is served over HTTPS.", vi: "Cổng được phục vụ qua HTTPS.")
        case .legacyOnly:
            values.has("accepted")
                ? LocalizedText(
                    en:
                        "The server speaks only TLS versions or cipher suites current browsers refuse (versions accepted: \(accepted)).",
                    vi:
                        "Máy chủ chỉ hỗ trợ phiên bản TLS hoặc bộ mã hóa cũ mà trình duyệt hiện nay từ chối (phiên bản chấp nhận: \(accepted))."
                )
                : LocalizedText(
                    en: "The server speaks only TLS versions or cipher suites current browsers refuse.",
                    vi: "Máy chủ chỉ hỗ trợ phiên bản TLS hoặc bộ mã hóa cũ mà trình duyệt hiện nay từ chối.")
        case .noHttps:
            LocalizedText(
                en: "The portal does not answer over HTTPS, only over HTTP (HTTPS: \(values["https"])).",
                vi: "Cổng không phục vụ qua HTTPS, chỉ truy cập được qua HTTP.")
        case .handshakeFailed:
            LocalizedText(
                en: "The TLS handshake with the portal fails, so it cannot be reached over HTTPS (\(values["https"])).",
                vi: "Bắt tay TLS với cổng không thành công nên không truy cập được qua HTTPS.")
        case .missingFacts:
            LocalizedText(
                en: values.has("https")
                    ? "The portal did not answer (HTTPS: \(values["https"])), so HTTPS could not be checked."
                    : "No reachability result was recorded, so HTTPS could not be checked.",
                vi: "Không nhận được phản hồi của cổng nên chưa kiểm tra được việc phục vụ qua HTTPS.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("https works", .pass, .ok),
        .init("TLS 1.0 only, read with a legacy configuration", .fail, .legacyOnly) {
            $0.reachability?.legacyTLSOnly = true
            $0.tls?.versions = [.ssl3: .rejected, .tls10: .accepted, .tls11: .rejected, .tls12: .rejected]
            $0.tls?.negotiatedVersion = .tls10
        },
        .init("RC4 only: raw hellos answered, no handshake possible", .fail, .legacyOnly) {
            $0.reachability?.https = EndpointFacts(
                url: "https://xa-a.tinh.gov.vn/",
                failure: ProbeFailure(kind: .tls, curlCode: 35, message: "no shared cipher"))
            $0.tls?.negotiatedVersion = nil
        },
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
