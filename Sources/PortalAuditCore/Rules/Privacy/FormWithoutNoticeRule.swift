import Foundation

/// Fails when a form asks for an identity number, a phone, an address or an e-mail and its page links no
/// privacy notice: Luật BVDLCN asks that people be told what is collected, why, and who keeps it.
struct FormWithoutNoticeRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noForms = "no-forms"
        case withoutNotice = "without-notice"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "privacy.form-without-notice", area: .privacy,
        title: LocalizedText(
            en: "Forms that collect personal data link a privacy notice",
            vi: "Biểu mẫu thu thập dữ liệu cá nhân có liên kết tới thông báo xử lý dữ liệu cá nhân"),
        rationale: LocalizedText(
            en:
                "A question, feedback or registration form that asks for a CCCD number, a phone, an address or an e-mail collects personal data; Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 asks that the person be told what is collected, for what purpose and by whom before giving it. A link to the portal's notice next to the form is the usual way.",
            vi:
                "Biểu mẫu hỏi đáp, góp ý, đăng ký yêu cầu số CCCD, điện thoại, địa chỉ hay thư điện tử là thu thập dữ liệu cá nhân; Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 yêu cầu người cung cấp được biết dữ liệu nào được thu thập, để làm gì và ai xử lý trước khi cung cấp. Cách thường dùng là đặt liên kết tới thông báo của cổng ngay cạnh biểu mẫu."
        ),
        advice: LocalizedText(
            en:
                "Publish a personal-data notice (what each form collects, why, how long it is kept, who to ask) and link it from every form that collects personal data, with a consent box where the law asks for consent; ask only what the procedure needs (a CCCD number rarely is). The web server has nothing to change (nginx, Apache, IIS serve what the CMS holds).",
            vi:
                "Đăng thông báo xử lý dữ liệu cá nhân (biểu mẫu thu thập gì, để làm gì, lưu bao lâu, liên hệ ai) và đặt liên kết tới thông báo ở mọi biểu mẫu thu thập dữ liệu cá nhân, kèm ô đồng ý khi luật yêu cầu sự đồng ý; chỉ hỏi những gì thủ tục cần (hiếm khi cần số CCCD). Máy chủ web không cần sửa (nginx, Apache, IIS chỉ phục vụ nội dung CMS lưu)."
        ),
        citations: ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15"], defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let privacy = observation.content?.privacy, let forms = privacy.forms else {
            return .missingFacts("content.privacy.forms")
        }
        guard !forms.isEmpty else { return .pass(.noForms, ["pages_read": String(privacy.pagesRead)]) }
        let missing = forms.filter { !$0.notice }
        guard !missing.isEmpty else { return .pass(.ok, ["forms": String(forms.count)]) }
        var asks: [String] = []
        for form in missing { for kind in form.asks where !asks.contains(kind) { asks.append(kind) } }
        return .fail(
            .withoutNotice,
            [
                "forms": String(missing.count), "asks": asks.joined(separator: ","),
                "pages": clip(Array(Set(missing.map(\.url))).sorted().prefix(3).joined(separator: ", ")),
            ])
    }

    /// "số CCCD, điện thoại" / "a CCCD number, a phone".
    static func asked(_ values: FindingValues) -> LocalizedText {
        let kinds = values["asks"].split(separator: ",").map(String.init)
        let en = ["cccd": "an identity number", "phone": "a phone", "address": "an address", "email": "an e-mail"]
        let vi = ["cccd": "số CCCD", "phone": "số điện thoại", "address": "địa chỉ", "email": "thư điện tử"]
        return LocalizedText(
            en: kinds.compactMap { en[$0] }.joined(separator: ", "),
            vi: kinds.compactMap { vi[$0] }.joined(separator: ", "))
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The \(values["forms"]) forms that collect personal data link a privacy notice.",
                vi:
                    "\(values["forms"]) biểu mẫu thu thập dữ liệu cá nhân đều có liên kết tới thông báo xử lý dữ liệu cá nhân."
            )
        case .noForms:
            LocalizedText(
                en: "No form collecting personal data was found on the \(values["pages_read"]) pages read.",
                vi: "Không thấy biểu mẫu thu thập dữ liệu cá nhân trên \(values["pages_read"]) trang đã đọc.")
        case .withoutNotice:
            LocalizedText(
                en:
                    "\(values["forms"]) form(s) ask for \(asked(values).en) with no link to a privacy notice (\(values["pages"])): to review under the Personal Data Protection Law.",
                vi:
                    "\(values["forms"]) biểu mẫu yêu cầu \(asked(values).vi) mà không có liên kết tới thông báo xử lý dữ liệu cá nhân (\(values["pages"])): cần xem xét theo Luật Bảo vệ dữ liệu cá nhân."
            )
        case .missingFacts: PrivacyEvidence.notLooked
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no form on the pages read", .pass, .noForms),
        .init("a question form asking a phone and a CCCD, no notice", .fail, .withoutNotice) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 4, pages: [],
                forms: [
                    PrivacyForm(url: "https://xa-a.tinh.gov.vn/hoi-dap.html", asks: ["cccd", "phone"], notice: false)
                ])
        },
        .init("a feedback form whose page links the notice", .pass, .ok) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 4, pages: [],
                forms: [PrivacyForm(url: "https://xa-a.tinh.gov.vn/gop-y.html", asks: ["email"], notice: true)])
        },
        .init("a run before forms were looked at", .inconclusive, .missingFacts) { $0.content?.privacy = nil },
    ]
}
