import Foundation
import PortalAuditCore

/// A portal's result in the run before the reported one (for "change since the previous run").
public struct PreviousResult: Sendable, Equatable {
    public var runID: Int64
    public var verdict: Verdict
    public var grade: String
    public var score: Int

    public init(runID: Int64, verdict: Verdict, grade: String, score: Int) {
        self.runID = runID
        self.verdict = verdict
        self.grade = grade
        self.score = score
    }
}

/// The administrative form around a Vietnamese report (Nghị định 30/2020/NĐ-CP, Phụ lục I): who issues it,
/// to whom, and who signs. Everything left empty gets the form's placeholder ("……").
public struct ReportForm: Sendable, Equatable {
    /// Cơ quan chủ quản, printed above the issuing body (capitals, regular).
    public var parentUnit: String
    /// Cơ quan ban hành: the reporting unit (capitals, bold, a short rule under it).
    public var unit: String
    /// Số, ký hiệu, e.g. "15/BC-SKHCN"; the placeholder "……/BC-……" when empty.
    public var number: String
    /// Địa danh, e.g. "Thanh Hóa".
    public var place: String
    /// "Kính gửi:" lines (`--to`), also the first lines of "Nơi nhận:".
    public var addressees: [String]
    /// The signer's title, e.g. "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" (one line per authority).
    public var signerTitle: String
    /// The signer's name.
    public var signer: String
    /// The report's date (`--date`): the day it is produced, a given day, or left for the văn thư to fill.
    public var date: FormDate
    /// Other recipients (`--cc`), listed under "Nơi nhận:" after the addressees.
    public var copies: [String]
    /// What follows "Lưu: VT" (`--archive`): the drafting unit and the number of copies, e.g. "CNTT, 02b".
    public var archive: String
    /// A draft (`--draft`): the signature space carries the hint "(Chữ ký, dấu)"; a report to sign leaves it
    /// blank.
    public var draft: Bool
    /// What the review carries out (`--basis`), e.g. "Kế hoạch số 45/KH-SKHCN ngày 02/12/2026 của Sở Khoa học
    /// và Công nghệ": the report opens "Thực hiện …,".
    public var basis: String

    /// The date printed beside the place: NĐ 30/2020 dates a report the day it is signed, which may not be the
    /// day the tool writes it.
    public enum FormDate: Sendable, Equatable {
        case generated
        /// A calendar day (year, month, day), as given.
        case day(Int, Int, Int)
        /// "ngày … tháng … năm …", for the văn thư to fill when the report is issued.
        case blank

        /// `YYYY-MM-DD` or `blank`; `nil` for anything else (an impossible day included).
        public init?(argument: String) {
            if argument == "blank" {
                self = .blank
                return
            }
            let parts = argument.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 3, argument.count == 10, let year = parts[0], let month = parts[1],
                let day = parts[2],
                (1...12).contains(month), (1...31).contains(day),
                DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month, day: day)
                    .isValidDate
            else { return nil }
            self = .day(year, month, day)
        }
    }

    public init(
        parentUnit: String = "", unit: String = "", number: String = "", place: String = "",
        addressees: [String] = [], signerTitle: String = "", signer: String = "", date: FormDate = .generated,
        copies: [String] = [], archive: String = "", draft: Bool = false, basis: String = ""
    ) {
        self.basis = basis
        self.date = date
        self.copies = copies
        self.archive = archive
        self.draft = draft
        self.parentUnit = parentUnit
        self.unit = unit
        self.number = number
        self.place = place
        self.addressees = addressees
        self.signerTitle = signerTitle
        self.signer = signer
    }
}

/// Everything a renderer formats: the document and what surrounds it. Renderers compute nothing else.
public struct ReportContext: Sendable {
    public var document: ReportDocument
    public var runID: Int64?
    public var language: Language
    /// The form's header and signature block.
    public var form: ReportForm
    /// When the report was produced (injected: renderers never read the clock).
    public var generatedAt: Date
    /// Each portal's previous result, by URL.
    public var previous: [String: PreviousResult]
    /// The profiles the portals were judged by, by `id@version` (their unverifiable lists and grading).
    public var profiles: [String: Profile]

    public init(
        document: ReportDocument, runID: Int64? = nil, language: Language, form: ReportForm = ReportForm(),
        generatedAt: Date, previous: [String: PreviousResult] = [:], profiles: [Profile] = []
    ) {
        self.document = document
        self.runID = runID
        self.language = language
        self.form = form
        self.generatedAt = generatedAt
        self.previous = previous
        self.profiles = Dictionary(profiles.map { ($0.reference.label, $0) }) { first, _ in first }
    }

    /// The reporting unit (kept for the English header and the Markdown title).
    public var unit: String { form.unit }

    /// Why `site` has its grade, by its profile's grading table.
    func gradeCause(_ site: SiteResult) -> LocalizedText {
        Evaluator.gradeCause(
            site.findings, verdict: site.verdict, grading: profiles[site.profile.label]?.grading ?? .standard)
    }
}

/// Vietnamese and English wording and number/date formats shared by the renderers.
package struct Words {
    package let language: Language

    package init(language: Language) { self.language = language }

    package func t(_ en: String, _ vi: String) -> String { language == .vi ? vi : en }

    package func verdict(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: t("Pass", "Đạt")
        case .warn: t("Pass with warnings", "Đạt, có cảnh báo")
        case .incomplete: t("Incomplete", "Chưa đủ căn cứ")
        case .fail: t("Fail", "Không đạt")
        }
    }

    /// A portal's verdict, with the required criteria its pass could not check: "Đạt (chưa kiểm tra 3 tiêu chí
    /// bắt buộc cần ủy quyền)".
    package func verdict(_ site: SiteResult) -> String { verdict(site.verdict) + unchecked(site) }

    /// " (chưa kiểm tra N tiêu chí bắt buộc cần ủy quyền)" after a pass that could not run them; empty otherwise.
    package func unchecked(_ site: SiteResult) -> String {
        let count = Evaluator.uncheckedRequired(site.findings)
        guard count > 0, site.verdict == .pass || site.verdict == .warn else { return "" }
        return t(
            " (\(count) required criteri\(count == 1 ? "on" : "a") not checked: needs authorisation)",
            " (chưa kiểm tra \(count) tiêu chí bắt buộc cần ủy quyền)")
    }

    /// A finding's result: an unmet recommendation is "chưa đáp ứng", never "không đạt", so a portal that
    /// passes with warnings shows nothing as failed.
    package func status(_ finding: Finding) -> String {
        switch finding.status {
        case .pass: t("met", "đạt")
        case .fail: finding.requirement == .required ? t("not met", "không đạt") : t("not yet met", "chưa đáp ứng")
        case .inconclusive: t("could not be determined", "chưa xác định được")
        case .notApplicable:
            finding.resultCode == "not-authorised"
                ? t("not checked (not authorised)", "không kiểm tra (chưa được ủy quyền)")
                : t("not applicable", "không áp dụng")
        }
    }

    /// What a result code means where the evidence alone would be English or cryptic.
    package func note(_ finding: Finding) -> String? {
        switch finding.resultCode {
        case "unconfirmed":
            t(
                "nothing answered once; an outage is confirmed only by a second attempt at least 30 s later",
                "không phản hồi ở lần thử đầu; chỉ kết luận ngừng hoạt động khi lần thử thứ hai sau ít nhất 30 giây cũng không phản hồi"
            )
        case "not-authorised":
            t(
                "an active check: runs only in an authorised audit (`authorised: true` and `authorisation:` in the inventory)",
                "kiểm tra chủ động: chỉ chạy khi được ủy quyền (`authorised: true` và `authorisation:` trong danh sách cổng)"
            )
        case "ok" where finding.rule == "content.cloaking":
            t(
                "the same page for a browser, a search crawler and a visitor from a search; cloaking that checks crawlers by reverse DNS cannot be seen from outside",
                "như nhau với trình duyệt, trình thu thập của công cụ tìm kiếm và người đến từ trang tìm kiếm; cloaking xác minh trình thu thập bằng DNS ngược không kiểm tra được từ bên ngoài"
            )
        case "product-named":
            t("a product is named without a version: a note only", "chỉ nêu tên phần mềm, không có phiên bản: ghi nhận")
        default: nil
        }
    }

    /// A finding's evidence, with keys whose text `note` already says in the report's language left out,
    /// and the common keys named in the report's language (header names and values stay as sent).
    package func evidence(_ finding: Finding) -> [(String, String)] {
        let hidden: Set<String> = note(finding) == nil ? [] : ["reason"]
        return finding.evidence.keys.sorted().filter { !hidden.contains($0) }.map {
            (language == .vi ? Self.evidenceKeys[$0] ?? $0 : $0, finding.evidence[$0] ?? "")
        }
    }

    /// The evidence a reader checks for themselves, as the site sent it (addresses, header values, names):
    /// the keys whose values are site data, named in this language. Everything else a finding holds (codes,
    /// counts, dates, English notes) its sentence says, or stays in the JSON.
    package func siteEvidence(_ finding: Finding) -> [(String, String)] {
        Self.siteDataKeys.compactMap { key, name in
            guard let value = finding.evidence[key], !value.isEmpty else { return nil }
            return (name(language), value)
        }
    }

    /// The evidence keys whose values are site data, in the order reports list them.
    static let siteDataKeys: [(String, LocalizedText)] = [
        ("url", LocalizedText(en: "address", vi: "địa chỉ")), ("page", LocalizedText(en: "page", vi: "trang")),
        ("location", LocalizedText(en: "redirects to", vi: "chuyển tới")),
        ("chain", LocalizedText(en: "redirects", vi: "chuỗi chuyển hướng")),
        ("value", LocalizedText(en: "value sent", vi: "giá trị máy chủ gửi")),
        ("csp", LocalizedText(en: "Content-Security-Policy", vi: "Content-Security-Policy")),
        ("cookies", LocalizedText(en: "cookies", vi: "cookie")),
        ("host", LocalizedText(en: "host name", vi: "tên máy chủ")),
        ("names", LocalizedText(en: "names in the certificate", vi: "tên trong chứng thư")),
        ("issuer", LocalizedText(en: "issuer", vi: "tổ chức cấp")),
        ("issuer_url", LocalizedText(en: "issuer's address", vi: "địa chỉ tổ chức cấp")),
        ("address", LocalizedText(en: "IP address", vi: "địa chỉ IP")),
        ("paths", LocalizedText(en: "paths", vi: "đường dẫn")), ("link", LocalizedText(en: "link", vi: "liên kết")),
        ("resources", LocalizedText(en: "resources", vi: "tài nguyên")),
        ("script", LocalizedText(en: "script", vi: "mã lệnh")), ("title", LocalizedText(en: "title", vi: "tiêu đề")),
    ]

    /// Vietnamese names of the evidence keys the rules use most.
    package static let evidenceKeys: [String: String] = [
        "accepted": "chấp nhận", "too_old": "phiên bản cũ", "untested": "chưa kiểm tra", "missing": "còn thiếu",
        "found": "phát hiện", "url": "địa chỉ", "status": "mã trạng thái", "reason": "lý do", "detail": "chi tiết",
        "address": "địa chỉ IP", "version": "phiên bản", "count": "số lượng", "resources": "tài nguyên",
        "not_after": "hết hạn", "not_before": "hiệu lực từ", "issuer": "tổ chức cấp",
        "issuer_url": "địa chỉ tổ chức cấp",
        "suites": "bộ mã", "coverage": "phạm vi kiểm tra", "score": "điểm", "differs": "khác biệt",
        "unanswered": "không phản hồi", "served": "được phục vụ", "error": "lỗi", "cookies": "cookie",
        "newest": "mới nhất", "source": "nguồn", "location": "chuyển tới", "chain": "chuỗi chuyển hướng",
        "total_ms": "tổng thời gian (ms)", "ttfb_ms": "thời gian byte đầu (ms)", "tls_ms": "bắt tay TLS (ms)",
        "max_age": "max-age", "paths": "đường dẫn", "names": "tên", "key": "khóa", "signature": "chữ ký",
        "uptime_percent": "tỷ lệ hoạt động (%)", "outages": "số lần gián đoạn", "window_hours": "khoảng (giờ)",
        "unmonitored_hours": "không giám sát (giờ)", "confirmed_after_s": "xác nhận sau (giây)",
        "pages_sampled": "số trang đã lấy mẫu", "injected_pages": "trang bị chèn", "similarity": "nội dung chung",
        "earlier_similarity": "giống lần quét trước đó",
        "previous": "lần quét trước", "title": "tiêu đề", "new_links": "liên kết mới", "ended": "hết hỗ trợ",
        "not_judged": "không đánh giá", "supported": "còn hỗ trợ", "table_checked": "bảng vòng đời đối chiếu ngày",
    ]

    /// "Căn cứ kết luận: …; tham khảo: …": a finding's citation split into the Vietnamese text a verdict rests
    /// on and the yardsticks that only measure it (confidence labels stay in Phụ lục II and the JSON).
    package func basis(_ finding: Finding) -> String {
        let parts = CitationParts(finding.source(language))
        var out =
            t("Basis of the conclusion: ", "Căn cứ kết luận: ")
            + (parts.basis.isEmpty
                ? t("no Vietnamese text sets this threshold", "không có văn bản Việt Nam quy định ngưỡng này")
                : parts.basis.joined(separator: "; "))
        if !parts.references.isEmpty {
            out += t("; references: ", "; tham khảo: ") + parts.references.joined(separator: "; ")
        }
        return out
    }

    /// The confidence label of a citation, in this language.
    package func confidence(_ raw: String?) -> String? { Confidence.label(raw, language) }

    /// The criteria a portal was judged by, as a reader names them: "Cấp độ 2", with "(giả định)" when its
    /// level is not in the inventory. Ids and versions are for the appendix and JSON.
    package func profile(_ site: SiteResult) -> String {
        let id = site.profile.id
        guard let level = Self.level(id) else {
            return site.target.level == nil ? id + t(" (level not given)", " (chưa rõ cấp độ)") : id
        }
        let name = t("Level \(level)", "Cấp độ \(level)")
        return site.target.level == nil ? name + t(" (assumed)", " (giả định)") : name
    }

    /// The level of a shipped profile (`vn-level2` → 2).
    static func level(_ id: String) -> Int? {
        id.hasPrefix("vn-level") ? Int(id.dropFirst("vn-level".count)) : nil
    }

    /// A profile's name for a reader: "Cấp độ 2" for a shipped level, its title otherwise.
    package static func profileName(_ id: String, _ title: LocalizedText, _ language: Language) -> String {
        guard let level = level(id) else { return title(language) }
        return language == .vi ? "Cấp độ \(level)" : "Level \(level)"
    }

    /// Where a spam term sits, in words.
    package func place(_ place: SpamHit.Place) -> String {
        switch place {
        case .visible: t("page text", "nội dung trang")
        case .hidden: t("hidden text", "đoạn chữ bị ẩn")
        case .title: t("page title", "tiêu đề trang")
        case .meta: t("meta tags", "thẻ meta")
        case .link: t("link out", "liên kết ra ngoài")
        case .script: t("decoded by a script", "mã lệnh giải mã")
        case .forward: t("sends visitors on to", "chuyển người xem tới")
        }
    }

    package func severity(_ severity: Severity) -> String {
        switch severity {
        case .info: t("info", "thông tin")
        case .low: t("low", "thấp")
        case .medium: t("medium", "trung bình")
        case .high: t("high", "cao")
        case .critical: t("critical", "nghiêm trọng")
        }
    }

    package func requirement(_ requirement: Requirement) -> String {
        switch requirement {
        case .required: t("required", "bắt buộc")
        case .recommended: t("recommended", "khuyến nghị")
        }
    }

    /// 1.234 (vi) or 1,234 (en).
    package func number(_ value: Int) -> String { FindingValues.number(value)(language) }

    /// 87,5 (vi) or 87.5 (en), one decimal.
    package func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = Int((Double(part) * 1000 / Double(whole)).rounded())
        return "\(tenths / 10)\(language == .vi ? "," : ".")\(tenths % 10)%"
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// The form's date: `generated` in Vietnam time, a given day, or the blanks the văn thư fills.
    package func formDate(_ date: ReportForm.FormDate, generated: Date) -> String {
        switch date {
        case .generated: return longDate(generated)
        case .blank: return language == .vi ? "ngày …… tháng …… năm ……" : "(date of issue)"
        case let .day(year, month, day): return longDate(year: year, month: month, day: day)
        }
    }

    /// "ngày 05 tháng 01 năm 2027" / "5 January 2027" (Vietnam time). NĐ 30/2020 writes a day below 10 and
    /// the months 1 and 2 with a leading zero.
    package func longDate(_ date: Date) -> String {
        let c = components(date)
        return longDate(year: c.year ?? 0, month: c.month ?? 1, day: c.day ?? 0)
    }

    private func longDate(year: Int, month: Int, day: Int) -> String {
        if language == .vi {
            let dd = day < 10 ? "0\(day)" : "\(day)"
            let mm = month <= 2 ? "0\(month)" : "\(month)"
            return "ngày \(dd) tháng \(mm) năm \(year)"
        }
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        return "\(day) \(months[max(0, min(11, month - 1))]) \(year)"
    }

    /// "23/11/2026 10:05" (vi) or "2026-11-23 10:05" (en), Vietnam time.
    package func dateTime(_ date: Date) -> String {
        let c = components(date)
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        if language == .vi { return String(format: "%02d/%02d/%04d ", c.day ?? 0, c.month ?? 0, c.year ?? 0) + time }
        return String(format: "%04d-%02d-%02d ", c.year ?? 0, c.month ?? 0, c.day ?? 0) + time
    }

    /// "↑ from fail", "= unchanged", "new".
    package func change(_ site: SiteResult, _ previous: PreviousResult?) -> String {
        guard let previous else { return t("new", "mới") }
        let now = site.verdict.rank
        let before = previous.verdict.rank
        if now == before {
            return previous.score == site.score ? t("unchanged", "không đổi") : "\(previous.score) → \(site.score)"
        }
        return (now > before ? "▲ " : "▼ ") + t("was ", "trước: ") + verdict(previous.verdict)
    }
}
