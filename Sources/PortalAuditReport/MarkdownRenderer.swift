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
                "Technical review of the cybersecurity of government web portals",
                "Kết quả rà soát kỹ thuật về bảo đảm an ninh mạng các cổng/trang thông tin điện tử") + "\n\n"
        let labels = Array(Set(doc.sites.map { w.profile($0) })).sorted()
        out +=
            w.t("Criteria", "Bộ tiêu chí") + ": \(e(labels.joined(separator: ", "))) · "
            + w.t("observed", "thời gian quét") + " \(FindingValues.dateTime(doc.startedAt)(w.language)) – "
            + "\(FindingValues.dateTime(doc.finishedAt)(w.language))\n\n"
        out +=
            w.t(
                "**\(w.number(s.pass + s.warn)) of \(w.number(s.sites)) portals meet the technical criteria that can be checked from outside** (\(w.number(s.pass)) with nothing left to do, \(w.number(s.warn)) with recommendations not yet met); \(w.number(s.fail)) fail a required criterion, \(w.number(s.incomplete)) incomplete.",
                "**\(w.number(s.pass + s.warn))/\(w.number(s.sites)) cổng đạt các tiêu chí kỹ thuật kiểm tra được từ bên ngoài** (\(w.number(s.pass)) đạt, \(w.number(s.warn)) đạt nhưng còn khuyến nghị chưa đáp ứng); \(w.number(s.fail)) không đạt tiêu chí bắt buộc, \(w.number(s.incomplete)) chưa đủ căn cứ."
            ) + "\n\n"
        out +=
            "> "
            + w.t(
                "An outside review at the time of scanning; it does not replace the assessment by level the law requires. Thresholds marked “international yardstick” or “tool default” are not Vietnamese law.",
                "Kết quả rà soát kỹ thuật từ bên ngoài tại thời điểm quét; không thay thế việc đánh giá theo cấp độ mà pháp luật quy định. Các ngưỡng ghi “chuẩn quốc tế” hoặc “mặc định của công cụ” không phải quy định của pháp luật Việt Nam."
            ) + "\n\n"
        out +=
            "| # | "
            + [
                w.t("Portal", "Cổng/trang"), w.t("Verdict", "Kết luận"), w.t("Grade", "Xếp loại"),
                w.t("Since last run", "So với lần trước"),
                w.t("Required criteria not met", "Tiêu chí bắt buộc không đạt"),
                w.t("Recommendations not yet met", "Khuyến nghị chưa đáp ứng"),
            ].joined(separator: " | ") + " |\n"
        out += "|---|---|---|---|---|---|---|\n"
        func names(_ site: SiteResult, _ requirement: Requirement) -> String {
            site.findings.filter { $0.status == .fail && $0.requirement == requirement }.map {
                e($0.sentence(context.language))
            }.joined(separator: " ")
        }
        let ordered = ReportView.ordered(doc.sites)
        for (index, site) in ordered.enumerated() {
            let name = site.target.name.map { e($0) + " " } ?? ""
            out +=
                "| \(index + 1) | \(name)\(e(site.target.url)) | \(w.verdict(site)) | \(e(site.grade)) (\(e(context.gradeCause(site)(context.language)))) | \(e(w.change(site, context.previous[site.target.url]))) | \(names(site, .required)) | \(names(site, .recommended)) |\n"
        }
        let failing = ordered.filter { site in site.findings.contains { $0.status == .fail } }
        if !failing.isEmpty {
            out += "\n## " + w.t("What to fix", "Cần khắc phục") + "\n"
            for site in failing {
                out += "\n### \(e(site.target.name ?? site.target.url))\n"
                for requirement in [Requirement.required, .recommended] {
                    let findings = site.findings.filter { $0.status == .fail && $0.requirement == requirement }
                    guard !findings.isEmpty else { continue }
                    out +=
                        "\n"
                        + (requirement == .required
                            ? w.t("Required criteria not met", "Tiêu chí bắt buộc không đạt")
                            : w.t("Recommendations not yet met", "Khuyến nghị chưa đáp ứng")) + ":\n\n"
                    for finding in findings {
                        let evidence = w.siteEvidence(finding).map { "\(e($0.0)): \(e($0.1))" }.joined(separator: "; ")
                        out +=
                            "- **\(e(finding.title(context.language)))**: \(e(finding.sentence(context.language)))"
                            + (evidence.isEmpty ? "" : " (\(evidence))") + "\n"
                        out += "  - " + e(w.basis(finding)) + "\n"
                    }
                }
            }
        }
        return out
    }
}
