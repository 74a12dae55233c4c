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
}
