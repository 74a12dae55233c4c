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
    /// `provinceCodes` as a table indexed by the code's value (no string to build per number).
    static let provinceTable: [Bool] = {
        var table = [Bool](repeating: false, count: 1_000)
        for code in provinceCodes { if let value = Int(code), (0..<1_000).contains(value) { table[value] = true } }
        return table
    }()

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
        guard digits.utf8.count == 12, let born = bornYear(digits) else { return false }
        var code = 0
        for byte in digits.utf8.prefix(3) { code = code * 10 + Int(byte) - 48 }
        return provinceTable[code] && born <= year && born >= year - 120
    }

    /// The ASCII digits in `text`.
    static func digitCount(_ text: String) -> Int { text.utf8.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) } }

    /// The birth year a personal identification number encodes (digits 4–6).
    static func bornYear(_ digits: String) -> Int? {
        var d = (0, 0, 0)
        var count = 0
        for byte in digits.utf8 {
            guard byte >= 48 && byte <= 57 else { return nil }
            switch count {
            case 3: d.0 = Int(byte) - 48
            case 4: d.1 = Int(byte) - 48
            case 5: d.2 = Int(byte) - 48
            default: break
            }
            count += 1
        }
        guard count == 12 else { return nil }
        return 1900 + 100 * (d.0 / 2) + d.1 * 10 + d.2
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
        guard heading.utf8.count <= 160 else { return nil }
        let text = PageText.folded(heading)
        if ["cccd", "cmnd", "cmt", "can cuoc", "dinh danh", "ddcn", "giay to tuy than", "cntnd"].contains(
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
        /// The bytes before it in its cell (at most 48, as written; the cell's storage, not a copy): `label`
        /// decodes and folds them when asked.
        var before: ArraySlice<UInt8>

        /// The text before, lower case without diacritics, for its label.
        var label: String { PageText.folded(String(decoding: before, as: UTF8.self)) }
    }

    /// The numbers in `text`: runs of digits, joined across a single space, dot, hyphen or no-break space only
    /// where the groups make a known layout (3-3-6, 3-3-3-3, 4-4-4, 3-9 for an identifier; 4-3-3, 3-3-4, 3-4-3,
    /// 4-6, 3-4-4, 2-4-4 for a phone). A longer run is one number (a 13-digit tax code holds no identifier).
    static func numbers(in text: String) -> [Number] {
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        // Runs of ASCII digits, by byte offset; a cell with none costs one pass.
        var groups: [(start: Int, end: Int)] = []
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            groups.append((start, index))
        }
        guard !groups.isEmpty else { return [] }
        /// One joiner between two groups: a space, a dot, a hyphen, or a no-break space (C2 A0).
        func joined(_ from: Int, _ to: Int) -> Bool {
            let gap = bytes[from..<to]
            if gap.count == 1 { return [0x20, 0x2E, 0x2D].contains(gap.first ?? 0) }
            return gap.count == 2 && gap.first == 0xC2 && gap.last == 0xA0
        }
        var out: [Number] = []
        var i = 0
        while i < groups.count {
            var taken = 1
            // The longest run of groups, each after a single joiner, whose sizes make a known layout.
            var j = i
            // The sizes so far as one number, a hexadecimal digit each (no array to hash per group).
            var sizes = groups[i].end - groups[i].start
            var count = 1
            while j + 1 < groups.count, count < 4, joined(groups[j].end, groups[j + 1].start) {
                let size = groups[j + 1].end - groups[j + 1].start
                guard size < 16 else { break }
                sizes = sizes * 16 + size
                count += 1
                j += 1
                if Self.layouts.contains(sizes) { taken = count }
            }
            // A run joined to something longer that is no layout stays as written (a 13-digit code "…-001").
            let adjoining =
                taken == 1 && i + 1 < groups.count && groups[i + 1].start == groups[i].end + 1
                && bytes[groups[i].end] == 0x2D && groups[i + 1].end - groups[i + 1].start <= 3
            let length = groups[i..<(i + taken)].reduce(0) { $0 + $1.end - $1.start }
            // Only 9 to 12 digits can be an identifier, a CMND or a phone (or one that lost its zeros).
            if !adjoining, (9...12).contains(length) {
                var digits: [UInt8] = []
                for group in groups[i..<(i + taken)] { digits += bytes[group.start..<group.end] }
                // The 48 bytes before it, for its label (read only where a column does not say what it is).
                let before = bytes[max(0, groups[i].start - 48)..<groups[i].start]
                out.append(Number(digits: String(decoding: digits, as: UTF8.self), before: before))
            }
            i += adjoining ? 2 : taken
        }
        return out
    }

    /// The layouts of a number written in groups, each group's size a hexadecimal digit (0x336 is 3-3-6): an
    /// identifier's, then a phone's.
    static let layouts: Set<Int> = [
        0x336, 0x3333, 0x444, 0x39, 0x433, 0x334, 0x343, 0x46, 0x344, 0x244, 0x434, 0x2333, 0x333,
    ]

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
        var underHeading = false
        var hasName = false
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
                underHeading = false
                hasName = false
                continue
            }
            // A row with no cell of four digits or more holds nothing to count (most rows of most pages): only
            // a heading, or the first person under one.
            let numeric = row.contains { digitCount($0) >= 4 }
            // A heading row: two cells or more, one naming a person or two naming personal fields, and no number
            // (a data row's "Chủ hộ" is a value, not a heading).
            let kinds = row.count >= 2 && !numeric ? row.map(column) : []
            if kinds.contains(.name) || kinds.compactMap({ $0 }).count >= 2 {
                // A second heading row under the first (sub-columns of a `colspan`) adds to it; a heading after
                // data starts another table.
                let personalKinds: [Column?] = [.id, .birth, .address, .phone, .personalOther]
                if !underHeading {
                    columns = [:]
                    personal = false
                    hasName = false
                    width = row.count
                }
                for (index, kind) in kinds.enumerated() where columns[index] == nil {
                    if let kind { columns[index] = kind }
                }
                hasName = hasName || kinds.contains(.name)
                personal =
                    personal || (hasName && kinds.contains { personalKinds.contains($0) })
                    || (hasName && columns.values.contains { personalKinds.contains($0) })
                counted = false
                underHeading = true
                continue
            }
            underHeading = false
            // Cells a `rowspan` above holds are missing from the left: the row's cells are its last columns.
            let shift = width > row.count && !columns.isEmpty ? width - row.count : 0
            if personal, !counted, row.indices.contains(where: { columns[$0 + shift] == .name && !row[$0].isEmpty }) {
                // The heading has a row of people under it: a table of personal data.
                facts.tables += 1
                counted = true
            }
            guard numeric else { continue }
            lazy var line = row.joined(separator: " ")
            // "Ví dụ": a worked example, asked only of a row that holds a number.
            lazy var example = PageText.folded(line).contains("vi du")
            // A line long enough to be a whole page (no table, no block) gives no birth year beside a number:
            // looking would cost its length for every number in it.
            lazy var short = line.utf8.count <= 2_048
            for (index, cell) in row.enumerated() {
                let kind = columns[index + shift]
                // Cells are trimmed (`rows`): a cell of the number alone is as long as its digits and joiners.
                let cellDigits = cell.utf8.count <= 24 ? digitCount(cell) : -1
                for number in numbers(in: cell) {
                    let digits = number.digits
                    // The label is read only where the column does not already say what the number is.
                    lazy var label = number.label
                    let labelled = kind == .id || (kind == nil && idLabels.contains { label.contains($0) })
                    let taxed = kind == .tax || (kind == nil && taxLabels.contains { label.contains($0) })
                    let alone = personal && cellDigits == digits.count && cell.utf8.count <= digits.count + 3
                    // A line that gives a person's birth year beside the number: the year the number encodes.
                    lazy var withYear = short && (bornYear(digits).map { line.contains(String($0)) } ?? false)
                    if digits.count == 12, labelled || taxed || alone || withYear, isPersonalID(digits, year: year),
                        !example
                    {
                        if ids.insert(digits).inserted { sample(digits) }
                    } else if digits.count == 10 || digits.count == 11, kind == .id,
                        case let padded = String(repeating: "0", count: 12 - digits.count) + digits,
                        isPersonalID(padded, year: year), !example
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
            // No space is ever written first or last (one is written only before the next character).
            cells.append(String(decoding: cell, as: UTF8.self))
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
