import Foundation

/// Fails when the home page does not show who runs the portal and how to reach them.
struct MandatoryInfoRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// Everything but the person responsible: a recommendation (TT 32/2017 asks it; its force is unverified).
        case responsibleNotNamed = "responsible-not-named"
        case missingItems = "missing-items"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.mandatory-info", area: .content,
        title: LocalizedText(
            en: "The portal shows who runs it and how to reach them",
            vi: "Cổng công bố cơ quan chủ quản và thông tin liên hệ"),
        rationale: LocalizedText(
            en:
                "A state agency's portal must show its governing agency, address, phone and e-mail, so citizens know who answers for it and how to ask for information (Luật Tiếp cận thông tin Điều 19.1); the person responsible is recommended (TT 32/2017, whose force is unverified): a portal that names everything else passes without it.",
            vi:
                "Cổng của cơ quan nhà nước phải công bố cơ quan chủ quản, địa chỉ, điện thoại và thư điện tử để người dân biết ai chịu trách nhiệm và liên hệ yêu cầu cung cấp thông tin (Luật Tiếp cận thông tin Điều 19.1); người chịu trách nhiệm là khuyến nghị (TT 32/2017, hiệu lực chưa xác minh): cổng công bố đủ các mục còn lại vẫn đạt khi thiếu mục này."
        ),
        advice: LocalizedText(
            en:
                "Add a footer on every page: \"Cơ quan chủ quản: …; Người chịu trách nhiệm: …; Địa chỉ: …; Điện thoại: …; Email: …\" in the CMS's footer template (nginx, Apache and IIS only serve what the CMS renders: nothing to change there).",
            vi:
                "Thêm chân trang ở mọi trang: \"Cơ quan chủ quản: …; Người chịu trách nhiệm: …; Địa chỉ: …; Điện thoại: …; Email: …\" trong mẫu chân trang của CMS (nginx, Apache, IIS chỉ phục vụ nội dung CMS tạo ra: không cần sửa máy chủ web)."
        ),
        citations: ["NĐ 224/2026 Điều 9", "Luật Tiếp cận thông tin 2016 Điều 19.1", "TT 32/2017 Điều 16"],
        defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let content = observation.content else { return .missingFacts("content") }
        if content.mandatoryMissing.isEmpty {
            return .pass(.ok, ["found": content.mandatoryFound.joined(separator: ",")])
        }
        if content.mandatoryMissing == ["responsible"] {
            return .pass(
                .responsibleNotNamed,
                ["found": content.mandatoryFound.joined(separator: ","), "recommended_missing": "responsible"])
        }
        return .fail(
            .missingItems,
            [
                "missing": content.mandatoryMissing.joined(separator: ","),
                "found": content.mandatoryFound.joined(separator: ","),
            ])
    }

    static let examples: [RuleExample<Self>] = [
        .init("all shown", .pass, .ok),
        .init("no e-mail", .fail, .missingItems) {
            $0.content?.mandatoryFound = ["agency", "responsible", "address", "phone"]
            $0.content?.mandatoryMissing = ["email"]
        },
        .init("no person responsible named: a recommendation", .pass, .responsibleNotNamed) {
            $0.content?.mandatoryFound = ["agency", "address", "phone", "email"]
            $0.content?.mandatoryMissing = ["responsible"]
        },
        .init("no page", .inconclusive, .missingFacts) { $0.content = nil },
    ]
}
