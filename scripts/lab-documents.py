#!/usr/bin/env python3
"""The lab's documents: PDFs, spreadsheets and word-processor files the portals link, for the personal-data
probe. Every number is invented and structurally valid (038 is Thanh Hóa's code; the century-and-sex digit
matches the birth year) so that it belongs to nobody; the tests look for these exact numbers in everything
the program writes and must find none.

Usage: python3 scripts/lab-documents.py WWW          (WWW/<case>/index.html must exist)
       python3 scripts/lab-documents.py --plan DIR   (only DIR/van-ban/ke-hoach-12.pdf: the fleet's document)
"""
import os
import sys
import zipfile
import zlib

plan_only = sys.argv[1] == "--plan"
www = sys.argv[-1]

# Planted identifiers and phones (PrivacyTests reads them from here).
PDF_PEOPLE = [
    ("Nguyen Van Hai", "1979", "038079012345", "0915 246 801"),
    ("Tran Thi Lan", "1983", "038183045678", "0978 135 246"),
    ("Le Van Minh", "1991", "038091067890", "0336 802 417"),
    ("Pham Thi Nga", "2002", "038302089012", "0862 417 359"),
    ("Hoang Van Phuc", "1968", "038068101234", "0914 580 362"),
    ("Do Thi Quyen", "1975", "038175123456", "0987 624 105"),
]
REDACTED_PEOPLE = [
    ("Vu Van Son", "1980", "038080145678"),
    ("Ngo Thi Tam", "1987", "038187167890"),
    ("Dang Van Uy", "1993", "038093189012"),
]
XLSX_PHONES = ["912357046", "983146027", "356024781", "868135790", "377905418", "845620193"]


def pdf(pages, images=None):
    """A PDF of `pages` (each a content stream, bytes) with Helvetica as F1; `images` (a list of
    (name, width, height, grey bytes)) added to every page's resources."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    xobjects = b""
    for name, width, height, grey in images or []:
        number = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                     b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, len(grey)) + grey + b"\nendstream")
        xobjects += b"/%s %d 0 R " % (name.encode(), number)
    kids = []
    for content in pages:
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        resources = b"<< /Font << /F1 %d 0 R >> /XObject << %s>> >>" % (font, xobjects)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                        % (tree, resources, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def text(x, y, s, size=10):
    s = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 %d Tf %d %d Td (%s) Tj ET\n" % (size, x, y, s.encode("cp1252"))


def table(y, heading, rows, columns):
    out = b"".join(text(x, y, h) for x, h in zip(columns, heading))
    for row in rows:
        y -= 18
        out += b"".join(text(x, y, str(c)) for x, c in zip(columns, row))
    return out, y


def write(case, name, data):
    folder = os.path.join(www, case, "tai-lieu")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def link(case, html):
    """Adds `html` to the case's home page, at the top of its main part."""
    path = os.path.join(www, case, "index.html")
    page = open(path, encoding="utf-8").read()
    page = page.replace("<main>", "<main>" + html, 1)
    open(path, "w", encoding="utf-8").write(page)


def office(files):
    """A zip archive of `files` (name → bytes), deflated, as Office writes them."""
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


# Every portal links /van-ban/ke-hoach-12.pdf: a plan with document numbers, dates and the office's
# numbers — what most documents on a portal are, and nothing personal.
plan = pdf([text(60, 780, "UY BAN NHAN DAN XA", 12) + text(60, 760, "So: 12/KH-UBND") +
            text(60, 740, "KE HOACH trien khai nhiem vu chuyen doi so nam 2026") +
            text(60, 720, "Can cu Quyet dinh so 1254/QD-UBND ngay 15/03/2026; ma so thue 2801234567-001.") +
            text(60, 700, "Lien he: Van phong UBND, dien thoai 0237 3800 000, hotline 1900 1234.") +
            text(60, 680, "Kinh phi: 125.000.000 dong; tai khoan 1903 5678 9012 34 tai Kho bac.")])
folders = [www] if plan_only else [os.path.join(www, case) for case in sorted(os.listdir(www))]
for folder in folders:
    if os.path.isfile(os.path.join(folder, "index.html")):
        os.makedirs(os.path.join(folder, "van-ban"), exist_ok=True)
        with open(os.path.join(folder, "van-ban", "ke-hoach-12.pdf"), "wb") as f:
            f.write(plan)
if plan_only:
    sys.exit(0)

# A list of beneficiaries as a two-page PDF: the identifiers on page 2, under a Vietnamese file name.
columns = [50, 80, 220, 290, 400]
first = text(50, 790, "DANH SACH HO NGHEO DUOC HO TRO NAM 2026", 12) + text(50, 770, "(Kem theo Quyet dinh so 88/QD-UBND)")
second, _ = table(790, ["STT", "Ho va ten", "Nam sinh", "So CCCD", "So dien thoai"],
                  [(i + 1, n, y, c, t) for i, (n, y, c, t) in enumerate(PDF_PEOPLE)], columns)
write("personal-pdf", "Danh sách hộ nghèo 2026.pdf", pdf([first, second]))
link("personal-pdf", '<p><a href="/tai-lieu/Danh%20s%C3%A1ch%20h%E1%BB%99%20ngh%C3%A8o%202026.pdf">'
     "Danh sách hộ nghèo được hỗ trợ năm 2026</a></p>")

# The same kind of list "redacted" with black boxes drawn over the identifiers: the text stays.
body, y = table(790, ["STT", "Ho va ten", "Nam sinh", "So CCCD"],
                [(i + 1, n, b, c) for i, (n, b, c) in enumerate(REDACTED_PEOPLE)], columns)
boxes = b"".join(b"0 0 0 rg 286 %d 84 14 re f\n" % (790 - 18 * (i + 1) - 3) for i in range(len(REDACTED_PEOPLE)))
write("redacted-pdf", "ds-trung-tuyen.pdf", pdf([body + boxes]))
link("redacted-pdf", '<p><a href="/tai-lieu/ds-trung-tuyen.pdf">Danh sách trúng tuyển (đã che số CCCD)</a></p>')

# A scan: one grey image, no text layer.
grey = bytes((x * 7 + y * 3) % 256 for y in range(60) for x in range(60))
write("scanned-pdf", "quyet-dinh-scan.pdf", pdf([b"q 480 0 0 680 60 80 cm /Im1 Do Q\n"], [("Im1", 60, 60, grey)]))
link("scanned-pdf", '<p><a href="/tai-lieu/quyet-dinh-scan.pdf">Quyết định (bản scan)</a></p>')

# Village heads' mobiles in a spreadsheet, typed into number cells (the leading 0 lost).
heads = ["Họ và tên", "Thôn", "Số điện thoại"]
names = ["Nguyễn Văn Tài", "Lê Thị Thu", "Trần Văn Tú", "Phạm Văn Út", "Đỗ Thị Vân", "Bùi Văn Xuân"]
strings = heads + names + [f"Thôn {i + 1}" for i in range(len(names))]
shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
rows = '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABC")) + "</row>"
for i, phone in enumerate(XLSX_PHONES):
    r = i + 2
    rows += (f'<row r="{r}"><c r="A{r}" t="s"><v>{3 + i}</v></c><c r="B{r}" t="s"><v>{3 + len(names) + i}</v></c>'
             f'<c r="C{r}"><v>{phone}</v></c></row>')
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
write("personal-xlsx", "truong-thon.xlsx", office({
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns}><sheets><sheet name="DS" sheetId="1"/></sheets></workbook>',
    "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns}>{shared}</sst>',
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{rows}</sheetData></worksheet>',
}))
link("personal-xlsx", '<p><a href="/tai-lieu/truong-thon.xlsx">Danh bạ trưởng thôn</a></p>')

# A word-processor document full of numbers that are not personal: tax codes, an account, document
# numbers, the office's one hotline; a number split across runs the way Word writes it.
w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
paragraphs = [
    "THÔNG BÁO công khai dự toán ngân sách năm 2026",
    "Số: 125/TB-UBND; mã số thuế đơn vị 2801234567; mã số thuế chi nhánh 0101234567-001.",
    "Tài khoản 1903567890123 tại Kho bạc Nhà nước; mã quan hệ ngân sách 1234567.",
    "Tổng dự toán: 3.456.789.000 đồng; hồ sơ số 000.00.12.H56-260115-0001.",
]
xml = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
xml += "<w:p><w:r><w:t>Đường dây nóng: 0237 </w:t></w:r><w:r><w:t>3852 </w:t></w:r><w:r><w:t>123</w:t></w:r></w:p>"
write("trap-tax-doc", "du-toan-2026.docx", office({
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{xml}</w:body></w:document>',
}))
link("trap-tax-doc", '<p><a href="/tai-lieu/du-toan-2026.docx">Công khai dự toán 2026</a></p>')

# Hostile: a DOCX whose document part inflates to 100 MiB, and a PDF of 200 MB (sparse on disk).
compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
chunk = b"<w:p><w:r><w:t>" + b"0" * 65_000 + b"</w:t></w:r></w:p>"
stored = bytearray()
for _ in range(100 * (1 << 20) // len(chunk)):
    stored += compressor.compress(chunk)
stored += compressor.flush()
size = 100 * (1 << 20) // len(chunk) * len(chunk)
name = b"word/document.xml"
crc = 0
local = (b"PK\x03\x04" + (20).to_bytes(2, "little") + b"\x00\x00" + (8).to_bytes(2, "little") + b"\x00\x00\x00\x00"
         + crc.to_bytes(4, "little") + len(stored).to_bytes(4, "little") + size.to_bytes(4, "little")
         + len(name).to_bytes(2, "little") + b"\x00\x00" + name)
central = (b"PK\x01\x02" + (20).to_bytes(2, "little") + (20).to_bytes(2, "little") + b"\x00\x00"
           + (8).to_bytes(2, "little") + b"\x00\x00\x00\x00" + crc.to_bytes(4, "little")
           + len(stored).to_bytes(4, "little") + size.to_bytes(4, "little") + len(name).to_bytes(2, "little")
           + b"\x00\x00" * 3 + b"\x00\x00\x00\x00\x00\x00" + (0).to_bytes(4, "little") + name)
directory = len(local) + len(stored)
end = (b"PK\x05\x06" + b"\x00\x00\x00\x00" + (1).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little")
       + directory.to_bytes(4, "little") + b"\x00\x00")
write("doc-bomb", "bao-cao.docx", local + bytes(stored) + central + end)
link("doc-bomb", '<p><a href="/tai-lieu/bao-cao.docx">Báo cáo tổng hợp</a></p>')
path = os.path.join(www, "huge-pdf", "tai-lieu", "ho-so-quy-hoach.pdf")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "wb") as f:
    f.write(b"%PDF-1.4\n")
    f.truncate(200_000_000)
link("huge-pdf", '<p><a href="/tai-lieu/ho-so-quy-hoach.pdf">Hồ sơ quy hoạch (200 MB)</a></p>')

# Forms: a question form asking an identity number and a phone with no privacy notice; a feedback form
# whose page links the portal's notice.
link("form-no-notice", '<h2>Hỏi đáp trực tuyến</h2><form action="/hoi-dap/gui" method="post"><table>'
     '<tr><td>Họ và tên:</td><td><input name="hoten"></td></tr>'
     '<tr><td>Số CCCD:</td><td><input name="socccd"></td></tr>'
     '<tr><td>Điện thoại:</td><td><input name="dt"></td></tr>'
     '<tr><td>Nội dung câu hỏi:</td><td><textarea name="noidung"></textarea></td></tr>'
     '</table><button>Gửi câu hỏi</button></form>')
link("form-with-notice", '<h2>Góp ý dự thảo văn bản</h2><form action="/gop-y" method="post">'
     '<label for="email">Thư điện tử</label><input id="email" type="email" name="email">'
     '<label for="phone">Số điện thoại</label><input id="phone" type="tel" name="phone">'
     '<textarea name="gopy"></textarea><label><input type="checkbox" name="dongy"> Tôi đã đọc '
     '<a href="/chinh-sach-bao-ve-du-lieu-ca-nhan.html">Chính sách bảo vệ dữ liệu cá nhân</a></label>'
     '<button>Gửi góp ý</button></form>')

# Trackers: Google's tag and the Meta pixel on the first visit; and a portal with only the state EMC script.
path = os.path.join(www, "trackers", "index.html")
page = open(path, encoding="utf-8").read()
page = page.replace("</head>", '<script async src="https://www.googletagmanager.com/gtag/js?id=G-LAB0000001"></script>'
                    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
                    "gtag('js',new Date());gtag('config','G-LAB0000001');</script>"
                    "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){};t=b.createElement(e);"
                    "t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}"
                    "(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');"
                    "fbq('init','000000000000000');fbq('track','PageView');</script>"
                    '<noscript><img height="1" width="1" src="https://www.facebook.com/tr?id=000000000000000&ev=PageView&noscript=1"></noscript>'
                    "</head>", 1)
open(path, "w", encoding="utf-8").write(page)
path = os.path.join(www, "emc-only", "index.html")
page = open(path, encoding="utf-8").read()
page = page.replace("</head>", '<script src="https://f-emc.ngsp.gov.vn/js/emc.js" async></script></head>', 1)
page = page.replace("</footer>", '<p><a href="https://www.facebook.com/ubndxa">Facebook của UBND xã</a></p></footer>', 1)
open(path, "w", encoding="utf-8").write(page)
