import Foundation
import HTTPTypes
import Hummingbird
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// A run's reports, made when asked for (no traffic: from the history, as `portal-audit report` does),
/// one at a time: a PDF of a thousand portals keeps Chromium busy for a minute, and a second one beside it
/// would starve the pages.
enum Downloads {
    static let formats: [ReportFormat] = [.html, .pdf, .csv, .json]
    static let gate = Gate()

    /// Lets one caller in at a time, the others waiting in order.
    actor Gate {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }

    static func report(file: String, run: Int64, store: AuditStore, language: Language) async throws -> Response {
        guard file.hasPrefix("report."), let format = ReportFormat(rawValue: String(file.dropFirst("report.".count))),
            formats.contains(format)
        else {
            throw HTTPError(.notFound, message: "no such report: report.html, report.pdf, report.csv or report.json")
        }
        guard try await store.run(run) != nil else {
            throw HTTPError(.notFound, message: "the history holds no run \(run)")
        }
        let request = ReportRequest(
            database: store.database.location, runID: run, formats: [format], language: language)
        await gate.enter()
        let body: Data
        do {
            let context = try await ReportWriter().context(request, store: store)
            body = try await offPool { try make(format, context) }
            await gate.leave()
        } catch {
            await gate.leave()
            throw error
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

    /// The report's bytes (PDF through Chromium, in a temporary folder removed after).
    private static func make(_ format: ReportFormat, _ context: ReportContext) throws -> Data {
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
}

/// Runs blocking work (SQLite reads, rendering a report, Chromium) on a dispatch queue, not on the
/// cooperative pool that serves every other request.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
