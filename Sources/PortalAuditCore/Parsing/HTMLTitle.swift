import Foundation

/// Reads the `<title>` of an HTML page leniently: bytes decoded as UTF-8 with replacement, tags and
/// control characters dropped, the common entities decoded, whitespace collapsed, 300 characters at most.
public enum HTMLTitle {
    /// The page's title, or `nil` when it has none.
    public static func extract(_ body: [UInt8]) -> String? {
        let head = String(decoding: body.prefix(256 << 10), as: UTF8.self)
        guard let open = head.range(of: "<title", options: .caseInsensitive),
            let openEnd = head[open.upperBound...].firstIndex(of: ">"),
            let close = head[openEnd...].range(of: "</title", options: .caseInsensitive)
        else { return nil }
        var text = String(head[head.index(after: openEnd)..<close.lowerBound])
        text = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        let scalars = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        let collapsed = String(scalars).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !collapsed.isEmpty else { return nil }
        return collapsed.count > 300 ? String(collapsed.prefix(300)) + "…" : collapsed
    }
}
