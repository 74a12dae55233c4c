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
