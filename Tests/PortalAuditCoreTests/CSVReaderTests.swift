import Testing

@testable import PortalAuditCore

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quoted cells with separators, doubled quotes and line breaks; CRLF; positions kept")
    func quoting() {
        let rows = CSVReader.rows(
            "url,name\r\nhttps://a.gov.vn/,\"Xã A, huyện B\"\r\nhttps://b.gov.vn/,\"say \"\"hi\"\"\nthere\"\n")
        #expect(rows.count == 3)
        #expect(rows[1].cells.map(\.value) == ["https://a.gov.vn/", "Xã A, huyện B"])
        #expect(rows[2].cells.map(\.value) == ["https://b.gov.vn/", "say \"hi\"\nthere"])
        #expect(rows[2].line == 3 && rows[2].cells[1].column == 19)
    }

    @Test("the separator is whichever the header uses more: ';' from spreadsheets set to Vietnamese")
    func semicolons() {
        let rows = CSVReader.rows("url;name;level\nhttps://a.gov.vn/;Xã A, B;2\n")
        #expect(rows[1].cells.map(\.value) == ["https://a.gov.vn/", "Xã A, B", "2"])
    }
}
