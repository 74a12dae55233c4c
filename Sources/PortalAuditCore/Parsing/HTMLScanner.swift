import Foundation

/// Single-pass readers of the HTML a portal sends: every function here looks at each byte a bounded
/// number of times, whatever the page holds (a title of 200,000 `<`, a one-word megabyte, a `<script>`
/// that never closes). No regular expression runs over site content.
///
/// The reading follows browsers where it matters for the audit: comments and the content of `script`,
/// `style`, `noscript`, `template` and `textarea` are not visible text, even over many lines; a `<` not
/// followed by a tag name is text; an unterminated tag or comment hides the rest of the page.
public enum HTMLScanner {
    /// Elements whose content is not markup and never visible text.
    static let rawText: [TagName] = ["script", "style", "noscript", "template", "textarea"].map(TagName.init)

    /// A tag's lower-cased name, at most 32 bytes, held in place: reading one costs no allocation (a page
    /// holds hundreds of thousands of tags, each read several times).
    struct TagName: Hashable, Sendable {
        /// The bytes, eight to a word, the first in each word's lowest byte.
        private var words = SIMD4<UInt64>()
        private(set) var count = 0

        init() {}

        init(_ name: String) {
            for byte in name.utf8 { append(byte) }
        }

        var isEmpty: Bool { count == 0 }

        /// Adds a byte; past 32 bytes the name is cut.
        mutating func append(_ byte: UInt8) {
            guard count < 32 else { return }
            words[count / 8] |= UInt64(byte) << UInt64((count % 8) * 8)
            count += 1
        }

        var bytes: [UInt8] {
            (0..<count).map { UInt8(truncatingIfNeeded: words[$0 / 8] >> UInt64(($0 % 8) * 8)) }
        }

        var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Elements whose edges break a line of text: blocks, list items, table cells.
    static let blockElements: Set<TagName> = Set(
        [
            "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table", "br", "h1", "h2", "h3", "h4",
            "h5", "h6", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "form",
            "address", "figure", "figcaption", "hr", "pre",
        ].map(TagName.init))

    static let commentOpen = Array("<!--".utf8)
    static let commentClose = Array("-->".utf8)

    /// How often (in bytes) a long scan asks whether to stop.
    static let stopCheckInterval = 1 << 16

    /// The visible text of `bytes`: tags, comments and raw-text elements removed, the common entities
    /// decoded, whitespace collapsed to single spaces; at most `limit` bytes of output.
    ///
    /// - Parameter shouldStop: asked every 64 KiB; `true` ends the scan with what was read (a site's
    ///   deadline has passed).
    /// - Parameter blockBreaks: a block's edge (`p`, `div`, `li`, a table cell, a heading, `br`…) reads as a
    ///   line break instead of a space, so that the text's lines are the page's blocks.
    public static func visibleText(
        _ bytes: ArraySlice<UInt8>, limit: Int = 1 << 20, blockBreaks: Bool = false, shouldStop: () -> Bool = { false }
    ) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, limit))
        var space = false
        var newline = false
        var i = bytes.startIndex
        let end = bytes.endIndex
        var nextCheck = i + stopCheckInterval
        func emit(_ byte: UInt8) {
            if newline && !out.isEmpty {
                out.append(0x0A)
            } else if space && !out.isEmpty {
                out.append(0x20)
            }
            space = false
            newline = false
            out.append(byte)
        }
        while i < end, out.count < limit {
            if i >= nextCheck {
                if shouldStop() { break }
                nextCheck = i + stopCheckInterval
            }
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                guard let markup = markup(bytes, at: i) else {
                    emit(b)
                    i += 1
                    continue
                }
                space = true
                if blockBreaks, blockElements.contains(markup.name) { newline = true }
                i = markup.after
                continue
            }
            if b == UInt8(ascii: "&"), let (scalar, after) = entity(bytes, at: i) {
                if scalar == " " || scalar == "\u{A0}" {
                    space = true
                } else {
                    for byte in String(Character(scalar)).utf8 { emit(byte) }
                }
                i = after
                continue
            }
            if isSpace(b) {
                space = true
            } else {
                emit(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of the first `<title>` element, or `nil` when there is none or it is empty after clean-up:
    /// markup inside dropped, entities decoded, control characters and whitespace collapsed, at most
    /// `maxCharacters` characters (an ellipsis marks a cut).
    public static func title(_ bytes: ArraySlice<UInt8>, maxCharacters: Int = 300) -> String? {
        let open = Array("<title".utf8)
        guard let start = find(open, in: bytes, from: bytes.startIndex, caseInsensitive: true),
            let openEnd = bytes[(start + open.count)...].firstIndex(of: UInt8(ascii: ">"))
        else { return nil }
        let close = Array("</title".utf8)
        guard let closeStart = find(close, in: bytes, from: openEnd + 1, caseInsensitive: true) else { return nil }
        let text = visibleText(bytes[(openEnd + 1)..<closeStart], limit: maxCharacters * 4 + 16)
        var collapsed = ""
        var space = false
        var count = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
                space = !collapsed.isEmpty
                continue
            }
            if space {
                collapsed.unicodeScalars.append(" ")
                count += 1
                space = false
            }
            collapsed.unicodeScalars.append(scalar)
            count += 1
            if count > maxCharacters { break }
        }
        guard !collapsed.isEmpty else { return nil }
        if collapsed.count > maxCharacters { return String(collapsed.prefix(maxCharacters)) + "…" }
        return collapsed
    }

    /// The attributes (names lower-cased) of every start tag named `name` (lower case), in page order, at
    /// most `maxTags`. Comments and raw-text elements are skipped, as a browser would.
    public static func tags(named name: String, in bytes: ArraySlice<UInt8>, maxTags: Int = 64) -> [[String: String]] {
        let wanted = TagName(name)
        var out: [[String: String]] = []
        startTags(in: bytes) { tag, inside, _ in
            if tag == wanted { out.append(attributes(inside)) }
            return out.count < maxTags
        }
        return out
    }

    /// The start tags named any of `names` (lower case), name and attributes in page order, at most
    /// `maxTags` of each name: one pass for what would be one pass per name.
    public static func tags(
        namedAnyOf names: Set<String>, in bytes: ArraySlice<UInt8>, maxTags: Int = 64
    ) -> [(name: String, attributes: [String: String])] {
        let wanted = Dictionary(uniqueKeysWithValues: names.map { (TagName($0), $0) })
        var counts: [String: Int] = [:]
        var out: [(name: String, attributes: [String: String])] = []
        startTags(in: bytes) { tag, inside, _ in
            guard let name = wanted[tag], counts[name, default: 0] < maxTags else { return true }
            counts[name, default: 0] += 1
            out.append((name, attributes(inside)))
            return out.count < maxTags * names.count
        }
        return out
    }

    /// Calls `body` with the lower-cased name, the inside (attributes) and the end of each start tag, in
    /// page order (comments and raw-text content skipped, as a browser would), while it returns `true`.
    /// For a raw-text element (script, style) the end is past its content and end tag.
    static func startTags(
        in bytes: ArraySlice<UInt8>, _ body: (_ name: TagName, _ inside: ArraySlice<UInt8>, _ after: Int) -> Bool
    ) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard let open = bytes[i...].firstIndex(of: UInt8(ascii: "<")) else { return }
            // Plain-text `<` first (a page of 200,000 of them): no name to read.
            guard let (after, tag, closing, nameEnd) = markup(bytes, at: open) else {
                i = open + 1
                continue
            }
            i = after
            guard !closing, !tag.isEmpty else { continue }
            // The start tag alone: a raw-text element runs on past it to its end tag.
            let startEnd = bytes[nameEnd..<after].firstIndex(of: UInt8(ascii: ">")) ?? after
            if !body(tag, bytes[nameEnd..<max(nameEnd, startEnd)], after) { return }
        }
    }

    /// An element's start-tag attributes and its content (up to its end tag).
    public struct Element {
        public var name: String
        public var attributes: [String: String]
        public var content: ArraySlice<UInt8>
    }

    /// Elements whose start tag satisfies `predicate` (name lower-cased, attributes), with their content
    /// to the matching end tag (same-name nesting counted), at most `maxElements`, each content cut at
    /// `maxBytes`: the cost is bounded by their product whatever the page holds.
    public static func elements(
        in bytes: ArraySlice<UInt8>, maxElements: Int, maxBytes: Int,
        where predicate: (String, [String: String]) -> Bool
    ) -> [Element] {
        var out: [Element] = []
        startTags(in: bytes) { tag, inside, after in
            guard !rawText.contains(tag), !voidElements.contains(tag) else { return true }
            let attributes = attributes(inside)
            let name = tag.string
            guard predicate(name, attributes) else { return true }
            let end = endTag(tag, in: bytes, from: after, limit: min(bytes.endIndex, after + maxBytes))
            out.append(Element(name: name, attributes: attributes, content: bytes[after..<end]))
            return out.count < maxElements
        }
        return out
    }

    /// Where the element named `tag` whose content starts at `from` ends (the `<` of its end tag), or
    /// `limit` when it does not end before.
    static func endTag(_ tag: TagName, in bytes: ArraySlice<UInt8>, from: Int, limit: Int) -> Int {
        var depth = 1
        var j = from
        while j < limit {
            guard let open = bytes[j..<limit].firstIndex(of: UInt8(ascii: "<")) else { return limit }
            guard let (next, name, closing, _) = markup(bytes, at: open) else {
                j = open + 1
                continue
            }
            if name == tag {
                if closing {
                    depth -= 1
                    if depth == 0 { return open }
                } else if next >= 2, bytes[next - 2] != UInt8(ascii: "/") {
                    depth += 1
                }
            }
            j = next
        }
        return limit
    }

    /// The contents of the raw-text elements named `name` (`script`, `style`), at most `maxElements`, each
    /// cut at `maxBytes`.
    public static func rawTextContents(
        named name: String, in bytes: ArraySlice<UInt8>, maxElements: Int, maxBytes: Int
    ) -> [ArraySlice<UInt8>] {
        let wanted = TagName(name)
        var closer = Array("</".utf8)
        closer.append(contentsOf: wanted.bytes)
        var out: [ArraySlice<UInt8>] = []
        startTags(in: bytes) { tag, inside, after in
            guard tag == wanted else { return true }
            let start = min(after, inside.endIndex + 1)
            let end = find(closer, in: bytes[..<after], from: start, caseInsensitive: true) ?? after
            out.append(bytes[start..<max(start, min(end, start + maxBytes))])
            return out.count < maxElements
        }
        return out
    }

    /// Elements that never have content or an end tag.
    static let voidElements: [TagName] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ].map(TagName.init)

    // MARK: pieces

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == UInt8(ascii: "-")
            || b == UInt8(ascii: ":")
    }

    /// The lower-cased name of the tag opening at `open` (`<` at `open`), whether it is a closing tag,
    /// and the index after the name. Names longer than 32 bytes are cut (nothing here needs them).
    static func tagName(_ bytes: ArraySlice<UInt8>, at open: Int) -> (name: TagName, closing: Bool, end: Int) {
        var j = open + 1
        var closing = false
        if j < bytes.endIndex, bytes[j] == UInt8(ascii: "/") {
            closing = true
            j += 1
        }
        var name = TagName()
        while j < bytes.endIndex, isNameByte(bytes[j]) {
            name.append(lower(bytes[j]))
            j += 1
        }
        return (name, closing, j)
    }

    /// Where the markup opening at `open` ends: after a comment, a tag, or a raw-text element with its
    /// content; the end of input when it never closes. `nil` when the `<` is plain text.
    static func skipMarkup(_ bytes: ArraySlice<UInt8>, at open: Int) -> Int? { markup(bytes, at: open)?.after }

    /// `skipMarkup` with the tag's name as `tagName` reads it (empty for a comment): one read of the name
    /// for the callers that need both.
    static func markup(
        _ bytes: ArraySlice<UInt8>, at open: Int
    ) -> (after: Int, name: TagName, closing: Bool, nameEnd: Int)? {
        let end = bytes.endIndex
        if open + 1 < end, bytes[open + 1] == UInt8(ascii: "!"), hasPrefix(bytes, at: open, commentOpen) {
            guard let close = find(commentClose, in: bytes, from: open + 4, caseInsensitive: false) else {
                return (end, TagName(), false, open + 1)
            }
            return (close + 3, TagName(), false, open + 1)
        }
        let next = open + 1
        guard next < end else { return nil }
        let first = bytes[next]
        let startsTag =
            (first >= 97 && first <= 122) || (first >= 65 && first <= 90) || first == UInt8(ascii: "/")
            || first == UInt8(ascii: "!") || first == UInt8(ascii: "?")
        guard startsTag else { return nil }
        let (name, closing, nameEnd) = tagName(bytes, at: open)
        guard let close = bytes[nameEnd...].firstIndex(of: UInt8(ascii: ">")) else {
            return (end, name, closing, nameEnd)
        }
        if !closing, rawText.contains(name) {
            // The content runs to `</name` (any case), whatever it holds; unclosed, it runs to the end.
            var closer = Array("</".utf8)
            closer.append(contentsOf: name.bytes)
            guard let contentEnd = find(closer, in: bytes, from: close + 1, caseInsensitive: true),
                let gt = bytes[(contentEnd + closer.count)...].firstIndex(of: UInt8(ascii: ">"))
            else { return (end, name, closing, nameEnd) }
            return (gt + 1, name, closing, nameEnd)
        }
        return (close + 1, name, closing, nameEnd)
    }

    static func hasPrefix(_ bytes: ArraySlice<UInt8>, at index: Int, _ prefix: [UInt8]) -> Bool {
        guard index + prefix.count <= bytes.endIndex else { return false }
        for (k, p) in prefix.enumerated() where bytes[index + k] != p { return false }
        return true
    }

    /// The first index at or after `from` where `needle` (lower case when `caseInsensitive`) starts.
    ///
    /// Linear: the needles are short and fixed, so each position costs at most their length.
    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from: Int, caseInsensitive: Bool) -> Int? {
        guard let first = needle.first, needle.count <= bytes.endIndex - from else { return nil }
        var i = from
        let last = bytes.endIndex - needle.count
        while i <= last {
            let b = caseInsensitive ? lower(bytes[i]) : bytes[i]
            if b == first {
                var k = 1
                while k < needle.count, (caseInsensitive ? lower(bytes[i + k]) : bytes[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The attributes of a tag's inside (after its name, before `>`): `name`, `name=value`, quoted or not.
    static func attributes(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var out: [String: String] = [:]
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end, out.count < 32 {
            while i < end, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            var name: [UInt8] = []
            while i < end, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: "/") {
                if name.count < 64 { name.append(lower(bytes[i])) }
                i += 1
            }
            while i < end, isSpace(bytes[i]) { i += 1 }
            var value: [UInt8] = []
            if i < end, bytes[i] == UInt8(ascii: "=") {
                i += 1
                while i < end, isSpace(bytes[i]) { i += 1 }
                if i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    i += 1
                    while i < end, bytes[i] != quote {
                        if value.count < 2_048 { value.append(bytes[i]) }
                        i += 1
                    }
                    i += 1
                } else {
                    while i < end, !isSpace(bytes[i]) {
                        if value.count < 2_048 { value.append(bytes[i]) }
                        i += 1
                    }
                }
            }
            if !name.isEmpty, out[String(decoding: name, as: UTF8.self)] == nil {
                out[String(decoding: name, as: UTF8.self)] = decodeEntities(value)
            }
        }
        return out
    }

    /// `value` with its entities decoded.
    static func decodeEntities(_ value: [UInt8]) -> String {
        guard value.contains(UInt8(ascii: "&")) else { return String(decoding: value, as: UTF8.self) }
        var out: [UInt8] = []
        let slice = value[...]
        var i = slice.startIndex
        while i < slice.endIndex {
            if slice[i] == UInt8(ascii: "&"), let (scalar, after) = entity(slice, at: i) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = after
            } else {
                out.append(slice[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The entity at `index` (`&name;`, `&#123;`, `&#x1F;`) and the index after it; `nil` when there is none.
    static func entity(_ bytes: ArraySlice<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        var j = index + 1
        while j < bytes.endIndex, j - index <= 10, bytes[j] != UInt8(ascii: ";") { j += 1 }
        guard j < bytes.endIndex, bytes[j] == UInt8(ascii: ";"), j > index + 1 else { return nil }
        let body = bytes[(index + 1)..<j]
        let text = String(decoding: body, as: UTF8.self)
        if body.first == UInt8(ascii: "#") {
            let digits = text.dropFirst()
            let value: UInt32? =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, j + 1)
        }
        guard let value = namedReferences[text] ?? namedReferences[text.lowercased()],
            let scalar = Unicode.Scalar(value)
        else { return nil }
        return (scalar, j + 1)
    }
}
