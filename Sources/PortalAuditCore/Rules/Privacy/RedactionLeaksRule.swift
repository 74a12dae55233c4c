import Foundation

/// Fails when a document hides identifiers under black boxes while its text layer still holds them: the
/// list looks redacted on screen and printed, and anyone can copy the numbers out.
struct RedactionLeaksRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case noDocuments = "no-documents"
        case leaks
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "privacy.redaction-leaks", area: .privacy,
        title: LocalizedText(
            en: "Blacked-out numbers in published documents cannot be copied out",
            vi: "Số đã bôi đen trong tài liệu công khai không sao chép ra được"),
        rationale: LocalizedText(
            en:
                "A black box drawn over a number in Word or a PDF editor hides it on screen only: the number stays in the text layer, where search engines index it and anyone can copy it. The personal identification number is basic personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).",
            vi:
                "Ô đen vẽ đè lên số trong Word hay trình sửa PDF chỉ che trên màn hình: số vẫn nằm trong lớp văn bản, công cụ tìm kiếm lập chỉ mục và ai cũng sao chép ra được. Số định danh cá nhân là dữ liệu cá nhân cơ bản (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15)."
        ),
        advice: LocalizedText(
            en:
                "Withdraw the document at once (nginx `location = /path { return 410; }`, Apache `Redirect gone /path`), delete the numbers from the source file itself (not over it), export again, check that copying the page's text gives no number, republish, and ask search engines to drop the cached copy.",
            vi:
                "Gỡ ngay tài liệu (nginx `location = /duong-dan { return 410; }`, Apache `Redirect gone /duong-dan`), xóa hẳn các số trong tệp gốc (không vẽ đè lên), xuất lại, thử sao chép văn bản của trang để chắc không còn số, đăng lại và đề nghị công cụ tìm kiếm gỡ bản lưu."
        ),
        citations: ["Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let privacy = observation.content?.privacy else { return .missingFacts("content.privacy") }
        let read = privacy.documents.filter { $0.format == .pdf && $0.read == .read }
        let leaking = read.filter { $0.hidden > 0 }
        guard !read.isEmpty else { return .pass(.noDocuments, ["document_links": String(privacy.documentLinks)]) }
        guard !leaking.isEmpty else { return .pass(.ok, ["documents_read": String(read.count)]) }
        return .fail(
            .leaks,
            [
                "hidden": String(leaking.reduce(0) { $0 + $1.hidden }), "document_count": String(leaking.count),
                "documents": clip(leaking.prefix(3).map(PrivacyEvidence.place).joined(separator: ", ")),
            ])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "None of the \(values["documents_read"]) PDF documents read hides numbers under black boxes.",
                vi: "Không tài liệu PDF nào trong \(values["documents_read"]) tài liệu đã đọc che số bằng ô đen.")
        case .noDocuments:
            LocalizedText(
                en: "No PDF document was read (\(values["document_links"]) document links found).",
                vi: "Không đọc được tài liệu PDF nào (tìm thấy \(values["document_links"]) liên kết tài liệu).")
        case .leaks:
            LocalizedText(
                en:
                    "\(values["hidden"]) identifiers are blacked out on the page but still in the text of \(values["document_count"]) document(s) (\(values["documents"])): anyone can copy them; to review under the Personal Data Protection Law.",
                vi:
                    "\(values["hidden"]) số định danh bị bôi đen trên trang nhưng vẫn còn trong lớp văn bản của \(values["document_count"]) tài liệu (\(values["documents"])): ai cũng sao chép được; cần xem xét theo Luật Bảo vệ dữ liệu cá nhân."
            )
        case .missingFacts: PrivacyEvidence.notLooked
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no document read", .pass, .noDocuments),
        .init("a list whose numbers sit under black boxes", .fail, .leaks) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 3, pages: [],
                documents: [
                    DocumentFacts(
                        url: "https://xa-a.tinh.gov.vn/files/ds-ho-tro.pdf", name: "ds-ho-tro.pdf", format: .pdf,
                        bytes: 48_211, status: 200, read: .read, pageCount: 2,
                        personal: PersonalDataFacts(ids: 8, tables: 1, samples: ["0380******17"]), personalPages: [1],
                        hidden: 8)
                ])
        },
        .init("a list with its numbers in plain sight: the identifier rule's question", .pass, .ok) {
            $0.content?.privacy = PrivacyFacts(
                pagesRead: 3, pages: [],
                documents: [
                    DocumentFacts(
                        url: "https://xa-a.tinh.gov.vn/files/ds.pdf", name: "ds.pdf", format: .pdf, bytes: 9_000,
                        status: 200, read: .read, pageCount: 1, personal: PersonalDataFacts(ids: 4),
                        personalPages: [1])
                ])
        },
        .init("a run before personal data was looked at", .inconclusive, .missingFacts) {
            $0.content?.privacy = nil
        },
    ]
}
