import Foundation
import HTTPTypes
import Hummingbird
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// A run's reports, made when asked for (no traffic: from the history, as `portal-audit report` does),
/// one at a time: a PDF of a thousand portals keeps Chromium busy for a minute, and a second one beside it
/// would starve the pages. At most `Gate.queue` requests wait their turn; more are told to come back (429),
/// and one whose client left stops waiting.
enum Downloads {
    static let formats: [ReportFormat] = [.html, .pdf, .csv, .json]
    static let gate = Gate(queue: 4)

    /// Lets one caller in at a time, at most `queue` others waiting in order.
    actor Gate {
        let queue: Int
        private var busy = false
        private var waiting: [(id: UInt64, turn: CheckedContinuation<Bool, Never>)] = []
        private var issued: UInt64 = 0

        init(queue: Int) { self.queue = queue }

        /// Waits for the turn: `true` when it came (call `leave` after), `false` when the queue was full or
        /// the caller was cancelled while waiting (its client went away).
        func enter() async -> Bool {
            guard busy else {
                busy = true
                return true
            }
            guard waiting.count < queue, !Task.isCancelled else { return false }
            issued += 1
            let id = issued
            return await withTaskCancellationHandler {
                await withCheckedContinuation { waiting.append((id, $0)) }
            } onCancel: {
                Task { await self.withdraw(id) }
            }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().turn.resume(returning: true) }
        }

        /// Callers waiting now.
        var waitingCount: Int { waiting.count }

        private func withdraw(_ id: UInt64) {
            guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
            waiting.remove(at: index).turn.resume(returning: false)
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
        guard await gate.enter() else {
            return Response(
                status: .tooManyRequests,
                headers: [.contentType: "text/plain; charset=utf-8", .retryAfter: "60"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "\(gate.queue) reports are already waiting to be made: ask again in a minute\n")))
        }
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
