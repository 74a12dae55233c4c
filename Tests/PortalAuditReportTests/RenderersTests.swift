import Foundation
import PortalAuditCore
import PortalAuditReport
import PortalAuditTestSupport
import Testing

/// A three-portal document: the first is hostile (markup, quotes, control bytes, a formula) and fails a
/// required criterion; the second passes; the third only misses recommendations and has no level given.
private func context(
    _ language: Language = .vi, generatedAt: Date = Date(timeIntervalSince1970: 1_795_400_000), spam: Bool = false
) throws -> ReportContext {  // 1_795_400_000: 2026-11-23 Vietnam time
    let profile = try ProfileLoader(searchPaths: [Repository.profiles]).load("vn-level2")
    let hostileText =
        "=HYPERLINK(\"http://x\")<script>document.body.setAttribute('data-pwned','1')</script>\"'\u{1B}[31m"
    func site(_ url: String, _ name: String, level: Int? = 2, _ change: (inout Observation) -> Void) -> SiteResult {
        var target = Fixtures.target
        target.url = url
        target.name = name
        target.level = level
        target.province = "Tỉnh Thanh Hóa"
        target.commune = "Xã Yên Thái"
        var observation = Fixtures.exemplary(change)
        observation.vantage = Vantage(host: "kiemtra-01", label: "VNPT Thanh Hóa")
        observation.authorisation = "Công văn số 123/UBND-KGVX ngày 02/12/2026 của UBND tỉnh"
        let evaluation = Evaluator.evaluate(
            observation, profile: profile, context: EvaluationContext(now: Fixtures.now, target: target))
        return SiteResult(
            target: target, profile: profile.reference, verdict: evaluation.verdict, score: evaluation.score,
            grade: evaluation.grade, durationMS: 12, cost: ProbeCost(connections: 10, tlsHandshakes: 9, requests: 10),
            probes: [], observation: observation, findings: evaluation.findings)
    }
    let good = site("https://a.gov.vn/", "Cổng xã A") { _ in }
    let bad = site("https://b.gov.vn/", hostileText) {
        Fixtures.setHeader(&$0, "x-powered-by", hostileText + "/5.6")
        $0.page = PageFacts(title: hostileText, bytes: 10, truncated: false)
        $0.tls?.versions[.tls10] = .accepted
    }
    let warned = site("https://c.gov.vn/", "Cổng xã C", level: nil) {
        Fixtures.setHeader(&$0, "strict-transport-security", nil)
        Fixtures.setHeader(&$0, "content-security-policy", nil)
        if spam {
            $0.content?.spam = SpamFacts(
                score: 8, injected: true, lawfulContext: false,
                hits: [
                    SpamHit(
                        term: "nhà cái", place: .hidden, excerpt: "<b>nhà cái</b> uy tín <script>alert(1)</script>"),
                    SpamHit(term: "fb88", place: .link, url: "https://fb88.example/\"onmouseover=x", excerpt: "FB88"),
                ])
        }
    }
    let document = ReportDocument(
        profile: profile, startedAt: Fixtures.now, finishedAt: Fixtures.now, sites: [bad, good, warned])
    let form = ReportForm(
        parentUnit: "UBND tỉnh Thanh Hóa", unit: "Sở Khoa học và Công nghệ tỉnh Thanh Hóa", number: "15/BC-SKHCN",
        place: "Thanh Hóa", addressees: ["Ủy ban nhân dân tỉnh Thanh Hóa"], signerTitle: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        signer: "Nguyễn Văn An")
    return ReportContext(
        document: document, runID: 7, language: language, form: form, generatedAt: generatedAt,
        previous: ["https://a.gov.vn/": PreviousResult(runID: 6, verdict: .fail, grade: "F", score: 40)],
        profiles: [profile])
}

@Suite("Report renderers")
struct RenderersTests {
    @Test("HTML follows the form of NĐ 30/2020 and escapes everything a site sent")
    func html() throws {
        let html = HTMLRenderer().render(try context())
        // Header: governing body over issuing body, number; Quốc hiệu and tiêu ngữ; place and date; tên loại, trích yếu
        let order = [
            ">UBND tỉnh Thanh Hóa<", ">Sở Khoa học và Công nghệ tỉnh Thanh Hóa<", "Số: 15/BC-SKHCN",
            "Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "Thanh Hóa, ngày 23 tháng 11 năm 2026",
            "<h1>BÁO CÁO</h1>",
            "Kết quả rà soát kỹ thuật về bảo đảm an ninh mạng đối với các cổng/trang thông tin điện tử trên địa bàn tỉnh Thanh Hóa</p>",
            "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa",
        ].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(html.contains(".nation { text-transform: uppercase; font-weight: bold"))
        #expect(html.contains(".issuer { text-transform: uppercase; font-weight: bold"))
        // Times New Roman or a metric-compatible free font, 13 pt; margins; page numbers from page 2; indent;
        // a heading never left alone at a page's foot
        #expect(
            html.contains(
                "font-family: \"Times New Roman\", \"Liberation Serif\", \"TeX Gyre Termes\", serif; font-size: 13pt"))
        #expect(html.contains("@page { size: A4; margin: 20mm 15mm 20mm 30mm; @top-center { content: counter(page)"))
        #expect(html.contains("@page :first { @top-center { content: none; } }"))
        #expect(html.contains("p.body, li.body { text-indent: 1cm; }"))
        #expect(html.contains("h2, h3, h4 { break-after: avoid; page-break-after: avoid; }"))
        // The body, then the signature, then the appendices, in order
        let sections = [
            "I. CĂN CỨ, PHẠM VI, PHƯƠNG PHÁP VÀ GIỚI HẠN", "1. Căn cứ", "Luật An ninh mạng số 116/2025/QH15",
            "II. TỔNG HỢP KẾT QUẢ", "Xếp loại: A", "III. CÁC CỔNG/TRANG CẦN KHẮC PHỤC",
            "1. Cổng/trang không đạt (1 cổng)", "2. Cổng/trang đạt nhưng còn khuyến nghị chưa đáp ứng (1 cổng)",
            "3. Cổng/trang đáp ứng mọi tiêu chí đã kiểm tra (1 cổng)",
            "IV. NỘI DUNG CẦN ĐƠN VỊ VẬN HÀNH CUNG CẤP MINH CHỨNG", "V. KIẾN NGHỊ", "Nơi nhận:",
            "KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC", "Nguyễn Văn An", ">Phụ lục I<", "KẾT QUẢ CHI TIẾT TỪNG CỔNG/TRANG",
            "(Kèm theo Báo cáo số 15/BC-SKHCN ngày 23 tháng 11 năm 2026 của Sở Khoa học và Công nghệ tỉnh Thanh Hóa)",
            ">Phụ lục II<", "CĂN CỨ CỦA TỪNG TIÊU CHÍ",
        ].map { html.range(of: $0)?.lowerBound }
        #expect(sections.allSatisfy { $0 != nil }, "\(sections)")
        #expect(sections.compactMap { $0 } == sections.compactMap { $0 }.sorted())
        #expect(html.contains("- Như trên;<br>- Lưu: VT.<br>"))
        // A report to sign leaves the signature space blank
        #expect(!html.contains("(Chữ ký, dấu)"))
        // The claims: what an outside scan shows, its scope, its vantage point as labelled (never the machine's
        // name); the level named, and assumed where not given
        #expect(
            html.contains(
                "Trong số 3 cổng/trang được kiểm tra, 2 cổng đạt các tiêu chí kỹ thuật kiểm tra được từ bên ngoài (1 cổng đạt, 1 cổng đạt nhưng còn khuyến nghị chưa đáp ứng)"
            ))
        #expect(html.contains("không thay thế việc kiểm tra, đánh giá bảo đảm an toàn hệ thống thông tin theo cấp độ"))
        #expect(html.contains("Nơi thực hiện quét: VNPT Thanh Hóa.") && !html.contains("kiemtra-01"))
        #expect(
            html.contains("Cấp độ 2 (giả định)")
                && html.contains("Bộ tiêu chí đánh giá: Cấp độ 2 (3 cổng, trong đó 1 cổng chưa có cấp độ: giả định)"))
        #expect(html.contains("Thời gian quét: ngày ") && html.contains(" (giờ Việt Nam) (lượt quét số 7)."))
        #expect(html.contains("trên 3 cổng. Căn cứ ủy quyền: Công văn số 123/UBND-KGVX ngày 02/12/2026 của UBND tỉnh."))
        // What the operator must show, from the profile's data
        #expect(html.contains("<li>Tường lửa có chức năng ngăn chặn xâm nhập và tường lửa ứng dụng web (WAF)"))
        // The failing portal first, with its finding as a sentence and one action
        #expect(html.contains("<li class=\"required\">Máy chủ còn chấp nhận TLS 1.0.</li>"))
        #expect(html.contains("Việc cần làm: Đơn vị vận hành tắt TLS 1.0/1.1."))
        // Confidence labels only in Phụ lục II; the basis apart from the references
        let body = try #require(html.range(of: ">Phụ lục II<"))
        #expect(!html[..<body.lowerBound].contains("độ tin cậy") && !html[..<body.lowerBound].contains("Độ tin cậy"))
        #expect(html[body.lowerBound...].contains("<td>chưa xác minh</td>"))
        #expect(html.contains("Căn cứ kết luận") && html.contains("Tham khảo (không phải quy định pháp luật)"))
        #expect(html.contains("Cấp độ 2 (mã vn-level2@6)"))
        #expect(!html.contains("(unverified)") && !html.contains("secondary") && !html.contains("not authorised"))
        #expect(!html.contains("docs/legal-basis.md"))
        // No markup, quote or escape byte from the site survives unescaped; no script, no external resource
        #expect(!html.contains("<script"))
        #expect(!html.contains("'data-pwned'"))
        #expect(
            html.contains(
                "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;&quot;&#39;"))
        #expect(!html.contains("\u{1B}"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("default-src 'none'"))
        // Uptime per unit (the fixture's 2,590,000 s up, 2,000 s down on each portal)
        #expect(html.contains("<td>99,9%</td>"))
    }

    @Test("portals injected with gambling spam: a required action to treat as an incident, the evidence in Phụ lục I")
    func spamSection() throws {
        let html = HTMLRenderer().render(try context(spam: true))
        #expect(html.contains("cần xử lý như sự cố an ninh mạng"))
        #expect(html.contains("Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05)"))
        #expect(!html.contains("NCSC"))
        #expect(html.contains("<td>nhà cái</td><td>đoạn chữ bị ẩn</td>"))
        #expect(html.contains("&lt;b&gt;nhà cái&lt;/b&gt; uy tín &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("https://fb88.example/&quot;onmouseover=x"))
        #expect(!html.contains("<script>alert"))
        #expect(!HTMLRenderer().render(try context()).contains("xử lý như sự cố"))
    }

    @Test("a portal that only misses recommendations shows nothing as “không đạt”")
    func recommendedOnly() throws {
        let html = HTMLRenderer().render(try context())
        let start = try #require(html.range(of: "<h3>2. Cổng xã C</h3>"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = String(html[start.lowerBound..<end.lowerBound])
        #expect(section.contains("Đạt, có cảnh báo"))
        #expect(section.contains("khuyến nghị · chưa đáp ứng"))
        #expect(section.contains("<span class=\"unmet\">Máy chủ không gửi tiêu đề Strict-Transport-Security.</span>"))
        #expect(!section.contains("không đạt"))
        let text = SummaryRenderer(language: .vi).render(try context().document)
        let line = try #require(text.split(separator: "\n").first { $0.contains("https://c.gov.vn/") })
        #expect(
            line.contains(
                "khuyến nghị chưa đáp ứng: Chính sách Content-Security-Policy hạn chế mã script, plugin và địa chỉ gốc (base); Có HSTS"
            ) && !line.contains("không đạt"))
        let terminal = TerminalRenderer(language: .vi, colour: false).render(try context().document.sites[2])
        #expect(terminal.contains("Khuyến nghị chưa đáp ứng: ") && !terminal.contains("Tiêu chí bắt buộc không đạt"))
        #expect(!terminal.contains("✘"))
    }

    @Test(
        "the date is written as NĐ 30/2020 asks: a leading zero for days below 10 and months 1 and 2; …… without a place"
    )
    func date() throws {
        // 2027-01-05 09:30 Vietnam time
        var january = try context(generatedAt: Date(timeIntervalSince1970: 1_799_116_200))
        #expect(HTMLRenderer().render(january).contains("Thanh Hóa, ngày 05 tháng 01 năm 2027"))
        january.form = ReportForm()
        let bare = HTMLRenderer().render(january)
        #expect(bare.contains("<div class=\"date\">……, ngày 05 tháng 01 năm 2027</div>"))
        #expect(bare.contains("Số: ……/BC-……"))
        #expect(!bare.contains("Kính gửi"))
        var march = try context(generatedAt: Date(timeIntervalSince1970: 1_804_213_800))  // 2027-03-05
        #expect(HTMLRenderer().render(march).contains("ngày 05 tháng 3 năm 2027"))
        // --date: the day the report is signed, or blanks for the văn thư to fill; an impossible day is refused
        march.form.date = .day(2027, 2, 9)
        #expect(HTMLRenderer().render(march).contains("Thanh Hóa, ngày 09 tháng 02 năm 2027"))
        march.form.date = .blank
        #expect(HTMLRenderer().render(march).contains("Thanh Hóa, ngày …… tháng …… năm ……"))
        #expect(ReportForm.FormDate(argument: "2027-02-09") == .day(2027, 2, 9))
        #expect(ReportForm.FormDate(argument: "blank") == .blank)
        for wrong in ["2027-02-30", "2027-2-9", "09/02/2027", "tomorrow", ""] {
            #expect(ReportForm.FormDate(argument: wrong) == nil, "\(wrong)")
        }
    }

    @Test(
        "Nơi nhận lists the addressees, the copies and the archive, ';' after each but the last; a draft says where to sign"
    )
    func recipients() throws {
        var context = try context()
        context.form.copies = ["Sở Thông tin và Truyền thông", "Công an tỉnh (PA05)"]
        context.form.archive = "CNTT, 02b"
        context.form.draft = true
        let html = HTMLRenderer().render(context)
        #expect(
            html.contains(
                "- Như trên;<br>- Sở Thông tin và Truyền thông;<br>- Công an tỉnh (PA05);<br>- Lưu: VT, CNTT, 02b."))
        #expect(html.contains("<span class=\"signhint\">(Chữ ký, dấu)</span>"))
        // --basis opens the report; a unit's name breaks where the user says
        context.form.basis = "Kế hoạch số 45/KH-SKHCN ngày 02/12/2026 của Sở Khoa học và Công nghệ"
        context.form.unit = "Sở Khoa học\\nvà Công nghệ"
        let formed = HTMLRenderer().render(context)
        #expect(
            formed.contains(
                "<p class=\"body\">Thực hiện Kế hoạch số 45/KH-SKHCN ngày 02/12/2026 của Sở Khoa học và Công nghệ, Sở Khoa học và Công nghệ báo cáo kết quả rà soát kỹ thuật"
            ))
        #expect(formed.contains("<div class=\"issuer\">Sở Khoa học<br>và Công nghệ<br></div>"))
    }

    @Test(
        "a pass that could not run required criteria says so in every format: \"Đạt (chưa kiểm tra 3 tiêu chí bắt buộc cần ủy quyền)\""
    )
    func uncheckedPass() throws {
        var report = try context()
        let passing = try #require(report.document.sites.firstIndex { $0.target.url == "https://a.gov.vn/" })
        // The passing portal of a level whose active probes are required, audited without authorisation
        for index in report.document.sites[passing].findings.indices
        where report.document.sites[passing].findings[index].rule.hasPrefix("exposure.") {
            report.document.sites[passing].findings[index].requirement = .required
            report.document.sites[passing].findings[index].status = .notApplicable
            report.document.sites[passing].findings[index].resultCode = "not-authorised"
        }
        let site = report.document.sites[passing]
        let label = "Đạt (chưa kiểm tra 3 tiêu chí bắt buộc cần ủy quyền)"
        #expect(HTMLRenderer().render(report).contains(label))
        #expect(CSVRenderer().render(report).contains(label))
        #expect(MarkdownRenderer().render(report).contains(label))
        #expect(SummaryRenderer(language: .vi).render(report.document).contains(label))
        #expect(
            TerminalRenderer(language: .vi, colour: false).render(site).contains(
                "ĐẠT (chưa kiểm tra 3 tiêu chí bắt buộc cần ủy quyền)"))
        #expect(
            CSVRenderer().render(report).contains(
                "đáp ứng mọi tiêu chí đã kiểm tra; chưa kiểm tra 3 tiêu chí bắt buộc cần ủy quyền"))
        // A portal that ran them all keeps the plain word
        #expect(HTMLRenderer().render(try context()).contains(label) == false)
    }

    @Test("English HTML has no Vietnamese form")
    func english() throws {
        let html = HTMLRenderer().render(try context(.en))
        #expect(!html.contains("CỘNG HÒA") && !html.contains("Cộng hòa"))
        #expect(html.contains("Unofficial translation of the Vietnamese report"))
        #expect(html.contains("Appendix I") && html.contains("Appendix II") && html.contains("To:"))
        #expect(html.contains("Of 3 portals checked, 2 meet the technical criteria that can be checked from outside"))
        #expect(html.contains("23 November 2026"))
    }

    @Test("CSV: BOM, localized columns, RFC 4180 quoting, formulas neutralised")
    func csv() throws {
        let text = CSVRenderer().render(try context())
        #expect(text.hasPrefix("\u{FEFF}Địa chỉ,Tên cổng,Tỉnh/thành phố"))
        #expect(text.contains("Tiêu chí bắt buộc không đạt,Khuyến nghị chưa đáp ứng"))
        let lines = text.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 4)
        #expect(lines[2].contains("\"'=HYPERLINK(\"\"http://x\"\")<script>"))
        #expect(lines[2].contains("Không đạt"))
        #expect(!lines[2].contains("\u{1B}"))
        #expect(lines[1].hasPrefix("https://a.gov.vn/,Cổng xã A,Tỉnh Thanh Hóa"))
        let english = CSVRenderer().render(try context(.en))
        #expect(
            english.hasPrefix(
                "\u{FEFF}url,name,province,district,commune,level,profile,verdict,grade,grade_cause,score,required_failed,recommendations_unmet"
            ))
    }

    @Test("Markdown escapes table breakers and markup")
    func markdown() throws {
        let text = MarkdownRenderer().render(try context())
        #expect(text.contains("**2/3 cổng đạt các tiêu chí kỹ thuật kiểm tra được từ bên ngoài**"))
        #expect(!text.contains("<script>"))
        #expect(text.contains("\\<script\\>"))
        // Findings in words, not ids; required failures apart from recommendations
        #expect(text.contains("| Máy chủ còn chấp nhận TLS 1.0. |") && !text.contains("tls.min-version"))
        #expect(
            text.contains("Khuyến nghị chưa đáp ứng:\n\n- **Chưa bật HSTS")
                || text.contains("Khuyến nghị chưa đáp ứng:\n"))
    }

    @Test("Vietnamese numbers use a dot for thousands and a comma for decimals")
    func numbers() throws {
        var big = try context()
        big.document.summary = VerdictSummary([])
        big.document.summary.sites = 1_234
        big.document.summary.pass = 1_000
        let html = HTMLRenderer().render(big)
        #expect(html.contains("Trong số 1.234 cổng/trang"))
        let csv = try context()
        #expect(HTMLRenderer().render(csv).contains("66,7%"))
    }
}

@Suite("Report template")
struct ReportTemplateTests {
    @Test("the template compiled into the binary is the one under Sources/PortalAuditReport/Templates")
    func embedded() throws {
        let folder = Repository.root.appendingPathComponent("Sources/PortalAuditReport/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["report.css", "report.mustache"])
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(HTMLRenderer.embeddedTemplate(name) == text, "\(name) differs: run bash scripts/embed-profiles")
        }
    }
}
