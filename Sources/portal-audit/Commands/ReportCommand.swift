import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport

extension ReportFormat: ExpressibleByArgument {}

/// Options shared by `report` and `scan --out`.
struct ReportOptions: ParsableArguments {
    @Option(
        name: .customLong("format"),
        help: "Report format, repeatable: html, json, csv, md, pdf, text (text: one line per portal on stdout).")
    var formats: [ReportFormat] = []

    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    @Option(
        help: ArgumentHelp(
            "The issuing body (cơ quan ban hành) at the top of the report, e.g. \"Sở Khoa học và Công nghệ\"; \\n where the name breaks onto its second line.",
            valueName: "name"))
    var unit: String = ""

    @Option(
        name: .customLong("parent-unit"),
        help: ArgumentHelp(
            "The governing body (cơ quan chủ quản) above it, e.g. \"UBND tỉnh Thanh Hóa\".", valueName: "name"))
    var parentUnit: String = ""

    @Option(
        help: ArgumentHelp("The report's number and symbol (số, ký hiệu), e.g. \"15/BC-SKHCN\".", valueName: "text"))
    var number: String = ""

    @Option(help: ArgumentHelp("Where the report is signed (địa danh), e.g. \"Thanh Hóa\".", valueName: "place"))
    var place: String = ""

    @Option(
        help: ArgumentHelp(
            "Addressee (Kính gửi), repeatable, e.g. \"Ủy ban nhân dân tỉnh Thanh Hóa\".", valueName: "body"))
    var to: [String] = []

    @Option(
        name: .customLong("signer-title"),
        help: ArgumentHelp(
            "The signer's title; \\n between lines, e.g. \"KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\".", valueName: "title"))
    var signerTitle: String = ""

    @Option(help: ArgumentHelp("The signer's name.", valueName: "name"))
    var signer: String = ""

    @Option(
        help: ArgumentHelp(
            "The report's date, YYYY-MM-DD, or `blank` for \"ngày … tháng … năm …\" (the văn thư fills it); default: today.",
            valueName: "date|blank"))
    var date: String?

    @Option(
        help: ArgumentHelp(
            "Another recipient under \"Nơi nhận\", repeatable, e.g. \"Sở Thông tin và Truyền thông\".",
            valueName: "body"))
    var cc: [String] = []

    @Option(
        help: ArgumentHelp(
            "What follows \"Lưu: VT\" under \"Nơi nhận\": the drafting unit and copies, e.g. \"CNTT, 02b\".",
            valueName: "text"))
    var archive: String = ""

    @Option(
        help: ArgumentHelp(
            "What the review carries out: the report opens \"Thực hiện …,\", e.g. \"Kế hoạch số 45/KH-SKHCN ngày 02/12/2026 của Sở Khoa học và Công nghệ\".",
            valueName: "text"))
    var basis: String = ""

    @Flag(help: "A draft: the signature space says \"(Chữ ký, dấu)\" (a report to sign leaves it blank).")
    var draft = false

    func validate() throws {
        if let date, ReportForm.FormDate(argument: date) == nil {
            throw ValidationError("--date: expected a day as YYYY-MM-DD or `blank`, found '\(date)'")
        }
    }

    /// The form's header and signature block.
    var form: ReportForm {
        ReportForm(
            parentUnit: parentUnit.replacingOccurrences(of: "\\n", with: "\n"),
            unit: unit.replacingOccurrences(of: "\\n", with: "\n"), number: number, place: place, addressees: to,
            signerTitle: signerTitle.replacingOccurrences(of: "\\n", with: "\n"), signer: signer,
            date: date.flatMap(ReportForm.FormDate.init(argument:)) ?? .generated, copies: cc, archive: archive,
            draft: draft, basis: basis)
    }
}

/// `portal-audit report`: graded reports from history, as stored or re-graded with another profile (no traffic).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write graded reports of a stored run (HTML, JSON, CSV, Markdown, PDF); --profile re-grades without traffic.",
        discussion:
            "Files go to Reports/ (or --out DIR), named by run and date, written atomically; --out - prints one format."
    )

    @OptionGroup var database: DatabaseOptions
    var db: String { database.db }

    @Option(name: .customLong("run"), help: ArgumentHelp("Run id, or `last`.", valueName: "id|last"))
    var runSelector: String = "last"

    @Option(help: ArgumentHelp("Re-grade with this profile (id or YAML path).", valueName: "id|file"))
    var profile: String?

    @Option(help: ArgumentHelp("Folder for the report files, or - for stdout.", valueName: "dir"))
    var out: String = "Reports"

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "Only the portals of this province, district or commune (as the inventory names it).", valueName: "name"))
    var only: String?

    @OptionGroup var report: ReportOptions

    func run() async throws {
        var runID: Int64?
        if runSelector != "last" {
            guard let id = Int64(runSelector), id > 0 else {
                printError("<command line>: error: --run: expected a run id or `last`, found '\(runSelector)'")
                throw ExitStatus.badInput
            }
            runID = id
        }
        let formats = report.formats.isEmpty ? [ReportFormat.html] : report.formats
        let request = ReportRequest(
            database: db, runID: runID, profile: profile, formats: formats, language: report.lang,
            outDirectory: out, form: report.form, databasePassword: try database.history().password, unit: only)
        try await writeReports(request)
    }
}

/// Writes the requested reports: files (listed on stderr), or one format on stdout (`--out -`, `text`).
func writeReports(_ request: ReportRequest) async throws {
    let writer = ReportWriter()
    let toStdout = request.outDirectory == "-"
    if toStdout && request.formats.count != 1 {
        printError("<command line>: error: --out: `-` prints exactly one format (\(request.formats.count) given)")
        throw ExitStatus.badInput
    }
    if toStdout && request.formats == [.pdf] {
        printError("<command line>: error: --out: a PDF cannot go to stdout; give a folder")
        throw ExitStatus.badInput
    }
    if toStdout || request.formats.contains(.text) {
        let context = try await exitingOnError { try await writer.context(request) }
        for format in request.formats where toStdout || format == .text {
            print(try exitingOnError { try ReportWriter.render(format, context) }, terminator: "")
        }
        if toStdout { return }
    }
    if request.formats.contains(.pdf), PDFPrinter.vietnameseSerif() == nil {
        printError("report: warning: \(PDFPrinter.serifAdvice)")
    }
    let files = try await exitingOnError { try await writer.write(request) }
    for file in files { printError("report: \(file)") }
}
