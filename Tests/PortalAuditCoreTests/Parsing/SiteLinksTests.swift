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
