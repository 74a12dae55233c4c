import Foundation
import PortalAuditCore

/// The report for tickets and chat: the summary, a table of portals, and what each failing portal must fix.
public struct MarkdownRenderer: Sendable {
    public init() {}

    /// Escapes text for a Markdown table cell: no markup, no HTML, no line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|", "\\", "`", "*", "_", "[", "]", "<", ">", "#", "!": out += "\\" + String(scalar)
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.properties.generalCategory != .control { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    public func render(_ context: ReportContext) -> String {
        let w = Words(language: context.language)
        let doc = context.document
        let s = doc.summary
        let e = Self.escape
        var out =
            "# "
            + w.t(
                "Information security inspection of government web portals",
                "Báo cáo kiểm tra an toàn thông tin cổng/trang thông tin điện tử") + "\n\n"
        out +=
            w.t("Profile", "Hồ sơ") + ": \(e(doc.profile.id))@\(doc.profile.version) · "
            + w.t("observed", "thời gian quét") + " \(w.dateTime(doc.startedAt)) – \(w.dateTime(doc.finishedAt))\n\n"
        out +=
            w.t(
                "**\(w.number(s.pass + s.warn)) of \(w.number(s.sites)) portals meet their level** (\(w.number(s.pass)) pass, \(w.number(s.warn)) with warnings); \(w.number(s.fail)) fail, \(w.number(s.incomplete)) incomplete.",
                "**\(w.number(s.pass + s.warn))/\(w.number(s.sites)) cổng đáp ứng yêu cầu cấp độ** (\(w.number(s.pass)) đạt, \(w.number(s.warn)) có cảnh báo); \(w.number(s.fail)) không đạt, \(w.number(s.incomplete)) chưa đủ căn cứ."
            ) + "\n\n"
        out +=
            "| # | "
            + [
                w.t("Portal", "Cổng"), w.t("Verdict", "Kết luận"), w.t("Grade", "Hạng"), w.t("Score", "Điểm"),
                w.t("Since last run", "So với lần trước"), w.t("Rules failed", "Quy tắc không đạt"),
            ].joined(separator: " | ") + " |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for (index, site) in doc.sites.enumerated() {
            let failed = site.findings.filter { $0.status == .fail }.map { "`\($0.rule)`" }.joined(separator: ", ")
            let name = site.target.name.map { e($0) + " " } ?? ""
            out +=
                "| \(index + 1) | \(name)\(e(site.target.url)) | \(w.verdict(site.verdict)) | \(e(site.grade)) | \(site.score) | \(e(w.change(site, context.previous[site.target.url]))) | \(failed) |\n"
        }
        let failing = doc.sites.filter { site in site.findings.contains { $0.status == .fail } }
        if !failing.isEmpty {
            out += "\n## " + w.t("What to fix", "Cần khắc phục") + "\n"
            for site in failing {
                out += "\n### \(e(site.target.name ?? site.target.url))\n\n"
                for finding in site.findings where finding.status == .fail {
                    let evidence = finding.evidence.keys.sorted().map { "\(e($0))=\(e(finding.evidence[$0] ?? ""))" }
                        .joined(separator: "; ")
                    out +=
                        "- **\(e(finding.title(context.language)))** (`\(finding.rule)`, \(w.requirement(finding.requirement))): \(evidence)\n"
                    out += "  - " + w.t("Basis", "Căn cứ") + ": \(e(finding.source(w.language)))\n"
                }
            }
        }
        return out
    }
}
