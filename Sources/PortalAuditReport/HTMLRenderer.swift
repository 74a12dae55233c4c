import Foundation
import PortalAuditCore

/// The inspection report as one self-contained HTML file: inline CSS and SVG, no script, no external
/// resource; readable on screen and printed on A4. Under `vi` the first page follows the form of a
/// Vietnamese administrative report (Quốc hiệu, tiêu ngữ, unit, place and date, title).
///
/// Everything that came from a site (titles, header values, cookie names, URLs, evidence) goes through
/// `escape`, and the page forbids scripts with its own CSP, so hostile content is shown as text only.
public struct HTMLRenderer: Sendable {
    public init() {}

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static let style = """
        @page { size: A4; margin: 18mm 15mm 18mm 20mm; }
        * { box-sizing: border-box; }
        body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 12pt; color: #111; margin: 0 auto; max-width: 1100px; padding: 16px; }
        h1, h2, h3 { font-family: "DejaVu Sans", Arial, sans-serif; }
        h1 { font-size: 15pt; text-align: center; margin: 18px 0 4px; }
        h2 { font-size: 13pt; border-bottom: 1px solid #888; margin-top: 26px; }
        h3 { font-size: 12pt; margin: 18px 0 4px; }
        .form { display: grid; grid-template-columns: 1fr 1.5fr; text-align: center; gap: 12px; font-size: 11.5pt; }
        .form .unit b { text-transform: uppercase; }
        .form .motto b { display: block; }
        .form .motto u { font-weight: bold; }
        .place { text-align: right; font-style: italic; margin: 8px 0 20px; }
        .subtitle { text-align: center; font-weight: bold; margin-bottom: 20px; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 10pt; }
        th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; overflow-wrap: break-word; }
        table.portals { table-layout: fixed; }
        .url { word-break: break-all; }
        thead { display: table-header-group; }
        tr { page-break-inside: avoid; }
        .pass { color: #116611; } .warn { color: #8a5a00; } .incomplete { color: #6a2a8a; } .fail { color: #b00000; font-weight: bold; }
        tr.total td { font-weight: bold; background: #f2f2f2; }
        .na, .inconclusive { color: #666; }
        .portal { page-break-before: always; }
        .small { font-size: 9pt; color: #444; }
        .sign { display: grid; grid-template-columns: 1fr 1fr; text-align: center; margin-top: 36px; font-weight: bold; }
        .sign span { display: block; font-weight: normal; font-style: italic; margin-bottom: 70px; }
        @media screen { .portal { border-top: 3px solid #ccc; padding-top: 6px; } }
        """

    /// The whole report.
    public func render(_ context: ReportContext) -> String {
        let w = Words(language: context.language)
        let doc = context.document
        let e = Self.escape
        var out = """
            <!DOCTYPE html>
            <html lang="\(context.language.rawValue)"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(w.t("Information security inspection of government web portals", "Báo cáo kiểm tra an toàn thông tin cổng/trang thông tin điện tử")))</title>
            <style>\(Self.style)</style></head><body>

            """
        out += header(context, w)
        out += summary(context, w)
        out += portalTable(context, w)
        for (index, site) in doc.sites.enumerated() {
            out += portalSection(site, number: index + 1, context: context, w)
        }
        out += appendix(context, w)
        if context.language == .vi {
            out += """
                <div class="sign"><div>NGƯỜI LẬP BÁO CÁO<span>(Ký, ghi rõ họ tên)</span></div>\
                <div>THỦ TRƯỞNG ĐƠN VỊ<span>(Ký tên, đóng dấu)</span></div></div>

                """
        }
        out +=
            "<p class=\"small\">portal-audit \(e(doc.toolVersion)) · schema \(doc.schemaVersion) · evaluation \(doc.evaluationVersion) · "
            + "\(e(doc.profile.id))@\(doc.profile.version) \(e(doc.profile.digest))</p>\n</body></html>\n"
        return out
    }

    private func header(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let doc = context.document
        var out = ""
        if context.language == .vi {
            let unit = context.unit.isEmpty ? "Đơn vị báo cáo" : context.unit
            let place = context.place.isEmpty ? "" : context.place + ", "
            out += """
                <div class="form"><div class="unit"><b>\(e(unit))</b><br><span class="small">Số: ……/BC-……</span></div>\
                <div class="motto"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><u>Độc lập - Tự do - Hạnh phúc</u></div></div>
                <p class="place">\(e(place))\(e(w.longDate(context.generatedAt)))</p>
                <h1>BÁO CÁO</h1>
                <p class="subtitle">Kết quả kiểm tra an toàn thông tin các cổng/trang thông tin điện tử<br>theo \(e(doc.profile.title.vi))</p>

                """
        } else {
            out += """
                <p class="small">\(e(context.unit))</p>
                <h1>Information security inspection of government web portals</h1>
                <p class="subtitle">Judged against \(e(doc.profile.title.en))<br>\(e(context.place.isEmpty ? "" : context.place + ", "))\(e(w.longDate(context.generatedAt)))</p>

                """
        }
        let run = context.runID.map { w.t("run ", "lượt quét ") + String($0) + " · " } ?? ""
        out +=
            "<p class=\"small\">\(e(run))\(e(w.t("observed", "thời gian quét"))): \(e(w.dateTime(doc.startedAt))) – \(e(w.dateTime(doc.finishedAt)))</p>\n"
        return out
    }

    private func summary(_ context: ReportContext, _ w: Words) -> String {
        let s = context.document.summary
        let meets = s.pass + s.warn
        var out = "<h2>\(w.t("1. Summary", "1. Tổng hợp kết quả"))</h2>\n<p class=\"lead\">"
        out += w.t(
            "Of \(w.number(s.sites)) portals checked, \(w.number(meets)) meet their security level (\(w.number(s.pass)) pass, \(w.number(s.warn)) pass with warnings), \(w.number(s.fail)) fail it and \(w.number(s.incomplete)) could not be fully judged.",
            "Trong số \(w.number(s.sites)) cổng/trang được kiểm tra, \(w.number(meets)) cổng đáp ứng yêu cầu cấp độ (\(w.number(s.pass)) đạt, \(w.number(s.warn)) đạt có cảnh báo), \(w.number(s.fail)) cổng không đạt và \(w.number(s.incomplete)) cổng chưa đủ căn cứ kết luận."
        )
        out += "</p>\n" + bar(s, w)
        out +=
            "<h3>\(w.t("By unit: totals, then units worst first", "Theo đơn vị: tổng, rồi các đơn vị kém nhất trước"))</h3>\n"
        out +=
            "<table><thead><tr><th>\(w.t("Unit", "Đơn vị"))</th><th>\(w.t("Portals", "Số cổng"))</th><th>\(w.verdict(.pass))</th><th>\(w.verdict(.warn))</th><th>\(w.verdict(.incomplete))</th><th>\(w.verdict(.fail))</th><th>\(w.t("Meeting the level", "Tỷ lệ đáp ứng"))</th><th>\(w.t("Uptime, 30 days", "Hoạt động 30 ngày"))</th></tr></thead><tbody>\n"
        for unit in UnitSummary.rows(context.document.sites, language: context.language) {
            let uptime = unit.uptimePercent.map { w.percent(Int(($0 * 100).rounded()), of: 10_000) } ?? "–"
            out +=
                "<tr\(unit.isTotal ? " class=\"total\"" : "")><td>\(Self.escape(unit.name))</td><td>\(w.number(unit.total))</td><td>\(w.number(unit.pass))</td><td>\(w.number(unit.warn))</td><td>\(w.number(unit.incomplete))</td><td class=\"\(unit.fail > 0 ? "fail" : "")\">\(w.number(unit.fail))</td><td>\(w.percent(unit.pass + unit.warn, of: unit.total))</td><td>\(uptime)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func bar(_ s: VerdictSummary, _ w: Words) -> String {
        guard s.sites > 0 else { return "" }
        let parts: [(Verdict, Int, String)] = [
            (.pass, s.pass, "#3a9a3a"), (.warn, s.warn, "#d9a400"), (.incomplete, s.incomplete, "#8a5aaa"),
            (.fail, s.fail, "#c0392b"),
        ]
        var x = 0.0
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"54\" viewBox=\"0 0 600 54\" role=\"img\" aria-label=\"\(w.t("verdicts", "kết luận"))\">"
        for (verdict, count, colour) in parts where count > 0 {
            let width = 600.0 * Double(count) / Double(s.sites)
            out += String(
                format:
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"28\" fill=\"%@\"><title>%@: %@</title></rect>", x,
                width, colour, w.verdict(verdict), w.number(count))
            x += width
        }
        x = 0
        for (verdict, count, colour) in parts {
            out += String(
                format:
                    "<rect x=\"%.0f\" y=\"38\" width=\"10\" height=\"10\" fill=\"%@\"/><text x=\"%.0f\" y=\"47\" font-size=\"10\">%@ %@</text>",
                x, colour, x + 14, Self.escape(w.verdict(verdict)), w.number(count))
            x += 150
        }
        return out + "</svg>\n"
    }

    private func portalTable(_ context: ReportContext, _ w: Words) -> String {
        var out = "<h2>\(w.t("2. All portals", "2. Danh sách cổng/trang được kiểm tra"))</h2>\n"
        out +=
            "<table class=\"portals\"><colgroup><col style=\"width:4%\"><col style=\"width:28%\"><col style=\"width:14%\"><col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:5%\"><col style=\"width:6%\"><col style=\"width:9%\"><col style=\"width:14%\"></colgroup>"
        out +=
            "<thead><tr><th>#</th><th>\(w.t("Portal", "Cổng/trang"))</th><th>\(w.t("Unit", "Đơn vị"))</th><th>\(w.t("Profile", "Hồ sơ"))</th><th>\(w.t("Verdict", "Kết luận"))</th><th>\(w.t("Grade", "Hạng"))</th><th>\(w.t("Score", "Điểm"))</th><th>\(w.t("Since last run", "So với lần trước"))</th><th>\(w.t("Rules failed", "Quy tắc không đạt"))</th></tr></thead><tbody>\n"
        for (index, site) in context.document.sites.enumerated() {
            let failed = site.findings.filter { $0.status == .fail }.map(\.rule).joined(separator: ", ")
            let unit = UnitSummary.unitName(site.target, language: context.language)
            out +=
                "<tr><td>\(index + 1)</td><td>\(site.target.name.map { Self.escape($0) + "<br>" } ?? "")<span class=\"small url\">\(Self.escape(site.target.url))</span></td>"
                + "<td>\(Self.escape(unit))</td><td>\(Self.escape(site.profile.label))</td>"
                + "<td class=\"\(site.verdict.rawValue)\">\(w.verdict(site.verdict))</td><td>\(Self.escape(site.grade))</td><td>\(site.score)</td>"
                + "<td>\(Self.escape(w.change(site, context.previous[site.target.url])))</td><td class=\"small\">\(Self.escape(failed))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func portalSection(_ site: SiteResult, number: Int, context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        var out = "<section class=\"portal\"><h3>3.\(number). \(e(site.target.name ?? site.target.url))</h3>\n<p>"
        out += "<span class=\"small\">\(e(site.target.url))</span><br>"
        out +=
            "\(w.t("Verdict", "Kết luận")): <b class=\"\(site.verdict.rawValue)\">\(w.verdict(site.verdict))</b> · "
            + "\(w.t("grade", "hạng")) \(e(site.grade)) · \(w.t("score", "điểm")) \(site.score)/100 · "
            + "\(w.t("judged by", "hồ sơ đánh giá")) \(e(site.profile.label)) · \(w.t("since last run", "so với lần trước")): \(e(w.change(site, context.previous[site.target.url])))"
        if let title = site.observation.page?.title {
            out += "<br>\(w.t("Page title", "Tiêu đề trang")): “\(e(title))”"
        }
        if let uptime = site.observation.uptime, let percent = uptime.percent {
            let permille = Int((percent * 10).rounded())
            let shown = w.language == .vi ? "\(permille / 10),\(permille % 10)%" : "\(permille / 10).\(permille % 10)%"
            out +=
                "<br>\(w.t("Uptime over 30 days", "Tỷ lệ hoạt động 30 ngày")): <b>\(shown)</b> · \(uptime.outages.count) \(w.t("outages", "lần gián đoạn"))"
                + String(
                    format:
                        " <svg width=\"120\" height=\"10\" role=\"img\"><rect width=\"120\" height=\"10\" fill=\"#c0392b\"/><rect width=\"%.1f\" height=\"10\" fill=\"#3a9a3a\"/></svg>",
                    120 * percent / 100)
        }
        out +=
            "<br><span class=\"small\">\(w.t("Cost", "Chi phí quét")): \(site.cost.connections) \(w.t("connections", "kết nối")), \(site.cost.tlsHandshakes) TLS, \(site.durationMS) ms</span></p>\n"
        out +=
            "<table><thead><tr><th>\(w.t("Rule", "Quy tắc"))</th><th>\(w.t("Result", "Kết quả"))</th><th>\(w.t("Evidence", "Bằng chứng"))</th><th>\(w.t("Basis and what to do", "Căn cứ và khắc phục"))</th></tr></thead><tbody>\n"
        for finding in site.findings {
            let cls = finding.status == .notApplicable ? "na" : finding.status.rawValue
            let evidence = finding.evidence.keys.sorted().map { "\(e($0)): \(e(finding.evidence[$0] ?? ""))" }.joined(
                separator: "<br>")
            var basis = ""
            if finding.status == .fail || finding.status == .inconclusive {
                basis =
                    e(finding.source(w.language))
                    + (finding.confidence.map { " <span class=\"small\">(\(e($0)))</span>" } ?? "")
                if finding.status == .fail, let rule = RuleRegistry.rule(finding.rule) {
                    basis += "<br><b>\(w.t("Fix", "Khắc phục")):</b> " + e(rule.descriptor.advice(context.language))
                }
            }
            out +=
                "<tr><td>\(e(finding.title(context.language)))<br><span class=\"small\">\(e(finding.rule)) · \(w.requirement(finding.requirement))</span></td>"
                + "<td class=\"\(cls)\">\(w.status(finding.status))</td><td class=\"small\">\(evidence)</td><td class=\"small\">\(basis)</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    private func appendix(_ context: ReportContext, _ w: Words) -> String {
        var profiles: [String: (String, [String: (Requirement, String)])] = [:]
        for site in context.document.sites where profiles[site.profile.label] == nil {
            profiles[site.profile.label] = (
                site.profile.label,
                Dictionary(
                    uniqueKeysWithValues: site.findings.map { ($0.rule, ($0.requirement, $0.source(w.language))) })
            )
        }
        var out =
            "<section class=\"portal\"><h2>\(w.t("4. Basis of every rule, per profile", "4. Căn cứ của từng quy tắc theo hồ sơ"))</h2>\n"
        for label in profiles.keys.sorted() {
            guard let rules = profiles[label]?.1 else { continue }
            out +=
                "<h3>\(Self.escape(label))</h3><table><thead><tr><th>\(w.t("Rule", "Quy tắc"))</th><th>\(w.t("Requirement", "Yêu cầu"))</th><th>\(w.t("Source", "Căn cứ"))</th></tr></thead><tbody>\n"
            for rule in rules.keys.sorted() {
                guard let (requirement, source) = rules[rule] else { continue }
                out +=
                    "<tr><td>\(Self.escape(rule))</td><td>\(w.requirement(requirement))</td><td class=\"small\">\(Self.escape(source))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }
}

/// Verdict counts per unit (province / district / commune), worst first.
struct UnitSummary {
    var name: String
    var counts = VerdictSummary()
    /// A province or district row that sums the units within it.
    var isTotal = false
    var total: Int { counts.sites }
    var pass: Int { counts.pass }
    var warn: Int { counts.warn }
    var incomplete: Int { counts.incomplete }
    var fail: Int { counts.fail }
    /// Monitored up and down seconds over 30 days, summed over the unit's portals.
    var upSeconds = 0.0
    var downSeconds = 0.0

    /// The unit's uptime: its portals' up time over their monitored time; `nil` without monitoring.
    var uptimePercent: Double? {
        upSeconds + downSeconds > 0 ? upSeconds * 100 / (upSeconds + downSeconds) : nil
    }

    static func unitName(_ target: Target, language: Language) -> String {
        let parts = [target.province, target.district, target.commune].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty
            ? (language == .vi ? "(không ghi đơn vị)" : "(no unit given)") : parts.joined(separator: " › ")
    }

    static func rows(_ sites: [SiteResult], language: Language) -> [UnitSummary] {
        var units: [String: UnitSummary] = [:]
        for site in sites {
            let target = site.target
            // Every level of the hierarchy gets a row: the province, the district, the commune.
            var keys: [String] = []
            var path: [String] = []
            for part in [target.province, target.district, target.commune] {
                guard let part, !part.isEmpty else { continue }
                path.append(part)
                keys.append(path.joined(separator: " › "))
            }
            if keys.isEmpty { keys = [unitName(target, language: language)] }
            for key in keys {
                var unit = units[key] ?? UnitSummary(name: key)
                unit.counts.add(site.verdict)
                unit.upSeconds += site.observation.uptime?.upSeconds ?? 0
                unit.downSeconds += site.observation.uptime?.downSeconds ?? 0
                units[key] = unit
            }
        }
        // Totals (a province, a district: units other units sit in) come first, in hierarchy order; only
        // the units that hold portals themselves are ranked, worst first.
        let names = Array(units.keys)
        for key in names where names.contains(where: { $0.hasPrefix(key + " › ") }) { units[key]?.isTotal = true }
        let totals = units.values.filter(\.isTotal).sorted {
            let a = $0.name.components(separatedBy: " › ").count
            let b = $1.name.components(separatedBy: " › ").count
            return a != b ? a < b : $0.name < $1.name
        }
        let ranked = units.values.filter { !$0.isTotal }.sorted {
            let a = Double($0.fail) / Double(max(1, $0.total))
            let b = Double($1.fail) / Double(max(1, $1.total))
            return a != b ? a > b : $0.name < $1.name
        }
        return totals + ranked
    }
}
