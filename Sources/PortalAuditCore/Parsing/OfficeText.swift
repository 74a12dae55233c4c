/// The text of Office Open XML (DOCX, XLSX) and OpenDocument (ODT, ODS) files as rows of cells, for the
/// personal-data scan: a table row or a spreadsheet row is a row, a paragraph outside a table is a row of one
/// cell, text split across runs (`<w:r>`, `<text:span>`) joins without a space. One pass over each part's
/// bytes, no backtracking; the archive's caps bound what is inflated.
public enum OfficeText {
    /// The formats read.
    public enum Format: String, Sendable {
        case docx, xlsx, odt, ods
    }

    /// The format of an archive by its parts (never by the name a server gave it).
    public static func format(of archive: ZipArchive) -> Format? {
        let names = Set(archive.entries.map(\.name))
        if names.contains("word/document.xml") { return .docx }
        if names.contains("xl/workbook.xml") { return .xlsx }
        if names.contains("content.xml") {
            var copy = archive
            let mimetype = (try? copy.read("mimetype")).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if mimetype.hasSuffix(".spreadsheet") { return .ods }
            if mimetype.hasSuffix(".text") { return .odt }
        }
        return nil
    }

    /// The rows of `archive` read as `format`: sheets after one another, at most `maxSheets` of them; an
    /// empty row between tables and sheets.
    public static func rows(_ archive: inout ZipArchive, format: Format, maxSheets: Int = 16) throws(ZipArchive.Failure)
        -> [[String]]
    {
        switch format {
        case .docx:
            guard let body = try archive.read("word/document.xml") else { return [] }
            return rows(xml: body, vocabulary: .word)
        case .odt, .ods:
            guard let body = try archive.read("content.xml") else { return [] }
            return rows(xml: body, vocabulary: .openDocument)
        case .xlsx:
            var shared: [String] = []
            if let table = try archive.read("xl/sharedStrings.xml") { shared = sharedStrings(table) }
            let names: [String] = archive.entries.map { $0.name }
            let sheets: [String] = names.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
                .sorted { (a: String, b: String) -> Bool in a.count != b.count ? a.count < b.count : a < b }
            var out: [[String]] = []
            for sheet in sheets.prefix(maxSheets) {
                guard let body = try archive.read(sheet) else { continue }
                out += rows(xml: body, vocabulary: .spreadsheet(shared))
                if out.last?.isEmpty == false { out.append([]) }
            }
            return out
        }
    }

    enum Vocabulary {
        case word, openDocument
        case spreadsheet([String])
    }

    /// One tag: its local name (no prefix), whether it closes or closes itself, and its attribute bytes.
    struct Tag {
        var name: ArraySlice<UInt8>
        var closing: Bool
        var empty: Bool
        var attributes: ArraySlice<UInt8>

        /// The value of the attribute whose local name is `local` (`t` finds `t="s"`, `value-type` finds
        /// `office:value-type="float"`), undecoded.
        func attribute(_ local: String) -> String? {
            let key = Array(local.utf8)
            var i = attributes.startIndex
            while i < attributes.endIndex {
                // An attribute name runs to `=`; its local part follows the last `:`.
                while i < attributes.endIndex,
                    attributes[i] == 0x20 || attributes[i] == 0x0A || attributes[i] == 0x09 || attributes[i] == 0x0D
                { i += 1 }
                let start = i
                while i < attributes.endIndex, attributes[i] != UInt8(ascii: "=") { i += 1 }
                guard i < attributes.endIndex else { return nil }
                var name = attributes[start..<i]
                if let colon = name.lastIndex(of: UInt8(ascii: ":")) { name = name[(colon + 1)...] }
                i += 1
                guard i < attributes.endIndex else { return nil }
                let quote = attributes[i]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
                i += 1
                let valueStart = i
                while i < attributes.endIndex, attributes[i] != quote { i += 1 }
                let value = attributes[valueStart..<min(i, attributes.endIndex)]
                i += 1
                if name.elementsEqual(key) { return String(decoding: value, as: UTF8.self) }
            }
            return nil
        }
    }

    /// The tag opening at `i` (a `<`), and the index after its `>`; `nil` at a comment, a declaration or an
    /// unterminated tag (read as text by nobody: the caller skips past it).
    static func tag(_ bytes: [UInt8], at i: Int) -> (Tag, Int)? {
        var j = i + 1
        guard j < bytes.count else { return nil }
        let closing = bytes[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < bytes.count,
            !(bytes[j] == 0x20 || bytes[j] == 0x2F || bytes[j] == 0x3E || bytes[j] == 0x0A || bytes[j] == 0x09
                || bytes[j] == 0x0D)
        { j += 1 }
        var name = bytes[nameStart..<j]
        if let colon = name.lastIndex(of: UInt8(ascii: ":")) { name = name[(colon + 1)...] }
        let attributesStart = j
        while j < bytes.count, bytes[j] != UInt8(ascii: ">") { j += 1 }
        guard j < bytes.count else { return nil }
        let empty = j > attributesStart && bytes[j - 1] == UInt8(ascii: "/")
        return (
            Tag(name: name, closing: closing, empty: empty, attributes: bytes[attributesStart..<(empty ? j - 1 : j)]),
            j + 1
        )
    }

    /// The strings of an XLSX's shared-string table, in order (rich text runs joined).
    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        var inText = false
        var i = 0
        while i < xml.count {
            if xml[i] == UInt8(ascii: "<") {
                guard let (tag, after) = tag(xml, at: i) else { break }
                if tag.name.elementsEqual("si".utf8) {
                    if tag.closing || tag.empty {
                        out.append(decoded(current))
                        current = []
                    } else {
                        current = []
                    }
                } else if tag.name.elementsEqual("t".utf8) {
                    inText = !tag.closing && !tag.empty
                }
                i = after
                continue
            }
            if inText { current.append(xml[i]) }
            i += 1
        }
        return out
    }

    /// `xml`'s rows in the vocabulary of its format.
    static func rows(xml: [UInt8], vocabulary: Vocabulary) -> [[String]] {
        // The tags of a row, a cell, text, and a paragraph (a row of its own outside a table; none in a sheet).
        let (row, cell, texts, paragraph): (String, String, [String], String)
        switch vocabulary {
        case .word: (row, cell, texts, paragraph) = ("tr", "tc", ["t"], "p")
        case .openDocument: (row, cell, texts, paragraph) = ("table-row", "table-cell", ["p", "h"], "p")
        case .spreadsheet: (row, cell, texts, paragraph) = ("row", "c", ["v", "t"], "")
        }
        var rows: [[String]] = []
        var cells: [String] = []
        var current: [UInt8] = []
        var depth = 0
        var inCell = false
        var inText = false
        // A spreadsheet cell's type (`s`: a shared string; none or `n`: a number that may have lost its 0).
        var cellType = ""
        // An OpenDocument cell's numeric value, when it has one.
        var cellValue: String?
        func endCell() {
            var value = decoded(current)
            if case .spreadsheet(let shared) = vocabulary {
                if cellType == "s" {
                    value = Int(value).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
                } else if cellType.isEmpty || cellType == "n" {
                    value = restoredZero(number: value)
                }
            } else if let number = cellValue {
                value = restoredZero(number: number)
            }
            cells.append(value)
            current = []
        }
        func endRow() {
            if cells.contains(where: { !$0.isEmpty }) { rows.append(cells) }
            cells = []
        }
        func endParagraph() {
            let line = decoded(current)
            if !line.isEmpty { rows.append([line]) }
            current = []
        }
        var i = 0
        while i < xml.count {
            let byte = xml[i]
            guard byte == UInt8(ascii: "<") else {
                if inText { current.append(byte) }
                i += 1
                continue
            }
            guard let (tag, after) = tag(xml, at: i) else { break }
            let name = tag.name
            if name.elementsEqual(row.utf8) {
                if tag.closing { endRow() } else { cells = [] }
            } else if name.elementsEqual(cell.utf8) {
                if tag.closing {
                    if inCell { endCell() }
                    inCell = false
                } else if tag.empty {
                    cells.append("")
                } else {
                    inCell = true
                    current = []
                    cellType = tag.attribute("t") ?? ""
                    cellValue = tag.attribute("value-type") == "float" ? tag.attribute("value") : nil
                }
            } else if name.elementsEqual("table".utf8) || name.elementsEqual("tbl".utf8) {
                depth = max(0, depth + (tag.closing ? -1 : (tag.empty ? 0 : 1)))
                if tag.closing, rows.last?.isEmpty == false { rows.append([]) }
            } else if texts.contains(where: { name.elementsEqual($0.utf8) }) {
                inText = !tag.closing && !tag.empty
                // A second OpenDocument paragraph in one cell reads after a space (a Word run joins without
                // one: its paragraphs are told apart below).
                if inText, texts.contains(paragraph), !current.isEmpty, current.last != 0x20 { current.append(0x20) }
                if tag.closing, name.elementsEqual(paragraph.utf8), !inCell, depth == 0 { endParagraph() }
            } else if !paragraph.isEmpty, name.elementsEqual(paragraph.utf8) {
                if tag.closing, !inCell, depth == 0 {
                    endParagraph()
                } else if !tag.closing, !current.isEmpty {
                    current.append(0x20)
                }
            } else if name.elementsEqual("tab".utf8) || name.elementsEqual("s".utf8) || name.elementsEqual("br".utf8)
                || name.elementsEqual("line-break".utf8)
            {
                current.append(0x20)
            }
            i = after
        }
        if !inCell, depth == 0 { endParagraph() }
        endRow()
        return rows
    }

    /// A number a spreadsheet stored as a number: an 11-digit value whose leading 0 the cell dropped (a
    /// personal identification number typed into a number cell) or a 9-digit one (a mobile) gets its 0 back;
    /// `3.8082104417E10` is written out. Anything else stays as it was.
    static func restoredZero(number: String) -> String {
        var digits = number
        if let e = number.firstIndex(where: { $0 == "E" || $0 == "e" }),
            let exponent = Int(number[number.index(after: e)...])
        {
            let mantissa = number[..<e]
            let parts = mantissa.split(separator: ".", maxSplits: 1)
            let whole = String(parts.first ?? "")
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            guard exponent >= fraction.count, exponent < 20, whole.allSatisfy(\.isASCII) else { return number }
            digits = whole + fraction + String(repeating: "0", count: exponent - fraction.count)
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return number }
        if digits.utf8.count == 11 || digits.utf8.count == 9 { return "0" + digits }
        return digits
    }

    /// XML text with its five entities and numeric references decoded, whitespace collapsed.
    static func decoded(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var space = false
        var i = 0
        func put(_ byte: UInt8) {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                space = true
                return
            }
            if space && !out.isEmpty { out.append(0x20) }
            space = false
            out.append(byte)
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&"), let semicolon = bytes[i..<min(bytes.count, i + 10)].firstIndex(of: 0x3B) {
                let entity = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
                var scalar: Unicode.Scalar?
                switch entity {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if entity.hasPrefix("#x") {
                        scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if entity.hasPrefix("#") {
                        scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                    }
                }
                if let scalar {
                    for byte in String(Character(scalar)).utf8 { put(byte) }
                    i = semicolon + 1
                    continue
                }
            }
            put(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
