import Foundation

/// Fails when the home page or a sampled page carries gambling or betting spam: terms hidden by CSS, links
/// out to betting sites, spam in the title, meta tags or strings a script decodes, or enough of it in the
/// text. A story about a betting ring broken up, or the state lottery's results, is not spam (`SpamScan`).
struct SpamInjectionRule: Rule {
    struct Parameters: RuleParameterSet {
        var minScore: Int

        enum CodingKeys: String, CodingKey {
            case minScore = "min_score"
        }
    }

    enum Code: String, RuleCode {
        case ok
        case lawfulMention = "lawful-mention"
        case injected
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.spam-injection", area: .content,
        title: LocalizedText(
            en: "No gambling or betting spam is injected", vi: "Không bị chèn nội dung cờ bạc, cá cược"),
        rationale: LocalizedText(
            en:
                "Injected gambling links and hidden betting text are the most visible compromise of government portals: they show that someone can write to the site, they push citizens to illegal gambling, and deleting the text without closing the hole brings it back.",
            vi:
                "Liên kết cờ bạc và chữ cá cược bị chèn ẩn là dấu hiệu bị xâm nhập dễ thấy nhất của cổng thông tin cơ quan nhà nước: có kẻ ghi được vào trang, người dân bị dẫn tới cờ bạc trái phép, và nếu chỉ xóa chữ mà không vá lỗ hổng thì nội dung sẽ quay lại."
        ),
        advice: LocalizedText(
            en:
                "Treat it as a compromise: find how the text got in (an outdated CMS or plugin, a stolen administrator password, a writable upload folder; on nginx or Apache hosts `find /var/www -mtime -30 -name '*.php'` lists recently changed files, on IIS sort the site folder by date modified), patch and change every password, then remove the text from templates, articles and the database (search for the terms and links listed), and report the incident to the competent authority. Check again after removal: injected spam returns when the hole stays open.",
            vi:
                "Xử lý như một sự cố bị xâm nhập: tìm đường nội dung được chèn vào (CMS hoặc plugin cũ, mật khẩu quản trị bị lộ, thư mục tải lên cho phép ghi; trên máy chủ nginx hoặc Apache, `find /var/www -mtime -30 -name '*.php'` liệt kê tệp mới bị sửa, trên IIS sắp xếp thư mục trang theo ngày sửa), vá lỗi và đổi toàn bộ mật khẩu, rồi xóa nội dung khỏi mẫu giao diện, bài viết và cơ sở dữ liệu (tìm theo các từ và liên kết được liệt kê), báo cáo sự cố cho cơ quan có thẩm quyền. Kiểm tra lại sau khi xóa: nội dung bị chèn sẽ quay lại nếu lỗ hổng chưa được vá."
        ),
        citations: ["Luật An ninh mạng 116/2025 (thông tin vi phạm pháp luật)", "NĐ 224/2026 Điều 21.4"],
        defaultSeverity: .critical,
        parameters: [
            ParameterSpec(
                name: "min_score", kind: .integer(1...100), defaultValue: .integer(SpamScan.threshold),
                meaning: LocalizedText(
                    en:
                        "Score from which a page reads as injected: a hidden term or a link out weighs 4, the title or meta 3; in the visible text each term once, 2 (a brand 4), the trade's words 1 each (at most 3), scrambled diacritics 4; a block with a lawful context (police, lottery results) weighs nothing. A page that forwards visitors to a betting site is injected at any score",
                    vi:
                        "Điểm từ đó một trang bị coi là bị chèn nội dung: từ ẩn hoặc liên kết ra ngoài 4, tiêu đề hoặc thẻ meta 3; trong chữ hiển thị mỗi từ tính một lần, 2 (tên nhà cái 4), từ chào mời người chơi 1 mỗi từ (tối đa 3), chữ bị xáo dấu 4; đoạn có ngữ cảnh hợp pháp (tin công an, kết quả xổ số) không tính. Trang chuyển người xem tới trang cá cược bị coi là bị chèn ở mọi mức điểm"
                ), lowerIsStricter: true)
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let spam = observation.content?.spam else { return .missingFacts("content") }
        func described(_ hits: some Sequence<SpamHit>) -> [String] {
            hits.map { hit in "\(hit.term) (\(hit.place.rawValue)\(hit.url.map { " → " + $0 } ?? "")): \(hit.excerpt)" }
        }
        let weighed = described(spam.hits.filter { $0.lawful != true }.prefix(6))
        let mentioned = described(spam.hits.filter { $0.lawful == true }.prefix(6))
        let sample = observation.content?.sample
        let injectedPages = sample?.pages.filter { $0.injected(threshold: parameters.minScore) } ?? []
        let homeInjected = spam.injected(threshold: parameters.minScore)
        var sampled: [String: String] = [:]
        if let sample {
            sampled["pages_sampled"] = "\(sample.pages.count)/\(sample.size)"
        }
        if homeInjected || !injectedPages.isEmpty {
            var evidenceKeys = sampled
            if homeInjected {
                evidenceKeys["score"] = String(spam.score)
                evidenceKeys["found"] = clip(weighed.joined(separator: " | "))
                if let scrambled = spam.scrambled { evidenceKeys["scrambled_syllables"] = String(scrambled) }
            }
            if !injectedPages.isEmpty {
                let pages = injectedPages.prefix(5).map { page in
                    page.url + " — " + described(page.hits.prefix(3)).joined(separator: " | ")
                }
                evidenceKeys["injected_pages"] = clip(pages.joined(separator: " || "))
            }
            return .fail(.injected, evidenceKeys)
        }
        if !spam.hits.isEmpty && spam.lawfulContext {
            // Runs before 2026-12-06 did not mark the muted hits: all of them were the mention.
            let mention = spam.scoring == nil ? weighed : mentioned
            return .pass(
                .lawfulMention, sampled.merging(["found": clip(mention.joined(separator: " | "))]) { a, _ in a })
        }
        return .pass(.ok, sampled)
    }

    static let examples: [RuleExample<Self>] = [
        .init("nothing found", .pass, .ok),
        .init("hidden betting text and a link out", .fail, .injected) {
            $0.content?.spam = SpamFacts(
                score: 8, injected: true, lawfulContext: false,
                hits: [
                    SpamHit(term: "nhà cái", place: .hidden, excerpt: "nhà cái uy tín"),
                    SpamHit(term: "fb88", place: .link, url: "https://fb88.example/", excerpt: "fb88"),
                ])
        },
        .init("a news story about a betting ring", .pass, .lawfulMention) {
            $0.content?.spam = SpamFacts(
                score: 3, injected: false, lawfulContext: true,
                hits: [SpamHit(term: "cá cược", place: .visible, excerpt: "triệt phá đường dây cá cược bóng đá")])
        },
        .init("spam on a page the sitemap lists", .fail, .injected) {
            $0.content?.sample = PageSample(
                size: 20, candidates: 2, disallowed: 0,
                pages: [
                    SampledPage(
                        url: "https://xa.example.gov.vn/gioi-thieu.html", status: 200, score: 0, injected: false),
                    SampledPage(
                        url: "https://xa.example.gov.vn/tin/nha-cai.html", status: 200, score: 9, injected: true,
                        hits: [SpamHit(term: "nhà cái", place: .link, url: "https://fb88.example/", excerpt: "nhà cái")]
                    ),
                ], search: nil)
        },
        .init("twenty clean pages sampled", .pass, .ok) {
            $0.content?.sample = PageSample(
                size: 20, candidates: 40, disallowed: 3,
                pages: (1...20).map {
                    SampledPage(url: "https://xa.example.gov.vn/tin/\($0).html", status: 200, score: 0, injected: false)
                }, search: nil)
        },
        .init("visible spam scoring 5 passes the shipped threshold", .pass, .ok) {
            $0.content?.spam = SpamFacts(
                score: 5, injected: false, lawfulContext: false,
                hits: [SpamHit(term: "nhà cái", place: .visible, excerpt: "nhà cái uy tín")], placed: false)
        },
        .init("and fails a profile asking 4", .fail, .injected, parameters: { $0.minScore = 4 }) {
            $0.content?.spam = SpamFacts(
                score: 5, injected: false, lawfulContext: false,
                hits: [SpamHit(term: "nhà cái", place: .visible, excerpt: "nhà cái uy tín")], placed: false)
        },
        .init("a lawful story mentioning betting often is still lawful", .pass, .lawfulMention) {
            $0.content?.spam = SpamFacts(
                score: 9, injected: false, lawfulContext: true,
                hits: [SpamHit(term: "cá độ", place: .visible, excerpt: "triệt phá đường dây cá độ")], placed: false)
        },
        .init(
            "a page that forwards visitors to a betting site fails at any threshold", .fail, .injected,
            parameters: { $0.minScore = 100 }
        ) {
            $0.content?.spam = SpamFacts(
                score: 6, injected: true, lawfulContext: false,
                hits: [
                    SpamHit(
                        term: "fb88", place: .forward, url: "https://fb88.example/", excerpt: "https://fb88.example/")
                ],
                placed: true, scoring: 2, forwarded: true)
        },
        .init(
            "spam in the footer of a page with a police story fails (the story mutes only its own block)", .fail,
            .injected
        ) {
            $0.content?.spam = SpamFacts(
                score: 9, injected: true, lawfulContext: true,
                hits: [
                    SpamHit(term: "789bet", place: .visible, excerpt: "Nhà cái uy tín 789bet"),
                    SpamHit(term: "cá cược", place: .visible, excerpt: "triệt phá đường dây cá cược", lawful: true),
                ], placed: false, scoring: 2)
        },
        .init("a history before spam was looked for", .inconclusive, .missingFacts) { $0.content?.spam = nil },
    ]
}
