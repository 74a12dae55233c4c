import Foundation
import PortalAuditCore
import PortalAuditReport
import Testing

@Suite("History renderer")
struct HistoryRendererTests {
    private let portal = PortalHistory(
        url: "https://xa-a.gov.vn/", name: "Xã A\u{1B}[31m",
        entries: [
            PortalHistory.Entry(
                runID: 2, observedAt: Date(timeIntervalSince1970: 1_795_000_000), verdict: .fail, score: 84,
                grade: "F", profile: "vn-level2@1", failedRules: ["tls.min-version"]),
            PortalHistory.Entry(
                runID: 1, observedAt: Date(timeIntervalSince1970: 1_794_900_000), verdict: .pass, score: 100,
                grade: "A", profile: "vn-level2@1", failedRules: []),
        ],
        uptime: [PortalHistory.Uptime(label: "24h", percent: 99.5), PortalHistory.Uptime(label: "7d", percent: nil)],
        outages: [Outage(start: Date(timeIntervalSince1970: 1_794_950_000), end: nil, cause: "connect")])

    @Test("per portal: uptime, outages, then verdicts newest first, in the chosen language")
    func layout() {
        let vi = HistoryRenderer.render([portal], language: .vi)
        let lines = vi.split(separator: "\n").map(String.init)
        #expect(lines[0] == "https://xa-a.gov.vn/ — Xã A[31m")
        #expect(lines[1] == "  Thời gian hoạt động: 24h 99.50% · 7d –")
        #expect(lines[2].hasPrefix("  Gián đoạn: ") && lines[2].hasSuffix("→ đang gián đoạn (connect)"))
        #expect(
            lines[3].contains("lượt 2") && lines[3].contains("Không đạt")
                && lines[3].hasSuffix("không đạt / chưa đáp ứng: tls.min-version"))
        #expect(lines[4].contains("lượt 1") && lines[4].contains("Đạt") && lines[4].hasSuffix("vn-level2@1"))
        #expect(!vi.contains(" run ") && !vi.contains("fail"))
        #expect(HistoryRenderer.render([portal], language: .en).contains("Uptime: 24h 99.50%"))
    }

    @Test("a site's name cannot send terminal escape sequences; an empty history says so")
    func hostileAndEmpty() {
        #expect(!HistoryRenderer.render([portal], language: .en).contains("\u{1B}"))
        #expect(HistoryRenderer.render([], language: .en) == "No results yet.\n")
    }
}
