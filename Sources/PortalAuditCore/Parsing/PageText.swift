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
    public static func folded(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "đ", with: "d")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "vi_VN"))
    }

    /// Feed links a page declares (`<link rel="alternate" type="application/rss+xml" href="…">`), at most
    /// three, from the first 256 KiB.
    public static func feedLinks(in body: [UInt8]) -> [String] {
        var out: [String] = []
        for attributes in HTMLScanner.tags(named: "link", in: body.prefix(256 << 10), maxTags: 256) {
            let type = attributes["type"]?.lowercased() ?? ""
            guard type.contains("application/rss+xml") || type.contains("application/atom+xml"),
                let href = attributes["href"]?.trimmingCharacters(in: .whitespaces), !href.isEmpty, href.utf8.count <= 512
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
        ("agency", ["co quan chu quan", "don vi chu quan", "co quan quan ly", "chu quan:"]),
        ("responsible", ["chiu trach nhiem"]),
        ("address", ["dia chi"]),
        ("phone", ["dien thoai", "dt:", "tel:", "hotline"]),
        ("email", ["email", "e-mail", "thu dien tu"]),
    ]

    /// The items present and missing in `text`.
    public static func check(_ text: String) -> (found: [String], missing: [String]) {
        let folded = PageText.folded(text)
        var found: [String] = []
        var missing: [String] = []
        for item in items {
            var present = item.phrases.contains { folded.contains($0) }
            if item.id == "email" && !present { present = containsEmailAddress(folded) }
            if present { found.append(item.id) } else { missing.append(item.id) }
        }
        return (found, missing)
    }

    /// Whether `text` holds something shaped like an e-mail address (`local@domain.tld`), in one pass:
    /// each `@` looks one byte back and forward over its domain, which ends at the next `@` at the latest.
    public static func containsEmailAddress(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isLocal(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 46 || b == 95 || b == 37 || b == 43 || b == 45
        }
        func isLetter(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "@") else {
                i += 1
                continue
            }
            let hasLocal = i > 0 && isLocal(bytes[i - 1])
            var j = i + 1
            var letters = 0
            var sawDot = false
            var found = false
            // The domain: [a-z0-9.-]+ holding a dot (not its first byte) followed by two letters.
            while j < bytes.count, isLocal(bytes[j]), bytes[j] != 95, bytes[j] != 37, bytes[j] != 43 {
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
