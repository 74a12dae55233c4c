import Foundation
import Mustache
import PortalAuditCore

/// The inspection report as one self-contained HTML file: inline CSS and SVG, no script, no external
/// resource; readable on screen and printed on A4. Under `vi` it follows the form of a Vietnamese
/// administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I): the body an inspector signs (căn cứ, tổng hợp,
/// the portals to fix with one sentence per finding, minh chứng, kiến nghị, the signature and Nơi nhận), then
/// Phụ lục I (each portal's unmet criteria with evidence and fix) and Phụ lục II (the basis of every criterion).
///
/// The page comes from the Mustache template `Templates/report.mustache` compiled into the binary (as the
/// dashboard's pages): the template holds no logic and only escaped values; every text is decided here.
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
            default: out.unicodeScalars.append(printable(scalar))
            }
        }
        return out
    }

    /// A control character, or bytes a portal sent that were no UTF-8, as `?`, which the form's serif has
    /// (U+FFFD would print in a fallback face).
    static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t") || scalar == "\u{FFFD}"
            ? "?" : scalar
    }

    /// A file of the report's template as compiled in (for the test that compares it with its source).
    public static func embeddedTemplate(_ name: String) -> String? { EmbeddedReportTemplates.files[name] }

    private static let template: MustacheTemplate? = try? MustacheTemplate(
        string: EmbeddedReportTemplates.files["report.mustache"] ?? "")

    /// The whole report.
    public func render(_ context: ReportContext) -> String {
        guard let template = Self.template else { return "" }
        let view = ReportView(context)
        let html = template.render(view)
        // Everything a portal sent went through the template's escaping; what remains unprintable is made `?`.
        return String(String.UnicodeScalarView(html.unicodeScalars.map(Self.printable)))
    }
}

/// What `report.mustache` shows, every text decided: the template only places and escapes it.
struct ReportView {
    struct Texts {
        var part1, basis, scope, method, limits, part2, unitsCaption, unit, portals, pass, warn, incomplete, fail,
            rate, uptime, part3, verdict, grade, part4, part5, recipients, appendix1, appendix1Title, appendix2,
            appendix2Title, score, sinceLast, criterion, result, fix, spamTable, page, term,
            location, link, excerpt, portal, gradeShort, mainFinding, criteriaMet, conclusionBasis,
            references,
            confidence: String
    }

    struct Bar {
        struct Part {
            var x: String
            var width: String
            var textX: String
            var colour: String
            var name: String
            var count: String
        }
        var label: String
        var parts: [Part]
        var keys: [Part]
    }

    struct UnitRow {
        var name: String
        var isTotal: Bool
        var total, pass, warn, incomplete, fail, rate, uptime: String
        var failing: Bool
    }

    struct Line {
        var text: String
        var required: Bool
    }

    struct Site {
        var number: String
        var name: String
        var url: String
        var unit: String
        var profile: String
        var verdict: String
        var verdictClass: String
        var grade: String
        var change: String?
        var findings: [Line]
        var more: String?
        var action: String?
    }

    struct Group {
        var heading: String
        var intro: String?
        var sites: [Site]
        var names: String?
        /// A large run's group: one line per portal, its main finding (the rest in Phụ lục I).
        var lines: [Line] = []
        /// Stored, not computed: the template reads properties by reflection.
        var hasLines = false

        struct Line {
            var number, name, url, grade, finding: String
        }
    }

    /// Portals to fix beyond which Part III gives one line per portal (the blocks would fill the body).
    static let compactAbove = 40

    struct Evidence {
        var number: String
        var title: String
        var items: [String]
    }

    struct Numbered {
        var number: String
        var text: String
    }

    struct KeyValue {
        var key: String
        var value: String
    }

    struct Row {
        var title: String
        var requirement: String
        var statusClass: String
        var sentence: String
        var evidence: [KeyValue]
    }

    struct FixRow {
        var title: String
        var portals: String
        var fix: String
    }

    struct SpamRow {
        var page, term, place, link, excerpt: String
    }

    struct Detail {
        var number: String
        var name: String
        var url: String
        var unit: String
        var profile: String
        var verdict: String
        var verdictClass: String
        var grade: String
        var score: String
        var change: String?
        var uptime: String?
        var counts: String
        var rows: [Row]
        var hasRows: Bool
        var spam: [SpamRow]
        var hasSpam: Bool
    }

    struct Passing {
        var number: String
        var name: String
        var url: String
        var unit: String
        var verdict: String
        var verdictClass: String
        var counts: String
    }

    struct BasisRow {
        var title, requirement, basis, references, confidence: String
    }

    struct BasisTable {
        var title: String
        var rows: [BasisRow]
    }

    var lang: String
    var style: String
    var documentTitle: String
    var official: Bool
    var translationNote: String
    var parentLines: [String]
    var unitLines: [String]
    var number: String
    var place: String
    var date: String
    var placeDate: String
    var abstract: String
    var addressees: [String]
    var hasAddressees: Bool
    var opening: String
    var t: Texts
    var documents: [String]
    var noDocuments: String?
    var scope: [String]
    var method: [String]
    var limits: String
    var lead: String
    var bar: Bar?
    var units: [UnitRow]
    var legend: String
    var groups: [Group]
    var noneToFix: String?
    var evidenceIntro: String
    var evidence: [Evidence]
    var unchecked: String?
    var recommendations: [Numbered]
    var recipients: [String]
    var signerLines: [String]
    var signHint: String
    var signer: String
    var appendixOf: String
    var details: [Detail]
    var passing: [Passing]
    var hasPassing: Bool
    var passingHeading: String
    var fixes: [FixRow]
    var hasFixes: Bool
    var fixesHeading: String
    var basisIntro: String
    var bases: [BasisTable]
    var colophon: String
}

extension ReportView {
    /// The order portals are reported in: failing, then undetermined, then passing with warnings, then passing;
    /// within each, the most unmet required criteria first, then by name.
    static func ordered(_ sites: [SiteResult]) -> [SiteResult] {
        func group(_ verdict: Verdict) -> Int {
            switch verdict {
            case .fail: 0
            case .incomplete: 1
            case .warn: 2
            case .pass: 3
            }
        }
        func weight(_ site: SiteResult) -> Int {
            site.findings.filter { $0.status == .fail && $0.requirement == .required }.count * 100
                + site.findings.filter { $0.status == .fail }.count
        }
        return sites.sorted {
            let a = group($0.verdict)
            let b = group($1.verdict)
            if a != b { return a < b }
            let (wa, wb) = (weight($0), weight($1))
            if wa != wb { return wa > wb }
            return ($0.target.name ?? $0.target.url) < ($1.target.name ?? $1.target.url)
        }
    }

    init(_ context: ReportContext) {
        let w = Words(language: context.language)
        let doc = context.document
        let form = context.form
        let vi = context.language == .vi
        let dots = "……"
        let ordered = Self.ordered(doc.sites)
        let area = Self.area(doc.sites, w)
        lang = context.language.rawValue
        style = EmbeddedReportTemplates.files["report.css"] ?? ""
        official = vi
        documentTitle = w.t(
            "Report on the technical review of the cybersecurity of government web portals",
            "Báo cáo kết quả rà soát kỹ thuật về bảo đảm an ninh mạng các cổng/trang thông tin điện tử")
        translationNote =
            "Unofficial translation of the Vietnamese report produced from the same data; the Vietnamese text prevails."
        parentLines = Self.lines(form.parentUnit, placeholder: dots)
        unitLines = Self.lines(form.unit, placeholder: dots)
        number = form.number.isEmpty ? "\(dots)/BC-\(dots)" : form.number
        place = form.place.isEmpty ? dots : form.place
        date = w.formDate(form.date, generated: context.generatedAt)
        placeDate = (form.place.isEmpty ? "" : form.place + ", ") + date
        abstract =
            "Kết quả rà soát kỹ thuật về bảo đảm an ninh mạng đối với các cổng/trang thông tin điện tử"
            + (area.map { " trên địa bàn \($0)" } ?? "")
        addressees = form.addressees
        hasAddressees = !form.addressees.isEmpty
        let unitName = form.unit.isEmpty ? dots : Self.lines(form.unit, placeholder: dots).joined(separator: " ")
        let basisLine = form.basis.trimmingCharacters(in: .whitespaces)
        opening = w.t(
            (basisLine.isEmpty ? "" : "Pursuant to \(basisLine), ")
                + "\(unitName) reports the results of its technical review of the cybersecurity of the web portals"
                + (area.map { " in \($0)" } ?? "") + " as follows:",
            (basisLine.isEmpty ? "" : "Thực hiện \(basisLine), ")
                + "\(unitName) báo cáo kết quả rà soát kỹ thuật về bảo đảm an ninh mạng đối với các cổng/trang thông tin điện tử"
                + (area.map { " trên địa bàn \($0)" } ?? "") + " như sau:")
        t = Texts(
            part1: w.t("I. BASIS, SCOPE, METHOD AND LIMITS", "I. CĂN CỨ, PHẠM VI, PHƯƠNG PHÁP VÀ GIỚI HẠN"),
            basis: w.t("1. Basis", "1. Căn cứ"), scope: w.t("2. Scope", "2. Phạm vi"),
            method: w.t("3. Method", "3. Phương pháp"), limits: w.t("4. Limits", "4. Giới hạn"),
            part2: w.t("II. SUMMARY", "II. TỔNG HỢP KẾT QUẢ"),
            unitsCaption: w.t(
                "Results by unit: totals first, then units worst first",
                "Kết quả theo đơn vị: tổng trước, sau đó các đơn vị kém nhất trước"),
            unit: w.t("Unit", "Đơn vị"), portals: w.t("Portals", "Số cổng"), pass: w.verdict(.pass),
            warn: w.verdict(.warn), incomplete: w.verdict(.incomplete), fail: w.verdict(.fail),
            rate: w.t("Meeting the criteria", "Tỷ lệ đạt"),
            uptime: w.t("Availability, 30 days", "Tính sẵn sàng 30 ngày"),
            part3: w.t("III. PORTALS TO FIX", "III. CÁC CỔNG/TRANG CẦN KHẮC PHỤC"), verdict: w.t("verdict", "kết luận"),
            grade: w.t("grade", "xếp loại"),
            part4: w.t(
                "IV. EVIDENCE THE OPERATORS MUST PROVIDE", "IV. NỘI DUNG CẦN ĐƠN VỊ VẬN HÀNH CUNG CẤP MINH CHỨNG"),
            part5: w.t("V. RECOMMENDATIONS", "V. KIẾN NGHỊ"), recipients: w.t("To:", "Nơi nhận:"),
            appendix1: w.t("Appendix I", "Phụ lục I"),
            appendix1Title: w.t("DETAILED RESULTS PER PORTAL", "KẾT QUẢ CHI TIẾT TỪNG CỔNG/TRANG"),
            appendix2: w.t("Appendix II", "Phụ lục II"),
            appendix2Title: w.t("THE BASIS OF EVERY CRITERION", "CĂN CỨ CỦA TỪNG TIÊU CHÍ"),
            score: w.t("score", "điểm"), sinceLast: w.t("since the last run", "so với lần quét trước"),
            criterion: w.t("Criterion", "Tiêu chí"),
            result: w.t("Finding and evidence", "Kết quả và minh chứng"),
            fix: w.t("What to do", "Khắc phục"),
            spamTable: w.t("Gambling or betting content found", "Nội dung cờ bạc, cá cược phát hiện được"),
            page: w.t("Page", "Trang"), term: w.t("Term", "Từ ngữ"), location: w.t("Where", "Vị trí"),
            link: w.t("Link", "Liên kết"), excerpt: w.t("Excerpt", "Trích đoạn"), portal: w.t("Portal", "Cổng/trang"),
            gradeShort: w.t("Grade", "Xếp loại"),
            mainFinding: w.t(
                "Main finding (the rest in Appendix I)", "Tồn tại chính (các nội dung khác tại Phụ lục I)"),
            criteriaMet: w.t("Criteria", "Tiêu chí"),
            conclusionBasis: w.t("Basis of the conclusion", "Căn cứ kết luận"),
            references: w.t("References (not Vietnamese law)", "Tham khảo (không phải quy định pháp luật)"),
            confidence: w.t("Confidence", "Độ tin cậy"))
        // I. Căn cứ: each Vietnamese document the run's criteria rest on, in full once.
        var keys: [String] = []
        for profile in context.profiles.values {
            for setting in profile.rules.values { keys += setting.basis }
        }
        documents = LegalDocument.all.filter { document in
            keys.contains { LegalDocument.document(forBasis: $0) == document }
        }.map { $0.full(context.language) }
        noDocuments =
            documents.isEmpty
            ? w.t(
                "The criteria used cite no Vietnamese text: every threshold is an international yardstick or a default of the tool.",
                "Bộ tiêu chí sử dụng không dẫn văn bản pháp luật Việt Nam: mọi ngưỡng là chuẩn quốc tế hoặc mặc định của công cụ."
            ) : nil
        scope = Self.scope(context, w, area: area)
        method = Self.method(context, w)
        limits = w.t(
            "This report reflects a technical review from outside (over the network, without logging in or touching the systems) at the time of scanning. It does not replace the assessment of information system security by level that the law requires. A threshold taken from an international yardstick or chosen by the tool is a technical measure, not Vietnamese law: Appendix II gives, for each criterion, the Vietnamese text a conclusion rests on apart from the references, and how sure each citation is.",
            "Báo cáo phản ánh kết quả rà soát kỹ thuật từ bên ngoài (qua mạng, không đăng nhập, không can thiệp vào hệ thống) tại thời điểm quét; không thay thế việc kiểm tra, đánh giá bảo đảm an toàn hệ thống thông tin theo cấp độ mà pháp luật quy định. Ngưỡng lấy theo chuẩn quốc tế hoặc do công cụ chọn là thước đo kỹ thuật, không phải quy định của pháp luật Việt Nam; Phụ lục II nêu riêng, cho từng tiêu chí, văn bản làm căn cứ kết luận và tài liệu tham khảo, kèm mức độ xác minh của từng trích dẫn."
        )
        // II. Tổng hợp
        let s = doc.summary
        let meets = s.pass + s.warn
        lead = w.t(
            "Of \(w.number(s.sites)) portals checked, \(w.number(meets)) meet the technical criteria that can be checked from outside (\(w.number(s.pass)) with nothing left to do, \(w.number(s.warn)) with recommendations not yet met), \(w.number(s.fail)) fail at least one required criterion and \(w.number(s.incomplete)) could not be fully judged.",
            "Trong số \(w.number(s.sites)) cổng/trang được kiểm tra, \(w.number(meets)) cổng đạt các tiêu chí kỹ thuật kiểm tra được từ bên ngoài (\(w.number(s.pass)) cổng đạt, \(w.number(s.warn)) cổng đạt nhưng còn khuyến nghị chưa đáp ứng), \(w.number(s.fail)) cổng không đạt ít nhất một tiêu chí bắt buộc và \(w.number(s.incomplete)) cổng chưa đủ căn cứ kết luận."
        )
        bar = Self.bar(s, w)
        let unitRows = UnitSummary.rows(doc.sites, language: context.language)
        let totals = unitRows.filter(\.isTotal).map(\.name)
        units = unitRows.map { unit in
            // Under its total's row a unit is named without the province (or district) it sits in.
            let parent = totals.filter { unit.name.hasPrefix($0 + " › ") }.max { $0.count < $1.count }
            return UnitRow(
                name: parent.map { "– " + unit.name.dropFirst($0.count + 3) } ?? unit.name, isTotal: unit.isTotal,
                total: w.number(unit.total), pass: w.number(unit.pass),
                warn: w.number(unit.warn), incomplete: w.number(unit.incomplete), fail: w.number(unit.fail),
                rate: w.percent(unit.pass + unit.warn, of: unit.total),
                uptime: unit.uptimePercent.map { w.percent(Int(($0 * 100).rounded()), of: 10_000) } ?? "–",
                failing: unit.fail > 0)
        }
        legend = Self.legend(context, w)
        // III. The portals to fix, failing first.
        groups = Self.groups(ordered, context, w)
        noneToFix =
            groups.isEmpty
            ? w.t(
                "Every portal meets every criterion checked; nothing is left to fix.",
                "Mọi cổng/trang đáp ứng tất cả các tiêu chí đã kiểm tra; không có nội dung cần khắc phục.") : nil
        // IV. What only the operator can show.
        evidenceIntro = w.t(
            "An outside scan cannot see the following; the criteria of each level ask the operator to show evidence of them:",
            "Các nội dung sau không kiểm chứng được từ bên ngoài; đề nghị đơn vị vận hành cung cấp minh chứng theo bộ tiêu chí của từng cấp độ:"
        )
        let labels = Array(Set(doc.sites.map(\.profile.label))).sorted()
        // Each level's list once: a higher level names only what it adds to the levels listed before it.
        var listed: Set<String> = []
        var lists: [Evidence] = []
        for label in labels {
            guard let profile = context.profiles[label] else { continue }
            let items = profile.unverifiable.map { $0(context.language) }.filter { !listed.contains($0) }
            guard !items.isEmpty else { continue }
            let name = Words.profileName(profile.id, profile.title, context.language)
            lists.append(
                Evidence(
                    number: String(lists.count + 1),
                    title: listed.isEmpty ? name : name + w.t(", besides the above", ", ngoài các nội dung trên"),
                    items: items))
            listed.formUnion(items)
        }
        evidence = lists
        let uncheckedSites = doc.sites.filter { Evaluator.uncheckedRequired($0.findings) > 0 }
        let uncheckedTitles = Array(
            Set(
                uncheckedSites.flatMap { site in
                    site.findings.filter {
                        $0.requirement == .required && $0.status == .notApplicable && $0.resultCode == "not-authorised"
                    }.map { $0.title(context.language) }
                })
        ).sorted()
        unchecked =
            uncheckedSites.isEmpty
            ? nil
            : w.t(
                "Not run on \(w.number(uncheckedSites.count)) portals because the review was not authorised for active checks (required criteria): \(uncheckedTitles.joined(separator: "; ")).",
                "Chưa kiểm tra trên \(w.number(uncheckedSites.count)) cổng do chưa được ủy quyền kiểm tra chủ động (tiêu chí bắt buộc): \(uncheckedTitles.joined(separator: "; "))."
            )
        // V. Kiến nghị
        recommendations = Self.recommendations(ordered, context, w, uncheckedTitles: uncheckedTitles.count)
        // Signature and Nơi nhận (NĐ 30/2020: each recipient after a dash, ";" after each but the last, which is
        // the archive and ends with ".").
        let archive = form.archive.trimmingCharacters(in: .whitespaces)
        let lines =
            (form.addressees.isEmpty ? [] : [w.t("As above", "Như trên")]) + form.copies
            + [w.t("Archive: VT", "Lưu: VT") + (archive.isEmpty ? "" : ", " + archive)]
        recipients = lines.enumerated().map { index, line in "- " + line + (index == lines.count - 1 ? "." : ";") }
        signerLines = Self.lines(form.signerTitle, placeholder: dots)
        signHint = form.draft ? w.t("(signature and seal)", "(Chữ ký, dấu)") : ""
        signer = form.signer.isEmpty ? dots : form.signer
        // Phụ lục I
        let numberText = form.number.isEmpty ? "\(dots)/BC-\(dots)" : form.number
        let dateText = w.formDate(form.date, generated: context.generatedAt)
        appendixOf = w.t(
            "(Attached to report No. \(numberText) of \(dateText) by \(unitName))",
            "(Kèm theo Báo cáo số \(numberText) \(dateText) của \(unitName))")
        let toDetail = ordered.filter { $0.verdict != .pass }
        details = toDetail.enumerated().map { index, site in Self.detail(site, number: index + 1, context, w) }
        let passed = ordered.filter { $0.verdict == .pass }
        passing = passed.enumerated().map { index, site in
            Passing(
                number: String(toDetail.count + index + 1), name: site.target.name ?? site.target.url,
                url: site.target.url, unit: UnitSummary.unitName(site.target, language: context.language),
                verdict: w.verdict(site), verdictClass: site.verdict.rawValue, counts: Self.counts(site, w))
        }
        hasPassing = !passing.isEmpty
        passingHeading = w.t(
            "Portals that meet every criterion checked", "Các cổng/trang đáp ứng mọi tiêu chí đã kiểm tra")
        // What to change, once per criterion for every portal that fails it.
        var fixCounts: [String: (finding: Finding, count: Int)] = [:]
        for site in ordered {
            for finding in site.findings where finding.status == .fail {
                let key = finding.rule + "\u{1F}" + finding.resultCode
                fixCounts[key, default: (finding, 0)].count += 1
            }
        }
        fixes = fixCounts.values.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.finding.rule < $1.finding.rule
        }.compactMap { entry in
            guard let rule = RuleRegistry.rule(entry.finding.rule) else { return nil }
            return FixRow(
                title: entry.finding.title(context.language), portals: w.number(entry.count),
                fix: rule.descriptor.advice(for: entry.finding.resultCode)(context.language))
        }
        hasFixes = !fixes.isEmpty
        fixesHeading = w.t(
            "How to fix each criterion not met (for every portal concerned)",
            "Hướng dẫn khắc phục từng tiêu chí chưa đạt (áp dụng cho mọi cổng liên quan)")
        // Phụ lục II
        basisIntro = w.t(
            "For each criterion: whether it is required or recommended at each level, the Vietnamese text the conclusion rests on, the references that only measure it (international yardsticks, practice, tool defaults), and how sure the citation is (its weakest part).",
            "Với từng tiêu chí: yêu cầu bắt buộc hay khuyến nghị theo từng cấp độ, văn bản làm căn cứ kết luận, tài liệu chỉ dùng làm thước đo (chuẩn quốc tế, thực tiễn, mặc định của công cụ) và mức độ xác minh của trích dẫn (theo phần yếu nhất)."
        )
        bases = Self.bases(labels, context, w)
        colophon = w.t(
            "Produced with portal-audit \(doc.toolVersion); criteria \(labels.joined(separator: ", ")); report data format \(doc.schemaVersion), evaluation \(doc.evaluationVersion).",
            "Lập bằng công cụ portal-audit phiên bản \(doc.toolVersion); mã bộ tiêu chí: \(labels.joined(separator: ", ")); định dạng dữ liệu \(doc.schemaVersion), phiên bản đánh giá \(doc.evaluationVersion)."
        )
    }

    /// A form field as lines: the user's line breaks (a real one, or `\n` typed on a command line).
    static func lines(_ text: String, placeholder: String) -> [String] {
        let lines = text.replacingOccurrences(of: "\\n", with: "\n").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return lines.isEmpty ? [placeholder] : lines
    }

    /// "tỉnh Thanh Hóa" when every portal is in one province; `nil` otherwise.
    static func area(_ sites: [SiteResult], _ w: Words) -> String? {
        let provinces = Set(sites.compactMap(\.target.province).filter { !$0.isEmpty })
        guard provinces.count == 1, let province = provinces.first, sites.allSatisfy({ $0.target.province != nil })
        else { return nil }
        // "Tỉnh Thanh Hóa" reads "trên địa bàn tỉnh Thanh Hóa" inside a sentence.
        for prefix in ["Tỉnh ", "Thành phố "] where province.hasPrefix(prefix) && w.language == .vi {
            return prefix.lowercased() + province.dropFirst(prefix.count)
        }
        return province
    }

    static func scope(_ context: ReportContext, _ w: Words, area: String?) -> [String] {
        let doc = context.document
        let unitCount = Set(doc.sites.map { UnitSummary.unitName($0.target, language: context.language) }).count
        var out = [
            w.t(
                "Portals reviewed: \(w.number(doc.sites.count)) government web portals of \(w.number(unitCount)) units"
                    + (area.map { " in \($0)" } ?? "") + ".",
                "Đối tượng: \(w.number(doc.sites.count)) cổng/trang thông tin điện tử của \(w.number(unitCount)) đơn vị"
                    + (area.map { " trên địa bàn \($0)" } ?? "") + ".")
        ]
        var byProfile: [String: (name: String, count: Int, assumed: Int)] = [:]
        for site in doc.sites {
            let title = context.profiles[site.profile.label]?.title ?? doc.profile.title
            var entry =
                byProfile[site.profile.label]
                ?? (Words.profileName(site.profile.id, title, context.language), 0, 0)
            entry.count += 1
            if site.target.level == nil { entry.assumed += 1 }
            byProfile[site.profile.label] = entry
        }
        let criteria = byProfile.keys.sorted().compactMap { byProfile[$0] }.map { entry in
            w.t(
                "\(entry.name) (\(w.number(entry.count)) portals"
                    + (entry.assumed > 0
                        ? ", \(w.number(entry.assumed)) of them with no level given: level assumed" : "")
                    + ")",
                "\(entry.name) (\(w.number(entry.count)) cổng"
                    + (entry.assumed > 0 ? ", trong đó \(w.number(entry.assumed)) cổng chưa có cấp độ: giả định" : "")
                    + ")")
        }
        out.append(
            w.t("Criteria: ", "Bộ tiêu chí đánh giá: ") + criteria.joined(separator: "; ")
                + w.t(", each portal by its approved level.", ", mỗi cổng theo cấp độ đã được phê duyệt."))
        let run = context.runID.map { w.t(" (run \($0))", " (lượt quét số \($0))") } ?? ""
        let start = FindingValues.dateTime(doc.startedAt)(w.language)
        let end = FindingValues.dateTime(doc.finishedAt)(w.language)
        let startDay = FindingValues.day(doc.startedAt)(w.language)
        if startDay == FindingValues.day(doc.finishedAt)(w.language) {
            // One day: "ngày 06/12/2026, từ 08:15 đến 09:02 (giờ Việt Nam)".
            func time(_ text: String) -> String {
                text.dropFirst(startDay.count + 1).split(separator: " ").first.map(String.init) ?? text
            }
            out.append(
                w.t(
                    "Time of the scan: \(startDay), from \(time(start)) to \(time(end)) (Vietnam time, UTC+7)\(run).",
                    "Thời gian quét: ngày \(startDay), từ \(time(start)) đến \(time(end)) (giờ Việt Nam)\(run)."))
        } else {
            out.append(
                w.t("Time of the scan: from ", "Thời gian quét: từ ") + start + w.t(" to ", " đến ") + end + run + ".")
        }
        // Where the scan ran from, as the operator labelled it (never the machine's own name).
        let vantages = Set(doc.sites.compactMap(\.observation.vantage?.label)).sorted()
        if !vantages.isEmpty {
            out.append(w.t("Scanned from: ", "Nơi thực hiện quét: ") + vantages.joined(separator: "; ") + ".")
        }
        return out
    }

    static func method(_ context: ReportContext, _ w: Words) -> [String] {
        let authorised = context.document.sites.filter { $0.observation.authorised == true }
        let bases = Set(authorised.compactMap(\.observation.authorisation)).sorted()
        var out = [
            w.t(
                "Each portal is checked as a visitor's browser sees it: its TLS connection and certificate, its HTTP answers and security headers, and its public pages (freshness, the information it must publish, injected content). Each criterion gives one finding: met, not met (a required criterion) or not yet met (a recommendation), could not be determined, or not applicable.",
                "Mỗi cổng được kiểm tra như trình duyệt của người dân truy cập: kết nối TLS và chứng thư số, phản hồi HTTP và các tiêu đề bảo mật, các trang công khai (tính cập nhật, thông tin bắt buộc công khai, nội dung bị chèn). Mỗi tiêu chí cho một kết quả: đạt, không đạt (tiêu chí bắt buộc) hoặc chưa đáp ứng (khuyến nghị), chưa xác định được, hoặc không áp dụng."
            )
        ]
        if authorised.isEmpty {
            out.append(
                w.t(
                    "Only passive checks were made; no active check (requests for sensitive paths) was authorised.",
                    "Chỉ kiểm tra thụ động; không có ủy quyền kiểm tra chủ động (truy vấn các đường dẫn nhạy cảm)."))
        } else {
            let basis =
                bases.isEmpty
                ? w.t(
                    "authorised, but the inventory names no document",
                    "có ủy quyền nhưng danh sách cổng chưa ghi văn bản ủy quyền")
                : bases.joined(separator: "; ")
            out.append(
                w.t(
                    "Low-impact active checks (sensitive paths) were made on \(w.number(authorised.count)) portals. Basis of the authorisation: \(basis).",
                    "Kiểm tra chủ động mức thấp (đường dẫn nhạy cảm) trên \(w.number(authorised.count)) cổng. Căn cứ ủy quyền: \(basis)."
                ))
        }
        return out
    }

    static func bar(_ s: VerdictSummary, _ w: Words) -> Bar? {
        guard s.sites > 0 else { return nil }
        let parts: [(Verdict, Int, String)] = [
            (.pass, s.pass, "#3a9a3a"), (.warn, s.warn, "#d9a400"), (.incomplete, s.incomplete, "#8a5aaa"),
            (.fail, s.fail, "#c0392b"),
        ]
        var x = 0.0
        var shown: [Bar.Part] = []
        for (verdict, count, colour) in parts where count > 0 {
            let width = 600.0 * Double(count) / Double(s.sites)
            shown.append(
                Bar.Part(
                    x: String(format: "%.1f", x), width: String(format: "%.1f", width), textX: "", colour: colour,
                    name: w.verdict(verdict), count: w.number(count)))
            x += width
        }
        let keys = parts.enumerated().map { index, part in
            Bar.Part(
                x: String(index * 150), width: "10", textX: String(index * 150 + 14), colour: part.2,
                name: w.verdict(part.0), count: w.number(part.1))
        }
        return Bar(label: w.t("verdicts", "kết luận"), parts: shown, keys: keys)
    }

    /// What each grade means, from the grading of the profile most portals used.
    static func legend(_ context: ReportContext, _ w: Words) -> String {
        let grading = context.profiles.values.first?.grading ?? .standard
        let grades = grading.grades.dropFirst().map { grade in
            grade.minimum > 0
                ? w.t("\(grade.grade) (from \(grade.minimum) points)", "\(grade.grade) (từ \(grade.minimum) điểm)")
                : w.t("\(grade.grade) (below that)", "\(grade.grade) (dưới mức trên)")
        }.joined(separator: ", ")
        let first = grading.grades.first?.grade ?? "A"
        let penalties = [Severity.critical, .high, .medium, .low].compactMap { severity in
            grading.penalties[severity].map { "\(w.severity(severity)) \($0)" }
        }.joined(separator: ", ")
        return w.t(
            "Grades: \(first) — every criterion checked is met; \(grades) — the required criteria are met, some recommendations are not (each unmet one costs points by severity: \(penalties); a high-severity one caps the grade at \(grading.caps[.high] ?? "C")); F — a required criterion is not met; “–” — not enough to conclude.",
            "Xếp loại: \(first) — đáp ứng mọi tiêu chí đã kiểm tra; \(grades) — đạt các tiêu chí bắt buộc, còn khuyến nghị chưa đáp ứng (mỗi khuyến nghị trừ điểm theo mức độ: \(penalties); còn khuyến nghị mức cao thì tối đa \(grading.caps[.high] ?? "C")); F — không đạt tiêu chí bắt buộc; “–” — chưa đủ căn cứ kết luận."
        )
    }

    /// The first clause of a fix, without its server directives: what to do, in a few words.
    static func action(_ advice: String) -> String {
        var text = advice
        for stop in [" (", ". ", ": `"] {
            if let range = text.range(of: stop) { text = String(text[..<range.lowerBound]) }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " .;:"))
        return text.isEmpty ? advice : text
    }

    static func groups(_ ordered: [SiteResult], _ context: ReportContext, _ w: Words) -> [Group] {
        /// A portal's block, numbered within its group ("1.2.").
        func site(_ site: SiteResult, _ number: String) -> Site {
            let failing = site.findings.filter { $0.status == .fail }
            let required = failing.filter { $0.requirement == .required }
            let undetermined = site.findings.filter { $0.status == .inconclusive && $0.requirement == .required }
            let recommended = failing.filter { $0.requirement == .recommended }
            var lines = required.map { Line(text: $0.sentence(w.language), required: true) }
            // An undetermined portal names what could not be checked; a passing one its recommendations; a
            // failing one its required failures, the rest counted on one line (Phụ lục I has them all).
            if site.verdict == .incomplete {
                lines += undetermined.prefix(3).map {
                    Line(
                        text: w.t("Could not be determined: ", "Chưa xác định được: ") + $0.sentence(w.language),
                        required: false)
                }
            }
            let shownRecommendations = site.verdict == .warn ? 4 : 0
            lines += recommended.prefix(shownRecommendations).map {
                Line(text: $0.sentence(w.language), required: false)
            }
            let rest = recommended.count - min(recommended.count, shownRecommendations)
            let uncounted = site.verdict == .incomplete ? max(0, undetermined.count - 3) : undetermined.count
            var others: [String] = []
            if uncounted > 0 {
                others.append(
                    w.t(
                        "\(uncounted) required criteri\(uncounted == 1 ? "on" : "a") could not be determined",
                        "\(uncounted) tiêu chí bắt buộc chưa xác định được"))
            }
            if rest > 0 {
                others.append(
                    w.t(
                        "\(rest) recommendation\(rest == 1 ? "" : "s") not yet met",
                        "\(rest) khuyến nghị chưa đáp ứng"))
            }
            // One action: the most severe required failure's fix, else the most severe recommendation's.
            let worst =
                required.max { $0.severity < $1.severity } ?? recommended.max { $0.severity < $1.severity }
            let owner = site.target.owner.flatMap { $0.isEmpty ? nil : $0 } ?? w.t("The operator", "Đơn vị vận hành")
            let action = worst.flatMap { finding in
                RuleRegistry.rule(finding.rule).map { rule in
                    w.t("To do: ", "Việc cần làm: ") + owner + w.t(" to ", " ")
                        + Self.action(rule.descriptor.advice(for: finding.resultCode)(w.language)).lowercasedFirst()
                        + "."
                }
            }
            return Site(
                number: number, name: site.target.name ?? site.target.url, url: site.target.url,
                unit: UnitSummary.unitName(site.target, language: w.language), profile: w.profile(site),
                verdict: w.verdict(site), verdictClass: site.verdict.rawValue, grade: site.grade,
                change: context.previous[site.target.url].map { _ in
                    w.change(site, context.previous[site.target.url])
                },
                findings: lines,
                more: others.isEmpty
                    ? nil
                    : w.t("Besides: ", "Ngoài ra: ") + others.joined(separator: "; ")
                        + w.t(" (Appendix I).", " (Phụ lục I)."),
                action: action)
        }
        var groups: [Group] = []
        let compact = ordered.filter { $0.verdict != .pass }.count > compactAbove
        /// A numbered group of the portals with `verdict`, when there are any.
        func add(_ verdict: Verdict, _ heading: (Int, String) -> String, intro: String?) {
            let sites = ordered.filter { $0.verdict == verdict }
            guard !sites.isEmpty else { return }
            let group = groups.count + 1
            let numbered = sites.enumerated().map { site($0.element, "\(group).\($0.offset + 1)") }
            guard compact else {
                groups.append(
                    Group(heading: heading(group, w.number(sites.count)), intro: intro, sites: numbered, names: nil))
                return
            }
            groups.append(
                Group(
                    heading: heading(group, w.number(sites.count)), intro: intro, sites: [], names: nil,
                    lines: numbered.map { block in
                        let rest = max(0, block.findings.count - 1)
                        return Group.Line(
                            number: block.number, name: block.name, url: block.url,
                            grade: block.grade,
                            finding: (block.findings.first?.text ?? block.more ?? "")
                                + (rest > 0 ? w.t(" (+\(rest) more)", " (và \(rest) nội dung khác)") : ""))
                    }, hasLines: true))
        }
        add(
            .fail, { w.t("\($0). Portals that fail (\($1))", "\($0). Cổng/trang không đạt (\($1) cổng)") },
            intro: w.t(
                "Each fails at least one required criterion (in bold); the operator must fix it.",
                "Mỗi cổng không đạt ít nhất một tiêu chí bắt buộc (in đậm); đơn vị vận hành cần khắc phục."))
        add(
            .incomplete,
            {
                w.t(
                    "\($0). Portals not fully judged (\($1))", "\($0). Cổng/trang chưa đủ căn cứ kết luận (\($1) cổng)")
            },
            intro: w.t(
                "A required criterion could not be checked at the time of the scan; scan them again.",
                "Có tiêu chí bắt buộc chưa kiểm tra được tại thời điểm quét; cần quét lại."))
        add(
            .warn,
            {
                w.t(
                    "\($0). Portals that pass with recommendations not yet met (\($1))",
                    "\($0). Cổng/trang đạt nhưng còn khuyến nghị chưa đáp ứng (\($1) cổng)")
            }, intro: nil)
        let passed = ordered.filter { $0.verdict == .pass }
        if !passed.isEmpty && !groups.isEmpty {
            groups.append(
                Group(
                    heading: w.t(
                        "\(groups.count + 1). Portals that meet every criterion checked (\(w.number(passed.count)))",
                        "\(groups.count + 1). Cổng/trang đáp ứng mọi tiêu chí đã kiểm tra (\(w.number(passed.count)) cổng)"
                    ), intro: nil, sites: [],
                    names: passed.map { ($0.target.name ?? $0.target.url) + w.unchecked($0) }.joined(separator: "; ")
                        + "."))
        }
        return groups
    }

    static func recommendations(
        _ ordered: [SiteResult], _ context: ReportContext, _ w: Words, uncheckedTitles: Int
    ) -> [Numbered] {
        var out: [String] = []
        let failing = ordered.filter { $0.verdict == .fail }
        if !failing.isEmpty {
            let units = Array(Set(failing.map { UnitSummary.unitName($0.target, language: w.language) })).sorted()
            let shown =
                units.prefix(8).joined(separator: "; ")
                + (units.count > 8 ? w.t(" and \(units.count - 8) more", " và \(units.count - 8) đơn vị khác") : "")
            out.append(
                w.t(
                    "The units whose portals fail (\(shown)) fix the required criteria named in Part III and Appendix I as soon as possible and report back once fixed.",
                    "Đề nghị các đơn vị có cổng/trang không đạt (\(shown)) khắc phục các tiêu chí bắt buộc nêu tại Mục III và Phụ lục I trong thời gian sớm nhất và báo cáo kết quả sau khi khắc phục."
                ))
        }
        let injected = ordered.filter { site in
            site.findings.contains { $0.rule == "content.spam-injection" && $0.status == .fail }
        }
        if !injected.isEmpty {
            out.append(
                w.t(
                    "The \(w.number(injected.count)) portals carrying gambling or betting content treat it as a cybersecurity incident: remove the content, find and close the hole it came through and change the administrators' passwords, and notify the provincial police (PA05) and the Department of Cybersecurity and High-tech Crime Prevention (A05), Ministry of Public Security, as the rules on incident response require.",
                    "\(w.number(injected.count)) cổng/trang bị chèn nội dung cờ bạc, cá cược cần xử lý như sự cố an ninh mạng: gỡ nội dung, tìm và khắc phục lỗ hổng bị lợi dụng, thay mật khẩu quản trị; thông báo Công an tỉnh (PA05) và Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an theo quy định về ứng cứu sự cố."
                ))
        }
        // The findings many portals share: one configuration change fixes them across the fleet.
        var counts: [String: (title: String, count: Int)] = [:]
        for site in ordered {
            for finding in site.findings where finding.status == .fail {
                counts[finding.rule, default: (finding.title(w.language), 0)].count += 1
            }
        }
        let common = counts.values.filter { $0.count >= 2 }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.title < $1.title
        }.prefix(3)
        if !common.isEmpty {
            let list = common.map { w.t("\($0.title) (\($0.count) portals)", "\($0.title) (\($0.count) cổng)") }
                .joined(separator: "; ")
            out.append(
                w.t(
                    "The hosting units review the configuration the portals share, for the most common findings: \(list).",
                    "Đơn vị quản lý hạ tầng, hosting rà soát cấu hình dùng chung cho các nội dung gặp ở nhiều cổng: \(list)."
                ))
        }
        let incomplete = ordered.filter { $0.verdict == .incomplete }.count
        if incomplete > 0 {
            out.append(
                w.t(
                    "Scan again the \(w.number(incomplete)) portals not fully judged (unreachable or unreadable at the time of the scan).",
                    "Quét lại \(w.number(incomplete)) cổng/trang chưa đủ căn cứ kết luận (không truy cập được hoặc không đọc được dữ liệu tại thời điểm quét)."
                ))
        }
        if uncheckedTitles > 0 {
            out.append(
                w.t(
                    "Arrange an authorised review (with the operators' written consent) to run the \(uncheckedTitles) required active checks listed in Part IV.",
                    "Tổ chức kiểm tra có ủy quyền (có văn bản đồng ý của đơn vị vận hành) để thực hiện \(uncheckedTitles) tiêu chí bắt buộc cần kiểm tra chủ động nêu tại Mục IV."
                ))
        }
        out.append(
            w.t(
                "The operators provide the evidence listed in Part IV.",
                "Các đơn vị vận hành cung cấp minh chứng cho các nội dung nêu tại Mục IV."))
        return out.enumerated().map { Numbered(number: String($0.offset + 1), text: $0.element) }
    }

    /// "Đạt 20/26 tiêu chí đã kiểm tra; …": a portal's criteria as one line of counts.
    static func counts(_ site: SiteResult, _ w: Words) -> String {
        let checked = site.findings.filter { $0.status == .pass || $0.status == .fail }
        let met = checked.filter { $0.status == .pass }.count
        let required = site.findings.filter { $0.status == .fail && $0.requirement == .required }.count
        let recommended = site.findings.filter { $0.status == .fail && $0.requirement == .recommended }.count
        let undetermined = site.findings.filter { $0.status == .inconclusive }.count
        let unauthorised = site.findings.filter { $0.status == .notApplicable && $0.resultCode == "not-authorised" }
            .count
        let notApplicable = site.findings.filter { $0.status == .notApplicable }.count - unauthorised
        var parts = [
            w.t("met \(met) of \(checked.count) criteria checked", "đạt \(met)/\(checked.count) tiêu chí đã kiểm tra")
        ]
        if required > 0 { parts.append(w.t("required not met: \(required)", "bắt buộc không đạt: \(required)")) }
        if recommended > 0 {
            parts.append(w.t("recommendations not yet met: \(recommended)", "khuyến nghị chưa đáp ứng: \(recommended)"))
        }
        if undetermined > 0 {
            parts.append(w.t("not determined: \(undetermined)", "chưa xác định được: \(undetermined)"))
        }
        if notApplicable > 0 {
            parts.append(w.t("not applicable: \(notApplicable)", "không áp dụng: \(notApplicable)"))
        }
        if unauthorised > 0 {
            parts.append(
                w.t(
                    "not checked (needs authorisation): \(unauthorised)",
                    "chưa kiểm tra (cần ủy quyền): \(unauthorised)"))
        }
        let text = parts.joined(separator: "; ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    static func detail(_ site: SiteResult, number: Int, _ context: ReportContext, _ w: Words) -> Detail {
        let language = w.language
        // Unmet criteria, and the required ones left undetermined; an undetermined recommendation (no earlier
        // scan to compare with, no monitoring yet) is only counted.
        let shown = site.findings.filter {
            $0.status == .fail
                || ($0.status == .inconclusive && $0.requirement == .required && $0.resultCode != "missing-facts")
        }
        var rows = shown.sorted {
            ($0.requirement == .required ? 0 : 1, $0.status == .fail ? 0 : 1)
                < ($1.requirement == .required ? 0 : 1, $1.status == .fail ? 0 : 1)
        }.map { finding in
            Row(
                title: finding.title(language),
                requirement: w.requirement(finding.requirement) + " · " + w.status(finding),
                statusClass: finding.status == .fail && finding.requirement == .recommended
                    ? "unmet" : finding.status.rawValue,
                sentence: finding.sentence(language),
                evidence: w.siteEvidence(finding).map { KeyValue(key: $0.0, value: $0.1) })
        }
        // The criteria left undetermined for want of facts (a probe that could not run): one row names them.
        let unread = site.findings.filter {
            $0.status == .inconclusive && $0.requirement == .required && $0.resultCode == "missing-facts"
        }
        if !unread.isEmpty {
            // Many at once follow from one cause (no HTTPS, no answer): counted, not listed.
            let names =
                unread.count <= 4
                ? ": " + unread.map { $0.title(language) }.joined(separator: "; ") + "."
                : w.t(
                    " (the portal did not answer, or not over HTTPS, at the time of the scan).",
                    " (cổng không phản hồi hoặc không phục vụ HTTPS tại thời điểm quét).")
            rows.append(
                Row(
                    title: w.t("Could not be determined", "Chưa xác định được"),
                    requirement: w.t("\(unread.count) criteria", "\(unread.count) tiêu chí"),
                    statusClass: "inconclusive",
                    sentence: w.t(
                        "The scan could not read what \(unread.count) required criteria need",
                        "Lần quét không đọc được dữ liệu mà \(unread.count) tiêu chí bắt buộc cần") + names,
                    evidence: []))
        }
        var spam: [SpamRow] = []
        let content = site.observation.content
        var pages: [(url: String, hits: [SpamHit])] = []
        if site.findings.contains(where: { $0.rule == "content.spam-injection" && $0.status == .fail }) {
            if let found = content?.spam, found.injected { pages.append((site.target.url, found.hits)) }
            for page in content?.sample?.pages ?? [] where page.injected { pages.append((page.url, page.hits)) }
        }
        for (url, hits) in pages {
            for hit in hits {
                spam.append(
                    SpamRow(
                        page: url, term: hit.term, place: w.place(hit.place), link: hit.url ?? "",
                        excerpt: hit.excerpt))
            }
        }
        var uptime: String?
        if let observed = site.observation.uptime, let percent = observed.percent {
            let permille = Int((percent * 10).rounded())
            let shown =
                language == .vi ? "\(permille / 10),\(permille % 10)%" : "\(permille / 10).\(permille % 10)%"
            uptime = w.t(
                "Availability over 30 days: \(shown), \(observed.outages.count) outages",
                "Tính sẵn sàng 30 ngày: \(shown), \(observed.outages.count) lần gián đoạn")
        }
        return Detail(
            number: String(number), name: site.target.name ?? site.target.url, url: site.target.url,
            unit: UnitSummary.unitName(site.target, language: language), profile: w.profile(site),
            verdict: w.verdict(site), verdictClass: site.verdict.rawValue, grade: site.grade,
            score: String(site.score),
            change: context.previous[site.target.url].map { w.change(site, $0) }, uptime: uptime,
            counts: counts(site, w), rows: rows, hasRows: !rows.isEmpty, spam: spam,
            hasSpam: !spam.isEmpty)
    }

    /// Phụ lục II: one table over every criterion of the run's profiles; a criterion whose citation differs by
    /// level shows each level's.
    static func bases(_ labels: [String], _ context: ReportContext, _ w: Words) -> [BasisTable] {
        let profiles = labels.compactMap { context.profiles[$0] }
        guard !profiles.isEmpty else { return [] }
        var ids: [String] = []
        for profile in profiles { ids += profile.ruleIDs.filter { !ids.contains($0) } }
        /// Each distinct value once, prefixed by the levels that give it when the levels differ.
        func merged(_ values: [(name: String, value: String)], separator: String) -> String {
            var order: [String] = []
            var names: [String: [String]] = [:]
            for (name, value) in values where !value.isEmpty {
                if names[value] == nil { order.append(value) }
                names[value, default: []].append(name)
            }
            guard order.count > 1 else { return order.first ?? "" }
            return order.map { (names[$0] ?? []).joined(separator: ", ") + ": " + $0 }.joined(separator: separator)
        }
        let rows = ids.compactMap { id -> BasisRow? in
            guard let rule = RuleRegistry.rule(id) else { return nil }
            var requirement: [(String, String)] = []
            var basis: [(String, String)] = []
            var references: [(String, String)] = []
            var confidence: [(String, String)] = []
            for profile in profiles {
                guard let setting = profile.rules[id] else { continue }
                let name = Words.profileName(profile.id, profile.title, w.language)
                requirement.append((name, w.requirement(setting.requirement)))
                let parts = CitationParts(w.language == .en ? setting.sourceEN ?? setting.source : setting.source)
                basis.append(
                    (
                        name,
                        parts.basis.isEmpty
                            ? w.t(
                                "no Vietnamese text sets this threshold",
                                "không có văn bản Việt Nam quy định ngưỡng này")
                            : parts.basis.joined(separator: "; ")
                    ))
                references.append((name, parts.references.joined(separator: "; ")))
                confidence.append((name, w.confidence(setting.confidence) ?? ""))
            }
            return BasisRow(
                title: rule.descriptor.title(w.language), requirement: merged(requirement, separator: "; "),
                basis: merged(basis, separator: " | "), references: merged(references, separator: " | "),
                confidence: merged(confidence, separator: "; "))
        }
        let title = profiles.map {
            Words.profileName($0.id, $0.title, w.language) + w.t(" (id ", " (mã ") + $0.reference.label + ")"
        }.joined(separator: "; ")
        return [BasisTable(title: title, rows: rows)]
    }
}

extension String {
    /// The text with its first letter in lower case ("Gia hạn" → "gia hạn"), for a clause inside a sentence.
    func lowercasedFirst() -> String { prefix(1).lowercased() + dropFirst() }
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
