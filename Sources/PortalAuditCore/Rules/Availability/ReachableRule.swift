import Foundation

/// Fails when the portal answers neither over HTTPS nor over HTTP, or answers only with server errors.
/// Silence is a failure only once confirmed by a second attempt at least 30 s after the first
/// (`ReachabilityFacts.confirmedAfterSeconds`); one silent attempt is inconclusive, with the reason.
struct ReachableRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case unreachable
        case timeout
        case serverError = "server-error"
        case clientError = "client-error"
        case emptyPage = "empty-page"
        /// Nothing answered once; no second attempt has confirmed it yet.
        case unconfirmed
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "availability.reachable", area: .availability,
        title: LocalizedText(en: "The portal answers", vi: "Cổng thông tin phản hồi truy cập"),
        rationale: LocalizedText(
            en:
                "A portal that does not answer cannot serve citizens; the law asks portals to run reliably and continuously.",
            vi:
                "Cổng không phản hồi thì không phục vụ được người dân; pháp luật yêu cầu cổng hoạt động tin cậy, liên tục."
        ),
        advice: LocalizedText(
            en:
                "Check that the web server is running and that firewalls allow ports 443 and 80 from the Internet (nginx: `systemctl status nginx`; Apache: `systemctl status apache2`; IIS: the site and its application pool are started). Announce planned downtime at least 7 working days ahead.",
            vi:
                "Kiểm tra máy chủ web đang chạy và tường lửa cho phép cổng 443 và 80 từ Internet (nginx: `systemctl status nginx`; Apache: `systemctl status apache2`; IIS: trang và application pool đang chạy). Thông báo tạm ngừng có kế hoạch trước ít nhất 07 ngày làm việc."
        ),
        citations: ["NĐ 224/2026 Điều 21.2.a", "NĐ 224/2026 Điều 13.1.a"], defaultSeverity: .critical)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let reach = observation.reachability else { return .missingFacts("reachability") }
        // The HTTPS home page decides. A plain-HTTP answer counts only for a portal that serves no
        // HTTPS at all (nothing listens, or TLS is broken): a redirect to an HTTPS page that never
        // answers is not a portal that answers.
        if let status = reach.https.status {
            let evidence = ["url": clip(reach.https.url), "status": String(status)]
            return judge(status: status, bodyBytes: observation.page?.bytes, evidence)
        }
        let httpsDetail = clip(reach.https.failure.map { "\($0.kind.rawValue): \($0.message)" } ?? "no response")
        if AvailabilityPolicy.httpsNotServed(reach.https.failure), let http = reach.http, let status = http.status,
            !(300...399).contains(status)
        {
            let evidence = ["url": clip(http.url), "status": String(status), "https": httpsDetail]
            return judge(status: status, bodyBytes: nil, evidence)
        }
        var evidence = ["https": httpsDetail]
        if let http = reach.http {
            evidence["http"] = clip(
                http.status.map { "status \($0)" } ?? http.failure.map { "\($0.kind.rawValue): \($0.message)" }
                    ?? "no response")
        }
        if reach.nothingAnswered {
            guard let after = reach.confirmedAfterSeconds else {
                evidence["reason"] =
                    "one attempt only: an outage is confirmed by a second attempt at least 30 s later"
                return .inconclusive(.unconfirmed, evidence)
            }
            evidence["confirmed_after_s"] = String(after)
        }
        let timedOut = reach.https.failure?.kind == .timeout
        return .fail(timedOut ? .timeout : .unreachable, evidence)
    }

    /// An answer, judged by the availability policy the monitor also uses.
    private static func judge(status: Int, bodyBytes: Int?, _ evidence: [String: String]) -> Judgement<Code> {
        switch AvailabilityPolicy.problem(status: status, bodyBytes: bodyBytes) {
        case nil: .pass(.ok, evidence)
        case .serverError: .fail(.serverError, evidence)
        case .clientError: .fail(.clientError, evidence)
        case .emptyPage: .fail(.emptyPage, evidence)
        }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let confirmed =
            values.has("confirmed_after_s")
            ? LocalizedText(
                en: ", confirmed by a second attempt \(values.number("confirmed_after_s").en) s later",
                vi: " (đã xác nhận bằng lần thử lại sau \(values.number("confirmed_after_s").vi) giây)")
            : LocalizedText(en: "", vi: "")
        let http = values.has("http") ? "; HTTP: \(values["http"])" : ""
        return switch code {
        case .ok:
            values.has("https")
                ? LocalizedText(
                    en:
                        "The portal answers over HTTP only, at \(values["url"]) (HTTP \(values["status"])); HTTPS: \(values["https"]).",
                    vi:
                        "Cổng chỉ phản hồi qua HTTP, tại \(values["url"]) (mã HTTP \(values["status"])); không truy cập được qua HTTPS."
                )
                : LocalizedText(
                    en: "The portal answers at \(values["url"]) (HTTP \(values["status"])).",
                    vi: "Cổng phản hồi bình thường tại \(values["url"]) (mã HTTP \(values["status"])).")
        case .unreachable:
            LocalizedText(
                en: "The portal cannot be reached: HTTPS: \(values["https"])\(http)\(confirmed.en).",
                vi: "Không truy cập được cổng: không mở được trang chủ qua HTTPS\(confirmed.vi).")
        case .timeout:
            LocalizedText(
                en: "The portal cannot be reached: HTTPS timed out (\(values["https"]))\(http)\(confirmed.en).",
                vi: "Không truy cập được cổng: trang chủ qua HTTPS quá thời gian chờ mà không phản hồi\(confirmed.vi).")
        case .serverError:
            LocalizedText(
                en: "The home page at \(values["url"]) answers with a server error (HTTP \(values["status"])).",
                vi: "Trang chủ \(values["url"]) trả về lỗi máy chủ (mã HTTP \(values["status"])).")
        case .clientError:
            LocalizedText(
                en:
                    "The home page at \(values["url"]) refuses the request (HTTP \(values["status"])), so citizens cannot read it.",
                vi:
                    "Trang chủ \(values["url"]) trả về mã lỗi HTTP \(values["status"]), người dân không xem được nội dung."
            )
        case .emptyPage:
            LocalizedText(
                en: "The home page at \(values["url"]) answers (HTTP \(values["status"])) but is empty.",
                vi:
                    "Trang chủ \(values["url"]) có phản hồi (mã HTTP \(values["status"])) nhưng trang trống, không có nội dung."
            )
        case .unconfirmed:
            LocalizedText(
                en:
                    "Nothing answered in a single attempt (HTTPS: \(values["https"])\(http)); an outage is confirmed only by a second attempt at least 30 s later.",
                vi:
                    "Cổng không phản hồi ở lần thử duy nhất; cần thử lại sau ít nhất 30 giây để xác nhận cổng bị gián đoạn."
            )
        case .missingFacts:
            LocalizedText(
                en: "No reachability result was recorded, so whether the portal answers could not be judged.",
                vi: "Không có kết quả kiểm tra truy cập nên chưa đánh giá được cổng có phản hồi hay không.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("https answers", .pass, .ok),
        .init("https 503", .fail, .serverError) { $0.reachability?.https.status = 503 },
        .init("home page 403 (refused to citizens too)", .fail, .clientError) { $0.reachability?.https.status = 403 },
        .init("blank 200", .fail, .emptyPage) { $0.page?.bytes = 0 },
        .init("redirect to a login page", .pass, .ok) { $0.reachability?.https.status = 302 },
        .init("nothing answers, twice 30 s apart", .fail, .unreachable) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                confirmedAfterSeconds: 31)
        },
        .init("nothing answers once", .inconclusive, .unconfirmed) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: .connect, message: "refused")))
        },
        .init("TLS refused by a server that is there", .fail, .unreachable) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(
                    url: "https://x/", failure: ProbeFailure(kind: .tls, message: "handshake failure")),
                http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: .connect, message: "refused")))
        },
        .init("https times out behind a redirect", .fail, .timeout) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .timeout, message: "slow")),
                http: EndpointFacts(url: "http://x/", status: 301))
        },
        .init("http-only portal", .pass, .ok) {
            $0.reachability = ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")),
                http: EndpointFacts(url: "http://x/", status: 200))
        },
        .init("no facts", .inconclusive, .missingFacts) { $0.reachability = nil },
    ]
}
