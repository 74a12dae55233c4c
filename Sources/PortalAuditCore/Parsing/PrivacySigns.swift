import Foundation
import Yams

/// What a page shows of how it treats its visitors' personal data: forms that ask for it, a link to a privacy
/// notice, and third-party trackers loaded on the first visit. One pass over the page's tags for each; no
/// backtracking pattern over the page.
public enum PrivacySigns {
    /// A form on the page that asks for personal data, with what it asks.
    public struct Form: Sendable, Equatable {
        /// The kinds asked, in a fixed order: `cccd`, `phone`, `address`, `email` (a name alone is not listed).
        public var asks: [String]
        public var action: String?
    }

    /// The forms of `html` that ask for an identity number, a phone, an address or an e-mail: each field read
    /// by its type, name, id, placeholder and label, and by the text just before it (a table's "Điện thoại:"
    /// cell); a login form (a password field) and a search box ask nothing.
    public static func forms(in html: ArraySlice<UInt8>) -> [Form] {
        let found = HTMLScanner.elements(in: html, maxElements: 16, maxBytes: 128 << 10) { name, _ in name == "form" }
        var out: [Form] = []
        for form in found {
            var asks = Set<String>()
            var password = false
            var textFields = 0
            var recent: [UInt8] = []
            var labels: [String: String] = [:]
            // Labels by the field they name (`<label for=…>`).
            for label in HTMLScanner.elements(
                in: form.content, maxElements: 64, maxBytes: 1_024, where: { n, _ in n == "label" })
            {
                if let target = label.attributes["for"] {
                    labels[target] = PageText.folded(HTMLScanner.visibleText(label.content, limit: 256))
                }
            }
            var i = form.content.startIndex
            let content = form.content
            while i < content.endIndex {
                guard content[i] == UInt8(ascii: "<") else {
                    recent.append(content[i])
                    if recent.count > 160 { recent.removeFirst(recent.count - 120) }
                    i += 1
                    continue
                }
                guard let markup = HTMLScanner.markup(content, at: i) else {
                    i += 1
                    continue
                }
                let field = ["input", "select", "textarea"].first { markup.name == HTMLScanner.TagName($0) }
                if let field, !markup.closing {
                    let inside = content[markup.nameEnd..<max(markup.nameEnd, markup.after - 1)]
                    let attributes = HTMLScanner.attributes(inside)
                    let type = (attributes["type"] ?? (field == "input" ? "text" : field)).lowercased()
                    if type == "password" { password = true }
                    if ["text", "email", "tel", "number", "textarea", "select"].contains(type) { textFields += 1 }
                    if !["hidden", "submit", "button", "image", "reset", "checkbox", "radio", "file"].contains(type) {
                        let words = [
                            attributes["name"], attributes["id"], attributes["placeholder"], attributes["aria-label"],
                            attributes["title"], attributes["id"].flatMap { labels[$0] },
                        ].compactMap { $0 }.joined(separator: " ")
                        let before = PageText.folded(String(decoding: recent.suffix(60), as: UTF8.self))
                        for kind in kinds(type: type, words: PageText.folded(words), before: before) {
                            asks.insert(kind)
                        }
                    }
                    recent = []
                } else if markup.name == HTMLScanner.TagName("script") || markup.name == HTMLScanner.TagName("style") {
                    recent = []
                }
                i = markup.after
            }
            // A login (a password and one or two names for the account) asks for who one is, not for personal
            // data to keep; a registration with a password asks for more.
            if password && textFields <= 2 { continue }
            let ordered = ["cccd", "phone", "address", "email"].filter(asks.contains)
            if !ordered.isEmpty { out.append(Form(asks: ordered, action: form.attributes["action"])) }
        }
        return out
    }

    /// The kinds of personal data a field asks for, from its type, its folded words (name, id, placeholder,
    /// label) and the folded text just before it.
    static func kinds(type: String, words: String, before: String) -> [String] {
        var out: [String] = []
        let tokens = Set(words.split { !($0.isLetter || $0.isNumber) }.map(String.init))
        let joined = words.filter { $0.isLetter || $0.isNumber }
        // The label nearest the field: the last few words before it.
        let label = before.split { !($0.isLetter || $0.isNumber) }.suffix(6).joined(separator: " ")
        func any(_ phrases: [String], in text: String) -> Bool { phrases.contains { text.contains($0) } }
        let identity = [
            "cccd", "cmnd", "cancuoc", "sodinhdanh", "chungminh", "giaytotuythan", "sogiayto", "idcard", "identitycard",
        ]
        if any(identity, in: joined)
            || any(
                ["cccd", "cmnd", "can cuoc", "dinh danh", "chung minh", "giay to tuy than", "so giay to"], in: label)
        {
            out.append("cccd")
        }
        let email =
            type == "email" || tokens.contains("email") || tokens.contains("mail") || joined.contains("email")
            || joined.contains("thudientu") || any(["email", "e mail", "thu dien tu"], in: label)
        if email { out.append("email") }
        let phone =
            type == "tel" || tokens.contains("tel") || tokens.contains("sdt") || tokens.contains("phone")
            || any(["phone", "dienthoai", "didong", "mobile", "sodt", "telephone"], in: joined)
            || any(["dien thoai", "di dong", "sdt", "so dt", "phone", "mobile"], in: label)
        if phone, !email || type == "tel" { out.append("phone") }
        let address = any(["address", "diachi"], in: joined) || label.contains("dia chi")
        if address, !email, !any(["email", "thu dien tu", "mail", "web", "ip"], in: label + " " + words) {
            out.append("address")
        }
        return out
    }

    /// Whether `html` links a privacy notice: an `<a>` whose text or address names the protection of personal
    /// data, privacy or an information-security policy.
    public static func linksPrivacyNotice(_ html: ArraySlice<UInt8>) -> Bool {
        let anchors = HTMLScanner.elements(in: html, maxElements: 800, maxBytes: 2_048) { name, attributes in
            name == "a" && attributes["href"] != nil
        }
        for anchor in anchors {
            let text = PageText.folded(HTMLScanner.visibleText(anchor.content, limit: 512))
            let href = PageText.folded(anchor.attributes["href"] ?? "").filter { $0.isLetter || $0.isNumber }
            if noticePhrases.contains(where: text.contains) || noticeAddresses.contains(where: href.contains) {
                return true
            }
        }
        return false
    }

    static let noticePhrases = [
        "du lieu ca nhan", "quyen rieng tu", "chinh sach bao mat", "bao mat thong tin ca nhan", "privacy",
        "bao ve thong tin ca nhan", "dieu khoan bao mat",
    ]
    static let noticeAddresses = ["privacy", "quyenriengtu", "baovedulieu", "dulieucanhan", "chinhsachbaomat"]

    /// A third-party tracker a page loads before any consent: its host and how the page loads it.
    public struct Tracker: Sendable, Equatable, Hashable {
        public var host: String
        /// `script` (a `<script src>`), `inline` (named in a script's text), `pixel` (an image or frame).
        public var via: String
    }

    /// The trackers of `html` served from `host`: script sources, images and frames (those inside
    /// `<noscript>` too) and addresses named in inline scripts, matched against the shipped list; a script
    /// held back for consent (`type="text/plain"` with a consent attribute) and first-party addresses are not.
    public static func trackers(in html: ArraySlice<UInt8>, host: String) -> [Tracker] {
        let site = registrable(host.lowercased())
        var out: [Tracker] = []
        var seen = Set<String>()
        func add(_ url: String, via: String) {
            guard let (urlHost, path) = split(url), registrable(urlHost) != site,
                let rule = TrackerList.shared.match(host: urlHost, path: path)
            else { return }
            let name = registrable(rule)
            if seen.insert(name).inserted { out.append(Tracker(host: name, via: via)) }
        }
        let script = HTMLScanner.TagName("script")
        let noscript = HTMLScanner.TagName("noscript")
        let pixels = [HTMLScanner.TagName("img"), HTMLScanner.TagName("iframe")]
        var tags = 0
        HTMLScanner.startTags(in: html) { tag, inside, after in
            tags += 1
            if tag == script {
                let attributes = HTMLScanner.attributes(inside)
                // A script held back for consent: a type no browser runs (`text/plain` with the consent tool's
                // attribute).
                let type = (attributes["type"] ?? "").lowercased()
                if !type.isEmpty, !type.contains("javascript"), type != "module" { return tags < 4_096 }
                if let source = attributes["src"] {
                    add(source, via: "script")
                } else {
                    let start = min(after, inside.endIndex + 1)
                    let content = html[start..<max(start, after)].prefix(64 << 10)
                    for url in addresses(in: content) { add(url, via: "inline") }
                }
            } else if pixels.contains(tag) {
                if let source = HTMLScanner.attributes(inside)["src"] { add(source, via: "pixel") }
            } else if tag == noscript {
                // `<noscript>` is raw text to this scanner: its pixels are read from its content.
                let start = min(after, inside.endIndex + 1)
                let content = html[start..<max(start, after)].prefix(8 << 10)
                for pixel in HTMLScanner.tags(namedAnyOf: ["img", "iframe"], in: content, maxTags: 8) {
                    if let source = pixel.attributes["src"] { add(source, via: "pixel") }
                }
            }
            return tags < 4_096
        }
        return out
    }

    /// The addresses a script's text names: each run of host characters holding a dot (`//www.google-analytics.com`,
    /// `'.google-analytics.com/ga.js'` after a string concatenation), with the path after it; at most 256.
    static func addresses(in script: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var i = script.startIndex
        while i < script.endIndex, out.count < 256 {
            guard isHostByte(script[i]), i == script.startIndex || !isHostByte(script[i - 1]) else {
                i += 1
                continue
            }
            var j = i
            var dots = 0
            while j < script.endIndex, j - i < 253, isHostByte(script[j]) {
                if script[j] == UInt8(ascii: ".") { dots += 1 }
                j += 1
            }
            var end = j
            if dots > 0, j < script.endIndex, script[j] == UInt8(ascii: "/") {
                while end < script.endIndex, end - j < 256, isURLByte(script[end]) { end += 1 }
            }
            let host = String(decoding: script[i..<j], as: UTF8.self).trimmingCharacters(
                in: CharacterSet(charactersIn: ".-"))
            // A host ends with a top-level label of letters (`.com`, `.vn`), not `window.dataLayer`.
            let top = host.split(separator: ".").last ?? ""
            if dots > 0, host.contains("."), (2...6).contains(top.count),
                top.allSatisfy({ $0.isLetter && $0.isLowercase }),
                host.first?.isLetter == true || host.first?.isNumber == true
            {
                out.append("https://" + host + String(decoding: script[j..<end], as: UTF8.self))
            }
            i = max(end, i + 1)
        }
        return out
    }

    static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    static func isURLByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            || [
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "?"),
                UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "%"),
            ].contains(byte)
    }

    /// The host (lower case) and path of an absolute or scheme-relative address; `nil` for a relative one.
    static func split(_ url: String) -> (String, String)? {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        if let scheme = rest.range(of: "://") {
            guard ["http", "https"].contains(rest[..<scheme.lowerBound].lowercased()) else { return nil }
            rest = rest[scheme.upperBound...]
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        } else {
            return nil
        }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var host = rest[..<end].lowercased()
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        guard !host.isEmpty else { return nil }
        return (host, String(rest[end...]))
    }

    /// The registrable part of a host: its last two labels, three under a two-level suffix (`gov.vn`,
    /// `com.vn`, `co.uk`…).
    public static func registrable(_ host: String) -> String {
        let bare = host.split(separator: "/").first.map(String.init) ?? host
        let labels = bare.split(separator: ".")
        guard labels.count > 2 else { return bare }
        let second = labels[labels.count - 2]
        let keep = secondLevels.contains(String(second)) && labels.last!.count == 2 ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    static let secondLevels: Set<String> = [
        "gov", "com", "net", "org", "edu", "co", "ac", "or", "ne", "go", "info", "int", "name", "health",
    ]
}

/// The shipped list of tracking hosts (`Profiles/privacy/trackers.yaml`, from EasyPrivacy): host rules that
/// match the host and its subdomains, host/path rules that also match a path prefix, and tracking script file
/// names.
public struct TrackerList: Sendable {
    var hosts: Set<String> = []
    var prefixes: [String: [String]] = [:]
    var files: Set<String> = []

    public static let shared = TrackerList(yaml: ShippedProfiles.privacy["trackers"] ?? "")

    init(yaml: String) {
        guard let document = try? Yams.load(yaml: yaml) as? [String: Any] else { return }
        for line in (document["hosts"] as? String ?? "").split(separator: "\n") {
            if let slash = line.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                prefixes[String(line[..<slash]), default: []].append(String(line[slash...]))
            } else {
                hosts.insert(String(line))
            }
        }
        files = Set((document["files"] as? String ?? "").split(separator: "\n").map(String.init))
    }

    /// The rule `host` and `path` match (the host it names), if any.
    public func match(host: String, path: String) -> String? {
        var candidate = Substring(host)
        let file = path.split(separator: "?").first.flatMap { $0.split(separator: "/").last }.map { $0.lowercased() }
        while true {
            let name = String(candidate)
            if hosts.contains(name) { return name }
            if let paths = prefixes[name], paths.contains(where: path.hasPrefix) { return name }
            guard let dot = candidate.firstIndex(of: ".") else { break }
            candidate = candidate[candidate.index(after: dot)...]
            if !candidate.contains(".") { break }
        }
        if let file, files.contains(file) { return host }
        return nil
    }
}
