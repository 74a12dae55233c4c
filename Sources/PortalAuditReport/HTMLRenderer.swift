import Foundation
import PortalAuditCore

/// The inspection report as one self-contained HTML file: inline CSS and SVG, no script, no external
/// resource; readable on screen and printed on A4. Under `vi` it follows the form of a Vietnamese
/// administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I): parent and issuing bodies, number, Quốc hiệu
/// and tiêu ngữ, place and date, tên loại and trích yếu, numbered sections, "Nơi nhận" and the signer.
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
                // A control character, or bytes a portal sent that were no UTF-8: `?`, which the form's serif
                // has (U+FFFD would print in a fallback face).
                if (scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t")
                    || scalar == "\u{FFFD}"
                {
                    out += "?"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static let style = """
        @page { size: A4; margin: 20mm 15mm 20mm 30mm; @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", "TeX Gyre Termes", serif; } }
        @page :first { @top-center { content: none; } }
        * { box-sizing: border-box; }
        body { font-family: "Times New Roman", "Liberation Serif", "TeX Gyre Termes", serif; font-size: 13pt; line-height: 1.3; color: #000; margin: 0 auto; max-width: 1100px; padding: 16px; }
        @media print { body { padding: 0; max-width: none; } }
        h1 { font-size: 14pt; text-align: center; margin: 18px 0 0; }
        h2 { font-size: 13pt; margin: 20px 0 6px; }
        h3 { font-size: 13pt; margin: 14px 0 4px; }
        p { margin: 4px 0; text-align: justify; }
        table.head { width: 100%; border: none; margin: 0; font-size: 13pt; table-layout: fixed; }
        table.head td { border: none; text-align: center; vertical-align: top; padding: 0; }
        table.head td.left { width: 40%; }
        .parent { text-transform: uppercase; font-size: 12.5pt; }
        .issuer { text-transform: uppercase; font-weight: bold; font-size: 12.5pt; }
        .nation { text-transform: uppercase; font-weight: bold; font-size: 12.5pt; }
        .motto { font-weight: bold; font-size: 13.5pt; }
        hr.rule { width: 33%; margin: 2px auto 6px; border: none; border-top: 1px solid #000; }
        hr.motto-rule { width: 60%; margin: 2px auto 6px; border: none; border-top: 1px solid #000; }
        .number { font-size: 13pt; }
        .date { font-style: italic; font-size: 13.5pt; margin-top: 6px; }
        .abstract { text-align: center; font-weight: bold; margin: 2px 0; }
        .to { text-align: center; margin: 10px 0; }
        .scope { border: 1px solid #000; padding: 6px 8px; margin: 8px 0; font-size: 12pt; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 11pt; }
        th, td { border: 1px solid #555; padding: 3px 5px; vertical-align: top; text-align: left; overflow-wrap: break-word; }
        table.portals { table-layout: fixed; }
        .url { word-break: break-all; }
        thead { display: table-header-group; }
        tr { page-break-inside: avoid; }
        .pass { color: #116611; } .warn { color: #8a5a00; } .incomplete { color: #6a2a8a; } .fail { color: #b00000; font-weight: bold; }
        .unmet { color: #8a5a00; }
        tr.total td { font-weight: bold; background: #f2f2f2; }
        .na, .inconclusive { color: #555; }
        .small { font-size: 10pt; color: #333; }
        section.portal { page-break-inside: auto; }
        table.sign { border: none; margin-top: 24px; page-break-inside: avoid; table-layout: fixed; }
        table.sign td { border: none; vertical-align: top; }
        table.sign td.recipients { width: 45%; font-size: 11pt; }
        table.sign td.signer { text-align: center; font-weight: bold; text-transform: uppercase; }
        .signhint { font-weight: normal; font-style: italic; text-transform: none; display: block; min-height: 1em; margin-bottom: 70px; }
        .signname { text-transform: none; }
        .appendix { page-break-before: always; }
        @media screen { section.portal { border-top: 2px solid #ccc; padding-top: 4px; } }
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
            <title>\(e(w.t("Technical review of the cybersecurity of government web portals", "Báo cáo kết quả rà soát kỹ thuật về bảo đảm an ninh mạng các cổng/trang thông tin điện tử")))</title>
            <style>\(Self.style)</style></head><body>

            """
        out += header(context, w)
        out += scope(context, w)
        out += summary(context, w)
        out += injected(context, w)
        out += portalTable(context, w)
        out += "<h2>\(w.t("IV. DETAILED RESULTS PER PORTAL", "IV. KẾT QUẢ CHI TIẾT TỪNG CỔNG/TRANG"))</h2>\n"
        for (index, site) in doc.sites.enumerated() {
            out += portalSection(site, number: index + 1, context: context, w)
        }
        out += unverifiable(context, w)
        out += signature(context, w)
        out += appendix(context, w)
        out +=
            "<p class=\"small\">portal-audit \(e(doc.toolVersion)) · schema \(doc.schemaVersion) · evaluation \(doc.evaluationVersion) · "
            + "\(e(doc.profile.id))@\(doc.profile.version) \(e(doc.profile.digest))</p>\n</body></html>\n"
        return out
    }

    /// The profiles named in the title: one, or "each portal's level" when the run mixes them.
    private func profilesTitle(_ context: ReportContext, _ w: Words) -> String {
        let labels = Array(Set(context.document.sites.map(\.profile.label))).sorted()
        if labels.count <= 1 {
            let title = context.profiles[labels.first ?? ""]?.title ?? context.document.profile.title
            return w.t("judged against ", "theo Bộ tiêu chí ") + title(w.language)
        }
        return w.t(
            "each portal judged by the criteria of its own level (\(labels.joined(separator: ", ")))",
            "mỗi cổng theo Bộ tiêu chí của cấp độ của cổng (\(labels.joined(separator: ", ")))")
    }

    private func header(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let form = context.form
        let dots = "……"
        if context.language == .vi {
            let place = form.place.isEmpty ? dots : form.place
            let number = form.number.isEmpty ? "\(dots)/BC-\(dots)" : form.number
            var out = """
                <table class="head"><tr><td class="left">\
                <div class="parent">\(e(form.parentUnit.isEmpty ? dots : form.parentUnit))</div>\
                <div class="issuer">\(e(form.unit.isEmpty ? dots : form.unit))</div><hr class="rule">\
                <div class="number">Số: \(e(number))</div></td>\
                <td class="right"><div class="nation">Cộng hòa xã hội chủ nghĩa Việt Nam</div>\
                <div class="motto">Độc lập - Tự do - Hạnh phúc</div><hr class="motto-rule">\
                <div class="date">\(e(place)), \(e(w.formDate(form.date, generated: context.generatedAt)))</div></td></tr></table>
                <h1>BÁO CÁO</h1>
                <p class="abstract">Kết quả rà soát kỹ thuật về bảo đảm an ninh mạng các cổng/trang thông tin điện tử</p>
                <p class="to">(\(e(profilesTitle(context, w))))</p>
                <hr class="rule">

                """
            if !form.addressees.isEmpty {
                out +=
                    "<p class=\"to\">Kính gửi: "
                    + form.addressees.map { e($0) }.joined(separator: "<br>") + "</p>\n"
            }
            return out
        }
        return """
            <p class="small">\(e(form.unit))</p>
            <h1>Technical review of the cybersecurity of government web portals</h1>
            <p class="abstract">\(e(form.place.isEmpty ? "" : form.place + ", "))\(e(w.formDate(form.date, generated: context.generatedAt)))</p>

            """
    }

    /// I. What the report is and is not: an outside scan at one time, its vantage point, its basis.
    private func scope(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let doc = context.document
        var out = "<h2>\(w.t("I. SCOPE, METHOD AND LIMITS", "I. PHẠM VI, PHƯƠNG PHÁP VÀ GIỚI HẠN"))</h2>\n"
        out +=
            "<p>" + w.t("Portals reviewed: ", "Đối tượng: ") + "\(w.number(doc.sites.count)) "
            + w.t("government web portals, ", "cổng/trang thông tin điện tử, ") + e(profilesTitle(context, w))
            + ".</p>\n"
        let run = context.runID.map { w.t(" (run \($0))", " (lượt quét \($0))") } ?? ""
        out +=
            "<p>" + w.t("Time of the scan: ", "Thời gian quét: ")
            + "\(e(w.dateTime(doc.startedAt))) – \(e(w.dateTime(doc.finishedAt)))\(e(run)).</p>\n"
        let vantages = Set(doc.sites.compactMap(\.observation.vantage))
        if !vantages.isEmpty {
            let shown = vantages.sorted { ($0.host, $0.label ?? "") < ($1.host, $1.label ?? "") }.map { vantage in
                vantage.host + (vantage.label.map { " (\($0))" } ?? "")
            }
            out += "<p>" + w.t("Scanned from: ", "Nơi thực hiện quét: ") + e(shown.joined(separator: "; ")) + ".</p>\n"
        }
        let authorised = doc.sites.filter { $0.observation.authorised == true }
        let bases = Set(authorised.compactMap(\.observation.authorisation)).sorted()
        if authorised.isEmpty {
            out +=
                "<p>"
                + w.t(
                    "Method: passive only (TLS handshakes, HTTP headers and public pages, as a browser sees them); no active check was authorised.",
                    "Phương pháp: chỉ kiểm tra thụ động (bắt tay TLS, tiêu đề HTTP và trang công khai, như trình duyệt của người dân); không có ủy quyền kiểm tra chủ động."
                ) + "</p>\n"
        } else {
            let basis =
                bases.isEmpty
                ? w.t(
                    "authorised, but the inventory names no document",
                    "có ủy quyền nhưng danh sách cổng chưa ghi văn bản ủy quyền")
                : bases.joined(separator: "; ")
            out +=
                "<p>"
                + w.t(
                    "Method: passive checks, and low-impact active checks (sensitive paths) on \(authorised.count) portals. Basis of the authorisation: ",
                    "Phương pháp: kiểm tra thụ động, và kiểm tra chủ động mức thấp (đường dẫn nhạy cảm) trên \(authorised.count) cổng. Căn cứ ủy quyền: "
                ) + e(basis) + ".</p>\n"
        }
        out +=
            "<p class=\"scope\">"
            + w.t(
                "This report reflects a technical review from outside (over the network, without logging in or touching the systems) at the time of scanning. It does not replace the assessment of information system security by level that the law requires. Thresholds marked “international yardstick” or “tool default” are technical measures, not Vietnamese law; each criterion's basis carries its confidence, as recorded in the legal basis that ships with the tool (docs/legal-basis.md).",
                "Báo cáo phản ánh kết quả rà soát kỹ thuật từ bên ngoài (qua mạng, không đăng nhập, không can thiệp vào hệ thống) tại thời điểm quét; không thay thế việc kiểm tra, đánh giá bảo đảm an toàn hệ thống thông tin theo cấp độ mà pháp luật quy định. Các ngưỡng ghi “chuẩn quốc tế” hoặc “mặc định của công cụ” là thước đo kỹ thuật, không phải quy định của pháp luật Việt Nam; căn cứ của từng tiêu chí ghi kèm độ tin cậy theo tài liệu căn cứ pháp lý đi kèm công cụ (docs/legal-basis.md)."
            ) + "</p>\n"
        return out
    }

    private func summary(_ context: ReportContext, _ w: Words) -> String {
        let s = context.document.summary
        let meets = s.pass + s.warn
        var out = "<h2>\(w.t("II. SUMMARY", "II. TỔNG HỢP KẾT QUẢ"))</h2>\n<p class=\"lead\">"
        out += w.t(
            "Of \(w.number(s.sites)) portals checked, \(w.number(meets)) meet the technical criteria that can be checked from outside (\(w.number(s.pass)) with nothing left to do, \(w.number(s.warn)) with recommendations not yet met), \(w.number(s.fail)) fail at least one required criterion and \(w.number(s.incomplete)) could not be fully judged.",
            "Trong số \(w.number(s.sites)) cổng/trang được kiểm tra, \(w.number(meets)) cổng đạt các tiêu chí kỹ thuật kiểm tra được từ bên ngoài (\(w.number(s.pass)) cổng đạt, \(w.number(s.warn)) cổng đạt nhưng còn khuyến nghị chưa đáp ứng), \(w.number(s.fail)) cổng không đạt ít nhất một tiêu chí bắt buộc và \(w.number(s.incomplete)) cổng chưa đủ căn cứ kết luận."
        )
        out += "</p>\n" + bar(s, w)
        out +=
            "<h3>\(w.t("1. By unit: totals, then units worst first", "1. Theo đơn vị: tổng, rồi các đơn vị kém nhất trước"))</h3>\n"
        out +=
            "<table><thead><tr><th>\(w.t("Unit", "Đơn vị"))</th><th>\(w.t("Portals", "Số cổng"))</th><th>\(w.verdict(.pass))</th><th>\(w.verdict(.warn))</th><th>\(w.verdict(.incomplete))</th><th>\(w.verdict(.fail))</th><th>\(w.t("Meeting the criteria", "Tỷ lệ đạt"))</th><th>\(w.t("Availability, 30 days", "Tính sẵn sàng 30 ngày"))</th></tr></thead><tbody>\n"
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

    /// Where a spam term sits, in words.
    private func place(_ place: SpamHit.Place, _ w: Words) -> String {
        switch place {
        case .visible: w.t("page text", "nội dung trang")
        case .hidden: w.t("hidden text", "đoạn chữ bị ẩn")
        case .title: w.t("page title", "tiêu đề trang")
        case .meta: w.t("meta tags", "thẻ meta")
        case .link: w.t("link out", "liên kết ra ngoài")
        case .script: w.t("decoded by a script", "mã lệnh giải mã")
        case .forward: w.t("sends visitors on to", "chuyển người xem tới")
        }
    }

    /// The portals injected with gambling spam, first and apart, with what an officer needs to find it.
    private func injected(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let sites = context.document.sites.filter { site in
            site.findings.contains { $0.rule == "content.spam-injection" && $0.status == .fail }
        }
        guard !sites.isEmpty else { return "" }
        var out =
            "<h3>\(w.t("2. Portals injected with gambling or betting content", "2. Cổng bị chèn nội dung cờ bạc, cá cược"))</h3>\n"
        out +=
            "<p>"
            + w.t(
                "Treat each as a compromise: remove the content and close the hole it came through, or it returns.",
                "Cần xử lý như sự cố bị xâm nhập: gỡ nội dung và vá lỗ hổng đã bị lợi dụng, nếu không nội dung sẽ quay lại."
            ) + "</p>\n"
        out +=
            "<table><thead><tr><th>\(w.t("Portal", "Cổng/trang"))</th><th>\(w.t("Page", "Trang có nội dung"))</th><th>\(w.t("Term", "Từ ngữ"))</th><th>\(w.t("Where", "Vị trí"))</th><th>\(w.t("Link", "Liên kết"))</th><th>\(w.t("Excerpt", "Trích đoạn"))</th></tr></thead><tbody>\n"
        for site in sites {
            let content = site.observation.content
            // The home page's hits when it is injected, then each injected page of the sample.
            var pages: [(url: String, hits: [SpamHit])] = []
            if let spam = content?.spam, spam.injected { pages.append((site.target.url, spam.hits)) }
            for page in content?.sample?.pages ?? [] where page.injected { pages.append((page.url, page.hits)) }
            for (url, hits) in pages {
                for hit in hits {
                    out +=
                        "<tr><td>\(e(site.target.name ?? site.target.url))<br><span class=\"small url\">\(e(site.target.url))</span></td>"
                        + "<td class=\"small url\">\(e(url))</td>"
                        + "<td>\(e(hit.term))</td><td>\(place(hit.place, w))</td><td class=\"small url\">\(e(hit.url ?? ""))</td>"
                        + "<td class=\"small\">\(e(hit.excerpt))</td></tr>\n"
                }
            }
        }
        return out + "</tbody></table>\n"
    }

    /// Names of the findings of `site` with `status` `.fail` and `requirement`.
    private func unmet(_ site: SiteResult, _ requirement: Requirement, _ language: Language) -> [String] {
        site.findings.filter { $0.status == .fail && $0.requirement == requirement }.map { $0.title(language) }
    }

    private func portalTable(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        var out = "<h2>\(w.t("III. PORTALS CHECKED", "III. DANH SÁCH CỔNG/TRANG ĐƯỢC KIỂM TRA"))</h2>\n"
        out +=
            "<table class=\"portals\"><colgroup><col style=\"width:4%\"><col style=\"width:22%\"><col style=\"width:12%\"><col style=\"width:11%\"><col style=\"width:9%\"><col style=\"width:10%\"><col style=\"width:16%\"><col style=\"width:16%\"></colgroup>"
        out +=
            "<thead><tr><th>TT</th><th>\(w.t("Portal", "Cổng/trang"))</th><th>\(w.t("Unit", "Đơn vị"))</th><th>\(w.t("Criteria", "Bộ tiêu chí"))</th><th>\(w.t("Verdict", "Kết luận"))</th><th>\(w.t("Grade", "Xếp loại"))</th><th>\(w.t("Required criteria not met", "Tiêu chí bắt buộc không đạt"))</th><th>\(w.t("Recommendations not yet met", "Khuyến nghị chưa đáp ứng"))</th></tr></thead><tbody>\n"
        for (index, site) in context.document.sites.enumerated() {
            let unit = UnitSummary.unitName(site.target, language: context.language)
            let required = unmet(site, .required, w.language).map(e).joined(separator: "; ")
            let recommended = unmet(site, .recommended, w.language).map(e).joined(separator: "; ")
            out +=
                "<tr><td>\(index + 1)</td><td>\(site.target.name.map { e($0) + "<br>" } ?? "")<span class=\"small url\">\(e(site.target.url))</span></td>"
                + "<td>\(e(unit))</td><td class=\"small\">\(e(w.profile(site)))</td>"
                + "<td class=\"\(site.verdict.rawValue)\">\(w.verdict(site))</td>"
                + "<td><b>\(e(site.grade))</b><br><span class=\"small\">\(e(context.gradeCause(site)(w.language)))</span></td>"
                + "<td class=\"small\">\(required)</td><td class=\"small\">\(recommended)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func portalSection(_ site: SiteResult, number: Int, context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let language = w.language
        var out =
            "<section class=\"portal\"><h3>\(number). \(e(site.target.name ?? site.target.url))</h3>\n<p>"
        out += "<span class=\"small url\">\(e(site.target.url))</span><br>"
        out +=
            "\(w.t("Verdict", "Kết luận")): <b class=\"\(site.verdict.rawValue)\">\(w.verdict(site))</b> · "
            + "\(w.t("grade", "xếp loại")) <b>\(e(site.grade))</b> (\(e(context.gradeCause(site)(language)))) · "
            + "\(w.t("score", "điểm")) \(site.score)/100 · \(w.t("criteria", "bộ tiêu chí")) \(e(w.profile(site))) · "
            + "\(w.t("since last run", "so với lần trước")): \(e(w.change(site, context.previous[site.target.url])))"
        if let title = site.observation.page?.title {
            out += "<br>\(w.t("Page title", "Tiêu đề trang")): “\(e(title))”"
        }
        if let uptime = site.observation.uptime, let percent = uptime.percent {
            let permille = Int((percent * 10).rounded())
            let shown = language == .vi ? "\(permille / 10),\(permille % 10)%" : "\(permille / 10).\(permille % 10)%"
            out +=
                "<br>\(w.t("Availability over 30 days", "Tính sẵn sàng 30 ngày")): <b>\(shown)</b> · \(uptime.outages.count) \(w.t("outages", "lần gián đoạn"))"
                + String(
                    format:
                        " <svg width=\"120\" height=\"10\" role=\"img\"><rect width=\"120\" height=\"10\" fill=\"#c0392b\"/><rect width=\"%.1f\" height=\"10\" fill=\"#3a9a3a\"/></svg>",
                    120 * percent / 100)
        }
        out +=
            "<br><span class=\"small\">\(w.t("Cost", "Chi phí quét")): \(site.cost.connections) \(w.t("connections", "kết nối")), \(site.cost.tlsHandshakes) TLS, \(site.durationMS) ms</span></p>\n"
        let required = unmet(site, .required, language)
        let recommended = unmet(site, .recommended, language)
        out +=
            "<p><b>\(w.t("a) Required criteria not met", "a) Tiêu chí bắt buộc không đạt")):</b> "
            + (required.isEmpty ? w.t("none.", "không có.") : required.map(e).joined(separator: "; ") + ".") + "</p>\n"
        out +=
            "<p><b>\(w.t("b) Recommendations not yet met", "b) Khuyến nghị chưa đáp ứng")):</b> "
            + (recommended.isEmpty ? w.t("none.", "không có.") : recommended.map(e).joined(separator: "; ") + ".")
            + "</p>\n"
        out += "<p><b>\(w.t("c) Every criterion", "c) Kết quả từng tiêu chí")):</b></p>\n"
        out +=
            "<table><thead><tr><th>\(w.t("Criterion", "Tiêu chí"))</th><th>\(w.t("Result", "Kết quả"))</th><th>\(w.t("Evidence", "Minh chứng"))</th><th>\(w.t("Basis and what to do", "Căn cứ và khắc phục"))</th></tr></thead><tbody>\n"
        for finding in site.findings {
            let cls =
                finding.status == .notApplicable
                ? "na"
                : finding.status == .fail && finding.requirement == .recommended ? "unmet" : finding.status.rawValue
            var evidence = w.evidence(finding).map { "\(e($0.0)): \(e($0.1))" }
            if let note = w.note(finding) { evidence.insert(e(note), at: 0) }
            var basis = ""
            if finding.status == .fail || finding.status == .inconclusive {
                basis =
                    e(finding.source(language))
                    + (w.confidence(finding.confidence).map {
                        " <span class=\"small\">(\(w.t("confidence", "độ tin cậy")): \(e($0)))</span>"
                    } ?? "")
                if finding.status == .fail, let rule = RuleRegistry.rule(finding.rule) {
                    basis +=
                        "<br><b>\(w.t("Fix", "Khắc phục")):</b> "
                        + e(rule.descriptor.advice(for: finding.resultCode)(language))
                }
            }
            out +=
                "<tr><td>\(e(finding.title(language)))<br><span class=\"small\">\(w.requirement(finding.requirement))</span></td>"
                + "<td class=\"\(cls)\">\(w.status(finding))</td><td class=\"small\">\(evidence.joined(separator: "<br>"))</td><td class=\"small\">\(basis)</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    /// V. What an outside scan cannot tell, per profile used: the operator's evidence is needed.
    private func unverifiable(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        var out =
            "<h2>\(w.t("V. NOT VERIFIABLE FROM OUTSIDE — EVIDENCE NEEDED FROM THE OPERATOR", "V. NỘI DUNG KHÔNG KIỂM CHỨNG ĐƯỢC TỪ BÊN NGOÀI — CẦN MINH CHỨNG CỦA ĐƠN VỊ VẬN HÀNH"))</h2>\n"
        let labels = Array(Set(context.document.sites.map(\.profile.label))).sorted()
        for (index, label) in labels.enumerated() {
            guard let profile = context.profiles[label], !profile.unverifiable.isEmpty else {
                out +=
                    "<p>\(index + 1). \(e(label)): "
                    + w.t("the criteria list nothing here.", "bộ tiêu chí không liệt kê nội dung này.") + "</p>\n"
                continue
            }
            out += "<p><b>\(index + 1). \(e(profile.title(w.language)))</b></p>\n<ul>\n"
            for item in profile.unverifiable { out += "<li>\(e(item(w.language)))</li>\n" }
            out += "</ul>\n"
        }
        return out
    }

    /// "Nơi nhận:" on the left, the signer's title and name on the right (NĐ 30/2020 Phụ lục I).
    private func signature(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        let form = context.form
        // NĐ 30/2020: each recipient on its own line after a dash, ";" after each but the last, which is the
        // archive ("Lưu: VT, …") and ends with ".".
        let archive = form.archive.trimmingCharacters(in: .whitespaces)
        let recipients =
            (form.addressees.isEmpty ? [] : [w.t("As above", "Như trên")]) + form.copies
            + [w.t("Archive: VT", "Lưu: VT") + (archive.isEmpty ? "" : ", " + archive)]
        let lines = recipients.enumerated().map { index, line in
            "- " + e(line) + (index == recipients.count - 1 ? "." : ";")
        }
        let title = form.signerTitle.isEmpty ? "……" : form.signerTitle
        // A report to sign leaves the space blank; a draft says what goes there.
        let hint = form.draft ? w.t("(signature and seal)", "(Chữ ký, dấu)") : ""
        return """
            <table class="sign"><tr><td class="recipients"><b><i>\(w.t("To:", "Nơi nhận:"))</i></b><br>\
            \(lines.joined(separator: "<br>"))</td>\
            <td class="signer">\(title.split(separator: "\n").map { e(String($0)) }.joined(separator: "<br>"))\
            <span class="signhint">\(hint)</span>\
            <span class="signname">\(e(form.signer.isEmpty ? "……" : form.signer))</span></td></tr></table>

            """
    }

    /// Phụ lục: each criterion's basis and confidence, per profile.
    private func appendix(_ context: ReportContext, _ w: Words) -> String {
        let e = Self.escape
        var profiles: [String: [String: Finding]] = [:]
        for site in context.document.sites where profiles[site.profile.label] == nil {
            profiles[site.profile.label] = Dictionary(site.findings.map { ($0.rule, $0) }) { first, _ in first }
        }
        var out =
            "<section class=\"appendix\"><h2>\(w.t("APPENDIX: THE BASIS OF EVERY CRITERION", "PHỤ LỤC: CĂN CỨ CỦA TỪNG TIÊU CHÍ THEO BỘ TIÊU CHÍ"))</h2>\n"
        for label in profiles.keys.sorted() {
            guard let findings = profiles[label] else { continue }
            out +=
                "<h3>\(e(context.profiles[label]?.title(w.language) ?? label))</h3><table><thead><tr><th>\(w.t("Criterion", "Tiêu chí"))</th><th>\(w.t("Requirement", "Yêu cầu"))</th><th>\(w.t("Basis", "Căn cứ"))</th><th>\(w.t("Confidence", "Độ tin cậy"))</th></tr></thead><tbody>\n"
            for finding in findings.values.sorted(by: { $0.title(w.language) < $1.title(w.language) }) {
                out +=
                    "<tr><td>\(e(finding.title(w.language)))</td><td>\(w.requirement(finding.requirement))</td><td class=\"small\">\(e(finding.source(w.language)))</td><td class=\"small\">\(e(w.confidence(finding.confidence) ?? "–"))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }
}

/// Verdict counts per unit (province / district / commune), worst first.
package struct UnitSummary {
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

    package static func unitName(_ target: Target, language: Language) -> String {
        unitName(province: target.province, district: target.district, commune: target.commune, language: language)
    }

    /// "Province › District › Commune", the parts given; "(no unit given)" without any.
    package static func unitName(province: String?, district: String?, commune: String?, language: Language)
        -> String
    {
        let parts = [province, district, commune].compactMap { $0 }.filter { !$0.isEmpty }
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
