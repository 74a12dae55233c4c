import Foundation

/// The links a portal gives away: its home page's anchors and search form, its sitemap's entries, what its
/// robots.txt forbids. All linear in the document, all capped (the documents are hostile).
public enum PageLinks {
    /// The `href` of each `<a>` in page order, duplicates dropped, at most `limit`, each at most 512 bytes.
    public static func anchors(in body: ArraySlice<UInt8>, limit: Int = 400) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for attributes in HTMLScanner.tags(named: "a", in: body, maxTags: limit * 4) {
            guard let href = attributes["href"]?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty,
                href.utf8.count <= 512, !href.hasPrefix("#"), seen.insert(href).inserted
            else { continue }
            out.append(href)
            if out.count >= limit { break }
        }
        return out
    }

    /// The page's own search: a GET form and the name of its first text field.
    public struct SearchForm: Sendable, Equatable {
        public var action: String
        public var field: String

        public init(action: String, field: String) {
            self.action = action
            self.field = field
        }
    }

    /// The first GET form with a text or search field, from the first 512 KiB.
    public static func searchForm(in body: ArraySlice<UInt8>) -> SearchForm? {
        var form: String?
        var found: SearchForm?
        var seen = 0
        let formTag = HTMLScanner.TagName("form")
        let inputTag = HTMLScanner.TagName("input")
        HTMLScanner.startTags(in: body.prefix(512 << 10)) { tag, inside, _ in
            seen += 1
            if tag == formTag {
                let attributes = HTMLScanner.attributes(inside)
                let method = attributes["method"]?.lowercased() ?? "get"
                form = method == "get" ? (attributes["action"] ?? "").trimmingCharacters(in: .whitespaces) : nil
            } else if tag == inputTag, let action = form {
                let attributes = HTMLScanner.attributes(inside)
                let type = attributes["type"]?.lowercased() ?? "text"
                if type == "text" || type == "search", let name = attributes["name"], !name.isEmpty,
                    name.utf8.count <= 64, action.utf8.count <= 512
                {
                    found = SearchForm(action: action, field: name)
                }
            }
            return found == nil && seen < 20_000
        }
        return found
    }
}

/// A sitemap's entries (`<url><loc>…</loc><lastmod>…</lastmod></url>`), or a sitemap index's sitemaps.
public enum Sitemap {
    public struct Entry: Sendable, Equatable {
        public var location: String
        /// The entry's `<lastmod>` as written (`nil`: none).
        public var lastModified: String?
    }

    /// The entries in document order, at most `limit`, and whether the document is a sitemap index.
    public static func entries(in body: ArraySlice<UInt8>, limit: Int = 2_000) -> (entries: [Entry], index: Bool) {
        let index =
            HTMLScanner.find(
                Array("<sitemapindex".utf8), in: body.prefix(4_096), from: body.startIndex,
                caseInsensitive: true) != nil
        var out: [Entry] = []
        var i = body.startIndex
        let loc = Array("<loc>".utf8)
        let locEnd = Array("</loc>".utf8)
        let lastmod = Array("<lastmod>".utf8)
        let lastmodEnd = Array("</lastmod>".utf8)
        while out.count < limit, let open = HTMLScanner.find(loc, in: body, from: i, caseInsensitive: true) {
            let start = open + loc.count
            guard let close = HTMLScanner.find(locEnd, in: body, from: start, caseInsensitive: true),
                close - start <= 2_048
            else { break }
            let location = String(decoding: body[start..<close], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: "&amp;", with: "&")
            i = close + locEnd.count
            // The entry's lastmod sits before the next <loc>.
            let next = HTMLScanner.find(loc, in: body, from: i, caseInsensitive: true) ?? body.endIndex
            var modified: String?
            if let m = HTMLScanner.find(lastmod, in: body[i..<next], from: i, caseInsensitive: true),
                let e = HTMLScanner.find(lastmodEnd, in: body[i..<next], from: m, caseInsensitive: true),
                e - m <= 64
            {
                modified = String(decoding: body[(m + lastmod.count)..<e], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            out.append(Entry(location: location, lastModified: modified))
        }
        return (out, index)
    }
}

/// What a robots.txt lets a crawler named `agent` fetch: the group naming it, else the `*` group; the
/// longest matching `Allow`/`Disallow` rule wins (RFC 9309), `*` and a final `$` understood.
///
/// The rules are compiled once, longest first: a path is tried against them in that order and the first
/// that matches decides. Each try is linear in the path and the pattern (the pattern's literal runs found
/// left to right, each by a precomputed KMP table: a `*` never makes it go back), and the tries a site's
/// paths may cost together are bounded by a `RobotsBudget`.
public struct RobotsRules: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    /// A rule ready to match: its literal runs between `*`s, each with its KMP failure table.
    struct Compiled: Sendable, Equatable {
        var allow: Bool
        /// The pattern's length, its priority.
        var length: Int
        var runs: [[UInt8]]
        var failures: [[Int]]
        /// A final `$`: the last run ends the path.
        var anchored: Bool

        init(_ line: Line) {
            allow = line.allow
            length = line.pattern.utf8.count
            var bytes = Array(line.pattern.utf8)
            anchored = bytes.last == UInt8(ascii: "$")
            if anchored { bytes.removeLast() }
            runs = bytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
            failures = runs.map(Self.failure)
        }

        /// KMP: for each prefix of `run`, the length of its longest proper prefix that is also its suffix.
        static func failure(_ run: [UInt8]) -> [Int] {
            var table = [Int](repeating: 0, count: run.count)
            var k = 0
            var i = 1
            while i < run.count {
                while k > 0 && run[i] != run[k] { k = table[k - 1] }
                if run[i] == run[k] { k += 1 }
                table[i] = k
                i += 1
            }
            return table
        }

        /// The end of the leftmost occurrence of run `r` in `path` at or after `from`, or `nil`.
        func find(_ r: Int, in path: [UInt8], from: Int) -> Int? {
            if runs[r].isEmpty { return from }
            return runs[r].withUnsafeBufferPointer { run in
                failures[r].withUnsafeBufferPointer { table in
                    path.withUnsafeBufferPointer { path in
                        var k = 0
                        var i = from
                        while i < path.count {
                            while k > 0 && path[i] != run[k] { k = table[k - 1] }
                            if path[i] == run[k] { k += 1 }
                            i += 1
                            if k == run.count { return i }
                        }
                        return nil
                    }
                }
            }
        }

        /// Whether the rule matches `path` from its start. The first run must start the path, the others are
        /// found leftmost, each after the one before (leftmost leaves the most room: no other placement can
        /// match where it does not), and with `$` the last must end the path.
        func matches(_ path: [UInt8]) -> Bool {
            let first = runs[0]
            guard path.count >= first.count, path[..<first.count].elementsEqual(first) else { return false }
            if runs.count == 1 { return !anchored || path.count == first.count }
            var position = first.count
            for r in 1..<(runs.count - 1) {
                guard let end = find(r, in: path, from: position) else { return false }
                position = end
            }
            let last = runs[runs.count - 1]
            if anchored {
                return path.count - last.count >= position && path[(path.count - last.count)...].elementsEqual(last)
            }
            return find(runs.count - 1, in: path, from: position) != nil
        }
    }

    var lines: [Line]
    /// The rules in the order they are tried: longest first, `Allow` before `Disallow` of the same length.
    var compiled: [Compiled]
    /// The `Sitemap:` lines, in file order.
    public var sitemaps: [String]

    /// At most 64 KiB and 1,000 rules are read; longer patterns than 512 bytes are ignored.
    public init(_ text: String, agent: String) {
        let agent = agent.lowercased()
        var named: [Line] = []
        var any: [Line] = []
        var sitemaps: [String] = []
        var agents: [String] = []
        var inRules = false
        var foundNamed = false
        func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var bytes = bytes
            while let first = bytes.first, first == 32 || first == 9 { bytes = bytes.dropFirst() }
            while let last = bytes.last, last == 32 || last == 9 { bytes = bytes.dropLast() }
            return bytes
        }
        let file = Array(text.utf8.prefix(64 << 10))
        for raw in file.split(whereSeparator: { $0 == 10 || $0 == 13 }).prefix(5_000) {
            var line = raw
            if let hash = line.firstIndex(of: UInt8(ascii: "#")) { line = line[..<hash] }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let keyBytes = trimmed(line[..<colon])
            // The longest key read is `user-agent`: anything longer is no key.
            guard keyBytes.count <= 10 else { continue }
            let key = String(decoding: keyBytes, as: UTF8.self).lowercased()
            let value = String(decoding: trimmed(line[(colon + 1)...]), as: UTF8.self)
            switch key {
            case "user-agent":
                if inRules { agents = [] }
                inRules = false
                agents.append(value.lowercased())
            case "allow", "disallow":
                inRules = true
                guard value.utf8.count <= 512, named.count + any.count < 1_000 else { continue }
                // An empty Disallow allows everything: no rule.
                if value.isEmpty { continue }
                let rule = Line(allow: key == "allow", pattern: value)
                if agents.contains(where: { !$0.isEmpty && $0 != "*" && agent.hasPrefix($0) }) {
                    named.append(rule)
                    foundNamed = true
                } else if agents.contains("*") {
                    any.append(rule)
                }
            case "sitemap":
                if sitemaps.count < 10 { sitemaps.append(value) }
            default:
                continue
            }
        }
        self.lines = foundNamed ? named : any
        self.sitemaps = sitemaps
        compiled = lines.map(Compiled.init).enumerated()
            .sorted { a, b in
                if a.element.length != b.element.length { return a.element.length > b.element.length }
                if a.element.allow != b.element.allow { return a.element.allow }
                return a.offset < b.offset
            }
            .map(\.element)
    }

    /// Whether `path` (with its query) may be fetched.
    public func allows(_ path: String) -> Bool {
        var budget = RobotsBudget()
        return allows(path, budget: &budget) ?? false
    }

    /// Whether `path` (with its query) may be fetched, its tries charged to `budget` (each at most the path's
    /// and its pattern's length); `nil` once the budget is spent: undecided, so not to be fetched.
    public func allows(_ path: String, budget: inout RobotsBudget) -> Bool? {
        guard budget.remaining > 0 else { return compiled.isEmpty ? true : nil }
        let bytes = Array(path.utf8.prefix(2_048))
        for rule in compiled {
            let cost = bytes.count + rule.length + 1
            guard budget.remaining >= cost else {
                budget.remaining = 0
                return nil
            }
            budget.remaining -= cost
            if rule.matches(bytes) { return rule.allow }
        }
        return true
    }
}

/// The matching work a site's robots.txt may cost, in bytes compared: 8 M by default (1,000 rules of 512
/// bytes tried against 2,000 paths would be two billion), about 30 ms; an ordinary robots.txt of tens of
/// rules decides thousands of paths within it.
public struct RobotsBudget: Sendable {
    public var remaining: Int

    public init(bytes: Int = 8 << 20) { remaining = bytes }
}

/// Links to documents a portal publishes (PDF, Office, OpenDocument), told by the extension of the
/// percent-decoded path or of a file name in the query (`/Download.aspx?file=danh%20sach.pdf`); what a
/// fetched link really is, its first bytes tell.
public enum DocumentLinks {
    static let extensions = [".pdf", ".docx", ".xlsx", ".odt", ".ods", ".doc", ".xls"]

    /// Whether `link` names a document by its extension.
    public static func isDocument(_ link: String) -> Bool {
        guard link.utf8.count <= 512, !link.hasPrefix("#"), !link.lowercased().hasPrefix("mailto:") else {
            return false
        }
        let trimmed = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = trimmed.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = (String(parts.first ?? "").removingPercentEncoding ?? String(parts.first ?? "")).lowercased()
        if extensions.contains(where: path.hasSuffix) { return true }
        guard parts.count > 1 else { return false }
        let query = (String(parts[1]).removingPercentEncoding ?? String(parts[1])).lowercased()
        return query.split(separator: "&").contains { field in extensions.contains { field.hasSuffix($0) } }
    }

    /// The file name a person reads: the last path segment, percent-decoded (or the query's file name).
    public static func name(_ url: String) -> String {
        let trimmed = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = trimmed.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let last = String(parts.first?.split(separator: "/").last ?? "")
        let decoded = last.removingPercentEncoding ?? last
        if extensions.contains(where: decoded.lowercased().hasSuffix) || parts.count < 2 { return decoded }
        let query = String(parts[1])
        for field in query.split(separator: "&") {
            let value = field.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
            let name = value.removingPercentEncoding ?? value
            if extensions.contains(where: name.lowercased().hasSuffix) {
                return String(name.split(separator: "/").last ?? Substring(name))
            }
        }
        return decoded
    }
}
