import Foundation

/// Fails when the home page or a sampled page shows personal identification numbers (CCCD, an individual's
/// tax code) or labelled CMND numbers: basic personal data under Luật BVDLCN 91/2025, published by mistake
/// more often than not. Some lists are lawful, so the finding asks for a review, it does not convict.
struct IDNumbersPublishedRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case published
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "privacy.id-numbers-published", area: .privacy,
        title: LocalizedText(
            en: "No personal identification numbers are published",
            vi: "Không công khai số định danh cá nhân (CCCD, CMND)"),
        rationale: LocalizedText(
            en:
                "The personal identification number is basic personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15). Lists of beneficiaries, recruits or households published with the number next to the name expose every person on them to fraud; some lists are published lawfully, so each one needs a review, not a verdict.",
            vi:
                "Số định danh cá nhân là dữ liệu cá nhân cơ bản (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15). Danh sách đối tượng hỗ trợ, trúng tuyển, hộ gia đình công khai kèm số định danh bên cạnh họ tên khiến mọi người trong danh sách có thể bị lợi dụng; có danh sách được công khai hợp pháp nên mỗi trường hợp cần được xem xét, không kết luận vi phạm."
        ),
        advice: LocalizedText(
            en:
                "Review each page listed with the unit that published it: if the identifiers are not required to be public, remove the column or mask the numbers (keep the last three or four digits), republish the list, and ask search engines to drop the cached copy. The web server has nothing to change (nginx, Apache, IIS serve what the CMS holds); to withdraw a file at once while the list is redone: nginx `location = /path { return 410; }`, Apache `Redirect gone /path`.",
            vi:
                "Rà soát từng trang nêu trên cùng đơn vị đăng tải: nếu không bắt buộc công khai số định danh, bỏ cột này hoặc che số (chỉ để 3–4 số cuối), đăng lại danh sách và đề nghị công cụ tìm kiếm gỡ bản lưu. Máy chủ web không cần sửa (nginx, Apache, IIS chỉ phục vụ nội dung CMS lưu); để gỡ ngay một tệp trong khi làm lại danh sách: nginx `location = /duong-dan { return 410; }`, Apache `Redirect gone /duong-dan`."
        ),
        citations: ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15", "Thông tư 07/2016/TT-BCA Phụ lục I (mã tỉnh)"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        PrivacyEvidence.judge(observation, ok: .ok, published: .published, lengths: [9, 12]) { $0.ids + $0.cmnd > 0 }
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "No personal identification number was found on \(PrivacyEvidence.read(values).en).",
                vi: "Không phát hiện số định danh cá nhân trên \(PrivacyEvidence.read(values).vi).")
        case .published:
            LocalizedText(
                en:
                    "\(counted(values).en) published \(PrivacyEvidence.pages(values).en)\(PrivacyEvidence.samples(values).en): to review under the Personal Data Protection Law.",
                vi:
                    "Phát hiện \(counted(values).vi) được công khai \(PrivacyEvidence.pages(values).vi)\(PrivacyEvidence.samples(values).vi): cần xem xét theo Luật Bảo vệ dữ liệu cá nhân."
            )
        case .missingFacts: PrivacyEvidence.notLooked
        }
    }

    /// "6 personal identification numbers" / "6 số định danh cá nhân", with the CMND numbers only when some were
    /// found.
    static func counted(_ values: FindingValues) -> LocalizedText {
        let ids = values.has("ids") ? values["ids"] : "0"
        let cmnd = values.has("cmnd") ? values["cmnd"] : "0"
        switch (ids, cmnd) {
        case (_, "0"):
            return LocalizedText(en: "\(ids) personal identification numbers are", vi: "\(ids) số định danh cá nhân")
        case ("0", _):
            return LocalizedText(en: "\(cmnd) CMND numbers are", vi: "\(cmnd) số CMND")
        default:
            return LocalizedText(
                en: "\(ids) personal identification numbers and \(cmnd) CMND numbers are",
                vi: "\(ids) số định danh cá nhân và \(cmnd) số CMND")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no personal data on the pages read", .pass, .ok),
        .init("a list of beneficiaries with their CCCD", .fail, .published) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 5,
                pages: [
                    PersonalDataSource(
                        url: "https://xa-a.tinh.gov.vn/tin/danh-sach-ho-tro.html",
                        facts: PersonalDataFacts(ids: 12, tables: 1, samples: ["0380******45"]))
                ])
        },
        .init("only phone numbers: another rule's question", .pass, .ok) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 5,
                pages: [
                    PersonalDataSource(
                        url: "https://xa-a.tinh.gov.vn/lien-he.html",
                        facts: PersonalDataFacts(phones: 4, samples: ["09******11"]))
                ])
        },
        .init("a run before personal data was looked at", .inconclusive, .missingFacts) {
            $0.content?.privacy = nil
        },
    ]
}
