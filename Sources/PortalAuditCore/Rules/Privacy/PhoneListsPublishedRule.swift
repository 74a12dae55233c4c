import Foundation

/// Fails when a page lists people's phone numbers: a column of a table of people, or three mobiles or more
/// on one page (an office's one or two numbers are not personal data).
struct PhoneListsPublishedRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case published
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "privacy.phone-lists-published", area: .privacy,
        title: LocalizedText(
            en: "No lists of people's phone numbers are published",
            vi: "Không công khai danh sách số điện thoại của cá nhân"),
        rationale: LocalizedText(
            en:
                "A person's phone number is basic personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15); lists of household heads, beneficiaries or village heads with their mobiles feed scam calls. An office's own contact numbers are not personal data.",
            vi:
                "Số điện thoại của cá nhân là dữ liệu cá nhân cơ bản (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15); danh sách chủ hộ, đối tượng hưởng hỗ trợ, trưởng thôn kèm số di động bị lợi dụng để gọi lừa đảo. Số liên hệ của cơ quan không phải dữ liệu cá nhân."
        ),
        advice: LocalizedText(
            en:
                "Review each page listed with the unit that published it: publish an office's number instead of people's, or mask them (keep the last three digits), and republish. The web server has nothing to change (nginx, Apache, IIS serve what the CMS holds).",
            vi:
                "Rà soát từng trang nêu trên cùng đơn vị đăng tải: thay bằng số điện thoại của cơ quan, hoặc che số (chỉ để 3 số cuối), rồi đăng lại. Máy chủ web không cần sửa (nginx, Apache, IIS chỉ phục vụ nội dung CMS lưu)."
        ),
        citations: ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15"], defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        PrivacyEvidence.judge(observation, ok: .ok, published: .published, lengths: [10, 11]) { $0.phones > 0 }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "No list of people's phone numbers was found on \(PrivacyEvidence.read(values).en).",
                vi: "Không phát hiện danh sách số điện thoại cá nhân trên \(PrivacyEvidence.read(values).vi).")
        case .published:
            LocalizedText(
                en:
                    "\(values["phones"]) personal phone numbers are listed \(PrivacyEvidence.pages(values).en)\(PrivacyEvidence.samples(values).en): to review under the Personal Data Protection Law.",
                vi:
                    "Phát hiện \(values["phones"]) số điện thoại cá nhân được công khai thành danh sách \(PrivacyEvidence.pages(values).vi)\(PrivacyEvidence.samples(values).vi): cần xem xét theo Luật Bảo vệ dữ liệu cá nhân."
            )
        case .missingFacts: PrivacyEvidence.notLooked
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no list of phones", .pass, .ok),
        .init("household heads with their mobiles", .fail, .published) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 5,
                pages: [
                    PersonalDataSource(
                        url: "https://xa-a.tinh.gov.vn/tin/ho-ngheo.html",
                        facts: PersonalDataFacts(phones: 4, tables: 1, samples: ["09******11"]))
                ])
        },
        .init("a run before personal data was looked at", .inconclusive, .missingFacts) {
            $0.content?.privacy = nil
        },
    ]
}
