import Foundation

/// Fails when the portal shows the marks of pages made for search engines by someone else: schema.org
/// commerce markup (products, offers, ratings, reviews) on a government portal, a name it gives itself
/// unlike the inventory's, sitemap entries on other hosts.
struct SearchHijackRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// JSON-LD declares a Product, Offer, AggregateRating or Review.
        case commerceMarkup = "commerce-markup"
        /// `og:site_name` or `application-name` names something else than the inventory's name.
        case siteNameMismatch = "site-name-mismatch"
        /// The sitemap lists pages of other hosts.
        case sitemapOffHost = "sitemap-off-host"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.search-hijack", area: .content,
        title: LocalizedText(
            en: "The portal carries no search-engine markup of someone else's",
            vi: "Cổng không mang dữ liệu cấu trúc, tên trang hay sơ đồ trang của bên khác"),
        rationale: LocalizedText(
            en:
                "Attackers who hold a portal dress its pages for search engines: product and rating markup so that betting or pharmacy pages show stars and prices beside the government's address, a site name of their own, sitemap entries that point search engines to their hosts. A government portal sells nothing and lists only its own pages.",
            vi:
                "Kẻ chiếm cổng trang điểm các trang cho máy tìm kiếm: dữ liệu sản phẩm, đánh giá để trang cờ bạc, thuốc lậu hiện sao và giá bên cạnh địa chỉ cơ quan nhà nước, tên trang của chúng, mục sơ đồ trang trỏ máy tìm kiếm tới máy chủ của chúng. Cổng thông tin cơ quan nhà nước không bán hàng và chỉ liệt kê trang của chính mình."
        ),
        advice: LocalizedText(
            en:
                "Find where the markup comes from: search the CMS templates and the database for `application/ld+json`, `og:site_name` and the sitemap generator's settings, and list recently changed files (nginx or Apache hosts: `find /var/www -mtime -30`; IIS: sort the site folder by date modified); remove what the unit did not put there, regenerate the sitemap from the CMS, resubmit it in the unit's own search console, and treat the portal as compromised if nobody on staff added it.",
            vi:
                "Tìm nguồn của dữ liệu: tìm trong mẫu giao diện CMS và cơ sở dữ liệu các chuỗi `application/ld+json`, `og:site_name` và cấu hình bộ tạo sơ đồ trang, liệt kê tệp mới bị sửa (máy chủ nginx hoặc Apache: `find /var/www -mtime -30`; IIS: sắp xếp thư mục trang theo ngày sửa); xóa những gì đơn vị không đặt, tạo lại sơ đồ trang từ CMS, gửi lại trong công cụ quản trị tìm kiếm của đơn vị, và xử lý như cổng bị xâm nhập nếu không ai trong đơn vị thêm vào."
        ),
        citations: [
            "NĐ 224/2026 Điều 21.4", "Google Search spam policies (hacked content, site reputation abuse)",
            "sitemaps.org protocol (entries on the sitemap's own host)",
        ],
        defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let search = observation.content?.search else { return .missingFacts("content") }
        var evidence: [String: String] = [:]
        var codes: [Code] = []
        let commerce = search.commerce
        if !commerce.isEmpty {
            codes.append(.commerceMarkup)
            evidence["types"] = clip(commerce.joined(separator: ", "))
        }
        if let declared = context.target.name,
            let shown = search.siteNames.first(where: { SearchSigns.namesDiffer(shown: $0, declared: declared) })
        {
            codes.append(.siteNameMismatch)
            evidence["site_name"] = clip(shown)
            evidence["inventory_name"] = clip(declared)
        }
        if let off = search.sitemapOffHost, off > 0 {
            codes.append(.sitemapOffHost)
            evidence["sitemap_off_host"] = String(off)
            evidence["examples"] = clip((search.sitemapOffHostSamples ?? []).joined(separator: " "))
        }
        guard let first = codes.first else { return .pass(.ok, evidence) }
        if codes.count > 1 { evidence["also"] = codes.dropFirst().map(\.rawValue).joined(separator: ",") }
        return .fail(first, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "The portal carries no commerce markup, no site name of someone else's and no sitemap entries on other hosts.",
                vi:
                    "Cổng không có dữ liệu cấu trúc bán hàng, không mang tên trang lạ và sơ đồ trang không trỏ tới máy chủ khác."
            )
        case .commerceMarkup:
            LocalizedText(
                en:
                    "The page's JSON-LD declares \(commerce(values).en), which a government portal has no reason to declare\(also(values).en).",
                vi:
                    "Dữ liệu cấu trúc JSON-LD của trang khai báo \(commerce(values).vi), điều cổng cơ quan nhà nước không có lý do khai báo\(also(values).vi)."
            )
        case .siteNameMismatch:
            LocalizedText(
                en:
                    "The page names the site “\(values["site_name"])”, unlike the inventory's “\(values["inventory_name"])”\(also(values).en).",
                vi:
                    "Thẻ meta tên trang ghi “\(values["site_name"])”, khác tên trong danh mục cổng “\(values["inventory_name"])”\(also(values).vi)."
            )
        case .sitemapOffHost:
            LocalizedText(
                en:
                    "The sitemap lists \(values.number("sitemap_off_host").en) page\(values["sitemap_off_host"] == "1" ? "" : "s") on other hosts\(offHostSamples(values).en).",
                vi:
                    "Sơ đồ trang (sitemap) liệt kê \(values.number("sitemap_off_host").vi) trang thuộc máy chủ khác\(offHostSamples(values).vi)."
            )
        case .missingFacts:
            LocalizedText(
                en:
                    "This scan has no record of the portal's structured data, site name and sitemap, so this could not be checked.",
                vi:
                    "Lần quét này chưa đọc được dữ liệu cấu trúc, tên trang và sơ đồ trang của cổng nên chưa kiểm tra được."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("nothing of the sort", .pass, .ok),
        .init("the portal's own name and an article's markup", .pass, .ok) {
            $0.content?.search = SearchFacts(
                verification: [], types: ["GovernmentOrganization", "NewsArticle"],
                siteNames: ["Cổng TTĐT xã An Bình"], sitemapOffHost: 0)
        },
        .init("products with ratings on a government portal", .fail, .commerceMarkup) {
            $0.content?.search = SearchFacts(
                verification: [], types: ["Product", "AggregateRating", "Offer"], siteNames: [])
        },
        .init("a site name unlike the inventory's", .fail, .siteNameMismatch) {
            $0.content?.search = SearchFacts(verification: [], types: [], siteNames: ["Nhà cái uy tín Kubet"])
        },
        .init("sitemap entries on another host", .fail, .sitemapOffHost) {
            $0.content?.search = SearchFacts(
                verification: [], types: [], siteNames: [], sitemapOffHost: 120,
                sitemapOffHostSamples: ["https://kubet.example/xa-a/tai-xiu.html"])
        },
        .init("a history before these were looked for", .inconclusive, .missingFacts) { $0.content?.search = nil },
    ]

    // MARK: - Sentence words

    /// A schema.org type of the `types` evidence, named.
    private static func typeName(_ type: String) -> LocalizedText {
        switch type {
        case "Product", "IndividualProduct": LocalizedText(en: "products", vi: "sản phẩm")
        case "ProductGroup": LocalizedText(en: "product groups", vi: "nhóm sản phẩm")
        case "Offer", "AggregateOffer": LocalizedText(en: "offers for sale", vi: "giá chào bán")
        case "AggregateRating": LocalizedText(en: "ratings", vi: "điểm đánh giá")
        case "Review": LocalizedText(en: "reviews", vi: "bài đánh giá")
        default: LocalizedText(en: type, vi: type)
        }
    }

    /// "sản phẩm, điểm đánh giá (Product, AggregateRating)": the commerce types, named once each, then as
    /// declared.
    private static func commerce(_ values: FindingValues) -> LocalizedText {
        let types = values.list("types")
        var en: [String] = []
        var vi: [String] = []
        for type in types.components(separatedBy: ", ") {
            let name = typeName(type)
            if !en.contains(name.en) { en.append(name.en) }
            if !vi.contains(name.vi) { vi.append(name.vi) }
        }
        return LocalizedText(
            en: "\(en.joined(separator: ", ")) (\(types))", vi: "\(vi.joined(separator: ", ")) (\(types))")
    }

    /// ", e.g. https://…", the sampled entries on other hosts (the `examples` evidence, joined by spaces).
    private static func offHostSamples(_ values: FindingValues) -> LocalizedText {
        guard values.has("examples") else { return LocalizedText(en: "", vi: "") }
        let urls = values["examples"].split(separator: " ").joined(separator: ", ")
        return LocalizedText(en: ", e.g. \(urls)", vi: ", ví dụ: \(urls)")
    }

    /// "; also, …": the other signs found (the `also` evidence: result codes, joined by ","), each with its
    /// values; empty when there is none.
    private static func also(_ values: FindingValues) -> LocalizedText {
        var en: [String] = []
        var vi: [String] = []
        for other in (values.evidence["also"] ?? "").split(separator: ",") {
            guard let code = Code(rawValue: other.trimmingCharacters(in: .whitespaces)) else { continue }
            switch code {
            case .siteNameMismatch:
                let shown = values["site_name"]
                let declared = values["inventory_name"]
                en.append("the page names the site “\(shown)”, unlike the inventory's “\(declared)”")
                vi.append("thẻ meta tên trang ghi “\(shown)”, khác tên trong danh mục cổng “\(declared)”")
            case .sitemapOffHost:
                let count = values.number("sitemap_off_host")
                let plural = values["sitemap_off_host"] == "1" ? "" : "s"
                let example = offHostSamples(values)
                en.append("the sitemap lists \(count.en) page\(plural) on other hosts\(example.en)")
                vi.append("sơ đồ trang (sitemap) liệt kê \(count.vi) trang thuộc máy chủ khác\(example.vi)")
            case .commerceMarkup:
                let types = commerce(values)
                en.append("the page's JSON-LD declares \(types.en)")
                vi.append("dữ liệu cấu trúc JSON-LD của trang khai báo \(types.vi)")
            case .ok, .missingFacts:
                continue
            }
        }
        guard !en.isEmpty else { return LocalizedText(en: "", vi: "") }
        return LocalizedText(
            en: "; also, " + en.joined(separator: "; "), vi: "; ngoài ra, " + vi.joined(separator: "; "))
    }
}
