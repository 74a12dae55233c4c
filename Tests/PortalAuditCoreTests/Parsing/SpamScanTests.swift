import Foundation
import PortalAuditCore
import Testing

@Suite("Gambling spam on a page")
struct SpamScanTests {
    private func scan(_ html: String, host: String = "xa-a.thanhhoa.gov.vn") -> SpamFacts {
        SpamScan.scan(Array(html.utf8), host: host)
    }

    private func page(_ body: String, title: String = "Cổng thông tin điện tử xã A") -> String {
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>"
            + "<h1>Ủy ban nhân dân xã A</h1><p>Tin tức - Sự kiện: hội nghị chuyển đổi số.</p>\(body)</body></html>"
    }

    @Test("the shipped lexicon parses; a broken one names each problem")
    func lexicon() throws {
        let lexicon = SpamLexicon.shipped
        #expect(lexicon.id == "gambling-vi" && lexicon.strong.count >= 20 && lexicon.brands.count >= 20)
        #expect(lexicon.strong.contains { $0.tokens == ["nha", "cai"] })
        let error = #expect(throws: InputIssues.self) {
            try SpamLexicon.parse("id: x\nstrong: [\"---\"]\nweak: 3\n", file: "bad.yaml")
        }
        let problems = error?.issues.map(\.description) ?? []
        #expect(problems.contains { $0.contains("strong: expected a phrase with letters, found '---'") })
        #expect(problems.contains { $0.contains("weak: expected a list") })
        #expect(problems.contains { $0.contains("brands: expected a list") })
    }

    @Test(
        "obfuscations read as the word: no diacritics, capitals, spaced or dotted letters, look-alikes, digits for letters",
        arguments: [
            ("NHÀ CÁI uy tín", "nha cai uy tin"), ("nha cai", "nha cai"), ("n h à c á i", "nhacai"),
            ("n.h.a.c.a.i", "nhacai"), ("nhа cái", "nha cai"),  // a Cyrillic а
            ("c4sino", "casino"), ("g@me bài", "game bai"), ("188bet", "188bet"), ("năm 2026", "nam 2026"),
        ])
    func tokens(_ text: String, _ expected: String) {
        #expect(SpamText.tokens(text).joined(separator: " ") == expected)
    }

    @Test("links out to betting sites in the footer are injection; the evidence names the term, the place and the URL")
    func footerLinks() {
        let facts = scan(
            page(
                "<footer><a href=\"https://nhacai-uytin.example/\">nhà cái uy tín</a> · "
                    + "<a href=\"https://fb88.example/\">FB88</a></footer>"))
        #expect(facts.injected)
        #expect(
            facts.hits.contains {
                $0.term == "nhà cái" && $0.place == .link && $0.url == "https://nhacai-uytin.example/"
            })
        #expect(facts.hits.contains { $0.term == "fb88" && $0.place == .link })
    }

    @Test("text hidden off-screen or by display:none is injection, obfuscated or not")
    func hidden() {
        for style in ["position:absolute;left:-9999px", "display: none", "font-size:0"] {
            let facts = scan(page("<div style=\"\(style)\">n ổ h ũ đổi thưởng – c4sino – soi cầu lô đề</div>"))
            #expect(facts.injected, "\(style)")
            #expect(facts.hits.contains { $0.place == .hidden && $0.term == "nổ hũ" }, "\(style)")
        }
        #expect(scan(page("<div hidden>tài xỉu online, cá cược bóng đá</div>")).injected)
    }

    @Test("a link a script writes from base64 is found and decoded")
    func script() {
        let link = Data("<a href=\"https://kubet.example/\">Kubet nhà cái</a>".utf8).base64EncodedString()
        let facts = scan(page("<script>document.write(atob(\"\(link)\"))</script>"))
        #expect(facts.injected)
        #expect(facts.hits.contains { $0.place == .script && $0.term == "kubet" })
    }

    @Test("spam in the title and meta tags counts more than in the text")
    func titleAndMeta() {
        let facts = scan(
            page("", title: "Nhà cái uy tín – cá cược bóng đá")
                .replacingOccurrences(
                    of: "</head>", with: "<meta name=\"description\" content=\"tài xỉu, nổ hũ đổi thưởng\"></head>"))
        #expect(facts.injected)
        #expect(Set(facts.hits.map(\.place)).isSuperset(of: [.title, .meta]))
    }

    @Test(
        "the traps stay clean: a police story about a betting ring, lottery results, a sports page, a meeting slot, links to the same site",
        arguments: [
            "<p>Công an tỉnh triệt phá đường dây cá cược bóng đá qua mạng, bắt giữ 12 đối tượng tổ chức đánh bạc; người dân tránh xa các trang cá cược, nhà cái trái phép.</p>",
            "<p>Kết quả xổ số kiến thiết Thanh Hóa: giải đặc biệt 052814, giải nhất 63902.</p>",
            "<p>Đội bóng đá tỉnh thắng 2–1, tỷ số định đoạt ở phút 88; giải bóng chuyền mở đăng ký.</p>",
            "<p>Book a meeting slot with the People's Committee: two slots every Tuesday.</p>",
            "<p><a href=\"/tin-tuc/canh-bao-ca-cuoc\">Cảnh báo cá cược trái phép</a></p>",
        ])
    func traps(_ body: String) {
        let facts = scan(page(body))
        #expect(!facts.injected, "\(facts)")
    }

    @Test("visible spam without any news context is injection once it is dense enough; a single word is not")
    func visibleDensity() {
        #expect(scan(page("<p>Nhà cái uy tín, cá cược bóng đá, tài xỉu, nổ hũ, game bài đổi thưởng.</p>")).injected)
        #expect(!scan(page("<p>Bài viết về casino ở Macau.</p>")).injected)
    }

    @Test(
        "scrambled diacritics are counted: two tones, a tone off the marked vowel, on the u of qu or the i of gi",
        arguments: [
            ("ngườì chơị", 2), ("người chơi", 0), ("qúa", 1), ("quá", 0), ("gìa", 1), ("gì", 0), ("hoà hòa", 0),
            ("thuở khuyến nghiêng", 0), ("íntèrnẹt", 1), ("gìống", 1), ("NGƯỜÌ", 1), ("café", 0),
        ])
    func scrambled(_ text: String, _ count: Int) {
        #expect(SpamText.scrambledSyllables(in: text) == count)
    }

    @Test("a doorway text with scrambled diacritics is injection even beside a police word; careful text is not")
    func scrambledDoorway() {
        let doorway =
            "<p>tàĩ xỉũ là một trò chơỉ đựã trên việc đỏán kết qùả củà 3 cọn xúc xắc, có ngụồn gốc từ đánh bạc.</p>"
        let facts = scan(page(doorway))
        #expect(facts.injected && (facts.scrambled ?? 0) >= 3, "\(facts)")
        #expect(!scan(page("<p>Tài xỉu là trò đánh bạc bị pháp luật cấm.</p>")).injected)
    }

    @Test("a brand run together with the words beside it is found (doorway titles)")
    func gluedBrands() {
        let facts = scan(page("<p>98win xổ số miền bắcshbet 81đề 88xổ số alo88vao</p>"))
        #expect(Set(facts.hits.map(\.term)).isSuperset(of: ["98win", "shbet", "alo88"]), "\(facts.hits)")
        #expect(facts.injected)
        // A long word that holds no brand, and numbers, are nothing.
        #expect(scan(page("<p>Kế hoạch 2026-2030: administration, 1234567 hồ sơ.</p>")).hits.isEmpty)
    }

    @Test(
        "a page that sends visitors on to a betting site is injected in itself; a forward to its own pages is not",
        arguments: [
            ("<meta http-equiv=\"refresh\" content=\"3; url=https://fb88-vn.example/\">", true),
            ("<meta http-equiv=\"Refresh\" content=\"0;URL='https://nhacai-uytin.example/'\">", true),
            (
                "<script>setTimeout(function(){ window.location.href = \"https://kubet.example/\"; }, 5000)</script>",
                true
            ),
            ("<script>location.replace('//new88.example/dang-ky')</script>", true),
            ("<meta http-equiv=\"refresh\" content=\"0; url=https://xa-a.thanhhoa.gov.vn/trang-chu\">", false),
            ("<meta http-equiv=\"refresh\" content=\"300\">", false),
            ("<script>location.href = \"https://dichvucong.gov.vn/\"</script>", false),
        ])
    func forwards(_ head: String, _ injected: Bool) {
        let facts = scan(page("").replacingOccurrences(of: "</head>", with: head + "</head>"))
        #expect(facts.injected == injected, "\(facts)")
        #expect(facts.hits.contains { $0.place == .forward } == injected)
    }

    @Test("a lawful story mutes its own block only: spam in the footer of a page with police news is injection")
    func blockContext() {
        let story =
            "<article><p>Công an tỉnh triệt phá đường dây cá cược bóng đá qua mạng, bắt giữ 12 đối tượng tổ chức đánh bạc.</p></article>"
        let footer = "<footer><div>Nhà cái uy tín 789bet – nổ hũ, tài xỉu đổi thưởng</div></footer>"
        #expect(!scan(page(story)).injected)
        let both = scan(page(story + footer))
        #expect(both.injected && both.lawfulContext, "\(both)")
        #expect(both.hits.contains { $0.term == "789bet" && $0.lawful == nil })
        #expect(both.hits.contains { $0.term == "cá cược" && $0.lawful == true })
    }

    @Test("text the colour of its background is hidden; named references decode (`m&atilde;i`)")
    func colourAndReferences() {
        let facts = scan(page("<p style=\"color:#fff; background-color: #FFF\">nh&agrave; c&aacute;i fb88</p>"))
        #expect(facts.hits.contains { $0.place == .hidden && $0.term == "fb88" }, "\(facts.hits)")
        #expect(HTMLScanner.visibleText(Array("khuy&#7871;n m&atilde;i &Agrave;".utf8)[...]) == "khuyến mãi À")
    }

    @Test("hostile input is bounded: a megabyte of hidden divs and links costs a bounded number of regions")
    func bounded() {
        let hidden = String(repeating: "<div style=\"display:none\">", count: 20_000)
        let links = String(repeating: "<a href=\"https://fb88.example/\">x", count: 20_000)
        let facts = scan(page(hidden + links))
        #expect(facts.hits.count <= 12)
        #expect(facts.injected)
    }
}
