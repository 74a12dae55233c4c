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

/// Everything a renderer formats: the document and what surrounds it. Renderers compute nothing else.
public struct ReportContext: Sendable {
    public var document: ReportDocument
    public var runID: Int64?
    public var language: Language
    /// The reporting unit (cơ quan, đơn vị báo cáo), printed at the top of the Vietnamese form.
    public var unit: String
    /// Where the report is signed (địa danh), e.g. "Thanh Hóa".
    public var place: String
    /// When the report was produced (injected: renderers never read the clock).
    public var generatedAt: Date
    /// Each portal's previous result, by URL.
    public var previous: [String: PreviousResult]

    public init(
        document: ReportDocument, runID: Int64? = nil, language: Language, unit: String = "", place: String = "",
        generatedAt: Date, previous: [String: PreviousResult] = [:]
    ) {
        self.document = document
        self.runID = runID
        self.language = language
        self.unit = unit
        self.place = place
        self.generatedAt = generatedAt
        self.previous = previous
    }
}

/// Vietnamese and English wording and number/date formats shared by the renderers.
struct Words {
    let language: Language

    func t(_ en: String, _ vi: String) -> String { language == .vi ? vi : en }

    func verdict(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: t("Pass", "Đạt")
        case .warn: t("Pass with warnings", "Đạt, có cảnh báo")
        case .incomplete: t("Incomplete", "Chưa đủ căn cứ")
        case .fail: t("Fail", "Không đạt")
        }
    }

    func status(_ status: FindingStatus) -> String {
        switch status {
        case .pass: t("pass", "đạt")
        case .fail: t("fail", "không đạt")
        case .inconclusive: t("could not tell", "không xác định")
        case .notApplicable: t("not applicable", "không áp dụng")
        }
    }

    func requirement(_ requirement: Requirement) -> String {
        switch requirement {
        case .required: t("required", "bắt buộc")
        case .recommended: t("recommended", "khuyến nghị")
        }
    }

    /// 1.234 (vi) or 1,234 (en).
    func number(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [String] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(String(digits[start..<end]), at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: language == .vi ? "." : ",")
    }

    /// 87,5 (vi) or 87.5 (en), one decimal.
    func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = Int((Double(part) * 1000 / Double(whole)).rounded())
        return "\(tenths / 10)\(language == .vi ? "," : ".")\(tenths % 10)%"
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// "ngày 23 tháng 11 năm 2026" / "23 November 2026" (Vietnam time).
    func longDate(_ date: Date) -> String {
        let c = components(date)
        if language == .vi { return "ngày \(c.day ?? 0) tháng \(c.month ?? 0) năm \(c.year ?? 0)" }
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        return "\(c.day ?? 0) \(months[max(0, min(11, (c.month ?? 1) - 1))]) \(c.year ?? 0)"
    }

    /// "23/11/2026 10:05" (vi) or "2026-11-23 10:05" (en), Vietnam time.
    func dateTime(_ date: Date) -> String {
        let c = components(date)
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        if language == .vi { return String(format: "%02d/%02d/%04d ", c.day ?? 0, c.month ?? 0, c.year ?? 0) + time }
        return String(format: "%04d-%02d-%02d ", c.year ?? 0, c.month ?? 0, c.day ?? 0) + time
    }

    /// "↑ from fail", "= unchanged", "new".
    func change(_ site: SiteResult, _ previous: PreviousResult?) -> String {
        guard let previous else { return t("new", "mới") }
        let now = site.verdict.rank
        let before = previous.verdict.rank
        if now == before {
            return previous.score == site.score ? t("unchanged", "không đổi") : "\(previous.score) → \(site.score)"
        }
        return (now > before ? "▲ " : "▼ ") + t("was ", "trước: ") + verdict(previous.verdict)
    }
}
