import Foundation
import PortalAuditCore
import Testing

@Suite("Published information, read where the portal states it")
struct PublishedInfoTests {
    private func items(_ html: String, place: MandatoryInfo.Place = .footer) -> Set<String> {
        Set(MandatoryInfo.read(Array(html.utf8)[...], place: place).map(\.item))
    }

    @Test("a footer with labels and values shows every item, with or without diacritics")
    func labelled() {
        let full = """
            <footer><p>Cơ quan chủ quản: UBND xã A</p><p>Người chịu trách nhiệm: Ông Lê Văn Bình, Chủ tịch UBND xã</p>
            <p>Địa chỉ: thôn 1, xã A, huyện B</p><p>Điện thoại: 0237 3800 000</p><p>Email: ubnd@xa-a.gov.vn</p></footer>
            """
        #expect(items(full) == ["agency", "responsible", "address", "phone", "email"])
        let plain =
            "<p>Co quan chu quan: UBND xa A</p><p>Dia chi: so 5 duong Le Loi</p><p>DT: 0237.3800.000</p><p>lienhe@xa-a.gov.vn</p>"
        #expect(items(plain) == ["agency", "address", "phone", "email"])
    }

    @Test("labels without values are no contact: a form, a heading, a title instead of a name")
    func labelsOnly() {
        let form = """
            <form><label>Điện thoại *</label><input name="phone" placeholder="0912345678"><label>Email *</label>
            <input type="email" placeholder="vanan@gmail.com"><label>Địa chỉ *</label><input name="diachi"></form>
            """
        #expect(items(form, place: .contactPage).isEmpty)
        #expect(items("<p>Trưởng Ban biên tập: Viện trưởng VKSND Quận 8</p>").isEmpty)
        #expect(items("<p>Chịu trách nhiệm chính: Ban quản lý Hồ Hoàn Kiếm</p>").isEmpty)
        #expect(items("<h3>ĐẦU MỐI TIẾP CẬN THÔNG TIN</h3><h3>HƯỚNG DẪN</h3>").isEmpty)
        #expect(items("<p>Địa chỉ thư điện tử: a@b.gov.vn</p>") == ["email"])
    }

    @Test(
        "phone numbers as agencies write them, and what is no phone",
        arguments: [
            ("(+84.236) 3.893.777", ["02363893777"]), ("0209.3872.652", ["02093872652"]),
            ("028 3851 5859", ["02838515859"]), ("069-47811", ["06947811"]), ("Tổng đài 1900 1234", ["19001234"]),
            ("Giấy phép số 48/GP ngày 18/02/2003", []), ("ngày 01.07.2018", []), ("+45 423 445 99", []),
            ("1.000.000 đồng", []), ("0045 4234 4599", []),
        ])
    func phones(_ text: String, _ expected: [String]) {
        #expect(PhoneNumbers.find(in: text) == expected)
    }

    @Test("an agency's e-mail is under .vn or a public mail service; Cloudflare's hidden address is read")
    func emails() {
        #expect(EmailAddresses.find(in: "Email: toasoan@danang.gov.vn.") == ["toasoan@danang.gov.vn"])
        #expect(EmailAddresses.isAgencyLike("ttcntthatinh@gmail.com"))
        #expect(!EmailAddresses.isAgencyLike("info@homealarms.com"))
        #expect(EmailAddresses.cloudflare("f98d96988a969897b99d989798979ed79e968fd78f97") == "toasoan@danang.gov.vn")
        #expect(
            items("<span data-cfemail=\"f98d96988a969897b99d989798979ed79e968fd78f97\">[email protected]</span>") == [
                "email"
            ])
    }

    @Test("the footer is what the page marks as one; an article above it is not read")
    func region() {
        let page = """
            <main><p>Liên hệ phóng viên: 0912 345 678, email pv@baomoi.com.vn, địa chỉ: 12 Lê Lợi</p></main>
            <div class="site-footer"><p>Cơ quan chủ quản: UBND xã A</p></div>
            """
        let footer = MandatoryInfo.footer(of: Array(page.utf8)[...])
        #expect(items(String(decoding: footer, as: UTF8.self)) == ["agency"])
        let result = MandatoryInfo.check(footer: footer, page: Array(page.utf8)[...])
        #expect(
            result.missing == ["address", "phone", "email", "responsible", "info-contact-point", "disclosure-list"])
    }

    @Test("the contact page fills what the footer lacks, each item saying where it was found")
    func contactPage() {
        let footer = Array("<footer>Cơ quan chủ quản: UBND xã A</footer>".utf8)
        let contact = Array(
            """
            <h2>Liên hệ</h2><p>Trụ sở: số 3 đường Trần Phú, xã A</p><p>Điện thoại: 0237 3800 000</p>
            <p>Đầu mối cung cấp thông tin: Văn phòng UBND xã, điện thoại 0237 3800 001</p>
            """.utf8)
        let page = Array(
            "<nav><a href=\"/lien-he\">Liên hệ</a> <a href=\"/dm\">Danh mục thông tin phải được công khai</a></nav>"
                .utf8)
        let result = MandatoryInfo.check(footer: footer, contactPage: contact, page: page[...])
        #expect(result.missing == ["email", "responsible"])
        #expect(result.found.first { $0.item == "address" }?.place == .contactPage)
        #expect(result.found.first { $0.item == "agency" }?.place == .footer)
        #expect(result.found.first { $0.item == "disclosure-list" }?.place == .page)
        #expect(MandatoryInfo.contactLink(in: page[...]) == "/lien-he")
    }

    @Test("hostile input is bounded: a megabyte of @ and digits")
    func bounded() {
        let text = String(repeating: "a@b.vn 0912 345 678 ", count: 50_000)
        #expect(EmailAddresses.find(in: text).count == 16)
        #expect(PhoneNumbers.find(in: text).count == 16)
        _ = MandatoryInfo.read(Array(text.utf8)[...], place: .footer)
    }
}
