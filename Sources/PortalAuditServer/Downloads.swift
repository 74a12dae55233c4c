import Foundation
import HTTPTypes
import Hummingbird
import PortalAuditCore
import PortalAuditKit
import PortalAuditStore

/// A run's reports, made when asked for (no traffic: from the history, as `portal-audit report` does).
enum Downloads {
    static let formats: [ReportFormat] = [.html, .pdf, .csv, .json]

    static func report(file: String, run: Int64, store: AuditStore, database: String, language: Language) async throws
        -> Response
    {
        guard file.hasPrefix("report."), let format = ReportFormat(rawValue: String(file.dropFirst("report.".count))),
            formats.contains(format)
        else {
            throw HTTPError(.notFound, message: "no such report: report.html, report.pdf, report.csv or report.json")
        }
        guard try await store.runSummary(run) != nil else {
            throw HTTPError(.notFound, message: "the history holds no run \(run)")
        }
        let request = ReportRequest(database: database, runID: run, formats: [format], language: language)
        let body: Data = try await offPool {
            let context = try ReportWriter().context(request)
            if format == .pdf {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "portal-audit-serve-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let path = folder.appendingPathComponent("report.pdf").path
                try PDFPrinter.print(html: try ReportWriter.render(.html, context), to: path)
                return try Data(contentsOf: URL(fileURLWithPath: path))
            }
            return Data(try ReportWriter.render(format, context).utf8)
        }
        let types: [ReportFormat: String] = [
            .html: "text/html; charset=utf-8", .pdf: "application/pdf", .csv: "text/csv; charset=utf-8",
            .json: "application/json",
        ]
        var headers: HTTPFields = [
            .contentType: types[format] ?? "application/octet-stream",
            .contentDisposition: "attachment; filename=\"portal-audit-run\(run).\(format.rawValue)\"",
        ]
        // The HTML report is self-contained: inline styles and SVG, no script.
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Runs blocking work (SQLite reads, rendering a report, Chromium) on a dispatch queue, not on the
/// cooperative pool that serves every other request.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
