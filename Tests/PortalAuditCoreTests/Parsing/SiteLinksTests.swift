import Foundation
import PortalAuditCore
import Testing

@Suite("What a site offers the sample: robots.txt, the sitemap, the home page's links and search")
struct SiteLinksTests {
    @Test(
        "robots.txt: the group naming us, else *; the longest rule wins; * and $ understood",
        arguments: [
            ("User-agent: *\nDisallow: /admin/", "/admin/x", false),
            ("User-agent: *\nDisallow: /admin/", "/tin-tuc/a.html", true),
            ("User-agent: *\nDisallow: /\nAllow: /tin-tuc/", "/tin-tuc/a.html", true),
            ("User-agent: *\nDisallow: /", "/gioi-thieu.html", false),
            ("User-agent: *\nDisallow:", "/x", true),
            ("User-agent: *\nDisallow: /*.php$", "/index.php", false),
            ("User-agent: *\nDisallow: /*.php$", "/index.php?id=1", true),
            ("User-agent: *\nDisallow: /*?", "/tim-kiem?tukhoa=a", false),
            ("User-agent: *\nDisallow: /\n\nUser-agent: portal-audit\nDisallow: /rieng/", "/tin.html", true),
            ("User-agent: Googlebot\nDisallow: /", "/tin.html", true),
            ("User-agent: a\nUser-agent: *\nDisallow: /b # comment", "/b/c", false),
            ("User-agent: *\r\nDisallow: /b\r\n", "/b", false),
        ] as [(String, String, Bool)])
    func robots(_ text: String, _ path: String, _ allowed: Bool) {
        #expect(RobotsRules(text, agent: "portal-audit").allows(path) == allowed, "\(text) → \(path)")
    }

    @Test("robots.txt lists its sitemaps; a hostile file is read in bounded time")
    func robotsSitemapsAndBounds() {
        let rules = RobotsRules("Sitemap: https://a.vn/s1.xml\nUser-agent: *\nSitemap: /s2.xml", agent: "portal-audit")
        #expect(rules.sitemaps == ["https://a.vn/s1.xml", "/s2.xml"])
        // Given a pattern of stars against a long path (a quadratic matcher's worst case, capped)
        let hostile = "User-agent: *\nDisallow: /" + String(repeating: "*a", count: 200) + "b\n"
        #expect(RobotsRules(hostile, agent: "portal-audit").allows("/" + String(repeating: "a", count: 5_000)))
    }

    @Test("robots.txt matching agrees with a backtracking reference on every pattern and path of a small alphabet")
    func robotsMatcherAgrees() {
        // Every pattern of 1–5 characters over `a`, `b`, `*` (with and without a final `$`) against every
        // path of 0–6 characters over `a`, `b`: RFC 9309's `*` is any run, the match starts the path.
        func all(_ alphabet: [UInt8], upTo length: Int) -> [[UInt8]] {
            var out: [[UInt8]] = [[]]
            var last: [[UInt8]] = [[]]
            for _ in 0..<length {
                last = last.flatMap { word in alphabet.map { word + [$0] } }
                out += last
            }
            return out
        }
        func reference(_ p: [UInt8], _ s: [UInt8], anchored: Bool) -> Bool {
            func from(_ i: Int, _ j: Int) -> Bool {
                if i == p.count { return !anchored || j == s.count }
                if p[i] == UInt8(ascii: "*") { return from(i + 1, j) || (j < s.count && from(i, j + 1)) }
                return j < s.count && p[i] == s[j] && from(i + 1, j + 1)
            }
            return from(0, 0)
        }
        let paths = all(Array("ab".utf8), upTo: 6)
        var disagreements: [String] = []
        for pattern in all(Array("ab*".utf8), upTo: 5) where !pattern.isEmpty {
            for anchored in [false, true] {
                let text = String(decoding: pattern, as: UTF8.self) + (anchored ? "$" : "")
                let rules = RobotsRules("User-agent: *\nDisallow: \(text)\n", agent: "portal-audit")
                for path in paths
                where rules.allows(String(decoding: path, as: UTF8.self))
                    == reference(pattern, path, anchored: anchored)
                {
                    disagreements.append("\(text) ~ \(String(decoding: path, as: UTF8.self))")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test("a hostile robots.txt against a whole sitemap stops at the site's matching budget: undecided, never fetched")
    func robotsBudget() {
        // Given 1,000 rules of stars that never match, each try reading a whole path of 400 bytes
        let rule = "Disallow: /" + String(repeating: "*a", count: 40) + "*z\n"
        let rules = RobotsRules("User-agent: *\n" + String(repeating: rule, count: 1_000), agent: "portal-audit")
        let path = "/tin-tuc/" + String(repeating: "a", count: 400) + ".html"
        // When 2,000 sitemap paths are asked with one budget
        var budget = RobotsBudget()
        let answers = (0..<2_000).map { _ in rules.allows(path, budget: &budget) }
        // Then the first are decided (allowed: no rule matches), the rest undecided once the budget is spent
        let decided = answers.prefix { $0 != nil }
        #expect(decided.allSatisfy { $0 == true } && decided.count > 10 && decided.count < 2_000, "\(decided.count)")
        #expect(answers.dropFirst(decided.count).allSatisfy { $0 == nil })
        #expect(budget.remaining == 0)
        // And one path alone is always decided
        #expect(rules.allows(path))
    }

    @Test("sitemap entries keep their lastmod; an index is told apart; markup around them is ignored")
    func sitemap() {
        let xml = """
            <?xml version="1.0"?><urlset><url><loc> /a.html </loc><lastmod>2026-11-30</lastmod></url>
            <url><loc>/b.html?x=1&amp;y=2</loc></url><url><LOC>/c.html</LOC><lastmod>2025-01-01</lastmod></url></urlset>
            """
        let (entries, index) = Sitemap.entries(in: Array(xml.utf8)[...])
        #expect(!index)
        #expect(entries.map(\.location) == ["/a.html", "/b.html?x=1&y=2", "/c.html"])
        #expect(entries.map(\.lastModified) == ["2026-11-30", nil, "2025-01-01"])
        let nested = Sitemap.entries(in: Array("<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap>".utf8)[...])
        #expect(nested.index && nested.entries.map(\.location) == ["/s1.xml"])
        // An unclosed <loc> ends the list, whatever follows
        #expect(
            Sitemap.entries(in: Array(("<loc>/a</loc><loc>" + String(repeating: "x", count: 100_000)).utf8)[...])
                .entries.count == 1)
    }

    @Test("anchors in page order without duplicates or fragments; the first GET form with a text field")
    func links() {
        let html = """
            <a href="/a">A</a><a href='#top'>top</a><a href="/a">again</a><script>"<a href=/s>"</script>
            <form method="post" action="/dang-nhap"><input name="user"></form>
            <form action="/tim-kiem"><input type="hidden" name="lang" value="vi"><input type="search" name="tukhoa"></form>
            <a href=" /b ">B</a>
            """
        let body = Array(html.utf8)[...]
        #expect(PageLinks.anchors(in: body) == ["/a", "/b"])
        #expect(PageLinks.searchForm(in: body) == PageLinks.SearchForm(action: "/tim-kiem", field: "tukhoa"))
        #expect(PageLinks.searchForm(in: Array("<form method=post><input name=q></form>".utf8)[...]) == nil)
    }
}
