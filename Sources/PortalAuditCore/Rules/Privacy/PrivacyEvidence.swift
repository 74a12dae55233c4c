import Foundation

/// The evidence the privacy rules share: counts, the pages (at most three), masked samples: never a whole
/// identifier or phone number.
enum PrivacyEvidence {
    /// The pages of `privacy` whose facts `shows` something, and the evidence for them: the samples of the
    /// kind asked for, by their length (an identifier 12 digits, a CMND 9, a phone 10 or 11).
    static func evidence(_ privacy: PrivacyFacts, _ shows: (PersonalDataFacts) -> Bool, lengths: Set<Int>)
        -> [String: String]
    {
        let pages = privacy.pages.filter { shows($0.facts) }.map { page in
            var kept = page
            kept.facts.samples = page.facts.samples.filter { lengths.contains($0.count) }
            return kept
        }
        let total = PrivacyFacts(pagesRead: privacy.pagesRead, pages: pages).total
        return [
            "ids": String(total.ids), "cmnd": String(total.cmnd), "phones": String(total.phones),
            "tables": String(total.tables), "pages": clip(pages.prefix(3).map(\.url).joined(separator: ", ")),
            "page_count": String(pages.count), "samples": total.samples.joined(separator: ", "),
            "pages_read": String(privacy.pagesRead),
        ]
    }

    /// "trên 2 trang (https://…)" / "on 2 pages (https://…)".
    static func pages(_ values: FindingValues) -> LocalizedText {
        let count = values["page_count"]
        return LocalizedText(
            en: "on \(count) page\(count == "1" ? "" : "s") (\(values["pages"]))",
            vi: "trên \(count) trang (\(values["pages"]))")
    }

    /// ", ví dụ 0380******12" when there are samples.
    static func samples(_ values: FindingValues) -> LocalizedText {
        values.has("samples")
            ? LocalizedText(en: ", for example \(values["samples"])", vi: ", ví dụ \(values["samples"])")
            : LocalizedText(en: "", vi: "")
    }

    /// The judgement both privacy rules make: `published` when a page read shows what `shows` looks for.
    static func judge<Code: RuleCode>(
        _ observation: Observation, ok: Code, published: Code, lengths: Set<Int>,
        shows: @escaping (PersonalDataFacts) -> Bool
    ) -> Judgement<Code> {
        guard let privacy = observation.content?.privacy else { return .missingFacts("content.privacy") }
        guard privacy.pages.contains(where: { shows($0.facts) }) else {
            return .pass(ok, ["pages_read": String(privacy.pagesRead)])
        }
        return .fail(published, evidence(privacy, shows, lengths: lengths))
    }

    /// Both rules' sentence for a run that did not look.
    static let notLooked = LocalizedText(
        en: "This scan did not look for personal data on the portal's pages, so it could not be checked.",
        vi: "Lần quét này không dò tìm dữ liệu cá nhân trên các trang của cổng nên chưa kiểm tra được.")
}
