import Foundation

/// Fails when the home page does not show who runs the portal and how to reach them.
struct MandatoryInfoRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// Every required item, some recommended one missing: the person responsible (TT 32/2017 asks it; its
        /// force is unverified), the information contact point, the list of information to be published.
        case recommendedMissing = "recommended-missing"
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
                "A state agency's portal must show its governing agency, address, phone and e-mail, so citizens know who answers for it and how to ask for information (Luật Tiếp cận thông tin Điều 19.1), where it states them: the footer or the contact page, not an article's text; each needs its value (a form's empty \"Điện thoại\" field is no phone). Recommended: the person responsible (TT 32/2017, whose force is unverified), the information contact point (đầu mối cung cấp thông tin, Điều 19.1.đ) and the list of information to be published (Điều 19.1.g): a portal that shows the required items passes without them.",
            vi:
                "Cổng của cơ quan nhà nước phải công bố cơ quan chủ quản, địa chỉ, điện thoại và thư điện tử để người dân biết ai chịu trách nhiệm và liên hệ yêu cầu cung cấp thông tin (Luật Tiếp cận thông tin Điều 19.1), ở nơi cổng công bố: chân trang hoặc trang liên hệ, không phải nội dung bài viết; mỗi mục phải có giá trị (ô \"Điện thoại\" trống của biểu mẫu không phải số điện thoại). Khuyến nghị: người chịu trách nhiệm (TT 32/2017, hiệu lực chưa xác minh), đầu mối cung cấp thông tin (Điều 19.1.đ) và danh mục thông tin phải được công khai (Điều 19.1.g): cổng công bố đủ các mục bắt buộc vẫn đạt khi thiếu các mục này."
        ),
        advice: LocalizedText(
            en:
                "Add a footer on every page: \"Cơ quan chủ quản: …; Người chịu trách nhiệm: …; Địa chỉ: …; Điện thoại: …; Email: …\", a \"Liên hệ\" page naming the information contact point (đầu mối cung cấp thông tin) with its phone and e-mail, and a link to the list of information to be published, in the CMS's footer template (nginx, Apache and IIS only serve what the CMS renders: nothing to change there).",
            vi:
                "Thêm chân trang ở mọi trang: \"Cơ quan chủ quản: …; Người chịu trách nhiệm: …; Địa chỉ: …; Điện thoại: …; Email: …\", trang \"Liên hệ\" nêu đầu mối cung cấp thông tin kèm điện thoại và thư điện tử, và liên kết tới danh mục thông tin phải được công khai, trong mẫu chân trang của CMS (nginx, Apache, IIS chỉ phục vụ nội dung CMS tạo ra: không cần sửa máy chủ web)."
        ),
        citations: [
            "NĐ 224/2026 Điều 9", "Luật Tiếp cận thông tin 2016 Điều 19.1 (đ: đầu mối; g: danh mục thông tin)",
            "TT 32/2017 Điều 16",
        ],
        defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let content = observation.content else { return .missingFacts("content") }
        var evidence = ["found": content.mandatoryFound.joined(separator: ",")]
        // Where each item was shown, by its label (runs before 2026-12-06 read the whole page).
        if let shown = content.mandatoryWhere, !shown.isEmpty {
            evidence["where"] = clip(
                shown.map { "\($0.item): \($0.label) (\($0.place.rawValue))" }.joined(separator: "; "))
        }
        if let page = content.contactPage { evidence["contact_page"] = clip(page) }
        let missingRequired = content.mandatoryMissing.filter { !MandatoryInfo.recommended.contains($0) }
        if content.mandatoryMissing.isEmpty { return .pass(.ok, evidence) }
        if missingRequired.isEmpty {
            evidence["recommended_missing"] = content.mandatoryMissing.joined(separator: ",")
            return .pass(.recommendedMissing, evidence)
        }
        evidence["missing"] = missingRequired.joined(separator: ",")
        let recommended = content.mandatoryMissing.filter { MandatoryInfo.recommended.contains($0) }
        if !recommended.isEmpty { evidence["recommended_missing"] = recommended.joined(separator: ",") }
        return .fail(.missingItems, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "The portal shows every required and recommended item\(shownWhere(values).en): \(items(values, "found").en).",
                vi:
                    "Cổng công bố đủ thông tin bắt buộc và khuyến nghị\(shownWhere(values).vi): \(items(values, "found").vi)."
            )
        case .recommendedMissing:
            LocalizedText(
                en:
                    "The portal shows every required item\(shownWhere(values).en); recommended items missing: \(items(values, "recommended_missing").en).",
                vi:
                    "Cổng công bố đủ thông tin bắt buộc\(shownWhere(values).vi); còn thiếu thông tin khuyến nghị: \(items(values, "recommended_missing").vi)."
            )
        case .missingItems:
            LocalizedText(
                en:
                    "Required items missing\(lookedAt(values).en): \(items(values, "missing").en)\(alsoMissing(values).en).",
                vi:
                    "Thiếu thông tin bắt buộc\(lookedAt(values).vi): \(items(values, "missing").vi)\(alsoMissing(values).vi)."
            )
        case .missingFacts:
            LocalizedText(
                en: "The home page's content could not be read, so the mandatory information could not be checked.",
                vi: "Không đọc được nội dung trang chủ nên chưa kiểm tra được thông tin bắt buộc.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("all shown", .pass, .ok),
        .init("no e-mail", .fail, .missingItems) {
            $0.content?.mandatoryFound = ["agency", "responsible", "address", "phone"]
            $0.content?.mandatoryMissing = ["email"]
        },
        .init("no person responsible named: a recommendation", .pass, .recommendedMissing) {
            $0.content?.mandatoryFound = ["agency", "address", "phone", "email"]
            $0.content?.mandatoryMissing = ["responsible"]
        },
        .init(
            "no information contact point nor list of published information: recommendations", .pass,
            .recommendedMissing
        ) {
            $0.content?.mandatoryFound = ["agency", "address", "phone", "email", "responsible"]
            $0.content?.mandatoryMissing = ["info-contact-point", "disclosure-list"]
        },
        .init("the footer shows no address: the evidence says where the others were found", .fail, .missingItems) {
            $0.content?.mandatoryFound = ["agency", "phone", "email"]
            $0.content?.mandatoryMissing = ["address", "responsible"]
            $0.content?.mandatoryWhere = [
                MandatoryInfo.Found(item: "agency", place: .footer, label: "co quan chu quan"),
                MandatoryInfo.Found(item: "phone", place: .contactPage, label: "dien thoai"),
                MandatoryInfo.Found(item: "email", place: .footer, label: "mailto:"),
            ]
            $0.content?.contactPage = "https://xa-a.tinh.gov.vn/lien-he"
        },
        .init("no page", .inconclusive, .missingFacts) { $0.content = nil },
    ]

    // MARK: - Sentence words

    /// An item as the `found`, `missing` and `where` evidence names it (machine words: `MandatoryInfo`'s ids).
    private static func itemName(_ id: String) -> LocalizedText {
        switch id {
        case "agency": LocalizedText(en: "governing agency", vi: "tên cơ quan chủ quản")
        case "address": LocalizedText(en: "address", vi: "địa chỉ")
        case "phone": LocalizedText(en: "phone number", vi: "số điện thoại")
        case "email": LocalizedText(en: "e-mail address", vi: "thư điện tử")
        case "responsible": LocalizedText(en: "person responsible", vi: "người chịu trách nhiệm")
        case "info-contact-point": LocalizedText(en: "information contact point", vi: "đầu mối cung cấp thông tin")
        case "disclosure-list":
            LocalizedText(
                en: "list of information to be published", vi: "danh mục thông tin phải được công khai")
        default: LocalizedText(en: id, vi: id)
        }
    }

    /// A place as the `where` evidence names it (`MandatoryInfo.Place`'s raw values).
    private static func placeName(_ place: String, _ values: FindingValues) -> LocalizedText? {
        let page = values.has("contact_page") ? " \(values["contact_page"])" : ""
        return switch place {
        case "footer": LocalizedText(en: "the footer", vi: "chân trang")
        case "contact-page": LocalizedText(en: "the contact page\(page)", vi: "trang Liên hệ\(page)")
        case "page": LocalizedText(en: "the home page", vi: "trang chủ")
        default: nil
        }
    }

    /// The items a comma-separated value lists, named: "phone number, e-mail address" / "số điện thoại, thư điện tử".
    private static func items(_ values: FindingValues, _ key: String) -> LocalizedText {
        let ids = (values.evidence[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !ids.isEmpty else { return LocalizedText(en: "…", vi: "…") }
        let names = ids.map(itemName)
        return LocalizedText(
            en: names.map(\.en).joined(separator: ", "), vi: names.map(\.vi).joined(separator: ", "))
    }

    /// " (shown in the footer and on the contact page …)": the places the `where` evidence names
    /// (`item: label (place)`, joined by "; "), each once; empty when it names none.
    private static func shownWhere(_ values: FindingValues) -> LocalizedText {
        var places: [String] = []
        for entry in (values.evidence["where"] ?? "").components(separatedBy: "; ") where entry.hasSuffix(")") {
            guard let open = entry.lastIndex(of: "(") else { continue }
            let place = String(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)])
            if !places.contains(place) { places.append(place) }
        }
        let names = places.compactMap { placeName($0, values) }
        guard !names.isEmpty else { return LocalizedText(en: "", vi: "") }
        return LocalizedText(
            en: " (shown in " + joined(names.map(\.en), "and") + ")",
            vi: " (nêu ở " + joined(names.map(\.vi), "và") + ")")
    }

    /// " (footer and contact page … read)" when the contact page was read too; empty otherwise.
    private static func lookedAt(_ values: FindingValues) -> LocalizedText {
        guard values.has("contact_page") else { return LocalizedText(en: "", vi: "") }
        return LocalizedText(
            en: " (in the footer and on the contact page \(values["contact_page"]))",
            vi: " (đã xem chân trang và trang Liên hệ \(values["contact_page"]))")
    }

    /// "; recommended items missing: …; shown: …", each part when the evidence has it.
    private static func alsoMissing(_ values: FindingValues) -> LocalizedText {
        var en = ""
        var vi = ""
        if values.has("recommended_missing") {
            let names = items(values, "recommended_missing")
            en += "; recommended items missing: \(names.en)"
            vi += "; thiếu thông tin khuyến nghị: \(names.vi)"
        }
        if values.has("found") {
            let names = items(values, "found")
            en += "; shown: \(names.en)"
            vi += "; đã công bố: \(names.vi)"
        }
        return LocalizedText(en: en, vi: vi)
    }

    /// "a, b and c".
    private static func joined(_ parts: [String], _ and: String) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " \(and) " + (parts.last ?? "")
    }
}
