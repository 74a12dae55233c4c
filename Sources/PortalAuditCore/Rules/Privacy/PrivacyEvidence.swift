import Foundation

/// The evidence the privacy rules share: counts, the pages (at most three), masked samples: never a whole
/// identifier or phone number.
enum PrivacyEvidence {
    /// The pages and documents of `privacy` whose facts `shows` something, and the evidence for them: the
    /// samples of the kind asked for, by their length (an identifier 12 digits, a CMND 9, a phone 10 or 11);
    /// a document named with the pages that show it.
    static func evidence(_ privacy: PrivacyFacts, _ shows: (PersonalDataFacts) -> Bool, lengths: Set<Int>)
        -> [String: String]
    {
        func kept(_ facts: PersonalDataFacts) -> PersonalDataFacts {
            var kept = facts
            kept.samples = facts.samples.filter { lengths.contains($0.count) }
            return kept
        }
        let pages = privacy.pages.filter { shows($0.facts) }.map {
            PersonalDataSource(url: $0.url, facts: kept($0.facts))
        }
        let documents = privacy.documents.filter { $0.personal.map(shows) ?? false }.map { document in
            var copy = document
            copy.personal = document.personal.map(kept)
            return copy
        }
        let total = PrivacyFacts(pagesRead: privacy.pagesRead, pages: pages, documents: documents).total
        let places = documents.map(place) + pages.map(\.url)
        return [
            "ids": String(total.ids), "cmnd": String(total.cmnd), "phones": String(total.phones),
            "tables": String(total.tables), "pages": clip(places.prefix(3).joined(separator: ", ")),
            "page_count": String(pages.count), "document_count": String(documents.count),
            "samples": total.samples.joined(separator: ", "), "pages_read": String(privacy.pagesRead),
            "documents_read": String(privacy.documents.filter { $0.read == .read }.count),
        ]
    }

    /// A document's address with the pages that show personal data: "https://…/ds.pdf#page=2,3".
    static func place(_ document: DocumentFacts) -> String {
        document.personalPages.isEmpty
            ? document.url
            : document.url + "#page=" + document.personalPages.prefix(5).map(String.init).joined(separator: ",")
    }

    /// "trên 2 trang (https://…)" / "on 2 pages (https://…)"; "trên 1 trang và 1 tài liệu (…)" with documents.
    static func pages(_ values: FindingValues) -> LocalizedText {
        let count = values["page_count"]
        let documents = values.has("document_count") ? values["document_count"] : "0"
        let en: String
        let vi: String
        switch (count, documents) {
        case (_, "0"):
            en = "\(count) page\(count == "1" ? "" : "s")"
            vi = "\(count) trang"
        case ("0", _):
            en = "\(documents) document\(documents == "1" ? "" : "s")"
            vi = "\(documents) tài liệu"
        default:
            en = "\(count) page\(count == "1" ? "" : "s") and \(documents) document\(documents == "1" ? "" : "s")"
            vi = "\(count) trang và \(documents) tài liệu"
        }
        return LocalizedText(en: "on \(en) (\(values["pages"]))", vi: "trên \(vi) (\(values["pages"]))")
    }

    /// "the 6 pages read" / "the 6 pages and 2 documents read".
    static func read(_ values: FindingValues) -> LocalizedText {
        let documents = values.has("documents_read") ? values["documents_read"] : "0"
        return documents == "0"
            ? LocalizedText(en: "the \(values["pages_read"]) pages read", vi: "\(values["pages_read"]) trang đã đọc")
            : LocalizedText(
                en: "the \(values["pages_read"]) pages and \(documents) documents read",
                vi: "\(values["pages_read"]) trang và \(documents) tài liệu đã đọc")
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
        guard
            privacy.pages.contains(where: { shows($0.facts) })
                || privacy.documents.contains(where: { $0.personal.map(shows) ?? false })
        else {
            return .pass(
                ok,
                [
                    "pages_read": String(privacy.pagesRead),
                    "documents_read": String(privacy.documents.filter { $0.read == .read }.count),
                ])
        }
        return .fail(published, evidence(privacy, shows, lengths: lengths))
    }

    /// Both rules' sentence for a run that did not look.
    static let notLooked = LocalizedText(
        en: "This scan did not look for personal data on the portal's pages, so it could not be checked.",
        vi: "Lần quét này không dò tìm dữ liệu cá nhân trên các trang của cổng nên chưa kiểm tra được.")
}
