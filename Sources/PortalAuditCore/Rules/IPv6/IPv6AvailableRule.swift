import Foundation

/// Fails when the portal has no IPv6 address or does not answer HTTPS over IPv6.
struct IPv6AvailableRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noAddress = "no-address"
        case unreachable
        /// Nothing answered on any address, once: an outage not yet confirmed says nothing of IPv6.
        case portalSilent = "portal-silent"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "ipv6.available", area: .ipv6,
        title: LocalizedText(en: "The portal is reachable over IPv6", vi: "Cổng truy cập được qua IPv6"),
        rationale: LocalizedText(
            en:
                "NĐ 224/2026 Điều 11.4 requires state portals to use IPv6 (as TT 32/2017 Điều 15.4 did); a portal needs an AAAA record and HTTPS that answers on it.",
            vi:
                "NĐ 224/2026 Điều 11.4 yêu cầu cổng của cơ quan nhà nước sử dụng IPv6 (như TT 32/2017 Điều 15.4 trước đây); cổng cần có bản ghi AAAA và HTTPS phản hồi trên địa chỉ đó."
        ),
        advice: LocalizedText(
            en:
                "Ask the hosting provider for IPv6, add an AAAA record, and listen on it (nginx: `listen [::]:443 ssl;`; Apache: `Listen [::]:443`; IIS: bind the site to the IPv6 address); open port 443 for IPv6 in the firewall.",
            vi:
                "Đề nghị nhà cung cấp hạ tầng cấp IPv6, thêm bản ghi AAAA và lắng nghe trên địa chỉ đó (nginx: `listen [::]:443 ssl;`; Apache: `Listen [::]:443`; IIS: binding địa chỉ IPv6); mở cổng 443 cho IPv6 trên tường lửa."
        ),
        citations: ["NĐ 224/2026 Điều 11.4", "TT 32/2017 Điều 15.4"], defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let ipv6 = observation.ipv6 else { return .missingFacts("ipv6") }
        if !ipv6.hasAddress {
            return .fail(.noAddress, ["detail": clip(ipv6.https.failure?.message ?? "no IPv6 address")])
        }
        if let status = ipv6.https.status, status < 500 {
            return .pass(.ok, ["address": ipv6.https.address ?? "?", "status": String(status)])
        }
        if ipv6.https.failure?.kind == .tls {
            // Connected over IPv6 and spoke TLS this tool cannot (SSLv3, RC4): the path works.
            return .pass(.ok, ["address": ipv6.https.address ?? "?", "tls": "judged by the tls rules"])
        }
        if let reach = observation.reachability, reach.nothingAnswered, reach.confirmedAfterSeconds == nil {
            return .inconclusive(.portalSilent)
        }
        return .fail(
            .unreachable,
            [
                "detail": clip(
                    ipv6.https.failure.map { "\($0.kind): \($0.message)" } ?? "status \(ipv6.https.status ?? 0)")
            ])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let address = values["address"]
        let at =
            address == "?" || address == "…"
            ? LocalizedText(en: "", vi: "") : LocalizedText(en: " at \(address)", vi: " tại địa chỉ \(address)")
        let detail = values.evidence["detail"] ?? ""
        let kind = FailureKind(rawValue: String(detail.prefix { $0 != ":" }))
        var why = LocalizedText(en: "the request failed", vi: "yêu cầu không thành công")
        if detail.hasPrefix("status ") {
            why = LocalizedText(
                en: "the server answered with status \(detail.dropFirst(7))",
                vi: "máy chủ trả về mã trạng thái \(detail.dropFirst(7))")
        } else {
            switch kind {
            case .dns?: why = LocalizedText(en: "the name did not resolve", vi: "không phân giải được tên miền")
            case .connect?: why = LocalizedText(en: "the connection failed", vi: "không kết nối được")
            case .tls?: why = LocalizedText(en: "the TLS handshake failed", vi: "bắt tay TLS không thành công")
            case .timeout?: why = LocalizedText(en: "the request timed out", vi: "hết thời gian chờ phản hồi")
            case .http?: why = LocalizedText(en: "the HTTP response was malformed", vi: "phản hồi HTTP không hợp lệ")
            case .cancelled?: why = LocalizedText(en: "the request was cancelled", vi: "yêu cầu bị hủy giữa chừng")
            case .egress?:
                why = LocalizedText(
                    en: "the address is one the scanner may not reach",
                    vi: "địa chỉ thuộc vùng công cụ không được phép kết nối tới")
            case .localResources?:
                why = LocalizedText(en: "the scanner ran out of resources", vi: "máy quét hết tài nguyên")
            case .other?, nil: break
            }
        }
        let said = detail.isEmpty ? "" : ": \(detail)"
        return switch code {
        case .ok:
            values.has("status")
                ? LocalizedText(
                    en: "The portal answers HTTPS over IPv6\(at.en) (status \(values["status"])).",
                    vi: "Cổng phản hồi HTTPS qua IPv6\(at.vi) (mã trạng thái \(values["status"])).")
                : LocalizedText(
                    en:
                        "The portal accepts HTTPS connections over IPv6\(at.en); its TLS is judged by the TLS criteria.",
                    vi: "Cổng nhận kết nối HTTPS qua IPv6\(at.vi); cấu hình TLS được đánh giá ở các tiêu chí TLS.")
        case .noAddress:
            LocalizedText(
                en: "The portal's name has no IPv6 address (AAAA record)\(said).",
                vi: "Tên miền của cổng không có địa chỉ IPv6 (bản ghi AAAA).")
        case .unreachable:
            LocalizedText(
                en:
                    "The portal has an IPv6 address but does not answer HTTPS over it: \(why.en) (\(values["detail"])).",
                vi: "Cổng có địa chỉ IPv6 nhưng không phản hồi HTTPS qua IPv6: \(why.vi).")
        case .portalSilent:
            LocalizedText(
                en:
                    "Nothing answered on any address in this single attempt (an outage not yet confirmed), so IPv6 could not be judged.",
                vi:
                    "Cổng không phản hồi trên mọi địa chỉ ở lần thử này (chưa xác nhận gián đoạn) nên chưa kết luận được về IPv6."
            )
        case .missingFacts:
            LocalizedText(
                en: "IPv6 was not probed, so reachability over IPv6 could not be checked.",
                vi: "Chưa thăm dò IPv6 nên chưa kiểm tra được khả năng truy cập qua IPv6.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("answers over IPv6 in TLS this tool cannot speak", .pass, .ok) {
            $0.ipv6?.https = EndpointFacts(
                url: "https://xa-a.tinh.gov.vn/", failure: ProbeFailure(kind: .tls, message: "no shared cipher"))
        },
        .init("answers over IPv6", .pass, .ok),
        .init("no AAAA", .fail, .noAddress) {
            $0.ipv6 = IPv6Facts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .dns, message: "no AAAA")),
                hasAddress: false)
        },
        .init("AAAA but refused", .fail, .unreachable) {
            $0.ipv6 = IPv6Facts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                hasAddress: true)
        },
        .init("silent everywhere, once", .inconclusive, .portalSilent) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")))
            $0.ipv6 = IPv6Facts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                hasAddress: true)
        },
        .init("not probed", .inconclusive, .missingFacts) { $0.ipv6 = nil },
    ]
}
