import Foundation
import Yams

/// Personal data a page or a document shows (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: the personal
/// identification number and the phone number are basic personal data): counts and masked samples only,
/// never a whole identifier.
public struct PersonalDataFacts: Codable, Sendable, Equatable {
    /// 12-digit personal identification numbers (số định danh cá nhân / CCCD, an individual's tax code since
    /// 07/2025), valid by structure, standing as a value.
    public var ids: Int
    /// 9-digit CMND numbers, counted only under their label.
    public var cmnd: Int
    /// Personal phone numbers in a list (a column of a table of people, or many mobiles on one page).
    public var phones: Int
    /// Tables whose headings mark personal data (a name with a birth date, an ID, an address or a phone).
    public var tables: Int
    /// Masked samples, at most three identifiers and three phones (`0380******12`, `09******45`).
    public var samples: [String]

    public init(ids: Int = 0, cmnd: Int = 0, phones: Int = 0, tables: Int = 0, samples: [String] = []) {
        self.ids = ids
        self.cmnd = cmnd
        self.phones = phones
        self.tables = tables
        self.samples = samples
    }

    /// Whether anything was found.
    public var isEmpty: Bool { ids == 0 && cmnd == 0 && phones == 0 && tables == 0 }
}

/// Finds personal data in text laid out as rows of cells (an HTML table, a spreadsheet, a PDF's text). Linear
/// in its input: one pass over the characters, no backtracking pattern.
public enum PersonalData {
    /// The 63 province codes that open a personal identification number (TT 07/2016/TT-BCA Phụ lục I,
    /// `Profiles/privacy/province-codes.yaml`).
    public static let provinceCodes: Set<String> = {
        guard let text = ShippedProfiles.privacy["province-codes"],
            let document = try? Yams.load(yaml: text) as? [String: Any],
            let codes = document["codes"] as? [String: Any]
        else { return [] }
        return Set(codes.keys)
    }()

    /// Whether `digits` (12 of them) is a personal identification number by its structure: a province code,
    /// a century-and-sex digit and a birth year no later than `year` and at most 120 years before it.
    public static func isPersonalID(_ digits: String, year: Int) -> Bool {
        guard digits.utf8.count == 12, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            provinceCodes.contains(String(digits.prefix(3))), let born = bornYear(digits)
        else { return false }
        return born <= year && born >= year - 120
    }

    /// The birth year a personal identification number encodes (digits 4–6).
    static func bornYear(_ digits: String) -> Int? {
        let d = Array(digits.utf8).map { Int($0) - 48 }
        guard d.count == 12 else { return nil }
        return 1900 + 100 * (d[3] / 2) + d[4] * 10 + d[5]
    }

    /// `0380******12`: the first four and last two digits.
    static func masked(_ digits: String) -> String {
        guard digits.count > 6 else { return String(repeating: "*", count: digits.count) }
        let kept = digits.count <= 10 ? 2 : 4
        return String(digits.prefix(kept)) + String(repeating: "*", count: digits.count - kept - 2)
            + String(digits.suffix(2))
    }

    /// What a column holds, by its heading.
    enum Column {
        case name, id, birth, address, phone, tax
        /// Another personal field: a social insurance book, a bank account, a relation to the household's head.
        case personalOther
    }

    /// The kind of a heading cell (folded, lower case without diacritics), if it marks one.
    static func column(_ heading: String) -> Column? {
        let text = PageText.folded(heading)
        guard text.count <= 80 else { return nil }
        if ["cccd", "cmnd", "cmt", "can cuoc", "dinh danh", "ddcn", "giay to tuy than", "cntnd", "ho chieu"].contains(
            where: text.contains)
        {
            return .id
        }
        if ["ma so thue", "mst"].contains(where: { text == $0 || text.hasPrefix($0 + " ") || text.hasSuffix(" " + $0) })
            || text.contains("ma so thue")
        {
            return .tax
        }
        if ["ngay sinh", "nam sinh", "thang, nam sinh", "thang nam sinh"].contains(where: text.contains) {
            return .birth
        }
        if ["thuong tru", "tam tru", "que quan", "noi o", "dia chi"].contains(where: text.contains) { return .address }
        if ["dien thoai", "sdt", "so dt", "di dong", "dtdd"].contains(where: text.contains) { return .phone }
        if ["so bao hiem", "ma so bhxh", "so bhxh", "tai khoan", "quan he voi chu ho", "gioi tinh"].contains(
            where: text.contains)
        {
            return .personalOther
        }
        // Last: "Số điện thoại của chủ hộ" is a phone, "Quan hệ với chủ hộ" a relation.
        if ["ho va ten", "ho ten", "ho, ten", "chu ho", "nguoi dai dien"].contains(where: text.contains)
            && !text.contains("don vi")
        {
            return .name
        }
        return nil
    }

    /// Labels that make a number in free text an identifier (folded).
    static let idLabels = ["cccd", "cmnd", "cmt", "can cuoc", "dinh danh", "ddcn", "giay to tuy than", "cntnd"]
    static let taxLabels = ["ma so thue", "mst"]

    /// A number written in a cell or a line: its digits, and whether it came as a whole cell.
    struct Number {
        var digits: String
        /// The text before it in its cell or line (folded, at most 48 characters).
        var before: String
    }

    /// The numbers in `text`: runs of digits, joined across a single space, dot, hyphen or no-break space only
    /// where the groups make a known layout (3-3-6, 3-3-3-3, 4-4-4, 3-9 for an identifier; 4-3-3, 3-3-4, 3-4-3,
    /// 4-6, 3-4-4, 2-4-4 for a phone). A longer run is one number (a 13-digit tax code holds no identifier).
    static func numbers(in text: String) -> [Number] {
        var groups: [(digits: String, start: String.Index, end: String.Index)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isASCII, text[index].isNumber else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, text[index].isASCII, text[index].isNumber { index = text.index(after: index) }
            groups.append((String(text[start..<index]), start, index))
        }
        let layouts: Set<[Int]> = [
            [3, 3, 6], [3, 3, 3, 3], [4, 4, 4], [3, 9], [4, 3, 3], [3, 3, 4], [3, 4, 3], [4, 6], [3, 4, 4], [2, 4, 4],
            [4, 3, 4], [2, 3, 3, 3],
        ]
        let joiners: Set<Character> = [" ", ".", "-", "\u{A0}"]
        var out: [Number] = []
        var i = 0
        while i < groups.count {
            var taken = 1
            // The longest run of groups, each after a single joiner, whose sizes make a known layout.
            var j = i
            var sizes = [groups[i].digits.count]
            while j + 1 < groups.count, sizes.count < 4 {
                let between = text[groups[j].end..<groups[j + 1].start]
                guard between.count == 1, let joiner = between.first, joiners.contains(joiner) else { break }
                sizes.append(groups[j + 1].digits.count)
                j += 1
                if layouts.contains(sizes) { taken = sizes.count }
            }
            // A run joined to something longer that is no layout stays as written (a 13-digit code "…-001").
            let digits = groups[i..<(i + taken)].map(\.digits).joined()
            let adjoining =
                i + taken < groups.count && taken == 1
                && {
                    let between = text[groups[i].end..<groups[i + 1].start]
                    return between == "-" && groups[i + 1].digits.count <= 3
                }()
            let beforeStart = text.index(groups[i].start, offsetBy: -48, limitedBy: text.startIndex) ?? text.startIndex
            if !adjoining {
                out.append(Number(digits: digits, before: PageText.folded(String(text[beforeStart..<groups[i].start]))))
            }
            i += adjoining ? 2 : taken
        }
        return out
    }

    /// A phone number of Việt Nam in `digits` (national form), if it is one: a mobile (`03`, `05`, `07`, `08`,
    /// `09` and 10 digits) or a landline (`02` and 11 digits); `84…` is read as `0…`.
    static func phone(_ digits: String) -> String? {
        var number = digits
        if number.hasPrefix("84"), number.count == 11 || number.count == 12 { number = "0" + number.dropFirst(2) }
        if number.count == 10, mobilePrefixes.contains(String(number.prefix(3))) { return number }
        if number.count == 11, number.hasPrefix("02") { return number }
        return nil
    }

    /// The mobile networks' prefixes since the 2018 change to 10 digits (032–039, 052–059, 070–079, 081–089,
    /// 09x): a 10-digit tax code opening `031…` or `010…` is no phone.
    static let mobilePrefixes: Set<String> = Set(
        [
            "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059", "070", "076",
            "077",
            "078", "079", "081", "082", "083", "084", "085", "086", "087", "088", "089",
        ]
            + (0...9).map { "09\($0)" })

    /// The personal data in `rows` (each a list of cells; an empty row ends a table), judged in `year`.
    /// An office's one or two numbers (a footer, a hotline) stay below what makes a list.
    public static func scan(rows: [[String]], year: Int) -> PersonalDataFacts {
        var facts = PersonalDataFacts()
        var ids: Set<String> = []
        var cmnd: Set<String> = []
        var tablePhones: Set<String> = []
        var mobiles: Set<String> = []
        var columns: [Int: Column] = [:]
        var personal = false
        var counted = false
        var width = 0
        func sample(_ digits: String) {
            let phone = digits.count == 10 || digits.count == 11
            if facts.samples.filter({ ($0.count == 10 || $0.count == 11) == phone }).count < 3 {
                facts.samples.append(masked(digits))
            }
        }
        for row in rows {
            if row.isEmpty {
                columns = [:]
                personal = false
                counted = false
                continue
            }
            // A heading row: two cells or more, one naming a person or two naming personal fields, and no number
            // (a data row's "Chủ hộ" is a value, not a heading).
            let kinds = row.map(column)
            if row.count >= 2, kinds.contains(.name) || kinds.compactMap({ $0 }).count >= 2,
                !row.contains(where: { $0.filter(\.isNumber).count >= 4 })
            {
                columns = [:]
                for (index, kind) in kinds.enumerated() { if let kind { columns[index] = kind } }
                personal =
                    kinds.contains(.name)
                    && kinds.contains { [.id, .birth, .address, .phone, .personalOther].contains($0) }
                width = row.count
                counted = false
                continue
            }
            let line = row.joined(separator: " ")
            let example = PageText.folded(line).contains("vi du")
            // Cells a `rowspan` above holds are missing from the left: the row's cells are its last columns.
            let shift = width > row.count && !columns.isEmpty ? width - row.count : 0
            for (index, cell) in row.enumerated() {
                let kind = columns[index + shift]
                if personal, !counted, kind == .name, !cell.trimmingCharacters(in: .whitespaces).isEmpty {
                    // The heading has a row of people under it: a table of personal data.
                    facts.tables += 1
                    counted = true
                }
                for number in numbers(in: cell) {
                    let digits = number.digits
                    let labelled = idLabels.contains { number.before.contains($0) } || kind == .id
                    let taxed = taxLabels.contains { number.before.contains($0) } || kind == .tax
                    let alone =
                        personal && cell.trimmingCharacters(in: .whitespaces).filter(\.isNumber).count == digits.count
                        && cell.trimmingCharacters(in: .whitespaces).count <= digits.count + 3
                    // A line that gives a person's birth year beside the number: the year the number encodes.
                    let withYear =
                        (digits.count == 12 ? bornYear(digits) : nil).map { line.contains(String($0)) } ?? false
                    let padded = String(repeating: "0", count: max(0, 12 - digits.count)) + digits
                    if !example, digits.count == 12, isPersonalID(digits, year: year),
                        labelled || taxed || alone || withYear
                    {
                        if ids.insert(digits).inserted { sample(digits) }
                    } else if !example, digits.count == 10 || digits.count == 11, kind == .id,
                        isPersonalID(padded, year: year)
                    {
                        // A spreadsheet cell stored as a number lost its leading zeros.
                        if ids.insert(padded).inserted { sample(padded) }
                    } else if !example, digits.count == 9, labelled, cmnd.insert(digits).inserted {
                        sample(digits)
                    } else if let phone = phone(digits)
                        ?? (kind == .phone && digits.count == 9 ? phone("0" + digits) : nil)
                    {
                        if personal && kind == .phone {
                            if tablePhones.insert(phone).inserted { sample(phone) }
                        } else if phone.count == 10 {
                            mobiles.insert(phone)
                        }
                    }
                }
            }
        }
        facts.ids = ids.count
        facts.cmnd = cmnd.count
        // Mobiles outside a table of people are personal where the page lists people's identifiers, or when
        // three or more of them stand on one page (an office gives one or two numbers, and landlines).
        let loose = mobiles.subtracting(tablePhones)
        let listed = !loose.isEmpty && (loose.count >= 3 || !ids.isEmpty)
        facts.phones = tablePhones.count + (listed ? loose.count : 0)
        if listed {
            for phone in loose.sorted() { sample(phone) }
        }
        return facts
    }

    /// `html` as rows of cells: a table cell ends a cell, a row or another block ends a row, a table's end
    /// leaves an empty row; inline markup (a `<span>` inside a number) joins without a space. Entities decoded,
    /// whitespace collapsed; at most `limit` bytes read.
    public static func rows(html: ArraySlice<UInt8>, limit: Int = 2 << 20) -> [[String]] {
        let bytes = html.prefix(limit)
        var rows: [[String]] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var space = false
        func endCell() {
            let text = String(decoding: cell, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            cells.append(text)
            cell = []
            space = false
        }
        func endRow() {
            if !cell.isEmpty { endCell() }
            if cells.contains(where: { !$0.isEmpty }) { rows.append(cells) }
            cells = []
        }
        var inCell = false
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "<"), let markup = HTMLScanner.markup(bytes, at: i) {
                let name = markup.name
                if name == tableCell || name == headingCell {
                    // A cell's start or end closes what came before it in the row.
                    if markup.closing || inCell || !cell.isEmpty { endCell() }
                    inCell = !markup.closing
                } else if name == tableRow {
                    endRow()
                    inCell = false
                } else if name == table {
                    endRow()
                    inCell = false
                    if markup.closing, rows.last?.isEmpty == false { rows.append([]) }
                } else if HTMLScanner.blockElements.contains(name) {
                    // Inside a cell a paragraph or a line break is a space; elsewhere it ends the row.
                    if inCell { space = true } else { endRow() }
                }
                i = markup.after
                continue
            }
            if b == UInt8(ascii: "&"), let (scalar, after) = HTMLScanner.entity(bytes, at: i) {
                if scalar == " " || scalar == "\u{A0}" {
                    space = true
                } else {
                    if space && !cell.isEmpty { cell.append(0x20) }
                    space = false
                    cell.append(contentsOf: String(Character(scalar)).utf8)
                }
                i = after
                continue
            }
            if HTMLScanner.isSpace(b) {
                space = true
            } else {
                if space && !cell.isEmpty { cell.append(0x20) }
                space = false
                cell.append(b)
            }
            i += 1
        }
        endRow()
        return rows
    }

    /// Plain text (a PDF's, a document's) as rows: a line is a row, a tab or a run of three or more spaces
    /// (`pdftotext -layout` columns) ends a cell, a blank line ends a table.
    public static func rows(text: String) -> [[String]] {
        var rows: [[String]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var cells: [String] = []
            var current = ""
            var spaces = 0
            for character in line {
                if character == "\t" {
                    cells.append(current)
                    current = ""
                    spaces = 0
                } else if character == " " {
                    spaces += 1
                } else {
                    if spaces >= 3 {
                        cells.append(current)
                        current = ""
                    } else if spaces > 0, !current.isEmpty {
                        current += " "
                    }
                    spaces = 0
                    current.append(character)
                }
            }
            cells.append(current)
            let kept = cells.map { $0.trimmingCharacters(in: .whitespaces) }
            if kept.allSatisfy(\.isEmpty) {
                if rows.last?.isEmpty == false { rows.append([]) }
            } else {
                rows.append(kept)
            }
        }
        return rows
    }

    private static let table = HTMLScanner.TagName("table")
    private static let tableRow = HTMLScanner.TagName("tr")
    private static let tableCell = HTMLScanner.TagName("td")
    private static let headingCell = HTMLScanner.TagName("th")
}
