import Foundation
import PortalAuditCore

/// One row per portal for spreadsheets: UTF-8 with BOM (so Excel shows Vietnamese), RFC 4180 quoting,
/// and cells that a spreadsheet would run as a formula (`= + - @`, tab, CR) neutralised with a quote.
public struct CSVRenderer: Sendable {
    public init() {}

    /// The columns, in order: (English header, Vietnamese header).
    static let columns: [(String, String)] = [
        ("url", "Địa chỉ"), ("name", "Tên cổng"), ("province", "Tỉnh/thành phố"),
        ("district", "Quận/huyện (trước 2025)"),
        ("commune", "Xã/phường/đặc khu"), ("level", "Cấp độ"), ("profile", "Bộ tiêu chí"), ("verdict", "Kết luận"),
        ("grade", "Xếp loại"), ("grade_cause", "Nguyên nhân xếp loại"), ("score", "Điểm"),
        ("required_failed", "Tiêu chí bắt buộc không đạt"), ("recommendations_unmet", "Khuyến nghị chưa đáp ứng"),
        ("inconclusive_rules", "Tiêu chí chưa xác định được"), ("previous_verdict", "Kết luận lần trước"),
        ("page_title", "Tiêu đề trang"), ("connections", "Số kết nối"), ("duration_ms", "Thời gian (ms)"),
        ("uptime_30d_percent", "Tỷ lệ hoạt động 30 ngày (%)"), ("outages_30d", "Số lần gián đoạn 30 ngày"),
    ]

    /// The CSV text, BOM first, CRLF line ends.
    public func render(_ context: ReportContext) -> String {
        let w = Words(language: context.language)
        var out = "\u{FEFF}"
        out += Self.columns.map { Self.cell(context.language == .vi ? $0.1 : $0.0) }.joined(separator: ",") + "\r\n"
        for site in context.document.sites {
            let t = site.target
            let fields: [String] = [
                t.url, t.name ?? "", t.province ?? "", t.district ?? "", t.commune ?? "",
                t.level.map(String.init) ?? "",
                w.profile(site), w.verdict(site), site.grade, context.gradeCause(site)(context.language),
                String(site.score),
                site.findings.filter { $0.status == .fail && $0.requirement == .required }.map {
                    $0.sentence(context.language)
                }.joined(separator: " "),
                site.findings.filter { $0.status == .fail && $0.requirement == .recommended }.map {
                    $0.sentence(context.language)
                }.joined(separator: " "),
                site.findings.filter { $0.status == .inconclusive }.map { $0.title(context.language) }
                    .joined(separator: "; "),
                context.previous[t.url].map { w.verdict($0.verdict) } ?? "",
                site.observation.page?.title ?? "", String(site.cost.connections), String(site.durationMS),
                site.observation.uptime?.percent.map { String(format: "%.2f", $0) } ?? "",
                site.observation.uptime.map { String($0.outages.count) } ?? "",
            ]
            out += fields.map(Self.cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One RFC 4180 cell, formula-neutralised.
    static func cell(_ value: String) -> String {
        // Control characters (escape sequences included) are dropped, line breaks kept inside quotes.
        var text = String(
            String.UnicodeScalarView(
                value.unicodeScalars.filter {
                    $0.properties.generalCategory != .control || $0 == "\n" || $0 == "\r" || $0 == "\t"
                }))
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
