import Foundation
import PortalAuditCore

/// One line per portal (verdict, grade, score, unmet rules by requirement) and the totals: a fleet at a glance.
public struct SummaryRenderer: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    public func render(_ document: ReportDocument) -> String {
        let vi = language == .vi
        let w = Words(language: language)
        let width = document.sites.map { w.verdict($0).count }.max() ?? 0
        var out = ""
        for site in document.sites {
            let required = site.findings.filter { $0.status == .fail && $0.requirement == .required }.map {
                $0.title(language)
            }
            let recommended = site.findings.filter { $0.status == .fail && $0.requirement == .recommended }.map {
                $0.title(language)
            }
            let verdict = w.verdict(site).padding(toLength: width, withPad: " ", startingAt: 0)
            out +=
                "\(verdict)  \(site.grade) \(String(format: "%3d", site.score))  \(Sanitizer.terminal(site.target.url))  \(w.profile(site)) (\(site.profile.label))"
            if !required.isEmpty {
                out += (vi ? "  bắt buộc không đạt: " : "  required not met: ") + required.joined(separator: "; ")
            }
            if !recommended.isEmpty {
                out +=
                    (vi ? "  khuyến nghị chưa đáp ứng: " : "  recommendations not yet met: ")
                    + recommended.joined(separator: "; ")
            }
            out += "\n"
        }
        let s = document.summary
        out +=
            vi
            ? "Tổng: \(s.sites) cổng — đạt \(s.pass), đạt có cảnh báo \(s.warn), chưa đủ căn cứ \(s.incomplete), không đạt \(s.fail) (bộ tiêu chí \(document.profile.id)@\(document.profile.version))\n"
            : "Total: \(s.sites) portals — pass \(s.pass), pass with warnings \(s.warn), incomplete \(s.incomplete), fail \(s.fail) (criteria \(document.profile.id)@\(document.profile.version))\n"
        return out
    }
}
