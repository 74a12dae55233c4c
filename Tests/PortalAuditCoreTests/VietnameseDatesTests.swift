import Foundation
import PortalAuditCore
import Testing

private let now = ISO8601DateFormatter().date(from: "2026-11-23T03:00:00Z") ?? Date()

private func day(_ date: Date?) -> String? {
    guard let date else { return nil }
    return ISO8601DateFormatter.string(
        from: date, timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt, formatOptions: [.withFullDate])
}

@Suite("Vietnamese dates in page text")
struct VietnameseDatesTests {
    @Test(
        "the newest publication date in real portal text",
        arguments: [
            ("Thứ Tư, 05/12/2018, 21:29 (GMT+7)", "2018-12-05"),
            ("Cập nhật: 29/11/2023 | Lượt xem: 5.925", "2023-11-29"),
            ("Ngày 13-11-2024, UBND xã tổ chức tiếp công dân định kỳ.", "2024-11-13"),
            ("Quyết định ban hành ngày 25 tháng 12 năm 2013 của UBND tỉnh", "2013-12-25"),
            ("ngay 25 thang 12 nam 2013 (khong dau)", "2013-12-25"),
            ("Bản tin 25-12-2013; cập nhật 2/3/2024", "2024-03-02"),
            // body text citing older decrees next to the news date: the news date, not the citation
            ("Thứ Hai, 16/11/2026, 08:30 — Thực hiện Chỉ thị số 30-CT/TW ngày 25/12/2013 của Ban Bí thư", "2026-11-16"),
            // a decree newer than the news is still a citation, never a publication date
            ("Tin ngày 01/10/2026. Căn cứ Nghị định số 224/2026/NĐ-CP ngày 24/06/2026 …", "2026-10-01"),
            ("Đăng ngày 10/11/2026. Theo Kế hoạch số 12/KH-UBND ngày 20/11/2026 của UBND tỉnh", "2026-11-10"),
            // the page's clock (the fetch day after a weekday) is no publication
            ("Thứ Hai, 23/11/2026 | Trang chủ · Tin tức · Đăng ngày 17/05/2026", "2026-05-17"),
            ("Hôm nay: 23/11/2026 · Tin mới 02/11/2026", "2026-11-02"),
            // spaced and mixed separators
            ("Đăng ngày 17 - 05 - 2024", "2024-05-17"),
            ("Cập nhật 17/05-2024 · 16.05.2024", "2024-05-17"),
            // a law cited by name, without "số"
            ("Tin ngày 01/03/2019. Thực hiện Luật Tổ chức chính quyền địa phương ngày 22/11/2019 …", "2019-03-01"),
            // the end of a period and a deadline are no publications
            ("Thông báo 01/09/2021: nghỉ từ ngày 10/09 đến 15/09/2021", "2021-09-01"),
            ("Tin 02/11/2026. Hạn chót nộp hồ sơ: 20/11/2026", "2026-11-02"),
            // a posting date is preferred to a newer undated-role date on the page
            ("Đăng ngày 05/11/2026 · Lịch tiếp công dân 20/11/2026", "2026-11-05"),
        ])
    func newest(text: String, expected: String) {
        #expect(day(VietnameseDates.newest(in: text, now: now)) == expected)
    }

    @Test(
        "traps give no date",
        arguments: [
            "Sự kiện dự kiến ngày 25/12/2099",  // future
            "31/02/2026 và 30/02/2025",  // impossible
            "Ngày 05/12/18",  // two-digit year
            "Lượt truy cập: 5.925 · 12.345.678",  // counts with a thousands dot
            "Điện thoại: 0237.3852.456 · 0237 3800 000 · Fax 0237-3852-457",  // phone numbers
            "/uploads/2023/11/29/anh.jpg",  // a path
            "Mã hồ sơ 123/45/67890",  // longer numbers
            "32/13/2026",  // out of range
            "Năm 1990: 01/01/1990",  // before the web
        ])
    func traps(text: String) {
        #expect(VietnameseDates.dates(in: text, now: now).isEmpty)
    }

    @Test("never a date in the future, whatever the page says")
    func noFuture() {
        let text = (1...60).map { "Tin ngày \($0 % 28 + 1)/\($0 % 12 + 1)/\(2020 + $0 % 10)" }.joined(separator: ". ")
        #expect(VietnameseDates.dates(in: text, now: now).allSatisfy { $0 <= now.addingTimeInterval(86_400) })
    }

    @Test("feed and sitemap dates: RFC 822 and ISO 8601, garbage and future skipped")
    func feeds() {
        let xml = """
            <rss><channel><lastBuildDate>Sat, 21 Nov 2026 09:00:00 +0700</lastBuildDate>
            <item><pubDate>Wed, 05 Dec 2018 21:29:00 +0700</pubDate></item>
            <item><pubDate>Fri, 25 Dec 2099 08:00:00 +0700</pubDate></item>
            <item><pubDate>garbage</pubDate></item></channel></rss>
            <urlset><url><lastmod>2026-11-20</lastmod></url><url><lastmod>2026-13-45</lastmod></url>
            <url><lastmod>2026-11-22T08:00:00+07:00</lastmod></url><url><LASTMOD>31/02/2026</LASTMOD></url></urlset>
            <feed><updated>2026-11-19T10:00:00Z</updated></feed>
            """
        let dates = VietnameseDates.feedDates(in: xml, now: now)
        #expect(dates.count == 5)
        #expect(day(dates.max()) == "2026-11-22")
    }

    @Test("a hostile 2 MiB document of garbage yields no date (its time: Benchmarks/parsers.sh)")
    func hostileSize() {
        let line =
            "<url><loc>/x</loc><lastmod>2026-13-45</lastmod><lastmod>31/02/2026</lastmod><lastmod>5.925</lastmod></url>\n"
        let xml = String(repeating: line, count: (2 << 20) / line.utf8.count)
        #expect(VietnameseDates.feedDates(in: xml, now: now).isEmpty)
    }

    @Test("a schedule's day heading and a news lead's time of day are no publication")
    func scheduleAndLead() {
        let now = ISO8601DateFormatter().date(from: "2026-02-20T10:00:00Z") ?? Date()
        #expect(VietnameseDates.newest(in: "LỊCH LÀM VIỆC. THỨ HAI (09/02/2026): họp giao ban.", now: now) == nil)
        #expect(VietnameseDates.newest(in: "Sáng ngày 31/3/2017, UBND tổ chức hội nghị.", now: now) == nil)
        #expect(VietnameseDates.newest(in: "Thứ Hai, 09/02/2026 10:15 — Hội nghị sơ kết.", now: now) != nil)
    }

    @Test("the times a page states for machines: meta tags, <time datetime>, JSON-LD; none in the future")
    func structured() {
        let now = ISO8601DateFormatter().date(from: "2026-02-20T10:00:00Z") ?? Date()
        let html = """
            <head><meta property="article:published_time" content="2026-02-10T08:00:00+07:00">
            <meta name="pubdate" content="2099-01-01T00:00:00Z">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished": "2026-02-12T09:30:00+07:00",
            "dateModified":"2026-02-13"}</script></head><body><time datetime="2026-02-11">11/02</time></body>
            """
        let dates = VietnameseDates.structuredDates(in: Array(html.utf8)[...], now: now)
        let days = dates.map {
            ISO8601DateFormatter.string(from: $0, timeZone: .gmt, formatOptions: [.withFullDate])
        }
        #expect(days.sorted() == ["2026-02-10", "2026-02-11", "2026-02-12", "2026-02-13"])
        // A script of a million quotes costs one pass and finds nothing.
        let hostile = "<script>" + String(repeating: "\"datePublished\"", count: 50_000) + "</script>"
        #expect(VietnameseDates.structuredDates(in: Array(hostile.utf8)[...], now: now).isEmpty)
    }
}
