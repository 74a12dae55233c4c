import Foundation

/// Fails when the portal's own search shows any query back as page text and lets search engines index the
/// result: spammers link `…/tim-kiem?q=nhà cái …` URLs so that betting ads rank under the portal's name.
/// Asked with a harmless marker word, never with spam terms.
struct SearchReflectionRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// The query comes back, but the page tells search engines not to index it.
        case noindex
        case reflected
        /// The home page has no search form to ask.
        case noSearch = "no-search"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.search-reflection", area: .content,
        title: LocalizedText(
            en: "Search results cannot be indexed as the portal's own pages",
            vi: "Trang kết quả tìm kiếm không bị lợi dụng để đăng nội dung dưới tên cổng"),
        rationale: LocalizedText(
            en:
                "A search page that prints the query and can be indexed lets anyone publish text on the portal's address: spammers spread links to such searches for betting terms, and search engines then list betting ads as pages of the government portal.",
            vi:
                "Trang tìm kiếm in lại từ khóa và cho phép công cụ tìm kiếm lập chỉ mục thì ai cũng đăng được chữ dưới địa chỉ của cổng: kẻ phát tán rải liên kết tìm kiếm các từ cờ bạc, và công cụ tìm kiếm liệt kê quảng cáo cá cược như trang của cổng thông tin cơ quan nhà nước."
        ),
        advice: LocalizedText(
            en:
                "Mark search results as not to be indexed: `<meta name=\"robots\" content=\"noindex\">` in the CMS's search template, or the header on the search path (nginx: `location /tim-kiem { add_header X-Robots-Tag \"noindex\" always; … }`; Apache: `<Location \"/tim-kiem\"> Header set X-Robots-Tag \"noindex\" </Location>`; IIS: a customHeaders entry in the search folder's web.config), and add `Disallow: /tim-kiem` to robots.txt.",
            vi:
                "Đánh dấu trang kết quả tìm kiếm không cho lập chỉ mục: `<meta name=\"robots\" content=\"noindex\">` trong mẫu trang tìm kiếm của CMS, hoặc tiêu đề trên đường dẫn tìm kiếm (nginx: `location /tim-kiem { add_header X-Robots-Tag \"noindex\" always; … }`; Apache: `<Location \"/tim-kiem\"> Header set X-Robots-Tag \"noindex\" </Location>`; IIS: mục customHeaders trong web.config của thư mục tìm kiếm), và thêm `Disallow: /tim-kiem` vào robots.txt."
        ),
        citations: ["Google Search spam policies (site reputation abuse, user-generated spam)"],
        defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let sample = observation.content?.sample else { return .missingFacts("content") }
        guard let search = sample.search else { return .pass(.noSearch) }
        guard search.status != nil else { return .missingFacts("content.search", ["url": search.url]) }
        guard search.reflected else { return .pass(.ok, ["url": search.url]) }
        if !search.indexable { return .pass(.noindex, ["url": search.url]) }
        return .fail(.reflected, ["url": search.url])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The portal's search does not print the query back (asked with a harmless word: \(values["url"])).",
                vi:
                    "Trang tìm kiếm của cổng không in lại từ khóa tìm kiếm (đã thử bằng một từ vô hại: \(values["url"]))."
            )
        case .noindex:
            LocalizedText(
                en:
                    "The portal's search prints the query back, but its results are marked not to be indexed by search engines (\(values["url"])).",
                vi:
                    "Trang tìm kiếm của cổng in lại từ khóa nhưng đã đánh dấu không cho công cụ tìm kiếm lập chỉ mục (\(values["url"]))."
            )
        case .reflected:
            LocalizedText(
                en:
                    "The portal's search prints any query back and lets search engines index the result, so anyone can publish text under the portal's address (\(values["url"])).",
                vi:
                    "Trang tìm kiếm của cổng in lại nguyên văn từ khóa và cho phép công cụ tìm kiếm lập chỉ mục, nên bất kỳ ai cũng đăng được chữ dưới địa chỉ của cổng (\(values["url"]))."
            )
        case .noSearch:
            LocalizedText(
                en: "The home page has no search form, so there is no search page to misuse.",
                vi: "Trang chủ không có ô tìm kiếm nên không có trang kết quả tìm kiếm để bị lợi dụng.")
        case .missingFacts:
            LocalizedText(
                en:
                    "\(values.has("url") ? "The portal's search did not answer (\(values["url"]))" : "This scan sampled no pages of the portal"), so its search could not be checked.",
                vi:
                    "\(values.has("url") ? "Trang tìm kiếm của cổng không trả lời (\(values["url"]))" : "Lần quét này không lấy mẫu trang nào của cổng") nên chưa kiểm tra được trang tìm kiếm."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no search form on the home page", .pass, .noSearch),
        .init("the search does not print the query", .pass, .ok) {
            $0.content?.sample?.search = SearchReflection(
                url: "https://xa.example.gov.vn/tim-kiem?q=kiemtra1", status: 200, reflected: false, indexable: true)
        },
        .init("the query printed, indexable", .fail, .reflected) {
            $0.content?.sample?.search = SearchReflection(
                url: "https://xa.example.gov.vn/tim-kiem?q=kiemtra1", status: 200, reflected: true, indexable: true)
        },
        .init("the query printed on a noindex page", .pass, .noindex) {
            $0.content?.sample?.search = SearchReflection(
                url: "https://xa.example.gov.vn/tim-kiem?q=kiemtra1", status: 200, reflected: true, indexable: false)
        },
        .init("the search did not answer", .inconclusive, .missingFacts) {
            $0.content?.sample?.search = SearchReflection(
                url: "https://xa.example.gov.vn/tim-kiem?q=kiemtra1", status: nil, reflected: false, indexable: false)
        },
        .init("not sampled", .inconclusive, .missingFacts) { $0.content?.sample = nil },
    ]
}
