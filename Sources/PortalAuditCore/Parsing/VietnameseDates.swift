import Foundation

/// Finds publication dates in Vietnamese page text, leniently and defensively.
///
/// Forms read: `05/12/2018` (with or without `Thứ Tư,` before and `, 21:29 (GMT+7)` after),
/// `29/11/2023`, `Ngày 13-11-2024`, `25-12-2013`, `ngày 25 tháng 12 năm 2013` (with or without diacritics).
/// Refused: impossible dates (`31/02`), two-digit years, years before 1995, dates after `now` (+1 day for
/// time zones), digits that belong to a longer number or path (`2023/11/29/`, `0237.3852.456`, `5.925`),
/// and dates cited as a document's date (`Chỉ thị số 30-CT/TW ngày 25/12/2013`), which are not publications.
public enum VietnameseDates {
    /// What a date in page text is to a reader.
    public enum Role: String, Sendable, Equatable {
        /// Introduced as a posting or update ("Đăng ngày", "Ngày đăng", "Cập nhật", "Ngày ban hành").
        case published
        /// No introduction: a date beside a list item or in a dateline.
        case plain
        /// A cited document's date (`Luật … ngày …`, `Nghị định số … ngày …`).
        case citation
        /// The start or end of a period, or a deadline (`từ ngày`, `đến ngày`, `hạn chót`, `trước ngày`).
        case period
        /// The page's clock: today's date after a weekday or "Hôm nay" (the day the page was fetched).
        case clock
    }

    /// A date found in page text, with what it is and the phrase it came from.
    public struct Found: Sendable, Equatable {
        public var date: Date
        public var role: Role
        /// Up to 40 characters before the date, and the date as written.
        public var phrase: String
    }

    /// A date found, where it stands in the text (the phrase is made only for the one chosen).
    private struct Candidate {
        var date: Date
        var role: Role
        var start: Int
        var end: Int
    }

    /// Every acceptable date of `s` with its role, in order of appearance.
    ///
    /// One pass over the text's scalars (no regular expression): each digit run is read once as a
    /// possible `d/m/yyyy` (separators `/`, `-` or `.`, mixed, with spaces around them), each `ngày` once as a
    /// possible spelled date, and each date's role from the 80 scalars before it only, into buffers reused
    /// from one date to the next.
    private static func candidates(_ s: [Unicode.Scalar], now: Date) -> [Candidate] {
        var found: [Candidate] = []
        var words = Words()
        let today = day(of: now)
        var i = 0
        // A page with more than this many dates is not a news page; the first ones are enough.
        while i < s.count, found.count < 5_000 {
            if isDigit(s[i]) {
                let runEnd = digitRun(s, from: i)
                if let (date, end) = numericDate(s, at: i, runEnd: runEnd, now: now)
                    ?? englishDate(s, at: i, runEnd: runEnd, now: now)
                {
                    let role = role(s, before: i, date: date, today: today, words: &words)
                    found.append(Candidate(date: date, role: role, start: i, end: end))
                    i = end
                } else {
                    i = runEnd
                }
                continue
            }
            if let (date, end) = englishMonthFirst(s, at: i, now: now) {
                found.append(
                    Candidate(
                        date: date, role: role(s, before: i, date: date, today: today, words: &words), start: i,
                        end: end))
                i = end
                continue
            }
            if let (day, month, year, end) = spelledDate(s, at: i) {
                if let date = date(day: day, month: month, year: year, now: now) {
                    // Its role from the words before its number, "ngày" included (`số … ngày 25 tháng 12 …`).
                    let role = role(s, before: min(i + 4, s.count), date: date, today: today, words: &words)
                    found.append(Candidate(date: date, role: role, start: i, end: end))
                }
                i = end
                continue
            }
            i += 1
        }
        return found
    }

    /// The dates of `text` that may be publications (neither citations, periods nor the page's clock).
    public static func dates(in text: String, now: Date) -> [Date] {
        candidates(Array(text.unicodeScalars), now: now).filter { $0.role == .published || $0.role == .plain }
            .map(\.date)
    }

    /// The newest publication in `text` (the newest date introduced as a posting when there is one, else the
    /// newest date that is neither a citation, a period nor the page's clock), and how many dates may be
    /// publications.
    public static func publications(in text: String, now: Date) -> (newest: Found?, count: Int) {
        let s = Array(text.unicodeScalars)
        let all = candidates(s, now: now)
        let published = all.filter { $0.role == .published }
        let plain = all.filter { $0.role == .plain }
        let newest = (published.isEmpty ? plain : published).max { $0.date < $1.date }
        return (
            newest.map { Found(date: $0.date, role: $0.role, phrase: phrase(s, $0.start, $0.end)) },
            published.count + plain.count
        )
    }

    /// The newest publication's date in `text`.
    public static func newest(in text: String, now: Date) -> Date? {
        publications(in: text, now: now).newest?.date
    }

    private static func phrase(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: s[max(0, start - 40)..<end].map { isSpace($0) ? " " : $0 })
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }

    /// The words (folded: `ngay dang`, `thu nam`) among the 80 scalars before a date, nearest first, at most
    /// 12, each spelled backwards in one buffer; `clause`: how many belong to the date's own clause (before a
    /// `.`, `;`, `:`, a line break or a parenthesis).
    private struct Words {
        var letters: [UInt8] = []
        var ends: [Int] = []
        var clause = 0
        var count: Int { ends.count }

        /// Word `n` (0: the nearest), backwards.
        func word(_ n: Int) -> ArraySlice<UInt8> { letters[(n == 0 ? 0 : ends[n - 1])..<ends[n]] }

        mutating func read(_ s: [Unicode.Scalar], before location: Int) {
            letters.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var clauseEnd: Int?
            var k = location
            while k > max(0, location - 80), ends.count < 12 {
                k -= 1
                let c = s[k]
                if let byte = PageText.foldedLetter(c) {
                    if byte != 0 { letters.append(byte) }
                    continue
                }
                if letters.count > (ends.last ?? 0) { ends.append(letters.count) }
                if clauseEnd == nil, c == "." || c == ";" || c == ":" || c == "\n" || c == "(" || c == ")" {
                    clauseEnd = ends.count
                }
            }
            if letters.count > (ends.last ?? 0), ends.count < 12 { ends.append(letters.count) }
            clause = clauseEnd ?? ends.count
        }

        /// Whether `marker` (its words last first, each backwards) ends the words, or ends them but for up to
        /// `within` more words after it; `limit`: only among the first words (the date's clause).
        func ends(with marker: [[UInt8]], within last: Int = 0) -> Bool {
            guard count >= marker.count else { return false }
            for offset in 0...min(last, count - marker.count)
            where marker.indices.allSatisfy({ word(offset + $0).elementsEqual(marker[$0]) }) {
                return true
            }
            return false
        }
    }

    /// Phrases as `Words` holds them: last word first, each backwards.
    private static func markers(_ phrases: [String]) -> [[[UInt8]]] {
        phrases.map { $0.split(separator: " ").reversed().map { Array($0.utf8.reversed()) } }
    }

    /// A time of day (`04:34`) within a few characters after the date that starts at `location`.
    private static func timeFollows(_ s: [Unicode.Scalar], after location: Int) -> Bool {
        var j = location
        while j < s.count, j - location < 12, !isSpace(s[j]) { j += 1 }
        for k in j..<min(s.count, j + 6) where isDigit(s[k]) { return isTime(s, at: k) }
        return false
    }

    static let publishedMarkers = markers([
        "dang ngay", "ngay dang", "cap nhat", "dang luc", "ngay ban hanh", "ban hanh ngay",
    ])
    /// Words right before a date that make it the start or end of a period.
    static let periodMarkers = markers([
        "tu ngay", "tu", "den ngay", "den", "toi ngay", "ke tu ngay", "ke tu", "truoc ngay", "truoc", "tu sang ngay",
        "tu chieu ngay", "tu toi ngay", "den het ngay", "den het",
    ])
    /// Words a few words before a date that make it a deadline (`Hạn chót nộp hồ sơ: …`).
    static let deadlineMarkers = markers(["han chot", "thoi han", "cham nhat", "han nop", "het han", "het ngay"])
    /// A time of day right before a date: a news lead's event (`Sáng ngày 31/3/2017, …`), not its posting.
    static let eventMarkers = markers([
        "sang ngay", "chieu ngay", "trua ngay", "toi ngay", "dem ngay", "sang", "chieu", "trua", "dem",
    ])
    static let weekdays = markers([
        "thu hai", "thu ba", "thu tu", "thu nam", "thu sau", "thu bay", "chu nhat", "hom nay",
    ])
    static let documents = markers([
        "luat", "bo luat", "hien phap", "phap lenh", "nghi dinh", "thong tu", "quyet dinh", "chi thi", "nghi quyet",
        "cong van", "ke hoach", "thong bao", "van ban", "to trinh", "huong dan",
    ])
    static let introducedByDay = markers(["ngay", "ngay ky"])

    /// What the date at `location` is, from the words before it: a publication marker close before it wins;
    /// else a period or deadline word, a weekday clock showing the fetch day, or a document named in the same
    /// clause (`… ngày`) make it no publication.
    /// The day of `date` as Vietnam counts days (UTC+7 all year), since 1970.
    private static func day(of date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + 25_200) / 86_400).rounded(.down))
    }

    private static func role(
        _ s: [Unicode.Scalar], before location: Int, date: Date, today: Int, words: inout Words
    ) -> Role {
        words.read(s, before: location)
        if publishedMarkers.contains(where: { words.ends(with: $0, within: 2) }) { return .published }
        // The fetch day at the top of the page, or after a weekday with no time of day after it: the page's
        // clock. Another day after a weekday is a dateline (and the "tư" of "thứ tư" is not the "từ" of a
        // period).
        let isToday = day(of: date) == today
        if isToday && location < 100 { return .clock }
        if weekdays.contains(where: { words.ends(with: $0, within: 1) }) {
            // A weekday with its date in parentheses heads a schedule's day (`THỨ HAI (09/02/2026):`).
            var k = location
            while k > 0, isSpace(s[k - 1]) { k -= 1 }
            if k > 0, s[k - 1] == "(" { return .period }
            return isToday && !timeFollows(s, after: location) ? .clock : .plain
        }
        if eventMarkers.contains(where: { words.ends(with: $0) }) { return .period }
        // The second date of a range (`19/9/1889 - 19/9/2019`): the end of a period.
        var k = location
        while k > 0, isSpace(s[k - 1]) { k -= 1 }
        if k > 1, s[k - 1] == "-" || s[k - 1] == "–" {
            var m = k - 1
            while m > 0, isSpace(s[m - 1]) { m -= 1 }
            if m > 0, isDigit(s[m - 1]) { return .period }
        }
        if periodMarkers.contains(where: { words.ends(with: $0) })
            || deadlineMarkers.contains(where: { words.ends(with: $0, within: 3) })
        {
            return .period
        }
        if isCitation(s, before: location) { return .citation }
        // A document named in the same clause, the date introduced by "ngày": `Luật … ngày 22/11/2019`.
        if introducedByDay.contains(where: { words.ends(with: $0) }) {
            for document in documents where words.clause >= document.count {
                for start in 0...(words.clause - document.count)
                where document.indices.allSatisfy({ words.word(start + $0).elementsEqual(document[$0]) }) {
                    return .citation
                }
            }
        }
        return .plain
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D) || (c.value >= 0x80 && c.properties.isWhitespace)
    }

    private static func digitRun(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var j = i
        while j < s.count, isDigit(s[j]) { j += 1 }
        return j
    }

    private static func number(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Int {
        s[range].reduce(0) { $0 * 10 + Int($1.value - 48) }
    }

    /// `d/m/yyyy`, `d-m-yyyy` or `d.m.yyyy` starting at the digit run `i..<runEnd` (the separators may differ
    /// and have up to two spaces around them: `17 - 05 - 2024`), not part of a longer number or path.
    private static func numericDate(_ s: [Unicode.Scalar], at i: Int, runEnd: Int, now: Date) -> (Date, Int)? {
        if i > 0, isDigit(s[i - 1]) || s[i - 1] == "/" || s[i - 1] == "." || s[i - 1] == "-" { return nil }
        guard (1...2).contains(runEnd - i) else { return nil }
        /// A separator after `from`, with up to two spaces around it; the index after it.
        func separator(after from: Int) -> (Unicode.Scalar, Int, spaced: Bool)? {
            var k = from
            while k < s.count, k - from < 2, s[k] == " " { k += 1 }
            guard k < s.count, s[k] == "/" || s[k] == "-" || s[k] == "." else { return nil }
            let mark = s[k]
            var after = k + 1
            while after < s.count, after - k - 1 < 2, s[after] == " " { after += 1 }
            return (mark, after, k > from || after > k + 1)
        }
        guard let (first, monthStart, spacedFirst) = separator(after: runEnd) else { return nil }
        let monthEnd = digitRun(s, from: monthStart)
        guard (1...2).contains(monthEnd - monthStart),
            let (second, yearStart, spacedSecond) = separator(after: monthEnd)
        else { return nil }
        // Dots only unspaced, both of them (`17.05.2024`; never `5. 10. 2024` in running text).
        if (first == "." || second == ".") && (first != second || spacedFirst || spacedSecond) { return nil }
        let yearEnd = digitRun(s, from: yearStart)
        guard yearEnd - yearStart == 4 else { return nil }
        if yearEnd < s.count {
            let next = s[yearEnd]
            // `2023/11/29/` is a path; `11/11/2022-09:13` a date glued to its time.
            if next == "/" || (next == "-" && !isTime(s, at: yearEnd + 1)) { return nil }
            if next == ".", yearEnd + 1 < s.count, isDigit(s[yearEnd + 1]) { return nil }
        }
        let day = number(s, i..<runEnd)
        let month = number(s, monthStart..<monthEnd)
        let year = number(s, yearStart..<yearEnd)
        guard let date = date(day: day, month: month, year: year, now: now) else { return nil }
        return (date, yearEnd)
    }

    /// `HH:MM` at `i`.
    private static func isTime(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        let hourEnd = digitRun(s, from: i)
        return (1...2).contains(hourEnd - i) && hourEnd + 2 < s.count && s[hourEnd] == ":" && isDigit(s[hourEnd + 1])
            && isDigit(s[hourEnd + 2])
    }

    static let englishMonths = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    static let englishMonthBytes = englishMonths.map { Array($0.utf8) }

    /// An English month name (or its three-letter form) at `i`: its number and where it ends. Compared byte by
    /// byte (most words of a page start here and are no month).
    private static func englishMonth(_ s: [Unicode.Scalar], at i: Int) -> (Int, Int)? {
        // The first letters of the months (j f m a s o n d, either case): most scalars stop here.
        guard i < s.count, s[i].value < 0x80 else { return nil }
        switch s[i].value | 0x20 {
        case 0x6A, 0x66, 0x6D, 0x61, 0x73, 0x6F, 0x6E, 0x64: break
        default: return nil
        }
        guard i == 0 || !s[i - 1].properties.isAlphabetic else { return nil }
        var j = i
        while j < s.count, j - i < 10, s[j].value < 0x80, s[j].properties.isAlphabetic { j += 1 }
        guard j - i >= 3, j == s.count || !s[j].properties.isAlphabetic else { return nil }
        let length = j - i
        for (index, name) in englishMonthBytes.enumerated() where length == 3 || length == name.count {
            guard length <= name.count else { continue }
            if (0..<length).allSatisfy({ k in
                let v = s[i + k].value
                return UInt8(v >= 65 && v <= 90 ? v + 32 : v) == name[k]
            }) {
                return (index + 1, j)
            }
        }
        return nil
    }

    /// `18 October 2019` (a Drupal byline) starting at the digit run `i..<runEnd`.
    private static func englishDate(_ s: [Unicode.Scalar], at i: Int, runEnd: Int, now: Date) -> (Date, Int)? {
        if i > 0, isDigit(s[i - 1]) || s[i - 1] == "/" || s[i - 1] == "." || s[i - 1] == "-" { return nil }
        guard (1...2).contains(runEnd - i), let a = spaces(s, from: runEnd),
            let (month, monthEnd) = englishMonth(s, at: a), let b = spaces(s, from: monthEnd)
        else { return nil }
        return dated(s, day: number(s, i..<runEnd), month: month, yearAt: b, now: now)
    }

    /// The date of `day` and `month` in the four-digit year at `start`, and where the year ends.
    private static func dated(_ s: [Unicode.Scalar], day: Int, month: Int, yearAt start: Int, now: Date) -> (Date, Int)?
    {
        let yearEnd = digitRun(s, from: start)
        guard yearEnd - start == 4, let date = date(day: day, month: month, year: number(s, start..<yearEnd), now: now)
        else { return nil }
        return (date, yearEnd)
    }

    /// `October 18, 2019` starting at `i`.
    private static func englishMonthFirst(_ s: [Unicode.Scalar], at i: Int, now: Date) -> (Date, Int)? {
        guard let (month, monthEnd) = englishMonth(s, at: i), let a = spaces(s, from: monthEnd) else { return nil }
        let dayEnd = digitRun(s, from: a)
        guard (1...2).contains(dayEnd - a), dayEnd < s.count, s[dayEnd] == ",", let b = spaces(s, from: dayEnd + 1)
        else { return nil }
        return dated(s, day: number(s, a..<dayEnd), month: month, yearAt: b, now: now)
    }

    /// Whether `word` (lower case ASCII with the given accented alternatives) starts at `i`, any case.
    private static func matchWord(_ s: [Unicode.Scalar], at i: Int, _ letters: [Set<Unicode.Scalar>]) -> Int? {
        guard i + letters.count <= s.count else { return nil }
        for (k, options) in letters.enumerated() {
            let c = s[i + k]
            let lowered: Unicode.Scalar = c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32) ?? c : c
            guard options.contains(lowered) || options.contains(c) else { return nil }
        }
        return i + letters.count
    }

    private static let ngay: [Set<Unicode.Scalar>] = [["n"], ["g"], ["a", "à", "À"], ["y"]]
    private static let thang: [Set<Unicode.Scalar>] = [["t"], ["h"], ["a", "á", "Á"], ["n"], ["g"]]
    private static let nam: [Set<Unicode.Scalar>] = [["n"], ["a", "ă", "Ă"], ["m"]]

    private static func spaces(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        var j = i
        while j < s.count, isSpace(s[j]) { j += 1 }
        return j > i ? j : nil
    }

    /// `ngày 25 tháng 12 năm 2013` (with or without diacritics, any case) starting at `i`.
    private static func spelledDate(_ s: [Unicode.Scalar], at i: Int) -> (Int, Int, Int, Int)? {
        guard s[i] == "n" || s[i] == "N", var j = matchWord(s, at: i, ngay), let a = spaces(s, from: j) else {
            return nil
        }
        let dayEnd = digitRun(s, from: a)
        guard (1...2).contains(dayEnd - a), let b = spaces(s, from: dayEnd), let t = matchWord(s, at: b, thang),
            let c = spaces(s, from: t)
        else { return nil }
        let monthEnd = digitRun(s, from: c)
        guard (1...2).contains(monthEnd - c), let d = spaces(s, from: monthEnd), let n = matchWord(s, at: d, nam),
            let e = spaces(s, from: n)
        else { return nil }
        j = digitRun(s, from: e)
        guard j - e == 4 else { return nil }
        return (number(s, a..<dayEnd), number(s, c..<monthEnd), number(s, e..<j), j)
    }

    /// Whether the 60 scalars before `location` end with `số <document number> [,] ngày`: the date is
    /// a cited document's (`Chỉ thị số 30-CT/TW ngày 25/12/2013`), not a publication.
    private static func isCitation(_ s: [Unicode.Scalar], before location: Int) -> Bool {
        let start = max(0, location - 60)
        var j = location
        while j > start, isSpace(s[j - 1]) { j -= 1 }
        // "ngày" (or "ngay") right before.
        guard j - 4 >= start, matchWord(s, at: j - 4, ngay) == j else { return false }
        j -= 4
        while j > start, isSpace(s[j - 1]) { j -= 1 }
        if j > start, s[j - 1] == "," { j -= 1 }
        while j > start, isSpace(s[j - 1]) { j -= 1 }
        // The document number: [0-9A-Za-zĐđ/\-.]+ starting with a digit and holding a / or -.
        func isNumberScalar(_ c: Unicode.Scalar) -> Bool {
            isDigit(c) || (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "Đ" || c == "đ"
                || c == "/" || c == "-" || c == "."
        }
        let numberEnd = j
        while j > start, isNumberScalar(s[j - 1]) { j -= 1 }
        // The number may start at any digit inside the run (the pattern is not anchored there).
        var sawSeparator = false
        var candidate: Int?
        var k = numberEnd
        while k > j {
            k -= 1
            if s[k] == "/" || s[k] == "-" { sawSeparator = true }
            if sawSeparator, isDigit(s[k]), k > start, isSpace(s[k - 1]) { candidate = k }
        }
        guard let numberStart = candidate else { return false }
        // "số" or "so" (any case) and at least one space before the number.
        var m = numberStart
        while m > start, isSpace(s[m - 1]) { m -= 1 }
        guard m < numberStart, m - 2 >= start else { return false }
        let first = s[m - 2]
        let second = s[m - 1]
        return (first == "s" || first == "S") && (second == "o" || second == "ố" || second == "O" || second == "Ố")
    }

    /// Noon (Vietnam time, UTC+7 all year) of a real calendar day between 1995 and `now`.
    static func date(day: Int, month: Int, year: Int, now: Date) -> Date? {
        guard (1995...9999).contains(year), let noonUTC = epoch(year: year, month: month, day: day, hour: 12) else {
            return nil
        }
        let date = Date(timeIntervalSince1970: noonUTC - 7 * 3_600)
        return date <= now.addingTimeInterval(86_400) ? date : nil
    }

    /// Dates in feeds and sitemaps: RFC 822 (`Wed, 05 Dec 2018 21:29:00 +0700`) and ISO 8601 / W3C
    /// (`2023-11-29`, `2023-11-29T08:00:00+07:00`), from `<pubDate>`, `<lastBuildDate>`, `<updated>`,
    /// `<published>`, `<lastmod>`, `<dc:date>`. Future and unparsable values are skipped.
    ///
    /// A byte scan, not a regular expression: a hostile 2 MiB sitemap of garbage costs milliseconds.
    /// At most `limit` values are parsed.
    public static func feedDates(in xml: String, now: Date, limit: Int = 20_000) -> [Date] {
        let bytes = Array(xml.utf8)
        let tagBytes = ["pubdate", "lastbuilddate", "updated", "published", "lastmod", "dc:date"].map { Array($0.utf8) }
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
            while j < count, j - i <= 16, bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: " "),
                bytes[j] != UInt8(ascii: "<")
            {
                j += 1
            }
            guard j < count, bytes[j] == UInt8(ascii: ">"), j > i + 1,
                tagBytes.contains(where: { tag in
                    tag.count == j - i - 1
                        && zip(tag, bytes[(i + 1)..<j]).allSatisfy { $0 == ($1 >= 65 && $1 <= 90 ? $1 + 32 : $1) }
                })
            else {
                i = j > i + 1 && j < count && bytes[j] == UInt8(ascii: "<") ? j : i + 1
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

    /// Names of the meta tags that carry a page's publication or update time (Open Graph, Dublin Core,
    /// schema.org microdata).
    static let structuredMetaNames: Set<String> = [
        "article:published_time", "article:modified_time", "og:updated_time", "datepublished", "datemodified",
        "dc.date", "dc.date.issued", "dcterms.created", "dcterms.modified", "pubdate", "publishdate",
    ]

    /// The publication and update times a page states for machines: meta tags (`article:published_time`…),
    /// `<time datetime>` and JSON-LD `datePublished`/`dateModified`, none after `now` (+1 day). At most 64 of
    /// them; scripts and tags are read once each, within the HTML scanner's caps.
    public static func structuredDates(in body: ArraySlice<UInt8>, now: Date) -> [Date] {
        let ceiling = now.addingTimeInterval(86_400)
        var values: [String] = []
        for meta in HTMLScanner.tags(named: "meta", in: body, maxTags: 256) {
            let name = (meta["property"] ?? meta["name"] ?? meta["itemprop"] ?? "").lowercased()
            if structuredMetaNames.contains(name), let content = meta["content"] { values.append(content) }
        }
        for time in HTMLScanner.tags(named: "time", in: body, maxTags: 256) {
            if let value = time["datetime"] { values.append(value) }
        }
        for script in HTMLScanner.rawTextContents(named: "script", in: body, maxElements: 32, maxBytes: 256 << 10) {
            values += JSONText.strings(of: "datePublished", in: script, limit: 32)
            values += JSONText.strings(of: "dateModified", in: script, limit: 32)
        }
        return values.prefix(64).compactMap { parseFeedDate($0) }.filter { $0 <= ceiling }
    }

    /// Parses one feed or sitemap date value: ISO 8601 / W3C (`2023-11-29`, `2023-11-29T08:00:00+07:00`,
    /// fractions allowed; a date alone is midnight UTC) or RFC 822 (`Wed, 05 Dec 2018 21:29:00 +0700`,
    /// zone names GMT/UT/UTC/Z and the US ones). By hand, in constant time: no formatter per value.
    public static func parseFeedDate(_ raw: String) -> Date? {
        let value = Array(raw.utf8.prefix(96)).trimmingSpaces()
        guard value.count >= 10 else { return nil }
        if let date = parseISO(value) { return date }
        return parseRFC822(value)
    }

    /// Seconds since 1970 of a UTC civil date and time (H. Hinnant's days-from-civil).
    static func epoch(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Double? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let monthDays = [
            31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        ]
        guard day <= monthDays[month - 1] else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    private static func digits(_ v: [UInt8], _ from: Int, _ count: Int) -> Int? {
        guard from >= 0, from + count <= v.count else { return nil }
        var n = 0
        for b in v[from..<(from + count)] {
            guard b >= 48 && b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }

    private static func parseISO(_ v: [UInt8]) -> Date? {
        guard let year = digits(v, 0, 4), v[4] == UInt8(ascii: "-"), let month = digits(v, 5, 2),
            v[7] == UInt8(ascii: "-"),
            let day = digits(v, 8, 2)
        else { return nil }
        if v.count == 10 { return epoch(year: year, month: month, day: day).map(Date.init(timeIntervalSince1970:)) }
        guard v[10] == UInt8(ascii: "T") || v[10] == UInt8(ascii: "t") || v[10] == UInt8(ascii: " "),
            let hour = digits(v, 11, 2), v.count > 13, v[13] == UInt8(ascii: ":"), let minute = digits(v, 14, 2)
        else { return nil }
        var i = 16
        var second = 0
        if i < v.count, v[i] == UInt8(ascii: ":") {
            guard let s = digits(v, i + 1, 2) else { return nil }
            second = s
            i += 3
            if i < v.count, v[i] == UInt8(ascii: ".") || v[i] == UInt8(ascii: ",") {
                i += 1
                let fractionStart = i
                while i < v.count, v[i] >= 48 && v[i] <= 57, i - fractionStart < 9 { i += 1 }
                guard i > fractionStart else { return nil }
            }
        }
        guard i < v.count, let offset = zoneOffset(Array(v[i...])),
            let base = epoch(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return Date(timeIntervalSince1970: base - Double(offset))
    }

    /// `Z`, `+07:00`, `+0700`, `-05`, or a zone name, as seconds east of UTC.
    private static func zoneOffset(_ z: [UInt8]) -> Int? {
        let text = String(decoding: z, as: UTF8.self).uppercased()
        let names = [
            "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7,
        ]
        if let hours = names[text] { return hours * 3_600 }
        guard let sign = z.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let rest = Array(z.dropFirst()).filter { $0 != UInt8(ascii: ":") }
        guard rest.count == 4 || rest.count == 2, let hours = digits(rest, 0, 2), hours <= 14 else { return nil }
        let minutes = rest.count == 4 ? digits(rest, 2, 2) : 0
        guard let minutes, minutes < 60 else { return nil }
        let seconds = hours * 3_600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map
    { Array($0.utf8) }

    private static func parseRFC822(_ v: [UInt8]) -> Date? {
        // Tokens split on spaces and commas: [day name] day month year time zone.
        var tokens = v.split(whereSeparator: { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == 0x09 }).map(Array.init)
        guard tokens.count >= 5, tokens.count <= 6 else { return nil }
        if tokens.count == 6 || (tokens[0].first.map { !($0 >= 48 && $0 <= 57) } ?? true) { tokens.removeFirst() }
        guard tokens.count == 5, (1...2).contains(tokens[0].count), let day = digits(tokens[0], 0, tokens[0].count),
            tokens[1].count == 3,
            let monthIndex = months.firstIndex(of: tokens[1].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }),
            tokens[2].count == 4, let year = digits(tokens[2], 0, 4)
        else { return nil }
        let time = tokens[3].split(separator: UInt8(ascii: ":")).map(Array.init)
        guard (2...3).contains(time.count), time.allSatisfy({ $0.count == 2 }), let hour = digits(time[0], 0, 2),
            let minute = digits(time[1], 0, 2)
        else { return nil }
        let second = time.count == 3 ? digits(time[2], 0, 2) : 0
        guard let second, let offset = zoneOffset(tokens[4]),
            let base = epoch(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return Date(timeIntervalSince1970: base - Double(offset))
    }
}

extension Array where Element == UInt8 {
    /// Without leading and trailing ASCII whitespace.
    func trimmingSpaces() -> [UInt8] {
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = firstIndex(where: { !space($0) }), let last = lastIndex(where: { !space($0) }) else {
            return []
        }
        return Array(self[first...last])
    }
}
