import Foundation
import PortalAuditCore
import PortalAuditReport

/// The digests of one period: for each recipient (the province's list, each unit's addresses) its own portals
/// in the latest finished scan — failing, worse and better than in the scan of the previous digest — each
/// finding in a sentence with its fix, in Vietnamese. Pure: the monitor gives it the results and sends what it
/// makes.
public enum DigestBuilder {
    /// One recipient's digest: its addresses and the message (subject in `name`, lines in `detail`).
    public struct Letter: Sendable, Equatable {
        public var to: [String]
        public var alert: Alert
    }

    /// The letters for `results` against `previous` (verdicts by URL, at the previous digest), the province's
    /// `province` addresses receiving every portal, each unit its own (`units`: the inventory's
    /// `Target.unitRecipients` by URL; stored results do not keep them).
    public static func letters(
        results: [SiteResult], previous: [String: Verdict], province: [String], units: [String: [String]],
        dashboard: String?, at: Date
    ) -> [Letter] {
        var groups: [[String]: [SiteResult]] = [:]
        var order: [[String]] = []
        func add(_ to: [String], _ site: SiteResult) {
            guard !to.isEmpty else { return }
            if groups[to] == nil { order.append(to) }
            groups[to, default: []].append(site)
        }
        for site in results.sorted(by: { $0.target.url < $1.target.url }) {
            add(province, site)
            add((units[site.target.url] ?? []).filter { !province.contains($0) }, site)
        }
        return order.compactMap { to in
            guard let sites = groups[to] else { return nil }
            return Letter(
                to: to,
                alert: letter(sites, previous: previous, dashboard: dashboard, at: at, whole: to == province))
        }
    }

    static func letter(
        _ sites: [SiteResult], previous: [String: Verdict], dashboard: String?, at: Date, whole: Bool
    ) -> Alert {
        let failing = sites.filter { $0.verdict == .fail }
        let worse = sites.filter { site in previous[site.target.url].map { site.verdict.rank < $0.rank } ?? false }
        let better = sites.filter { site in previous[site.target.url].map { site.verdict.rank > $0.rank } ?? false }
        let first: Target? = sites.first?.target
        var unit: String = first?.url ?? ""
        if whole {
            unit =
                first?.province.map { (province: String) -> String in "Toàn \(province)" }
                ?? "Toàn bộ \(sites.count) cổng"
        } else if let named = first?.commune ?? first?.district ?? first?.name {
            unit = named
        }
        let subject = "\(unit): \(failing.count) không đạt, \(worse.count) kém đi, \(better.count) tốt lên"
        let words = Words(language: .vi)
        var lines = [
            "Bản tin tình trạng \(sites.count) cổng/trang của \(unit), theo lần quét gần nhất.", "",
        ]
        func portal(_ site: SiteResult) -> String {
            let name = site.target.name.map { "\($0) (\(site.target.url))" } ?? site.target.url
            let encoded: String = site.target.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let link: String = dashboard.map { (base: String) -> String in " — \(base)/portal?url=\(encoded)" } ?? ""
            return "- \(name): \(words.verdict(site.verdict))\(link)"
        }
        func findings(_ site: SiteResult) -> [String] {
            site.findings.filter { $0.status == .fail && $0.requirement == .required }.prefix(5).flatMap { finding in
                var out = ["    • " + finding.sentence(.vi)]
                if let advice = RuleRegistry.rule(finding.rule)?.descriptor.advice.vi {
                    out.append("      Cách khắc phục: " + advice)
                }
                return out
            }
        }
        for (title, group, detailed) in [
            ("Kém đi so với bản tin trước", worse, false), ("Tốt lên so với bản tin trước", better, false),
            ("Không đạt", failing, true),
        ] where !group.isEmpty {
            lines.append("\(title) (\(group.count)):")
            for site in group {
                lines.append(portal(site))
                if detailed { lines += findings(site) }
            }
            lines.append("")
        }
        if failing.isEmpty && worse.isEmpty && better.isEmpty {
            lines.append("Không cổng nào không đạt, không thay đổi so với bản tin trước.")
        }
        return Alert(
            kind: .digest, url: "digest:\(unit)", name: subject, at: at, detail: lines.joined(separator: "\n"))
    }
}
