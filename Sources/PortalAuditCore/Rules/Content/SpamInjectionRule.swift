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
        /// Gambling content served to a search crawler or a visitor from a search, never to a browser typing
        /// the address: spam evidence behind cloaking, which makes it this required finding.
        case cloaked
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
        // Spam only a crawler or a visitor from a search is shown (content.cloaking compares the variants).
        let cloaking = observation.content?.cloaking
        var hidden =
            cloaking.map { facts in
                facts.browserSpam ? [] : facts.variants.filter(\.spam).map(\.agent.rawValue)
            } ?? []
        hidden += sample?.pages.filter { $0.crawlerSpam == true }.map { "crawler \($0.url)" } ?? []
        if !hidden.isEmpty {
            return .fail(.cloaked, sampled.merging(["shown_to": clip(hidden.joined(separator: "; "))]) { a, _ in a })
        }
        if !spam.hits.isEmpty && spam.lawfulContext {
            // Runs before 2026-12-06 did not mark the muted hits: all of them were the mention.
            let mention = spam.scoring == nil ? weighed : mentioned
            return .pass(
                .lawfulMention, sampled.merging(["found": clip(mention.joined(separator: " | "))]) { a, _ in a })
        }
        return .pass(.ok, sampled)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "No injected gambling or betting content was found on the home page\(values.has("pages_sampled") ? " or the sampled pages" : "")\(sampled(values).en).",
                vi:
                    "Không phát hiện nội dung cờ bạc, cá cược bị chèn trên trang chủ\(values.has("pages_sampled") ? " và các trang mẫu" : "")\(sampled(values).vi)."
            )
        case .lawfulMention:
            LocalizedText(
                en:
                    "The home page mentions gambling or betting in a lawful context (a police story, lottery results), not injected content\(mentioned(values).en)\(sampled(values).en).",
                vi:
                    "Trang chủ có nhắc tới cờ bạc, cá cược trong ngữ cảnh hợp pháp (tin công an, kết quả xổ số), không phải nội dung bị chèn\(mentioned(values).vi)\(sampled(values).vi)."
            )
        case .injected:
            LocalizedText(
                en: "\(injected(values).en)\(sampled(values).en).",
                vi: "\(injected(values).vi)\(sampled(values).vi).")
        case .cloaked:
            LocalizedText(
                en:
                    "Gambling or betting content is served to \(audience(values).en) but not to a visitor typing the address (cloaking)\(sampled(values).en).",
                vi:
                    "Nội dung cờ bạc, cá cược được phục vụ cho \(audience(values).vi) nhưng ẩn với người truy cập trực tiếp (che giấu nội dung — cloaking)\(sampled(values).vi)."
            )
        case .missingFacts:
            LocalizedText(
                en:
                    "This scan has no record of a search for gambling content on the home page, so it could not be checked.",
                vi:
                    "Lần quét này không có dữ liệu dò tìm nội dung cờ bạc, cá cược trên trang chủ nên chưa kiểm tra được."
            )
        }
    }

    /// Who was shown the hidden content (`shown_to`: agents, and crawler-only pages with their address).
    private static func audience(_ values: FindingValues) -> LocalizedText {
        var en: [String] = []
        var vi: [String] = []
        for entry in (values.evidence["shown_to"] ?? "").components(separatedBy: "; ") where !entry.isEmpty {
            if entry == "search-referrer" {
                en.append("visitors arriving from a search")
                vi.append("người đến từ trang tìm kiếm")
            } else if entry.hasPrefix("crawler ") {
                let url = entry.dropFirst("crawler ".count)
                en.append("search crawlers on \(url)")
                vi.append("trình thu thập của công cụ tìm kiếm tại \(url)")
            } else {
                en.append("search crawlers")
                vi.append("trình thu thập của công cụ tìm kiếm")
            }
        }
        if en.isEmpty { return LocalizedText(en: "search engines", vi: "công cụ tìm kiếm") }
        return LocalizedText(en: en.joined(separator: ", "), vi: vi.joined(separator: ", "))
    }

    static let examples: [RuleExample<Self>] = [
        .init("betting text shown only to a search crawler", .fail, .cloaked) {
            $0.content?.cloaking?.variants[0] = CloakVariant(
                agent: .crawler, status: 200, location: nil, similarity: 71, spam: true)
        },
        .init("a crawler-only page of the sample carries betting links", .fail, .cloaked) {
            $0.content?.sample = PageSample(
                size: 20, candidates: 1, disallowed: 0,
                pages: [
                    SampledPage(
                        url: "https://xa.example.gov.vn/tin/a.html", status: 200, score: 0, injected: false,
                        crawlerSpam: true)
                ], search: nil)
        },
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

    // MARK: - Sentence words

    /// A hit's place as the evidence names it (`SpamHit.Place`'s raw values).
    private static func placeName(_ place: String) -> LocalizedText? {
        switch place {
        case "visible": LocalizedText(en: "visible text", vi: "chữ hiển thị")
        case "hidden": LocalizedText(en: "hidden text", vi: "chữ bị ẩn")
        case "title": LocalizedText(en: "page title", vi: "tiêu đề trang")
        case "meta": LocalizedText(en: "meta tag", vi: "thẻ meta")
        case "link": LocalizedText(en: "link out", vi: "liên kết ra ngoài")
        case "script": LocalizedText(en: "string a script decodes", vi: "chuỗi do mã lệnh giải mã")
        case "forward": LocalizedText(en: "forwards visitors", vi: "chuyển hướng người xem")
        default: nil
        }
    }

    /// The terms of hits as the evidence describes them (`term (place → url): excerpt`, joined by " | "), each
    /// once, with its place named when `places`: "nhà cái (chữ bị ẩn), fb88 (liên kết ra ngoài)"; empty when
    /// none reads (an excerpt holding " | " or a clipped entry is skipped).
    private static func terms(_ text: String, places: Bool) -> LocalizedText {
        var en: [String] = []
        var vi: [String] = []
        for entry in text.components(separatedBy: " | ") {
            guard let open = entry.range(of: " (") else { continue }
            let term = String(entry[..<open.lowerBound])
            let place = String(entry[open.upperBound...].prefix { $0.isLetter })
            guard !term.isEmpty, term != "…", let name = placeName(place) else { continue }
            var shown = LocalizedText(en: term, vi: term)
            if places {
                shown = LocalizedText(en: "\(term) (\(name.en))", vi: "\(term) (\(name.vi))")
            }
            if !en.contains(shown.en) {
                en.append(shown.en)
                vi.append(shown.vi)
            }
        }
        return LocalizedText(en: en.joined(separator: ", "), vi: vi.joined(separator: ", "))
    }

    /// ": cá cược, cá độ", the terms a lawful mention holds; empty when none reads.
    private static func mentioned(_ values: FindingValues) -> LocalizedText {
        let found = terms(values["found"], places: false)
        return found.en.isEmpty
            ? LocalizedText(en: "", vi: "") : LocalizedText(en: ": \(found.en)", vi: ": \(found.vi)")
    }

    /// " (20/20 sampled pages read)" when pages were sampled.
    private static func sampled(_ values: FindingValues) -> LocalizedText {
        guard values.has("pages_sampled") else { return LocalizedText(en: "", vi: "") }
        return LocalizedText(
            en: " (\(values["pages_sampled"]) sampled pages read)",
            vi: " (đã đọc \(values["pages_sampled"]) trang mẫu)")
    }

    /// What was injected where, without a period: the home page (`score`, `found`, `scrambled_syllables`) and
    /// the sampled pages (`injected_pages`: `url — hits`, joined by " || ").
    private static func injected(_ values: FindingValues) -> LocalizedText {
        var en: [String] = []
        var vi: [String] = []
        if values.has("score") {
            let found = terms(values["found"], places: true)
            var home = LocalizedText(
                en: "The home page carries injected gambling or betting content (score \(values["score"]))",
                vi: "Trang chủ bị chèn nội dung cờ bạc, cá cược (mức điểm \(values["score"]))")
            if !found.en.isEmpty {
                home.en += ": \(found.en)"
                home.vi += ": \(found.vi)"
            }
            if values.has("scrambled_syllables") {
                let count = values.number("scrambled_syllables")
                home.en += ", with \(count.en) syllables of scrambled diacritics"
                home.vi += ", kèm \(count.vi) âm tiết bị xáo dấu"
            }
            en.append(home.en)
            vi.append(home.vi)
        }
        if values.has("injected_pages") {
            var pagesEN: [String] = []
            var pagesVI: [String] = []
            for entry in values["injected_pages"].components(separatedBy: " || ") {
                let dash = entry.range(of: " — ")
                let url = dash.map { String(entry[..<$0.lowerBound]) } ?? entry
                guard !url.isEmpty else { continue }
                let found = dash.map { terms(String(entry[$0.upperBound...]), places: false) }
                pagesEN.append(url + (found.map { $0.en.isEmpty ? "" : " (\($0.en))" } ?? ""))
                pagesVI.append(url + (found.map { $0.vi.isEmpty ? "" : " (\($0.vi))" } ?? ""))
            }
            let list = LocalizedText(en: pagesEN.joined(separator: ", "), vi: pagesVI.joined(separator: ", "))
            if en.isEmpty {
                en.append("Sampled pages of the portal carry injected gambling or betting content: \(list.en)")
                vi.append("Trang mẫu của cổng bị chèn nội dung cờ bạc, cá cược: \(list.vi)")
            } else {
                en.append("sampled pages are injected too: \(list.en)")
                vi.append("các trang mẫu cũng bị chèn: \(list.vi)")
            }
        }
        if en.isEmpty {
            en.append("The portal carries injected gambling or betting content")
            vi.append("Cổng bị chèn nội dung cờ bạc, cá cược")
        }
        return LocalizedText(en: en.joined(separator: "; "), vi: vi.joined(separator: "; "))
    }
}
