/// A Vietnamese document a criterion's basis rests on, named in full the first time a report cites it
/// (Nghị định 30/2020/NĐ-CP, Phụ lục I: loại văn bản, số and ký hiệu, date, issuing body and trích yếu, then
/// the short form later mentions use). Keys are the prefixes of the basis keys of `docs/legal-basis.md`.
public struct LegalDocument: Sendable, Equatable {
    public var key: String
    /// The full name, with the short form in brackets.
    public var full: LocalizedText
    /// Current law, or a text before the July 2026 change still quoted during the transition.
    public var current: Bool

    /// Every Vietnamese document the shipped profiles cite, current texts first. Dates and trích yếu as
    /// `docs/legal-basis.md` records them; where the gazette was not read, no date is given.
    public static let all: [LegalDocument] = [
        LegalDocument(
            key: "luat-116-2025",
            full: LocalizedText(
                en:
                    "Cybersecurity Law No. 116/2025/QH15 of the National Assembly, passed 10/12/2025 (the Cybersecurity Law 116/2025)",
                vi:
                    "Luật An ninh mạng số 116/2025/QH15 ngày 10/12/2025 của Quốc hội (sau đây gọi là Luật An ninh mạng 116/2025)"
            ),
            current: true),
        LegalDocument(
            key: "nd-331-2026",
            full: LocalizedText(
                en:
                    "Decree No. 331/2026/NĐ-CP of 19/8/2026 of the Government on protecting the cybersecurity of information systems (NĐ 331/2026)",
                vi:
                    "Nghị định số 331/2026/NĐ-CP ngày 19/8/2026 của Chính phủ về bảo vệ an ninh mạng đối với hệ thống thông tin (sau đây gọi là NĐ 331/2026)"
            ),
            current: true),
        LegalDocument(
            key: "nd-224-2026",
            full: LocalizedText(
                en:
                    "Decree No. 224/2026/NĐ-CP of 24/6/2026 of the Government detailing the Law on Digital Transformation 148/2025/QH15 (NĐ 224/2026)",
                vi:
                    "Nghị định số 224/2026/NĐ-CP ngày 24/6/2026 của Chính phủ quy định chi tiết thi hành Luật Chuyển đổi số số 148/2025/QH15 (sau đây gọi là NĐ 224/2026)"
            ),
            current: true),
        LegalDocument(
            key: "tcvn-14423-2026",
            full: LocalizedText(
                en:
                    "National standard TCVN 14423:2026 Cybersecurity – Information systems – Basic requirements (TCVN 14423:2026)",
                vi:
                    "Tiêu chuẩn quốc gia TCVN 14423:2026 An ninh mạng – Hệ thống thông tin – Yêu cầu cơ bản (sau đây gọi là TCVN 14423:2026)"
            ),
            current: true),
        LegalDocument(
            key: "luat-tctt-2016",
            full: LocalizedText(
                en: "Law on Access to Information No. 104/2016/QH13 of 06/4/2016 of the National Assembly (Luật TCTT)",
                vi: "Luật Tiếp cận thông tin số 104/2016/QH13 ngày 06/4/2016 của Quốc hội (sau đây gọi là Luật TCTT)"),
            current: true),
        LegalDocument(
            key: "luat-91-2025",
            full: LocalizedText(
                en:
                    "Law on Personal Data Protection No. 91/2025/QH15 of the National Assembly, in force 01/01/2026, and Decree No. 356/2025/NĐ-CP detailing it (Luật BVDLCN)",
                vi:
                    "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 của Quốc hội, hiệu lực từ 01/01/2026, và Nghị định số 356/2025/NĐ-CP của Chính phủ quy định chi tiết (sau đây gọi là Luật BVDLCN)"
            ),
            current: true),
        LegalDocument(
            key: "tt-39-2017",
            full: LocalizedText(
                en:
                    "Circular No. 39/2017/TT-BTTTT of the Ministry of Information and Communications on the list of technical standards for IT in state agencies (TT 39/2017)",
                vi:
                    "Thông tư số 39/2017/TT-BTTTT của Bộ Thông tin và Truyền thông ban hành Danh mục tiêu chuẩn kỹ thuật về ứng dụng công nghệ thông tin trong cơ quan nhà nước (sau đây gọi là TT 39/2017)"
            ),
            current: true),
        LegalDocument(
            key: "bo-tieu-chi-2025",
            full: LocalizedText(
                en:
                    "The 2025 criteria for assessing state agencies' web portals, Ministry of Science and Technology (Bộ tiêu chí 2025; its number not yet found)",
                vi:
                    "Bộ tiêu chí đánh giá cổng/trang thông tin điện tử của cơ quan nhà nước năm 2025 của Bộ Khoa học và Công nghệ (sau đây gọi là Bộ tiêu chí 2025; số hiệu văn bản chưa xác minh)"
            ),
            current: true),
        LegalDocument(
            key: "tt-07-2016-bca",
            full: LocalizedText(
                en:
                    "Circular No. 07/2016/TT-BCA of the Ministry of Public Security, Appendix I: the province codes of the personal identification number (TT 07/2016/TT-BCA)",
                vi:
                    "Thông tư số 07/2016/TT-BCA của Bộ Công an, Phụ lục I: mã tỉnh, thành phố trong số định danh cá nhân (sau đây gọi là TT 07/2016/TT-BCA)"
            ),
            current: true),
        LegalDocument(
            key: "nd-85-2016",
            full: LocalizedText(
                en:
                    "Decree No. 85/2016/NĐ-CP of 01/7/2016 of the Government on the security of information systems by level (NĐ 85/2016; still applied during the transition)",
                vi:
                    "Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ về bảo đảm an toàn hệ thống thông tin theo cấp độ (sau đây gọi là NĐ 85/2016; còn áp dụng trong giai đoạn chuyển tiếp)"
            ),
            current: false),
        LegalDocument(
            key: "tt-12-2022",
            full: LocalizedText(
                en:
                    "Circular No. 12/2022/TT-BTTTT of the Ministry of Information and Communications detailing Decree 85/2016 (TT 12/2022; still applied during the transition)",
                vi:
                    "Thông tư số 12/2022/TT-BTTTT của Bộ Thông tin và Truyền thông quy định chi tiết và hướng dẫn một số điều của Nghị định số 85/2016/NĐ-CP (sau đây gọi là TT 12/2022; còn áp dụng trong giai đoạn chuyển tiếp)"
            ),
            current: false),
        LegalDocument(
            key: "tcvn-11930-2017",
            full: LocalizedText(
                en:
                    "National standard TCVN 11930:2017 on the basic security requirements of information systems by level (TCVN 11930:2017; replaced by TCVN 14423:2026)",
                vi:
                    "Tiêu chuẩn quốc gia TCVN 11930:2017 Công nghệ thông tin – Các kỹ thuật an toàn – Yêu cầu cơ bản về an toàn hệ thống thông tin theo cấp độ (sau đây gọi là TCVN 11930:2017; đã được thay thế bởi TCVN 14423:2026)"
            ),
            current: false),
        LegalDocument(
            key: "tt-32-2017",
            full: LocalizedText(
                en:
                    "Circular No. 32/2017/TT-BTTTT of the Ministry of Information and Communications on online public services and access to state agencies' portals (TT 32/2017; force today not verified)",
                vi:
                    "Thông tư số 32/2017/TT-BTTTT của Bộ Thông tin và Truyền thông quy định về việc cung cấp dịch vụ công trực tuyến và bảo đảm khả năng truy cập thuận tiện đối với trang thông tin điện tử hoặc cổng thông tin điện tử của cơ quan nhà nước (sau đây gọi là TT 32/2017; hiệu lực hiện nay chưa xác minh)"
            ),
            current: false),
        LegalDocument(
            key: "tt-22-2023",
            full: LocalizedText(
                en:
                    "Circular No. 22/2023/TT-BTTTT of the Ministry of Information and Communications on the functional and technical requirements of portals (TT 22/2023; force today not verified)",
                vi:
                    "Thông tư số 22/2023/TT-BTTTT của Bộ Thông tin và Truyền thông quy định yêu cầu về chức năng, tính năng kỹ thuật của cổng thông tin điện tử (sau đây gọi là TT 22/2023; hiệu lực hiện nay chưa xác minh)"
            ),
            current: false),
        LegalDocument(
            key: "nd-42-2022",
            full: LocalizedText(
                en:
                    "Decree No. 42/2022/NĐ-CP of 24/6/2022 of the Government on state agencies' online information and public services (NĐ 42/2022; repealed from 01/7/2026)",
                vi:
                    "Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng (sau đây gọi là NĐ 42/2022; bị bãi bỏ từ 01/7/2026)"
            ),
            current: false),
    ]

    /// The document a basis key of `docs/legal-basis.md` points into (`tcvn-14423-2026-l2` → TCVN 14423:2026);
    /// `nil` for an international yardstick or a practice.
    public static func document(forBasis key: String) -> LegalDocument? {
        all.first { key == $0.key || key.hasPrefix($0.key + "-") }
    }
}

/// A profile's citation split into what a verdict rests on and what only measures it.
public struct CitationParts: Sendable, Equatable {
    /// "Căn cứ kết luận": the Vietnamese texts, each part as the profile words it.
    public var basis: [String]
    /// "Tham khảo": international yardsticks, practice and tool defaults.
    public var references: [String]

    /// Splits `source` at its top-level ";" (never inside brackets): a part naming an international yardstick,
    /// a practice or a tool default is a reference; every other part cites a Vietnamese text.
    public init(_ source: String) {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in source {
            switch character {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            default: break
            }
            if character == ";" && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        basis = []
        references = []
        for part in parts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if Self.isReference(part) { references.append(part) } else { basis.append(part) }
        }
    }

    /// Words that open or name a reference, in both languages.
    static let referenceMarkers = [
        "chuẩn quốc tế", "international", "mặc định của công cụ", "tool default", "thực tiễn", "practice",
        "Tín nhiệm mạng", "Mozilla", "NIST", "OWASP", "CISA", "RFC ", "W3C", "Google", "CVE-", "endoflife",
        "nhà phát triển", "vendor", "yardstick", "thước đo",
    ]

    static func isReference(_ part: String) -> Bool {
        // A part naming a Vietnamese text first is basis even when it then names a yardstick.
        let lowered = part.lowercased()
        let vietnamese = [
            "luật", "nđ ", "nghị định", "tt ", "thông tư", "tcvn", "bộ tiêu chí", "decree", "circular", "law ",
        ]
        let firstVietnamese = vietnamese.compactMap { lowered.range(of: $0)?.lowerBound }.min()
        let firstReference = referenceMarkers.compactMap { lowered.range(of: $0.lowercased())?.lowerBound }.min()
        switch (firstVietnamese, firstReference) {
        case (nil, _): return true
        case (_, nil): return false
        case let (law?, reference?): return reference < law
        }
    }
}
