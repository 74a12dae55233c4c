import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// Office and OpenDocument files as their writers zip them (Python's `zipfile`, deflated), read back as rows
/// for the personal-data scan; and the archive's caps against a bomb.
@Suite("Documents: zipped Office and OpenDocument text, bounded")
struct DocumentTextTests {
    /// A zip archive of `files` made by Python's `zipfile` (deflated), as bytes.
    static func zip(_ files: [String: String]) async throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("files.json")
        try JSONSerialization.data(withJSONObject: files).write(to: spec)
        let out = folder.appendingPathComponent("out.zip").path
        let script = """
            import json, sys, zipfile
            files = json.load(open(sys.argv[1], encoding="utf-8"))
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
                for name, text in files.items():
                    z.writestr(name, text)
            """
        let made = try await Command.run("/usr/bin/python3", ["-c", script, spec.path, out])
        #expect(made.status == 0, "\(made.stderr)")
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    func rows(_ bytes: [UInt8]) throws -> [[String]] {
        var archive = try ZipArchive(bytes)
        let format = try #require(OfficeText.format(of: archive))
        return try OfficeText.rows(&archive, format: format)
    }

    func facts(_ bytes: [UInt8]) throws -> PersonalDataFacts {
        PersonalData.scan(rows: try rows(bytes), year: 2026)
    }

    @Test("a Word table whose numbers are split across runs reads as one number per cell")
    func docx() async throws {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        func cell(_ runs: [String]) -> String {
            "<w:tc><w:p>" + runs.map { "<w:r><w:t>\($0)</w:t></w:r>" }.joined() + "</w:p></w:tc>"
        }
        let body =
            "<w:p><w:r><w:t>DANH SÁCH HỘ ĐƯỢC HỖ TRỢ</w:t></w:r></w:p><w:tbl>"
            + "<w:tr>" + cell(["Họ và tên"]) + cell(["Số CCCD"]) + cell(["Số điện thoại"]) + "</w:tr>"
            + "<w:tr>" + cell(["Nguyễn Văn A"]) + cell(["0380", "95012345"]) + cell(["0912 ", "345 678"]) + "</w:tr>"
            + "<w:tr>" + cell(["Trần Thị B"]) + cell(["038185012346"]) + cell(["0983", "456789"]) + "</w:tr>"
            + "</w:tbl>"
        let bytes = try await Self.zip([
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document \(w)><w:body>\(body)</w:body></w:document>",
        ])
        let read = try rows(bytes)
        #expect(read.first == ["DANH SÁCH HỘ ĐƯỢC HỖ TRỢ"])
        #expect(read.contains(["Nguyễn Văn A", "038095012345", "0912 345 678"]))
        let found = try facts(bytes)
        #expect(found.ids == 2 && found.phones == 2 && found.tables == 1)
    }

    @Test("a spreadsheet's number cells get back the leading 0 they lost; shared strings are resolved")
    func xlsx() async throws {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        let shared = ["Họ và tên", "CCCD", "Điện thoại", "Lê Văn C", "Phạm Thị D"].map { "<si><t>\($0)</t></si>" }
        let sheet =
            "<row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
            + "<row r=\"2\"><c t=\"s\"><v>3</v></c><c><v>38095012345</v></c><c><v>912345678</v></c></row>"
            + "<row r=\"3\"><c t=\"s\"><v>4</v></c><c><v>3.8185012346E10</v></c><c t=\"inlineStr\"><is><t>0983456789</t></is></c></row>"
        let bytes = try await Self.zip([
            "xl/workbook.xml": "<workbook \(ns)/>",
            "xl/sharedStrings.xml": "<sst \(ns)>\(shared.joined())</sst>",
            "xl/worksheets/sheet1.xml": "<worksheet \(ns)><sheetData>\(sheet)</sheetData></worksheet>",
        ])
        let read = try rows(bytes)
        #expect(read.contains(["Lê Văn C", "038095012345", "0912345678"]))
        #expect(read.contains(["Phạm Thị D", "038185012346", "0983456789"]))
        let found = try facts(bytes)
        #expect(found.ids == 2 && found.phones == 2)
    }

    @Test("OpenDocument text and spreadsheets read the same way; a float cell keeps its zero too")
    func openDocument() async throws {
        let table =
            "<table:table><table:table-row><table:table-cell><text:p>Họ và tên</text:p></table:table-cell>"
            + "<table:table-cell><text:p>Số định danh</text:p></table:table-cell></table:table-row>"
            + "<table:table-row><table:table-cell><text:p>Ngô <text:span>Văn</text:span> E</text:p></table:table-cell>"
            + "<table:table-cell office:value-type=\"float\" office:value=\"38095012345\"><text:p>38095012345</text:p></table:table-cell></table:table-row>"
            + "</table:table>"
        for (mimetype, format) in [
            ("application/vnd.oasis.opendocument.text", OfficeText.Format.odt),
            ("application/vnd.oasis.opendocument.spreadsheet", .ods),
        ] {
            let bytes = try await Self.zip([
                "mimetype": mimetype,
                "content.xml": "<office:document-content><office:body>\(table)</office:body></office:document-content>",
            ])
            let archive = try ZipArchive(bytes)
            #expect(OfficeText.format(of: archive) == format)
            #expect(try rows(bytes).contains(["Ngô Văn E", "038095012345"]))
        }
    }

    @Test("a zip bomb stops at its caps: the ratio, the entry's and the archive's inflated bytes, the entries")
    func bomb() async throws {
        let zeros = String(repeating: "0", count: 8 << 20)
        let bytes = try await Self.zip(["word/document.xml": "<w:document><w:body><w:p><w:r><w:t>\(zeros)"])
        var archive = try ZipArchive(bytes)
        #expect(throws: ZipArchive.Failure.self) { _ = try archive.read("word/document.xml") }
        var caps = ZipArchive.Caps()
        caps.entries = 1
        let two = try await Self.zip(["a.xml": "a", "b.xml": "b"])
        #expect(throws: ZipArchive.Failure.self) { _ = try ZipArchive(two, caps: caps) }
        // Damage is an error, never a crash
        #expect(throws: ZipArchive.Failure.self) { _ = try ZipArchive(Array(bytes.prefix(100))) }
        #expect(throws: ZipArchive.Failure.self) { _ = try ZipArchive([]) }
    }

    @Test("document links are told by the extension of their decoded path or of a file name in the query")
    func links() {
        #expect(DocumentLinks.isDocument("/tai-lieu/Danh%20s%C3%A1ch.PDF"))
        #expect(DocumentLinks.isDocument("/Download.aspx?file=ds%20ho%20ngheo.xlsx&id=3"))
        #expect(!DocumentLinks.isDocument("/tin-tuc/pdf-la-gi.html"))
        #expect(!DocumentLinks.isDocument("mailto:a@b.vn?subject=x.pdf"))
        #expect(DocumentLinks.name("https://a.gov.vn/tai-lieu/Danh%20s%C3%A1ch%20h%E1%BB%99.pdf") == "Danh sách hộ.pdf")
        #expect(DocumentLinks.name("https://a.gov.vn/Download.aspx?id=3&file=tai-lieu%2Fds.xlsx") == "ds.xlsx")
    }

    @Test("forms, notices and trackers: a login is no collection, a consent-held script is no tracker")
    func signs() {
        func asks(_ html: String) -> [[String]] { PrivacySigns.forms(in: Array(html.utf8)[...]).map(\.asks) }
        #expect(
            asks("<form><p>Điện thoại: <input name=a></p><p>Số CCCD: <input name=b></p></form>") == [["cccd", "phone"]])
        #expect(asks("<form><input name=q placeholder='Tìm kiếm'></form>").isEmpty)
        #expect(asks("<form><input type=email name=u><input type=password name=p></form>").isEmpty)
        #expect(asks("<form><label for=e>Địa chỉ email</label><input id=e name=x></form>") == [["email"]])
        let notice = "<a href='/chinh-sach-bao-ve-du-lieu-ca-nhan'>Xem chính sách</a>"
        #expect(PrivacySigns.linksPrivacyNotice(Array(notice.utf8)[...]))
        #expect(!PrivacySigns.linksPrivacyNotice(Array("<p>Chúng tôi tôn trọng quyền riêng tư.</p>".utf8)[...]))
        func trackers(_ html: String) -> [String] {
            PrivacySigns.trackers(in: Array(html.utf8)[...], host: "xa-a.tinh.gov.vn").map(\.host)
        }
        #expect(
            trackers("<script src='https://www.googletagmanager.com/gtag/js?id=G-1'></script>") == [
                "googletagmanager.com"
            ])
        #expect(
            trackers(
                "<script type='text/plain' data-cookieconsent='statistics' src='https://www.googletagmanager.com/gtag/js'></script>"
            ).isEmpty)
        #expect(
            trackers("<noscript><img src='https://www.facebook.com/tr?id=1&ev=PageView'></noscript>") == [
                "facebook.com"
            ])
        #expect(
            trackers(
                "<script>var s=('https:'==location.protocol?'https://ssl':'http://www')+'.google-analytics.com/ga.js';</script>"
            ) == ["google-analytics.com"])
        #expect(trackers("<a href='https://www.facebook.com/ubnd'>Facebook</a>").isEmpty)
        #expect(trackers("<script src='https://f-emc.ngsp.gov.vn/js/emc.js'></script>") == ["ngsp.gov.vn"])
    }
}
