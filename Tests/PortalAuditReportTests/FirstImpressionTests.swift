import Foundation
import PortalAuditCore
import PortalAuditReport
import PortalAuditTestSupport
import Testing

@Suite("First impressions: grouped advice, unit totals, bilingual sources")
struct FirstImpressionTests {
    private func site(
        _ url: String, province: String, district: String? = nil, commune: String?, profile: Profile,
        _ change: (inout Observation) -> Void = { _ in }
    ) -> SiteResult {
        var target = Fixtures.target
        target.url = url
        target.province = province
        target.district = district
        target.commune = commune
        let observation = Fixtures.exemplary(change)
        let evaluation = Evaluator.evaluate(
            observation, profile: profile, context: EvaluationContext(now: Fixtures.now, target: target))
        return SiteResult(
            target: target, profile: profile.reference, verdict: evaluation.verdict, score: evaluation.score,
            grade: evaluation.grade, durationMS: 12, cost: ProbeCost(connections: 10, tlsHandshakes: 9, requests: 10),
            probes: [], observation: observation, findings: evaluation.findings)
    }

    private func profile(_ id: String = "vn-level3") throws -> Profile {
        try ProfileLoader(searchPaths: [Repository.profiles]).load(id)
    }

    @Test("several missing headers give one fix block per server with every missing header, not six advices")
    func groupedHeaderAdvice() throws {
        // Given a portal that sends none of the security headers
        let bare = site("https://a.gov.vn/", province: "Tỉnh A", commune: "Xã B", profile: try profile()) {
            for name in [
                "strict-transport-security", "content-security-policy", "x-frame-options",
                "x-content-type-options", "referrer-policy", "permissions-policy",
            ] {
                Fixtures.setHeader(&$0, name, nil)
            }
        }
        // When it is rendered for a terminal
        let text = TerminalRenderer(language: .en, colour: false).render(bare)
        // Then the headers area has no per-rule advice, and one block per server lists each header once
        #expect(!text.contains("Fix: Send `Strict-Transport-Security"))
        #expect(text.components(separatedBy: "Fix (the 6 criteria above").count == 2)
        for line in [
            "add_header Strict-Transport-Security", "Header always set X-Frame-Options SAMEORIGIN",
            "<add name=\"Permissions-Policy\"", "add_header Referrer-Policy",
        ] {
            #expect(text.components(separatedBy: line).count == 2, "\(line)")
        }
        #expect(text.contains("nginx (in the server block") && text.contains("Apache (") && text.contains("IIS ("))
        // And the basis reads in English, with the Vietnamese document names kept
        #expect(
            text.contains(
                "Basis of the conclusion: no Vietnamese text sets this threshold; references: International yardstick")
                && !text.contains("Chuẩn quốc tế"))
        // And a single missing header keeps its own advice
        let one = site("https://a.gov.vn/", province: "Tỉnh A", commune: "Xã B", profile: try profile()) {
            Fixtures.setHeader(&$0, "x-frame-options", nil)
            Fixtures.setHeader(&$0, "content-security-policy", "default-src 'self'; object-src 'none'; base-uri 'self'")
        }
        let single = TerminalRenderer(language: .en, colour: false).render(one)
        #expect(single.contains("Fix: Send `X-Frame-Options: SAMEORIGIN`") && !single.contains("Fix (the"))
    }

    @Test("the unit table puts the province and district totals first, then ranks the communes")
    func unitTotalsFirst() throws {
        // Given a province with a district of two communes, the worse commune sorting after the province by name
        let level = try profile("vn-level2")
        let sites = [
            site("https://a.gov.vn/", province: "Tỉnh A", district: "Huyện B", commune: "Xã C", profile: level),
            site("https://b.gov.vn/", province: "Tỉnh A", district: "Huyện B", commune: "Xã D", profile: level) {
                $0.tls?.versions[.tls10] = .accepted
            },
        ]
        let document = ReportDocument(profile: level, startedAt: Fixtures.now, finishedAt: Fixtures.now, sites: sites)
        let context = ReportContext(
            document: document, runID: 1, language: .en, form: ReportForm(unit: "Sở", place: "A"),
            generatedAt: Fixtures.now, previous: [:])
        // When the HTML report is rendered
        let html = HTMLRenderer().render(context)
        // Then the rows read: the province total, the district total, then the failing commune, then the other
        let order = [
            "<td>Tỉnh A</td>", "<td>– Huyện B</td>", "<td>– Xã D</td>", "<td>– Xã C</td>",
        ].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(html.contains("<tr class=\"total\"><td>Tỉnh A</td>"))
    }

    @Test("every shipped rule setting cites its basis in both languages, Vietnamese document names kept")
    func bilingualSources() throws {
        for id in (1...5).map({ "vn-level\($0)" }) {
            for (rule, setting) in try profile(id).rules {
                let en = try #require(setting.sourceEN, "\(id) \(rule) has no English source")
                #expect(!en.isEmpty && en != setting.source)
                #expect(
                    !en.contains("Chuẩn quốc tế") && !en.contains("mặc định của công cụ")
                        && !en.contains("trước 01/7/2026"),
                    "\(id) \(rule): \(en)")
                // Document names (NĐ, TT, TCVN …) stay as the Vietnamese text writes them
                for name in ["NĐ 224/2026", "TT 39/2017", "TCVN 14423:2026"] where setting.source.contains(name) {
                    #expect(en.contains(name), "\(id) \(rule) lost \(name)")
                }
            }
        }
    }
}
