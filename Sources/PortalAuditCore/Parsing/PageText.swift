import Foundation

/// The visible text of an HTML page, for date and mandatory-information search: scripts, styles and
/// tags removed, entities for spaces and quotes decoded, whitespace collapsed. Input is capped bytes.
public enum PageText {
    /// The visible text of the first `limit` bytes of `body` (see `HTMLScanner.visibleText`): linear in
    /// the input; `shouldStop` is asked every 64 KiB and ends the scan early (a site's deadline passed).
    public static func text(of body: [UInt8], limit: Int = 1 << 20, shouldStop: () -> Bool = { false }) -> String {
        HTMLScanner.visibleText(body.prefix(limit), limit: limit, shouldStop: shouldStop)
    }

    /// Lower case without diacritics (`Điện thoại` → `dien thoai`): Vietnamese pages are written both ways.
    ///
    /// One pass with a table of the Latin letters Vietnamese uses (built once from their canonical
    /// decompositions): each becomes its lower-case ASCII base; `đ`/`Đ` become `d`; combining marks are
    /// dropped; other scalars are lower-cased by Unicode's mapping.
    public static func folded(_ text: String) -> String { String(decoding: foldedBytes(text), as: UTF8.self) }

    /// One scalar folded as a letter or digit of a word: its lower-case ASCII base (`ế` → `e`, `Đ` → `d`), 0 for
    /// a combining mark (part of the word, adds nothing), `nil` for anything that ends a word.
    static func foldedLetter(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 0x80 {
            if v >= 65 && v <= 90 { return UInt8(v + 32) }
            return (v >= 97 && v <= 122) || (v >= 48 && v <= 57) ? UInt8(v) : nil
        }
        let base = foldedBase(v)
        return base == unfolded ? nil : base
    }

    /// The folding table's entry for a scalar at or above 0x80 (`unfolded` outside the tables).
    static func foldedBase(_ v: UInt32) -> UInt8 {
        if v >= foldLow && v < foldLow + UInt32(lowTable.count) { return lowTable[Int(v - foldLow)] }
        if v >= foldHigh && v < foldHigh + UInt32(highTable.count) { return highTable[Int(v - foldHigh)] }
        return unfolded
    }

    /// `folded(text)` as UTF-8 bytes (what the phrase searches read), written straight into one buffer.
    public static func foldedBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(v >= 65 && v <= 90 ? UInt8(v + 32) : UInt8(v))
                continue
            }
            let base = foldedBase(v)
            if base == unfolded {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    if let encoded = UTF8.encode(lower) { out.append(contentsOf: encoded) }
                }
            } else if base != 0 {
                out.append(base)
            }
        }
        return out
    }

    /// The folding tables: scalar → lower-case ASCII base letter (0: drop it, a combining mark; `unfolded`:
    /// not a Vietnamese letter, lower-cased by Unicode's mapping), for U+00C0–U+036F (Latin-1 to Latin
    /// Extended-B and the combining diacritics) and U+1E00–U+1EFF (Latin Extended Additional).
    static let foldLow: UInt32 = 0xC0
    static let foldHigh: UInt32 = 0x1E00
    static let unfolded: UInt8 = 0xFF
    static let lowTable: [UInt8] = foldTable(0xC0...0x36F)
    static let highTable: [UInt8] = foldTable(0x1E00...0x1EFF)

    /// The table for `range`, built from each letter's canonical decomposition.
    static func foldTable(_ range: ClosedRange<UInt32>) -> [UInt8] {
        range.map { v -> UInt8 in
            if v == 0x110 || v == 0x111 { return UInt8(ascii: "d") }
            if (0x300...0x36F).contains(v) { return 0 }
            guard (0xC0...0x24F).contains(v) || (0x1E00...0x1EFF).contains(v), let scalar = Unicode.Scalar(v),
                let first = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                first.value < 0x80, first.properties.isAlphabetic
            else { return unfolded }
            let b = UInt8(first.value)
            return b >= 65 && b <= 90 ? b + 32 : b
        }
    }

    /// Feed links a page declares (`<link rel="alternate" type="application/rss+xml" href="…">`), at most
    /// three, from the first 256 KiB.
    public static func feedLinks(in body: [UInt8]) -> [String] {
        var out: [String] = []
        for attributes in HTMLScanner.tags(named: "link", in: body.prefix(256 << 10), maxTags: 256) {
            let type = attributes["type"]?.lowercased() ?? ""
            guard type.contains("application/rss+xml") || type.contains("application/atom+xml"),
                let href = attributes["href"]?.trimmingCharacters(in: .whitespaces), !href.isEmpty,
                href.utf8.count <= 512
            else { continue }
            out.append(href)
            if out.count >= 3 { break }
        }
        return out
    }
}

/// What a state agency's portal must show about who runs it (TT 32/2017 Điều 16; Luật Tiếp cận thông tin
/// Điều 19.1.đ; NĐ 224/2026 Điều 9), looked for in the home page's text with or without diacritics.
public enum MandatoryInfo {
    /// The items, with the folded phrases (or patterns) that show each.
    public static let items: [(id: String, phrases: [String])] = [
        // A footer's copyright line names the agency that owns the portal ("Bản quyền thuộc Ủy ban nhân dân …").
        (
            "agency",
            ["co quan chu quan", "don vi chu quan", "co quan quan ly", "chu quan:", "ban quyen thuoc", "ban quyen cua"]
        ),
        ("responsible", ["chiu trach nhiem", "truong ban bien tap", "tong bien tap"]),
        ("address", ["dia chi", "tru so"]),
        ("phone", ["dien thoai", "dt:", "tel:", "hotline"]),
        ("email", ["email", "e-mail", "thu dien tu"]),
    ]

    /// The items present and missing in `text`; `links` (the page's link targets) show a phone by a `tel:`
    /// link and an e-mail by a `mailto:` one, as footers with icons instead of labels do.
    public static func check(_ text: String, links: [String] = []) -> (found: [String], missing: [String]) {
        let bytes = PageText.foldedBytes(text)[...]
        var found: [String] = []
        var missing: [String] = []
        let telephone = links.contains { link in
            link.lowercased().hasPrefix("tel:") && link.utf8.filter { $0 >= 48 && $0 <= 57 }.count >= 6
        }
        let mailto = links.contains { $0.lowercased().hasPrefix("mailto:") && $0.contains("@") }
        for item in items {
            var present = item.phrases.contains {
                HTMLScanner.find(Array($0.utf8), in: bytes, from: bytes.startIndex, caseInsensitive: false) != nil
            }
            if item.id == "phone" && !present { present = telephone }
            if item.id == "email" && !present { present = mailto || containsEmailAddress(bytes) }
            if present { found.append(item.id) } else { missing.append(item.id) }
        }
        return (found, missing)
    }

    /// Whether `text` holds something shaped like an e-mail address (`local@domain.tld`), in one pass:
    /// each `@` looks one byte back and forward over its domain, which ends at the next `@` at the latest.
    public static func containsEmailAddress(_ text: String) -> Bool { containsEmailAddress(Array(text.utf8)[...]) }

    static func containsEmailAddress(_ bytes: ArraySlice<UInt8>) -> Bool {
        func isLocal(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 46 || b == 95 || b == 37 || b == 43 || b == 45
        }
        func isLetter(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard bytes[i] == UInt8(ascii: "@") else {
                i += 1
                continue
            }
            let hasLocal = i > bytes.startIndex && isLocal(bytes[i - 1])
            var j = i + 1
            var letters = 0
            var sawDot = false
            var found = false
            // The domain: [a-z0-9.-]+ holding a dot (not its first byte) followed by two letters.
            while j < bytes.endIndex, isLocal(bytes[j]), bytes[j] != 95, bytes[j] != 37, bytes[j] != 43 {
                let b = bytes[j]
                if b == 46 {
                    sawDot = j > i + 1
                    letters = 0
                } else if sawDot && isLetter(b) {
                    letters += 1
                    if letters >= 2 { found = true }
                } else {
                    sawDot = false
                    letters = 0
                }
                j += 1
            }
            if hasLocal && found { return true }
            i = max(j, i + 1)
        }
        return false
    }
}
