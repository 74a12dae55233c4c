import Foundation

/// Fails when the pages load third-party trackers (analytics, advertising, social pixels, by the shipped
/// EasyPrivacy list) on the first visit, before the visitor could agree. State measurement (a host under
/// `.gov.vn`, such as the EMC portals are asked to connect to) is listed, not counted.
struct TrackersBeforeConsentRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case stateOnly = "state-only"
        case trackers
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "privacy.trackers-before-consent", area: .privacy,
        title: LocalizedText(
            en: "No third-party trackers load before the visitor agrees",
            vi: "Không tải mã theo dõi của bên thứ ba trước khi người truy cập đồng ý"),
        rationale: LocalizedText(
            en:
                "Analytics, advertising and social pixels loaded on the first visit send each visitor's address, device and pages to a third party, before any notice or consent; Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 makes consent the rule for processing personal data. The list of trackers is EasyPrivacy's, the list browsers' blockers use.",
            vi:
                "Mã phân tích, quảng cáo, pixel mạng xã hội tải ngay lần truy cập đầu gửi địa chỉ, thiết bị và các trang người dân xem cho bên thứ ba, trước mọi thông báo hay sự đồng ý; Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 lấy sự đồng ý làm nguyên tắc khi xử lý dữ liệu cá nhân. Danh sách mã theo dõi là EasyPrivacy, danh sách các trình chặn của trình duyệt dùng."
        ),
        advice: LocalizedText(
            en:
                "Remove the trackers the unit does not need; load the others only after the visitor agrees (a consent banner that inserts the script on acceptance), and list them in the privacy notice. The state measurement script (EMC) may stay. The web server has nothing to change (nginx, Apache, IIS serve what the CMS holds).",
            vi:
                "Gỡ các mã theo dõi đơn vị không cần; các mã còn lại chỉ tải sau khi người truy cập đồng ý (hộp thông báo chèn mã khi người dùng chấp nhận) và liệt kê trong thông báo xử lý dữ liệu cá nhân. Mã đo lường của cơ quan nhà nước (EMC) được giữ. Máy chủ web không cần sửa (nginx, Apache, IIS chỉ phục vụ nội dung CMS lưu)."
        ),
        citations: ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15", "EasyPrivacy (danh sách mã theo dõi)"],
        defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let privacy = observation.content?.privacy, let trackers = privacy.trackers else {
            return .missingFacts("content.privacy.trackers")
        }
        let state = trackers.filter(\.state).map(\.host)
        let third = trackers.filter { !$0.state }
        var evidence = ["pages_read": String(privacy.pagesRead), "state": state.joined(separator: ", ")]
        guard !third.isEmpty else { return .pass(state.isEmpty ? .ok : .stateOnly, evidence) }
        evidence["hosts"] = clip(third.prefix(8).map(\.host).joined(separator: ", "))
        evidence["count"] = String(third.count)
        evidence["pages"] = clip(Array(Set(third.map(\.url))).sorted().prefix(3).joined(separator: ", "))
        return .fail(.trackers, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "No third-party tracker loads on the \(values["pages_read"]) pages read.",
                vi: "Không có mã theo dõi của bên thứ ba trên \(values["pages_read"]) trang đã đọc.")
        case .stateOnly:
            LocalizedText(
                en: "Only the state measurement service loads (\(values["state"])); no other third-party tracker.",
                vi:
                    "Chỉ có mã đo lường của cơ quan nhà nước (\(values["state"])); không có mã theo dõi bên thứ ba khác."
            )
        case .trackers:
            LocalizedText(
                en:
                    "\(values["count"]) third-party tracker(s) load on the first visit, before any consent: \(values["hosts"]) (\(values["pages"])): to review under the Personal Data Protection Law.",
                vi:
                    "\(values["count"]) mã theo dõi của bên thứ ba tải ngay lần truy cập đầu, trước khi người truy cập đồng ý: \(values["hosts"]) (\(values["pages"])): cần xem xét theo Luật Bảo vệ dữ liệu cá nhân."
            )
        case .missingFacts: PrivacyEvidence.notLooked
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no tracker", .pass, .ok),
        .init("Google Analytics and the Meta pixel on the home page", .fail, .trackers) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 4, pages: [],
                trackers: [
                    PrivacyTracker(
                        host: "googletagmanager.com", via: "script", url: "https://xa-a.tinh.gov.vn/", state: false),
                    PrivacyTracker(host: "facebook.net", via: "inline", url: "https://xa-a.tinh.gov.vn/", state: false),
                ])
        },
        .init("only the state EMC measurement", .pass, .stateOnly) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 4, pages: [],
                trackers: [
                    PrivacyTracker(host: "ngsp.gov.vn", via: "script", url: "https://xa-a.tinh.gov.vn/", state: true)
                ])
        },
        .init("a run before trackers were looked at", .inconclusive, .missingFacts) { $0.content?.privacy = nil },
    ]
}
