import Foundation
import PortalAuditCore

// Each case: a parser, the adversarial input it gets at the largest size the probes allow, and the
// time per MiB (best of five). The baseline is decoding the same bytes as UTF-8, measured in the same run.

func repeated(_ text: String, bytes: Int) -> [UInt8] {
    let unit = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes)
    while out.count + unit.count <= bytes { out.append(contentsOf: unit) }
    return out
}

func best(_ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.min() ?? 0
}

let now = Date()
let mib = Double(1 << 20)
let page = 2 << 20
let head = 256 << 10
let text = 512 << 10
var sink = 0
/// The header lines as libcurl's collector hands them over (split once, outside the timing).
let headerLines = ["HTTP/1.1 200 OK"] + (0..<99).map { _ in " X-A : " + String(repeating: "b", count: 8180) + " " }
/// A hostile robots.txt (1,000 rules of stars that never match: each try reads the whole path) and the
/// 2,000 paths of a sitemap, joined by a NUL for the case's byte count.
let robotsAgainstSitemap: [UInt8] = {
    let rule = "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*z\n"
    let file = "User-agent: *\n" + String(repeating: rule, count: 1_000)
    let paths = (0..<2_000).map { "/tin-tuc/" + String(repeating: "a", count: 400) + "-\($0).html" }
    return Array(file.utf8) + [0] + Array(paths.joined(separator: "\n").utf8)
}()

func splitRobotsInput(_ bytes: [UInt8]) -> (String, [String]) {
    let parts = bytes.split(separator: 0, maxSplits: 1)
    return (
        String(decoding: parts[0], as: UTF8.self),
        String(decoding: parts[1], as: UTF8.self).split(separator: "\n").map(String.init)
    )
}

struct Case {
    var parser: String
    var input: String
    var bytes: [UInt8]
    var run: ([UInt8]) -> Int
}
let cases: [Case] = [
    Case(parser: "page text", input: "2 MiB of '<'", bytes: repeated("<", bytes: page)) {
        PageText.text(of: $0, limit: page).utf8.count
    },
    Case(parser: "page text", input: "2 MiB one word", bytes: repeated("a", bytes: page)) {
        PageText.text(of: $0, limit: page).utf8.count
    },
    Case(
        parser: "page text", input: "unclosed <script> + 2 MiB",
        bytes: Array("<script>".utf8) + repeated("</scrip <", bytes: page)
    ) { PageText.text(of: $0, limit: page).utf8.count },
    Case(parser: "page text", input: "2 MiB of '<!-- '", bytes: repeated("<!-- -", bytes: page)) {
        PageText.text(of: $0, limit: page).utf8.count
    },
    Case(parser: "page text", input: "2 MiB of '&#'", bytes: repeated("&#1", bytes: page)) {
        PageText.text(of: $0, limit: page).utf8.count
    },
    Case(parser: "page text", input: "2 MiB of '<a b=\"'", bytes: repeated("<a b=\"", bytes: page)) {
        PageText.text(of: $0, limit: page).utf8.count
    },
    Case(parser: "title", input: "<title> + 256 KiB of '<'", bytes: Array("<title>".utf8) + repeated("<", bytes: head))
    { HTMLTitle.extract($0)?.count ?? 0 },
    Case(parser: "title", input: "256 KiB of '<title'", bytes: repeated("<title", bytes: head)) {
        HTMLTitle.extract($0)?.count ?? 0
    },
    Case(
        parser: "feed links", input: "256 KiB of '<link type=application/rss+xml '",
        bytes: repeated("<link type=application/rss+xml href=", bytes: head)
    ) { PageText.feedLinks(in: $0).count },
    Case(parser: "e-mail", input: "1 MiB word + '@x'", bytes: repeated("a", bytes: 1 << 20) + Array("@x".utf8)) {
        EmailAddresses.find(in: String(decoding: $0, as: UTF8.self)).count
    },
    Case(parser: "e-mail", input: "512 KiB of 'a@'", bytes: repeated("a@", bytes: text)) {
        EmailAddresses.find(in: String(decoding: $0, as: UTF8.self)).count
    },
    Case(parser: "phone", input: "512 KiB of '0 1 2 '", bytes: repeated("0 1 2 ", bytes: text)) {
        PhoneNumbers.find(in: String(decoding: $0, as: UTF8.self)).count
    },
    Case(
        parser: "published info", input: "2 MiB footer of labels without values",
        bytes: Array("<footer>".utf8)
            + repeated("<p>Điện thoại: Địa chỉ: Chịu trách nhiệm: Cơ quan chủ quản:</p>", bytes: page)
    ) { MandatoryInfo.check(footer: MandatoryInfo.footer(of: $0[...]), page: $0[...]).found.count },
    Case(
        parser: "published info", input: "2 MiB of nested class=footer divs",
        bytes: repeated("<div class=\"footer\">Email: a@b.vn ", bytes: page)
    ) { MandatoryInfo.check(footer: MandatoryInfo.footer(of: $0[...]), page: $0[...]).found.count },
    Case(
        parser: "search signs", input: "2 MiB of JSON-LD @type lists",
        bytes: Array("<script type=\"application/ld+json\">".utf8) + repeated("{\"@type\":[\"Product\",\"", bytes: page)
    ) { SearchSigns.structuredTypes(in: $0[...]).count + VietnameseDates.structuredDates(in: $0[...], now: now).count },
    Case(
        parser: "search signs", input: "2 MiB of verification metas",
        bytes: repeated("<meta name=\"google-site-verification\" content=\"abcd1234\">", bytes: page)
    ) { SearchSigns.verificationTokens(in: $0[...]).count },
    Case(parser: "page dates", input: "512 KiB of '1/1/1'", bytes: repeated("1/1/1", bytes: text)) {
        VietnameseDates.dates(in: String(decoding: $0, as: UTF8.self), now: now).count
    },
    Case(parser: "page dates", input: "512 KiB of real dates", bytes: repeated("Thứ Hai, 05/12/2018 ", bytes: text)) {
        VietnameseDates.dates(in: String(decoding: $0, as: UTF8.self), now: now).count
    },
    Case(
        parser: "page dates", input: "512 KiB of citations",
        bytes: repeated("số 30-CT/TW ngày 25/12/2013 ", bytes: text)
    ) { VietnameseDates.dates(in: String(decoding: $0, as: UTF8.self), now: now).count },
    Case(
        parser: "page dates", input: "512 KiB of 'ngày 1 tháng 1 năm '",
        bytes: repeated("ngày 1 tháng 1 năm ", bytes: text)
    ) { VietnameseDates.dates(in: String(decoding: $0, as: UTF8.self), now: now).count },
    Case(
        parser: "feed dates", input: "2 MiB of valid <pubDate>",
        bytes: repeated("<pubDate>Wed, 05 Dec 2018 21:29:00 +0700</pubDate>", bytes: page)
    ) { VietnameseDates.feedDates(in: String(decoding: $0, as: UTF8.self), now: now).count },
    Case(
        parser: "feed dates", input: "2 MiB of valid <lastmod>",
        bytes: repeated("<lastmod>2023-11-29T08:00:00+07:00</lastmod>", bytes: page)
    ) { VietnameseDates.feedDates(in: String(decoding: $0, as: UTF8.self), now: now).count },
    Case(parser: "feed dates", input: "2 MiB of '<'", bytes: repeated("<", bytes: page)) {
        VietnameseDates.feedDates(in: String(decoding: $0, as: UTF8.self), now: now).count
    },
    Case(
        parser: "headers", input: "100 lines of 8 KiB",
        bytes: repeated("X-A: " + String(repeating: "b", count: 8180) + "\n", bytes: 100 * 8186)
    ) { _ in
        HeaderLines.fields(headerLines).count
    },
    Case(
        parser: "cookies", input: "64 KiB Set-Cookie of ';'",
        bytes: Array("a=b".utf8) + repeated(";secure", bytes: 64 << 10)
    ) { bytes in
        CookieParser.redacted(String(decoding: bytes, as: UTF8.self)).count
    },
    Case(parser: "spam", input: "2 MiB of betting terms", bytes: repeated("nhà cái cá cược <b>nổ hũ</b> ", bytes: page))
    {
        SpamScan.scan($0, host: "example.gov.vn").score
    },
    Case(
        parser: "spam", input: "2 MiB of blocks with scrambled diacritics",
        bytes: repeated("<p>ngườì chơị nhà cái fb88vao công an</p>", bytes: page)
    ) { SpamScan.scan($0, host: "example.gov.vn").score },
    Case(
        parser: "spam", input: "2 MiB of 'location' in a script",
        bytes: Array("<script>".utf8) + repeated("location location.href = x; window.open(", bytes: page)
    ) { SpamScan.scan($0, host: "example.gov.vn").score },
    Case(
        parser: "spam", input: "2 MiB of hidden blocks",
        bytes: repeated("<div style=\"display:none\"><a href=\"http://x.example/\">bet</a></div>", bytes: page)
    ) { SpamScan.scan($0, host: "example.gov.vn").hits.count },
    Case(
        parser: "personal data", input: "2 MiB of table cells of identifiers",
        bytes: Array("<table><tr><th>Họ và tên</th><th>Số CCCD</th><th>Số điện thoại</th></tr>".utf8)
            + repeated("<tr><td>Nguyễn Văn A</td><td>038 082 104417</td><td>0912.468.135</td></tr>", bytes: page)
    ) { PersonalData.scan(rows: PersonalData.rows(html: $0[...]), year: 2026).ids },
    Case(
        parser: "personal data", input: "2 MiB of digits joined by single spaces",
        bytes: repeated("1 22 333 4444 ", bytes: page)
    ) { PersonalData.scan(rows: PersonalData.rows(html: $0[...]), year: 2026).phones },
    Case(
        parser: "personal data", input: "2 MiB of unclosed <td>",
        bytes: repeated("<td>CCCD 0380", bytes: page)
    ) { PersonalData.scan(rows: PersonalData.rows(html: $0[...]), year: 2026).tables },
    Case(
        parser: "mixed content", input: "2 MiB of '<script src=\"http:'",
        bytes: repeated("<script src=\"http:", bytes: page)
    ) { MixedContent.find(in: $0).active.count },
    Case(parser: "anchors", input: "2 MiB of '<a href=\"/'", bytes: repeated("<a href=\"/a", bytes: page)) {
        PageLinks.anchors(in: $0[...]).count
    },
    Case(
        parser: "search form", input: "2 MiB of POST forms, hidden inputs",
        bytes: repeated("<form method=post><input type=hidden name=q>", bytes: page)
    ) {
        PageLinks.searchForm(in: $0[...]) == nil ? 0 : 1
    },
    Case(
        parser: "sitemap", input: "2 MiB of <url> entries",
        bytes: repeated("<url><loc>https://a.gov.vn/x</loc><lastmod>2026-01-01</lastmod></url>", bytes: page)
    ) { Sitemap.entries(in: $0[...]).entries.count },
    Case(
        parser: "robots.txt", input: "64 KiB of 'Disallow: /a*b$'",
        bytes: Array("User-agent: *\n".utf8) + repeated("Disallow: /a*b*c*d$\n", bytes: 64 << 10)
    ) {
        RobotsRules(String(decoding: $0, as: UTF8.self), agent: "portal-audit").allows("/a/b/c") ? 1 : 0
    },
    Case(
        parser: "robots.txt", input: "1,000 wildcard rules × 2,000 sitemap paths",
        bytes: robotsAgainstSitemap
    ) { bytes in
        let (file, paths) = splitRobotsInput(bytes)
        let rules = RobotsRules(file, agent: "portal-audit")
        var budget = RobotsBudget()
        return paths.reduce(0) { $0 + (rules.allows($1, budget: &budget) == true ? 1 : 0) }
    },
    Case(
        parser: "software", input: "2 MiB of '<meta name=generator'",
        bytes: repeated("<meta name=\"generator\" content=\"WordPress 4.", bytes: page)
    ) { SoftwareFingerprint.identify(headers: [], body: $0[...]).count },
    Case(parser: "fingerprint", input: "512 KiB page text", bytes: repeated("cổng thông tin điện tử xã ", bytes: text))
    {
        PageFingerprint.of(title: "x", text: String(decoding: $0, as: UTF8.self), links: [], host: "a.gov.vn").sketch
            .count
    },
    Case(parser: "HSTS", input: "8 KiB of ';'", bytes: Array("max-age=1".utf8) + repeated(";", bytes: 8 << 10)) {
        HSTSHeader(parsing: String(decoding: $0, as: UTF8.self))?.maxAge ?? 0
    },
]

print(
    String(
        format: "%-15@ %-42@ %9@ %10@ %8@", "parser" as NSString, "adversarial input" as NSString, "ms" as NSString,
        "ms/MiB" as NSString, "×utf8" as NSString))
var worst = 0.0
// `parser-bench NAME` runs only the cases of that parser (to profile one).
let only = CommandLine.arguments.dropFirst().first
for c in cases where only == nil || c.parser == only {
    let baseline = best { sink &+= String(decoding: c.bytes, as: UTF8.self).utf8.count }
    let ms = best { sink &+= c.run(c.bytes) }
    let perMiB = ms / (Double(c.bytes.count) / mib)
    worst = max(worst, perMiB)
    print(
        String(
            format: "%-15@ %-42@ %9.2f %10.2f %8.1f", c.parser as NSString, c.input as NSString, ms, perMiB,
            baseline > 0 ? ms / baseline : 0))
}
print(
    String(
        format: "slowest: %.2f ms/MiB (budget 50 ms/MiB) %@", worst, (worst <= 50 ? "ok" : "OVER BUDGET") as NSString))
if sink == 42 { print("") }
