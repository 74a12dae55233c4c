import Foundation
import PortalAuditCore
import PortalAuditReport
import PortalAuditTestSupport
import Testing

/// A two-portal document; the second portal is hostile (markup, quotes, control bytes, a formula).
private func context(_ language: Language = .vi) throws -> ReportContext {
    let profile = try ProfileLoader(searchPaths: [Repository.profiles]).load("vn-level2")
    let hostileText =
        "=HYPERLINK(\"http://x\")<script>document.body.setAttribute('data-pwned','1')</script>\"'\u{1B}[31m"
    func site(_ url: String, _ name: String, _ change: (inout Observation) -> Void) -> SiteResult {
        var target = Fixtures.target
        target.url = url
        target.name = name
        target.province = "Tỉnh Thanh Hóa"
        target.commune = "Xã Yên Thái"
        let observation = Fixtures.exemplary(change)
        let evaluation = Evaluator.evaluate(
            observation, profile: profile, context: EvaluationContext(now: Fixtures.now, target: target))
        return SiteResult(
            target: target, profile: profile.reference, verdict: evaluation.verdict, score: evaluation.score,
            grade: evaluation.grade, durationMS: 12, cost: ProbeCost(connections: 10, tlsHandshakes: 9, requests: 10),
            probes: [], observation: observation, findings: evaluation.findings)
    }
    let good = site("https://a.gov.vn/", "Cổng xã A") { _ in }
    let bad = site("https://b.gov.vn/", hostileText) {
        Fixtures.setHeader(&$0, "x-powered-by", hostileText)
        $0.page = PageFacts(title: hostileText, bytes: 10, truncated: false)
        $0.tls?.versions["TLSv1.0"] = .accepted
    }
    let document = ReportDocument(
        profile: profile, startedAt: Fixtures.now, finishedAt: Fixtures.now, sites: [bad, good])
    return ReportContext(
        document: document, runID: 7, language: language, unit: "Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        place: "Thanh Hóa", generatedAt: Date(timeIntervalSince1970: 1_795_400_000),  // 2026-11-23 Vietnam time
        previous: ["https://a.gov.vn/": PreviousResult(runID: 6, verdict: .fail, grade: "F", score: 40)])
}

@Suite("Report renderers")
struct RenderersTests {
    @Test("HTML follows the Vietnamese administrative form and escapes everything a site sent")
    func html() throws {
        let html = HTMLRenderer().render(try context())
        #expect(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(html.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(html.contains("Thanh Hóa, ngày 23 tháng 11 năm 2026"))
        #expect(html.contains("Trong số 2 cổng/trang được kiểm tra, 1 cổng đáp ứng yêu cầu cấp độ"))
        #expect(html.contains("vn-level2@2"))
        #expect(html.contains("▲ trước: Không đạt"))
        // No markup, quote or escape byte from the site survives unescaped; no script, no external resource
        #expect(!html.contains("<script"))
        #expect(!html.contains("'data-pwned'"))
        #expect(
            html.contains(
                "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;&quot;&#39;"))
        #expect(!html.contains("\u{1B}"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("default-src 'none'"))
        // Uptime per portal (bar) and per unit (the fixture's 2,590,000 s up, 2,000 s down on each portal)
        #expect(html.contains("Tỷ lệ hoạt động 30 ngày: <b>99,9%</b>"))
        #expect(html.contains("<td>99,9%</td>"))
    }

    @Test("English HTML has no Vietnamese form")
    func english() throws {
        let html = HTMLRenderer().render(try context(.en))
        #expect(!html.contains("CỘNG HÒA"))
        #expect(html.contains("Of 2 portals checked, 1 meet their security level"))
        #expect(html.contains("23 November 2026"))
    }

    @Test("CSV: BOM, localized columns, RFC 4180 quoting, formulas neutralised")
    func csv() throws {
        let text = CSVRenderer().render(try context())
        #expect(text.hasPrefix("\u{FEFF}Địa chỉ,Tên cổng,Tỉnh/thành"))
        let lines = text.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
        #expect(lines[2].contains("\"'=HYPERLINK(\"\"http://x\"\")<script>"))
        #expect(lines[2].contains("Không đạt"))
        #expect(!lines[2].contains("\u{1B}"))
        #expect(lines[1].hasPrefix("https://a.gov.vn/,Cổng xã A,Tỉnh Thanh Hóa"))
        let english = CSVRenderer().render(try context(.en))
        #expect(
            english.hasPrefix(
                "\u{FEFF}url,name,province,district,commune,level,profile,verdict,grade,score,failed_rules"))
    }

    @Test("Markdown escapes table breakers and markup")
    func markdown() throws {
        let text = MarkdownRenderer().render(try context())
        #expect(text.contains("**1/2 cổng đáp ứng yêu cầu cấp độ**"))
        #expect(!text.contains("<script>"))
        #expect(text.contains("\\<script\\>"))
        #expect(text.contains("`tls.min-version`"))
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
        #expect(HTMLRenderer().render(csv).contains("50,0%"))
    }
}
