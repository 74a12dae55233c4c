import Foundation

/// The visible text of an HTML page, for date and mandatory-information search: scripts, styles and
/// tags removed, entities for spaces and quotes decoded, whitespace collapsed. Input is capped bytes.
public enum PageText {
    public static func text(of body: [UInt8], limit: Int = 1 << 20) -> String {
        var html = String(decoding: body.prefix(limit), as: UTF8.self)
        for block in ["script", "style", "noscript"] {
            html = html.replacingOccurrences(
                of: "<\(block)\\b[^>]*>.*?</\(block)\\s*>", with: " ", options: [.regularExpression, .caseInsensitive])
        }
        html = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for (entity, value) in [("&nbsp;", " "), ("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            html = html.replacingOccurrences(of: entity, with: value)
        }
        return html.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Lower case without diacritics (`Điện thoại` → `dien thoai`): Vietnamese pages are written both ways.
    public static func folded(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "đ", with: "d")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "vi_VN"))
    }

    /// Feed links a page declares (`<link rel="alternate" type="application/rss+xml" href="…">`).
    public static func feedLinks(in body: [UInt8]) -> [String] {
        let html = String(decoding: body.prefix(256 << 10), as: UTF8.self)
        guard let link = try? NSRegularExpression(pattern: #"<link\b[^>]*>"#, options: [.caseInsensitive]),
            let href = try? NSRegularExpression(pattern: #"href\s*=\s*["']([^"'<>\s]{1,512})["']"#, options: [.caseInsensitive])
        else { return [] }
        let source = html as NSString
        var out: [String] = []
        for match in link.matches(in: html, range: NSRange(location: 0, length: source.length)) {
            let tag = source.substring(with: match.range)
            let lower = tag.lowercased()
            guard lower.contains("application/rss+xml") || lower.contains("application/atom+xml") else { continue }
            let tagSource = tag as NSString
            if let h = href.firstMatch(in: tag, range: NSRange(location: 0, length: tagSource.length)) {
                out.append(tagSource.substring(with: h.range(at: 1)))
            }
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
            if item.id == "email" && !present {
                present = folded.range(of: #"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}"#, options: .regularExpression) != nil
            }
            if present { found.append(item.id) } else { missing.append(item.id) }
        }
        return (found, missing)
    }
}
