import Foundation

/// Fails when the home page (or, for the crawler, one of the first sampled pages) differs for a search crawler or for a visitor arriving from a search: another
/// status or redirect, spam only they get, or mostly other text (cloaking hides injected spam from the
/// portal's own staff). Cloaking that checks crawlers by reverse DNS cannot be seen from outside: a pass
/// says so, and never means "clean".
struct CloakingRule: Rule {
    typealias Parameters = SimilarityParameters

    enum Code: String, RuleCode {
        /// The same for everyone asked (cloaking by reverse DNS stays invisible from outside).
        case ok
        case cloaked
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.cloaking", area: .content,
        title: LocalizedText(
            en: "Search engines and visitors from a search see the same page",
            vi: "Công cụ tìm kiếm và người đến từ trang tìm kiếm thấy cùng một trang"),
        rationale: LocalizedText(
            en:
                "Injected spam is often shown only to search crawlers (to rank betting sites under the portal's name) or only to visitors arriving from a search (sent on to a betting site), so that the portal's staff, typing its address, never see it.",
            vi:
                "Nội dung bị chèn thường chỉ hiện cho trình thu thập của công cụ tìm kiếm (để đẩy trang cờ bạc lên nhờ tên miền của cổng) hoặc chỉ cho người đến từ trang tìm kiếm (bị chuyển sang trang cá cược), nên cán bộ gõ thẳng địa chỉ cổng không bao giờ thấy."
        ),
        advice: LocalizedText(
            en:
                "Look for code that branches on the User-Agent or the Referer: in `.htaccess` and the Apache configuration (`RewriteCond %{HTTP_USER_AGENT}`, `%{HTTP_REFERER}`), in nginx `if ($http_user_agent …)` blocks, in IIS URL Rewrite rules, and in the CMS's PHP or ASP.NET files (often `index.php`, `wp-config.php`, theme `functions.php`); remove it, close the hole it came through, and ask the search engine to re-crawl.",
            vi:
                "Tìm đoạn mã rẽ nhánh theo User-Agent hoặc Referer: trong `.htaccess` và cấu hình Apache (`RewriteCond %{HTTP_USER_AGENT}`, `%{HTTP_REFERER}`), các khối `if ($http_user_agent …)` của nginx, quy tắc URL Rewrite của IIS, và tệp PHP hoặc ASP.NET của CMS (thường là `index.php`, `wp-config.php`, `functions.php` của giao diện); gỡ bỏ, vá lỗ hổng đã bị lợi dụng, rồi đề nghị công cụ tìm kiếm thu thập lại."
        ),
        citations: ["Google Search spam policies (cloaking)", "Luật An ninh mạng 116/2025"],
        defaultSeverity: .high,
        parameters: [
            ParameterSpec(
                name: "min_similarity", kind: .integer(1...100), defaultValue: .integer(50),
                meaning: LocalizedText(
                    en: "Least share of common text (percent) for a variant to count as the same page",
                    vi: "Tỷ lệ nội dung chung tối thiểu (%) để coi là cùng một trang"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let cloaking = observation.content?.cloaking else { return .missingFacts("content") }
        var differences: [String] = []
        var unanswered: [String] = []
        for variant in cloaking.variants {
            let who = variant.agent.rawValue
            guard let status = variant.status else {
                unanswered.append("\(who): \(variant.failure ?? "no answer")")
                continue
            }
            if status / 100 != cloaking.browserStatus / 100 {
                differences.append("\(who): status \(status), a browser gets \(cloaking.browserStatus)")
            } else if variant.location != cloaking.browserLocation, let location = variant.location {
                differences.append("\(who): redirected to \(location)")
            }
            if variant.spam && !cloaking.browserSpam {
                differences.append("\(who): gambling spam a browser is not shown")
            }
            if let similarity = variant.similarity, similarity < parameters.minSimilarity {
                differences.append("\(who): \(similarity)% of the text in common")
            }
        }
        for page in observation.content?.sample?.pages ?? [] where page.crawlerSpam == true {
            differences.append("crawler: gambling spam on \(page.url) a browser is not shown")
        }
        if !differences.isEmpty { return .fail(.cloaked, ["differs": clip(differences.joined(separator: "; "))]) }
        if !unanswered.isEmpty {
            return .missingFacts("content.cloaking", ["unanswered": clip(unanswered.joined(separator: "; "))])
        }
        return .pass(.ok)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "Search crawlers and visitors arriving from a search get the same home page as a browser (cloaking that checks crawlers by reverse DNS cannot be seen from outside).",
                vi:
                    "Trình thu thập của công cụ tìm kiếm và người đến từ trang tìm kiếm nhận cùng một trang chủ như trình duyệt thông thường (việc che giấu nhận diện trình thu thập bằng tra cứu DNS ngược thì không phát hiện được từ bên ngoài)."
            )
        case .cloaked:
            LocalizedText(
                en: "The home page differs with who asks: \(values["differs"]).",
                vi: "Trang chủ trả về khác nhau tùy người truy cập\(differences(values))")
        case .missingFacts:
            LocalizedText(
                en:
                    "The home page could not be compared as a crawler and a visitor from a search see it\(values.has("unanswered") ? " (no answer: \(values["unanswered"]))" : "").",
                vi:
                    "Chưa so sánh được trang chủ mà công cụ tìm kiếm và người đến từ trang tìm kiếm nhận được\(unanswered(values))."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("the same page for everyone", .pass, .ok),
        .init("spam for the crawler only", .fail, .cloaked) {
            $0.content?.cloaking?.variants[0] = CloakVariant(
                agent: .crawler, status: 200, location: nil, similarity: 71, spam: true)
        },
        .init("visitors from a search sent to a betting site", .fail, .cloaked) {
            $0.content?.cloaking?.variants[1] = CloakVariant(
                agent: .searchReferrer, status: 302, location: "https://nhacai.example/", similarity: nil, spam: false)
        },
        .init("spam for the crawler on a sampled page", .fail, .cloaked) {
            $0.content?.sample?.pages = [
                SampledPage(
                    url: "https://xa.example.gov.vn/tin/1.html", status: 200, score: 0, injected: false,
                    crawlerSpam: true)
            ]
        },
        .init("another page for the crawler", .fail, .cloaked) {
            $0.content?.cloaking?.variants[0].similarity = 12
        },
        .init("a dynamic page, mostly the same", .pass, .ok) { $0.content?.cloaking?.variants[0].similarity = 80 },
        .init("the crawler's request timed out", .inconclusive, .missingFacts) {
            $0.content?.cloaking?.variants[0] = CloakVariant(
                agent: .crawler, status: nil, location: nil, similarity: nil, spam: false, failure: "timeout: 3 s")
        },
        .init("a history before cloaking was looked for", .inconclusive, .missingFacts) {
            $0.content?.cloaking = nil
        },
    ]

    // MARK: - Sentence words

    /// Who asked, as the evidence names it (`CloakVariant.Agent`'s raw values).
    private static func agentName(_ agent: Substring) -> String? {
        switch agent {
        case "crawler": "trình thu thập của công cụ tìm kiếm"
        case "search-referrer": "người đến từ trang tìm kiếm"
        default: nil
        }
    }

    /// The `differs` evidence (English, as `judge` writes it: `who: what`, joined by "; ") read back into
    /// Vietnamese: ": trình thu thập … nhận nội dung cờ bạc mà trình duyệt không thấy; …." A part it cannot read
    /// (clipped) is left out; "." alone when none reads.
    private static func differences(_ values: FindingValues) -> String {
        var parts: [String] = []
        for entry in values["differs"].components(separatedBy: "; ") {
            guard let colon = entry.range(of: ": "), let who = agentName(entry[..<colon.lowerBound]) else { continue }
            let what = entry[colon.upperBound...]
            let browserNotShown = " a browser is not shown"
            if what.hasPrefix("status "), let gets = what.range(of: ", a browser gets ") {
                let status = what[what.index(what.startIndex, offsetBy: 7)..<gets.lowerBound]
                let browser = what[gets.upperBound...]
                parts.append("\(who) nhận mã trạng thái HTTP \(status) trong khi trình duyệt nhận \(browser)")
            } else if what.hasPrefix("redirected to ") {
                parts.append("\(who) bị chuyển hướng tới \(what.dropFirst(14))")
            } else if what == "gambling spam" + browserNotShown {
                parts.append("\(who) nhận nội dung cờ bạc mà trình duyệt không thấy")
            } else if what.hasPrefix("gambling spam on "), what.hasSuffix(browserNotShown) {
                let page = what.dropFirst(17).dropLast(browserNotShown.count)
                parts.append("\(who) nhận nội dung cờ bạc trên trang \(page) mà trình duyệt không thấy")
            } else if what.hasSuffix("% of the text in common") {
                let share = what.prefix { $0.isNumber }
                parts.append("\(who) nhận trang chỉ có \(share)% nội dung giống trang trình duyệt nhận")
            }
        }
        return parts.isEmpty ? "." : ": " + parts.joined(separator: "; ") + "."
    }

    /// " (không nhận được trả lời khi hỏi với vai trò …)", from the `unanswered` evidence (`who: failure`, joined
    /// by "; "; the failure is English and left out); empty when it names no one.
    private static func unanswered(_ values: FindingValues) -> String {
        var who: [String] = []
        for entry in (values.evidence["unanswered"] ?? "").components(separatedBy: "; ") {
            guard let colon = entry.range(of: ": "), let name = agentName(entry[..<colon.lowerBound]) else { continue }
            if !who.contains(name) { who.append(name) }
        }
        return who.isEmpty ? "" : " (không nhận được trả lời khi truy cập với vai trò \(who.joined(separator: " và ")))"
    }
}
