import Foundation
import PortalAuditCore

/// One line per portal (verdict, grade, score, failed rules) and the totals: a fleet at a glance.
public struct SummaryRenderer: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    public func render(_ document: ReportDocument) -> String {
        let vi = language == .vi
        var out = ""
        for site in document.sites {
            let failed = site.findings.filter { $0.status == .fail }.map(\.rule)
            let verdict = site.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            out +=
                "\(verdict) \(site.grade) \(String(format: "%3d", site.score))  \(Sanitizer.terminal(site.target.url))  \(site.profile.label)"
            out += failed.isEmpty ? "\n" : (vi ? "  không đạt: " : "  fails: ") + failed.joined(separator: ", ") + "\n"
        }
        let s = document.summary
        out +=
            vi
            ? "Tổng: \(s.sites) cổng — đạt \(s.pass), cảnh báo \(s.warn), chưa đủ căn cứ \(s.incomplete), không đạt \(s.fail) (hồ sơ \(document.profile.id)@\(document.profile.version))\n"
            : "Total: \(s.sites) portals — pass \(s.pass), warn \(s.warn), incomplete \(s.incomplete), fail \(s.fail) (profile \(document.profile.id)@\(document.profile.version))\n"
        return out
    }
}
