import Foundation
import PortalAuditCore
import PortalAuditReport
import PortalAuditStore

/// A report file format.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Self-contained HTML (inline CSS and SVG), printable on A4.
    case html
    /// The versioned JSON contract (docs/report-schema.json).
    case json
    /// One row per portal, UTF-8 with BOM.
    case csv
    /// Markdown for tickets and chat.
    case md
    /// The HTML printed to PDF by headless Chromium.
    case pdf
    /// One line per portal on stdout.
    case text
}

/// What `portal-audit report` (and `scan --out`) asks for.
public struct ReportRequest: Sendable {
    public var database: String
    /// The PostgreSQL password (`--db-password-file`); `PGPASSWORD` when `nil`.
    public var databasePassword: String?
    /// Only the portals of this province, district or commune (as the inventory names it).
    public var unit: String?
    public var runID: Int64?
    public var profile: String?
    public var formats: [ReportFormat]
    public var language: Language
    /// Folder for report files; `-` writes the single requested format to stdout.
    public var outDirectory: String
    /// The administrative form's header and signature block (Vietnamese reports).
    public var form: ReportForm

    public init(
        database: String, runID: Int64? = nil, profile: String? = nil, formats: [ReportFormat] = [.html],
        language: Language = .vi, outDirectory: String = "Reports", form: ReportForm = ReportForm(),
        databasePassword: String? = nil, unit: String? = nil
    ) {
        self.database = database
        self.databasePassword = databasePassword
        self.unit = unit
        self.runID = runID
        self.profile = profile
        self.formats = formats
        self.language = language
        self.outDirectory = outDirectory
        self.form = form
    }
}

/// A report that could not be produced (not bad input).
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Builds reports from history (no traffic) and writes them atomically.
public struct ReportWriter: Sendable {
    public var regrader: Regrader

    public init(regrader: Regrader = Regrader()) { self.regrader = regrader }

    /// The context every renderer formats: the (re-graded) document and the previous run's verdicts.
    public func context(_ request: ReportRequest, now: Date = Date()) async throws -> ReportContext {
        try await HistoryDatabase(request.database, password: request.databasePassword).with(create: false) { store in
            try await context(request, store: store, now: now, requireUnit: true)
        }
    }

    /// The context of `request` from a history already open (the dashboard's).
    ///
    /// - Parameter requireUnit: a unit (`--only`) that names no portal of the run is bad input, listing the
    ///   units the run holds, rather than an empty report that could be signed.
    public func context(
        _ request: ReportRequest, store: AuditStore, now: Date = Date(), requireUnit: Bool = false
    ) async throws -> ReportContext {
        var document = try await regrader.report(
            store: store, runID: request.runID, profile: request.profile, now: now)
        if let unit = request.unit {
            let all = document.sites
            document.sites = all.filter {
                $0.target.province == unit || $0.target.district == unit || $0.target.commune == unit
            }
            if requireUnit, document.sites.isEmpty, !all.isEmpty {
                let units = Set(
                    all.flatMap { [$0.target.province, $0.target.district, $0.target.commune] }.compactMap { $0 })
                let listed = units.sorted().prefix(40).map { "'\($0)'" }.joined(separator: ", ")
                throw InputIssues([
                    InputIssue(
                        file: "<command line>", field: "--only",
                        problem: units.isEmpty
                            ? "no portal of this run names '\(unit)', and the inventory named no province, district or commune"
                            : "no portal of this run is in '\(unit)'; the run's units: \(listed)\(units.count > 40 ? ", …" : "")"
                    )
                ])
            }
            document.summary = VerdictSummary(document.sites)
        }
        let runID = try await store.run(request.runID)?.id
        var previous: [String: PreviousResult] = [:]
        if let runID {
            for (url, value) in try await store.previousResults(run: runID) {
                previous[url] = PreviousResult(
                    runID: value.runID, verdict: value.verdict, grade: value.grade, score: value.score)
            }
        }
        // The profiles the portals were judged by: their unverifiable lists and grading tables.
        let loader = regrader.profileLoader
        let profiles = Set(document.sites.map(\.profile.id)).sorted().compactMap { try? loader.load($0) }
        return ReportContext(
            document: document, runID: runID, language: request.language, form: request.form, generatedAt: now,
            previous: previous, profiles: profiles)
    }

    /// The text of `format` (not PDF, which is printed from the HTML).
    public static func render(_ format: ReportFormat, _ context: ReportContext) throws -> String {
        switch format {
        case .html, .pdf: HTMLRenderer().render(context)
        case .json: try JSONRenderer.render(context.document)
        case .csv: CSVRenderer().render(context)
        case .md: MarkdownRenderer().render(context)
        case .text: SummaryRenderer(language: context.language).render(context.document)
        }
    }

    /// Writes every requested file and returns their paths.
    public func write(_ request: ReportRequest, now: Date = Date()) async throws -> [String] {
        let context = try await context(request, now: now)
        let folder = URL(fileURLWithPath: request.outDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let day = ISO8601DateFormatter.string(
            from: now, timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt, formatOptions: [.withFullDate])
        let base =
            "portal-audit-run\(context.runID ?? 0)-\(day)"
            + (request.language == .vi ? "" : "-\(request.language.rawValue)")
        var written: [String] = []
        for format in request.formats where format != .text {
            let path = folder.appendingPathComponent("\(base).\(format.rawValue)").path
            if format == .pdf {
                let html = try Self.render(.html, context)
                try PDFPrinter.print(html: html, to: path)
            } else {
                try Self.atomicWrite(try Self.render(format, context), to: path)
            }
            written.append(path)
        }
        return written
    }

    /// Writes `text` to a temporary file beside `path`, then renames it: a reader never sees half a report.
    ///
    /// The data reaches the disk before the rename and the rename before this returns (fsync of the
    /// file, then of its folder): after a power cut the report is the old one or the new one, never empty.
    static func atomicWrite(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try Data(text.utf8).write(to: temporary)
        try rename(temporary, over: url)
    }

    /// `rename(2)` of `source` over `target` (same folder): atomic, replacing any old file, made durable.
    static func rename(_ source: URL, over target: URL) throws {
        func failure(_ what: String) -> ReportError {
            let code = errno
            try? FileManager.default.removeItem(at: source)  // a leftover temporary file; the error below says why
            return ReportError(description: "cannot write \(target.path): \(what): \(String(cString: strerror(code)))")
        }
        let file = open(source.path, O_RDONLY)
        guard file >= 0 else { throw failure("open") }
        let synced = fsync(file)
        close(file)
        guard synced == 0 else { throw failure("fsync") }
        guard Foundation.rename(source.path, target.path) == 0 else { throw failure("rename") }
        let folder = open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            defer { close(folder) }
            guard fsync(folder) == 0 else { throw failure("fsync of the folder") }
        }
    }
}

/// Prints HTML to PDF with headless Chromium (Debian's `chromium`), when it is installed.
public enum PDFPrinter {
    /// Chromium's path, if installed.
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in path where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return folder + "/" + name
            }
        }
        return nil
    }

    /// The serif families the report's form asks for, in its style sheet's order.
    static let serifFamilies = ["Times New Roman", "Liberation Serif", "TeX Gyre Termes"]
    /// Every letter of Vietnamese: the Latin Extended-A/B ones (Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư) and U+1EA0–1EF9.
    static let vietnameseCharset = "102 103 110 111 128 129 168 169 1a0 1a1 1af 1b0 1ea0-1ef9"

    /// The first of the form's serif families installed with every Vietnamese letter, as fontconfig lists
    /// them; `nil` when none is (Debian 12's `fonts-liberation` 1.07 lacks Ơ, Ư and U+1EA0–1EF9: Chromium
    /// then prints them in a fallback sans-serif face) or `fc-list` is missing.
    public static func vietnameseSerif(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let fcList = path.map({ $0 + "/fc-list" }).first(where: FileManager.default.isExecutableFile)
        else { return nil }
        for family in serifFamilies {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: fcList)
            process.arguments = [":family=\(family):charset=\(vietnameseCharset)", "family"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let listed = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0, !listed.isEmpty { return family }
        }
        return nil
    }

    /// What to say when no serif of the form covers Vietnamese.
    public static let serifAdvice =
        "no serif font with every Vietnamese letter: the PDF prints ơ, ư, ạ, ế… in a fallback sans-serif face (apt-get install fonts-liberation2 fontconfig)"

    /// Seconds Chromium may take to print one report: `PORTAL_AUDIT_PDF_TIMEOUT`, else 180.
    static func timeoutSeconds(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
        environment["PORTAL_AUDIT_PDF_TIMEOUT"].flatMap(Double.init).map { max(1, $0) } ?? 180
    }

    /// Renders `html` to the PDF file `path` (atomically).
    public static func print(html: String, to path: String) throws {
        guard let chromium = chromium() else {
            throw ReportError(
                description:
                    "a PDF needs Chromium: install it with `apt-get install chromium` (or open the HTML report in a browser and print it to PDF)"
            )
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "portal-audit-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: input)
        let output = folder.appendingPathComponent("report.pdf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--no-pdf-header-footer",
            "--print-to-pdf=\(output.path)", input.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A Chromium that hangs (a broken profile, a missing display library) must not hang the report.
        let seconds = timeoutSeconds()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ReportError(
                description:
                    "Chromium did not print the PDF within \(Int(seconds)) s and was stopped (set PORTAL_AUDIT_PDF_TIMEOUT to allow more)"
            )
        }
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw ReportError(description: "Chromium could not print the PDF (exit \(process.terminationStatus))")
        }
        // Copy beside the target first (the temporary folder may be another file system), then rename.
        let target = URL(fileURLWithPath: path)
        let staged = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: output, to: staged)
        try ReportWriter.rename(staged, over: target)
    }
}
