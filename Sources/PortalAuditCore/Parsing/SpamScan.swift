import Foundation

/// Finds gambling and betting spam injected into a page: where each term sits (visible text, text hidden
/// by inline CSS, the title and meta tags, link texts and targets, strings a script decodes), scored by
/// that context so that a news story about a betting ring or the state lottery's results stays clean.
///
/// Linear and bounded: the page is read a fixed number of times, hidden elements and links are capped in
/// count and size, and phrase matching walks the tokens once.
public enum SpamScan {
    /// How much a hit weighs, by where it is.
    static let weights: [SpamHit.Place: Int] = [
        .visible: 1, .hidden: 4, .title: 3, .meta: 3, .link: 4, .script: 4,
    ]
    /// The score from which a page is called injected unless a profile says otherwise
    /// (`content.spam-injection`'s `min_score`; the facts keep the score, so a stored run re-grades).
    public static let threshold = 6
    /// Visible hits count at most this much: a long article cannot be injected by repetition alone.
    static let visibleCap = 5
    /// What a brand in the visible text weighs.
    static let visibleBrandWeight = 3

    static let hiddenMarkers = [
        "display:none", "visibility:hidden", "font-size:0", "height:0", "width:0", "left:-", "top:-",
        "text-indent:-", "opacity:0", "clip:rect(0",
    ]

    /// The spam found in `body` (a page of `host`), hits capped at `maxHits`.
    public static func scan(
        _ body: [UInt8], host: String, lexicon: SpamLexicon = .shipped, maxHits: Int = 12
    ) -> SpamFacts {
        let bytes = body.prefix(2 << 20)
        let matcher = Matcher(lexicon)
        var hits: [SpamHit] = []
        var score = 0
        var visibleScore = 0
        var strongSeen = false
        var placed = false
        var weakCount = 0
        @discardableResult
        func record(_ text: String, _ place: SpamHit.Place, url: String? = nil) -> Matcher.Found {
            let found = matcher.find(in: text)
            // Folded once for the excerpts of every term found in it (a 2 MiB page holds thousands).
            var folded: [UInt8]?
            let brands = Set(found.brands)
            for term in [found.strong, found.brands].joined() {
                strongSeen = true
                if place != .visible { placed = true }
                // A betting site's brand names nothing else: in the text it weighs as much as a term in the title.
                let weight = place == .visible && brands.contains(term) ? visibleBrandWeight : weights[place] ?? 1
                if place == .visible {
                    guard visibleScore < visibleCap else { continue }
                    visibleScore += weight
                }
                score += weight
                if hits.count < maxHits, !hits.contains(where: { $0.term == term && $0.place == place }) {
                    let key = folded ?? PageText.foldedBytes(text)
                    folded = key
                    hits.append(
                        SpamHit(term: term, place: place, url: url, excerpt: excerpt(text, folded: key, around: term)))
                }
            }
            weakCount += found.weak.count
            return found
        }
        let visible = HTMLScanner.visibleText(bytes)
        let visibleFound = record(visible, .visible)
        for region in HTMLScanner.elements(in: bytes, maxElements: 32, maxBytes: 64 << 10, where: isHidden) {
            record(HTMLScanner.visibleText(region.content), .hidden)
        }
        if let title = HTMLScanner.title(bytes) { record(title, .title) }
        for meta in HTMLScanner.tags(named: "meta", in: bytes, maxTags: 128) {
            let name = (meta["name"] ?? meta["property"] ?? "").lowercased()
            if ["description", "keywords", "og:title", "og:description", "twitter:title"].contains(name) {
                record(meta["content"] ?? "", .meta)
            }
        }
        for anchor in HTMLScanner.elements(
            in: bytes, maxElements: 512, maxBytes: 2_048, where: { name, _ in name == "a" })
        {
            let href = anchor.attributes["href"] ?? ""
            let linkHost = URLComponents(string: href)?.host?.lowercased()
            let outbound = linkHost.map { $0 != host.lowercased() && !$0.hasSuffix("." + host.lowercased()) } ?? false
            let text = HTMLScanner.visibleText(anchor.content)
            // A link out whose text or host names gambling: the footer link spammers are paid for.
            if outbound, let linkHost {
                let before = hits.count
                record(text + " " + linkHost.replacingOccurrences(of: ".", with: " "), .link, url: href)
                if hits.count == before, let term = matcher.inHost(linkHost) {
                    strongSeen = true
                    placed = true
                    score += weights[.link] ?? 4
                    if hits.count < maxHits {
                        hits.append(SpamHit(term: term, place: .link, url: href, excerpt: clipped(text)))
                    }
                }
            }
        }
        for decoded in scriptStrings(bytes) { record(decoded, .script) }
        if strongSeen { score += min(2, weakCount) }
        // A story about breaking up a betting ring, the lottery's results: context, and nothing hidden,
        // linked out, scripted or put in the title (the rule mutes such a page whatever its score).
        let lawful = !visibleFound.context.isEmpty
        // What an officer must look for first: what was placed, then what shows in the text.
        let order: [SpamHit.Place] = [.hidden, .link, .script, .title, .meta, .visible]
        let ranked = hits.enumerated().sorted {
            let a = order.firstIndex(of: $0.element.place) ?? 0
            let b = order.firstIndex(of: $1.element.place) ?? 0
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        return SpamFacts(
            score: score,
            injected: SpamFacts.injected(score: score, lawful: lawful, placed: placed, threshold: threshold),
            lawfulContext: lawful, hits: ranked, placed: placed)
    }

    /// Whether a start tag hides its content from a visitor (inline style, the `hidden` attribute).
    static func isHidden(_ name: String, _ attributes: [String: String]) -> Bool {
        if attributes["hidden"] != nil { return true }
        guard let style = attributes["style"]?.lowercased() else { return false }
        let compact = style.filter { !$0.isWhitespace }
        return hiddenMarkers.contains { compact.contains($0) }
    }

    /// Strings a script decodes (`atob("…")`, `decodeURIComponent("…")`, `unescape("…")`), decoded.
    static func scriptStrings(_ bytes: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        for script in HTMLScanner.rawTextContents(named: "script", in: bytes, maxElements: 32, maxBytes: 256 << 10) {
            let text = String(decoding: script, as: UTF8.self)
            for call in ["atob(", "decodeURIComponent(", "unescape("] {
                var rest = text[...]
                while out.count < 64, let range = rest.range(of: call) {
                    rest = rest[range.upperBound...]
                    guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
                    let inner = rest.dropFirst().prefix(4_096).prefix { $0 != quote }
                    let decoded =
                        call == "atob("
                        ? Data(base64Encoded: String(inner)).map { String(decoding: $0, as: UTF8.self) }
                        : String(inner).removingPercentEncoding
                    if let decoded { out.append(decoded) }
                }
            }
        }
        return out
    }

    /// At most 120 characters of `text` around the first place `term` may be read (`folded`: the text
    /// folded, whose characters line up with the text's: folding keeps one character per character).
    static func excerpt(_ text: String, folded: [UInt8], around term: String) -> String {
        let key = PageText.foldedBytes(term)
        guard let at = HTMLScanner.find(key, in: folded[...], from: 0, caseInsensitive: false) else {
            return clipped(text)
        }
        let offset = max(0, String(decoding: folded[..<at], as: UTF8.self).count - 40)
        guard let start = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex),
            start < text.endIndex
        else { return clipped(text) }
        let end = text.index(start, offsetBy: 120, limitedBy: text.endIndex) ?? text.endIndex
        return clipped(String(text[start..<end]))
    }

    /// The first 120 characters of `text` on one line, an ellipsis when there is more (only its first
    /// 4,096 characters are read: a page's whole text may be megabytes).
    static func clipped(_ text: String) -> String {
        let head = text.prefix(4_096)
        let line = head.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
        return line.count > 120 || head.endIndex < text.endIndex ? String(line.prefix(120)) + "…" : line
    }

    /// Phrase matching over tokens: phrases indexed by their first token, so each token costs the few
    /// phrases that start with it; runs of spaced letters and host names are matched by the joined form.
    struct Matcher {
        struct Found {
            var strong: [String] = []
            var weak: [String] = []
            var brands: [String] = []
            var context: [String] = []
        }

        enum Kind { case strong, weak, brand, context }

        /// What a token may start: a multi-word phrase written as one word (`nhacai`), or phrases whose
        /// first token it is. One table, so each token of a page costs one lookup.
        struct Entry {
            var joined: (String, Kind)?
            var phrases: [(SpamLexicon.Phrase, Kind)] = []
        }

        var byToken: [String: Entry] = [:]
        var hostWords: [(String, String)] = []

        init(_ lexicon: SpamLexicon) {
            for (list, kind) in [
                (lexicon.strong, Kind.strong), (lexicon.weak, .weak), (lexicon.brands, .brand),
                (lexicon.context, .context),
            ] {
                for phrase in list {
                    byToken[phrase.tokens[0], default: Entry()].phrases.append((phrase, kind))
                    if phrase.tokens.count > 1, kind != .context {
                        byToken[phrase.joined, default: Entry()].joined = (phrase.text, kind)
                    }
                    if kind == .brand || (kind == .strong && phrase.joined.count >= 6) {
                        hostWords.append((phrase.joined, phrase.text))
                    }
                }
            }
        }

        func find(in text: String) -> Found {
            var found = Found()
            func add(_ text: String, _ kind: Kind) {
                switch kind {
                case .strong: found.strong.append(text)
                case .weak: found.weak.append(text)
                case .brand: found.brands.append(text)
                case .context: found.context.append(text)
                }
            }
            let tokens = SpamText.tokens(text)
            var i = 0
            while i < tokens.count {
                guard let entry = byToken[tokens[i]] else {
                    i += 1
                    continue
                }
                var matched = 1
                if let (text, kind) = entry.joined {
                    add(text, kind)
                } else {
                    for (phrase, kind) in entry.phrases where phrase.tokens.count <= tokens.count - i {
                        if tokens[i..<(i + phrase.tokens.count)].elementsEqual(phrase.tokens) {
                            add(phrase.text, kind)
                            matched = max(matched, phrase.tokens.count)
                        }
                    }
                }
                i += matched
            }
            return found
        }

        /// A brand or a long strong term run together inside a link's host (`nhacai-fb88.example`).
        func inHost(_ host: String) -> String? {
            let letters = SpamText.tokens(host.replacingOccurrences(of: ".", with: " ")).joined(separator: " ")
            let squashed = letters.replacingOccurrences(of: " ", with: "")
            return hostWords.first { squashed.contains($0.0) }?.1
        }
    }
}

/// Gambling and betting spam seen on a page.
public struct SpamFacts: Codable, Sendable, Equatable {
    /// The weight of every hit by where it sits (runs before 2026-12-06 kept a lawful page's score below 6).
    public var score: Int
    /// Injected at the shipped threshold (`SpamScan.threshold`); the rule judges `score` with the profile's.
    public var injected: Bool
    /// The page's text reads as a lawful story (a betting ring broken up, lottery results).
    public var lawfulContext: Bool
    public var hits: [SpamHit]
    /// A hit sits where a visitor does not read it as text: hidden, linked out, scripted, in the title or
    /// meta tags (`nil` in runs stored before: read from `hits`).
    public var placed: Bool?

    enum CodingKeys: String, CodingKey {
        case score, injected, hits, placed
        case lawfulContext = "lawful_context"
    }

    public init(score: Int, injected: Bool, lawfulContext: Bool, hits: [SpamHit], placed: Bool? = nil) {
        self.score = score
        self.injected = injected
        self.lawfulContext = lawfulContext
        self.hits = hits
        self.placed = placed
    }

    /// Whether a page reads as injected at `threshold`: its score reaches it, unless its text reads as a lawful
    /// story and nothing is placed.
    public static func injected(score: Int, lawful: Bool, placed: Bool, threshold: Int) -> Bool {
        score >= threshold && !(lawful && !placed)
    }

    /// Whether this page reads as injected at `threshold`.
    public func injected(threshold: Int) -> Bool {
        Self.injected(
            score: score, lawful: lawfulContext, placed: placed ?? hits.contains { $0.place != .visible },
            threshold: threshold)
    }
}

/// One spam term found: the term, where, the link it points to, a short excerpt (escaped when shown).
public struct SpamHit: Codable, Sendable, Equatable {
    public enum Place: String, Codable, Sendable {
        case visible, hidden, title, meta, link, script
    }

    public var term: String
    public var place: Place
    public var url: String?
    public var excerpt: String

    public init(term: String, place: Place, url: String? = nil, excerpt: String) {
        self.term = term
        self.place = place
        self.url = url
        self.excerpt = excerpt
    }
}
