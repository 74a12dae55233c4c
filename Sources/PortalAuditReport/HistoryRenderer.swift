import Foundation
import PortalAuditCore

/// The terminal text of `portal-audit history`: per portal, its uptime, outages and verdicts over time.
public enum HistoryRenderer {
    /// `unmonitored`: the stretches the monitor's own network was cut, said once at the top (their samples
    /// were not kept: they count neither as uptime nor as downtime).
    public static func render(
        _ portals: [PortalHistory], language: Language, unmonitored: [(start: Date, end: Date)] = []
    ) -> String {
        let vi = language == .vi
        if portals.isEmpty { return (vi ? "Chưa có kết quả nào." : "No results yet.") + "\n" }
        let formatter = ISO8601DateFormatter()
        var out = ""
        for gap in unmonitored.suffix(10) {
            out +=
                (vi
                    ? "Không giám sát được (máy giám sát mất kết nối, không tính là gián đoạn): "
                    : "Unmonitored (the monitor's own network was cut; not counted as downtime): ")
                + "\(formatter.string(from: gap.start)) → \(formatter.string(from: gap.end))\n"
        }
        for portal in portals {
            out += Sanitizer.terminal(portal.url) + (portal.name.map { " — \(Sanitizer.terminal($0))" } ?? "") + "\n"
            if !portal.uptime.isEmpty {
                let figures = portal.uptime.map {
                    "\($0.label) " + ($0.percent.map { String(format: "%.2f%%", $0) } ?? "–")
                }
                out += "  " + (vi ? "Thời gian hoạt động: " : "Uptime: ") + figures.joined(separator: " · ") + "\n"
            }
            for outage in portal.outages {
                let end = outage.end.map { formatter.string(from: $0) } ?? (vi ? "đang gián đoạn" : "ongoing")
                out +=
                    "  " + (vi ? "Gián đoạn: " : "Outage: ")
                    + "\(formatter.string(from: outage.start)) → \(end) (\(Sanitizer.terminal(outage.cause)))\n"
            }
            let words = Words(language: language)
            for entry in portal.entries {
                // A portal that passed with warnings failed no required criterion: its list is recommendations.
                let label =
                    entry.verdict == .fail
                    ? (vi ? "  không đạt / chưa đáp ứng: " : "  not met: ")
                    : (vi ? "  khuyến nghị chưa đáp ứng: " : "  recommendations not yet met: ")
                let failed = entry.failedRules.isEmpty ? "" : label + entry.failedRules.joined(separator: ", ")
                let verdict = words.verdict(entry.verdict).padding(toLength: 17, withPad: " ", startingAt: 0)
                out +=
                    "  \(formatter.string(from: entry.observedAt))  \(vi ? "lượt" : "run") \(entry.runID)  \(verdict) \(entry.grade) "
                    + "\(String(format: "%3d", entry.score))  \(Sanitizer.terminal(entry.profile))\(failed)\n"
            }
        }
        return out
    }
}
