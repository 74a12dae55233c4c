import Foundation

/// Finds publication dates in Vietnamese page text, leniently and defensively.
///
/// Forms read: `05/12/2018` (with or without `Thứ Tư,` before and `, 21:29 (GMT+7)` after),
/// `29/11/2023`, `Ngày 13-11-2024`, `25-12-2013`, `ngày 25 tháng 12 năm 2013` (with or without diacritics).
/// Refused: impossible dates (`31/02`), two-digit years, years before 1995, dates after `now` (+1 day for
/// time zones), digits that belong to a longer number or path (`2023/11/29/`, `0237.3852.456`, `5.925`),
/// and dates cited as a document's date (`Chỉ thị số 30-CT/TW ngày 25/12/2013`), which are not publications.
public enum VietnameseDates {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar
    }()

    private static let numeric = try? NSRegularExpression(
        pattern: #"(?<![\d/.\-])(\d{1,2})([/\-])(\d{1,2})\2(\d{2,4})(?![\d/\-]|\.\d)"#)
    private static let spelled = try? NSRegularExpression(
        pattern: #"ng[aà]y\s+(\d{1,2})\s+th[aá]ng\s+(\d{1,2})\s+n[aă]m\s+(\d{4})(?!\d)"#, options: [.caseInsensitive])
    /// `số 30-CT/TW ngày` / `số 42/2022/NĐ-CP ngày` right before a date: a citation of a document.
    private static let citation = try? NSRegularExpression(
        pattern: #"s[oố]\s+[0-9][0-9A-Za-zĐđ/\-.]*[/\-][0-9A-Za-zĐđ/\-.]*\s*,?\s*ng[aà]y\s*$"#, options: [.caseInsensitive])

    /// Every acceptable date in `text`, in order of appearance.
    public static func dates(in text: String, now: Date) -> [Date] {
        let source = text as NSString
        let whole = NSRange(location: 0, length: source.length)
        var found: [(Int, Date)] = []
        for match in numeric?.matches(in: text, range: whole) ?? [] {
            let day = Int(source.substring(with: match.range(at: 1))) ?? 0
            let month = Int(source.substring(with: match.range(at: 3))) ?? 0
            let yearText = source.substring(with: match.range(at: 4))
            guard yearText.count == 4, let year = Int(yearText) else { continue }
            if isCitation(source, before: match.range.location) { continue }
            if let date = date(day: day, month: month, year: year, now: now) { found.append((match.range.location, date)) }
        }
        for match in spelled?.matches(in: text, range: whole) ?? [] {
            let day = Int(source.substring(with: match.range(at: 1))) ?? 0
            let month = Int(source.substring(with: match.range(at: 2))) ?? 0
            let year = Int(source.substring(with: match.range(at: 3))) ?? 0
            if isCitation(source, before: match.range.location + 4) { continue }
            if let date = date(day: day, month: month, year: year, now: now) { found.append((match.range.location, date)) }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The newest acceptable date in `text`.
    public static func newest(in text: String, now: Date) -> Date? {
        dates(in: text, now: now).max()
    }

    private static func isCitation(_ source: NSString, before location: Int) -> Bool {
        let start = max(0, location - 60)
        let prefix = source.substring(with: NSRange(location: start, length: location - start))
        let range = NSRange(location: 0, length: (prefix as NSString).length)
        return citation?.firstMatch(in: prefix, range: range) != nil
    }

    /// Noon (Vietnam time) of a real calendar day between 1995 and `now`.
    static func date(day: Int, month: Int, year: Int, now: Date) -> Date? {
        guard (1995...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: 12)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month,
            date <= now.addingTimeInterval(86_400)
        else { return nil }
        return date
    }

    /// Dates in feeds and sitemaps: RFC 822 (`Wed, 05 Dec 2018 21:29:00 +0700`) and ISO 8601 / W3C
    /// (`2023-11-29`, `2023-11-29T08:00:00+07:00`), from `<pubDate>`, `<lastBuildDate>`, `<updated>`,
    /// `<published>`, `<lastmod>`, `<dc:date>`. Future and unparsable values are skipped.
    ///
    /// A byte scan, not a regular expression: a hostile 2 MiB sitemap of garbage costs milliseconds.
    /// At most `limit` values are parsed.
    public static func feedDates(in xml: String, now: Date, limit: Int = 20_000) -> [Date] {
        let bytes = Array(xml.utf8)
        let tags = ["pubdate", "lastbuilddate", "updated", "published", "lastmod", "dc:date"]
        let floor = Date(timeIntervalSince1970: 788_918_400)  // 1995-01-01
        let ceiling = now.addingTimeInterval(86_400)
        var out: [Date] = []
        var parsed = 0
        var i = 0
        let count = bytes.count
        while i < count, parsed < limit {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            // Read the tag name (lower-cased) up to '>' (short names only).
            var j = i + 1
            var name: [UInt8] = []
            while j < count, j - i <= 16, bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: " ") {
                let b = bytes[j]
                name.append(b >= 65 && b <= 90 ? b + 32 : b)
                j += 1
            }
            guard j < count, bytes[j] == UInt8(ascii: ">"), let tag = String(bytes: name, encoding: .ascii), tags.contains(tag) else {
                i += 1
                continue
            }
            // The value runs to the next '<' (at most 64 bytes).
            let start = j + 1
            var end = start
            while end < count, end - start <= 64, bytes[end] != UInt8(ascii: "<") { end += 1 }
            if end < count, bytes[end] == UInt8(ascii: "<") {
                parsed += 1
                let value = String(decoding: bytes[start..<end], as: UTF8.self)
                if let date = parseFeedDate(value), date >= floor, date <= ceiling { out.append(date) }
            }
            i = end
        }
        return out
    }

    /// Parses one feed or sitemap date value.
    public static func parseFeedDate(_ raw: String) -> Date? {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let scalars = Array(value.unicodeScalars.prefix(10))
        // Cheap shape checks first: ISO starts with YYYY-MM-DD, RFC 822 with a day name or day number.
        let isoShape = scalars.count == 10 && scalars[4] == "-" && scalars[7] == "-"
            && scalars.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || ("0"..."9").contains($0.element) }
        if isoShape {
            let month = Int(String(String.UnicodeScalarView(scalars[5..<7]))) ?? 0
            let day = Int(String(String.UnicodeScalarView(scalars[8..<10]))) ?? 0
            guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        } else if !(value.count >= 16 && value.contains(" ") && value.contains(":")) {
            return nil
        }
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            iso.formatOptions = options
            if let date = iso.date(from: value) { return date }
        }
        let rfc = DateFormatter()
        rfc.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm Z", "EEE, dd MMM yyyy HH:mm:ss zzz"] {
            rfc.dateFormat = format
            if let date = rfc.date(from: value) { return date }
        }
        return nil
    }
}
