import Foundation

/// Finds gambling and betting spam injected into a page: where each term sits (visible text, text hidden
/// by inline CSS, the title and meta tags, link texts and targets, strings a script decodes), scored by
/// that context so that a news story about a betting ring or the state lottery's results stays clean.
///
/// Linear and bounded: the page is read a fixed number of times, hidden elements and links are capped in
/// count and size, and phrase matching walks the tokens once.
public enum SpamScan {
    /// How much a hit weighs, by where it is (a visible term weighs by `visibleStrongWeight`, once per page).
    static let weights: [SpamHit.Place: Int] = [
        .visible: 2, .hidden: 4, .title: 3, .meta: 3, .link: 4, .script: 4, .forward: 6,
    ]
    /// The score from which a page is called injected unless a profile says otherwise
    /// (`content.spam-injection`'s `min_score`; the facts keep the score, so a stored run re-grades).
    public static let threshold = 6
    /// What a term naming gambling weighs in the visible text, counted once per page however often it is
    /// repeated (a long article cannot be injected by repetition alone), and what a betting site's brand
    /// weighs there (it names nothing else).
    static let visibleStrongWeight = 2
    static let visibleBrandWeight = 4
    /// The trade's words (`người chơi`, `uy tín`, `khuyến mãi`…) add one each beside a gambling term, at most this.
    static let weakCap = 3
    /// Text whose diacritics are scrambled so that filters miss it (`ngườì chơị`, two tones or a tone off
    /// its vowel): from `scrambledMinimum` such syllables, beside a gambling term, it weighs `scrambledWeight`.
    static let scrambledMinimum = 3
    static let scrambledWeight = 4
    /// A block of prose this long spreads its lawful context to the prose blocks beside it (a story's
    /// paragraphs); a menu entry or a list item mutes only itself.
    static let proseLength = 80
    /// Blocks read apart, at most.
    static let maxBlocks = 2_000

    static let hiddenMarkers = [
        "display:none", "visibility:hidden", "font-size:0", "height:0", "width:0", "left:-", "top:-",
        "text-indent:-", "opacity:0", "clip:rect(0", "clip-path:inset(50%", "max-height:0", "transform:scale(0",
    ]

    /// The betting term a redirect to `target` names in its host (`https://nhacai-uytin.example/`), when that host
    /// is not `host`'s own: a redirect that sends visitors on to a betting site.
    public static func bettingRedirect(_ target: String, host: String, lexicon: SpamLexicon = .shipped) -> String? {
        guard let targetHost = URLComponents(string: target)?.host?.lowercased(), !isOwn(targetHost, host: host)
        else { return nil }
        return Matcher(lexicon).inHost(targetHost)
    }

    /// The spam found in `body` (a page of `host`), hits capped at `maxHits`.
    public static func scan(
        _ body: [UInt8], host: String, lexicon: SpamLexicon = .shipped, maxHits: Int = 12
    ) -> SpamFacts {
        let bytes = body.prefix(2 << 20)
        let matcher = Matcher(lexicon)
        var hits: [SpamHit] = []
        var score = 0
        var strongSeen = false
        var placed = false
        var forwarded = false
        var weak: Set<String> = []
        var visibleTerms: Set<String> = []
        func hit(
            _ term: String, _ place: SpamHit.Place, url: String?, text: String, folded: inout [UInt8]?,
            lawful: Bool = false
        ) {
            guard hits.count < maxHits, !hits.contains(where: { $0.term == term && $0.place == place }) else { return }
            // The excerpt is looked for in the text's first 64 KiB (a block may be megabytes).
            let key = folded ?? PageText.foldedBytes(String(decoding: text.utf8.prefix(64 << 10), as: UTF8.self))
            folded = key
            hits.append(
                SpamHit(
                    term: term, place: place, url: url, excerpt: excerpt(text, folded: key, around: term),
                    lawful: lawful ? true : nil))
        }
        /// Records what `found` holds of `text` at `place`: a placed hit weighs by its place each time, a
        /// visible term once per page.
        func record(_ found: Matcher.Found, in text: String, _ place: SpamHit.Place, url: String? = nil) {
            // Folded once for the excerpts of every term found in it (a 2 MiB page holds thousands).
            var folded: [UInt8]?
            let brands = Set(found.brands)
            for term in [found.strong, found.brands].joined() {
                strongSeen = true
                if place == .visible {
                    guard visibleTerms.insert(term).inserted else { continue }
                    score += brands.contains(term) ? visibleBrandWeight : visibleStrongWeight
                } else {
                    placed = true
                    score += weights[place] ?? 1
                }
                hit(term, place, url: url, text: text, folded: &folded)
            }
            weak.formUnion(found.weak)
        }
        func record(_ text: String, _ place: SpamHit.Place, url: String? = nil) {
            record(matcher.find(in: text), in: text, place, url: url)
        }
        // The visible text block by block: a lawful context (a police story, the lottery's results) mutes the
        // block it sits in, and the prose beside it, never the whole page.
        let visible = HTMLScanner.visibleText(bytes, blockBreaks: true)
        // At most `maxBlocks` blocks apart (a page of more is no news page); the rest of the text is one block.
        var lines = visible.split(separator: "\n", maxSplits: maxBlocks, omittingEmptySubsequences: true)
        if lines.count > maxBlocks { lines[maxBlocks] = visible[lines[maxBlocks].startIndex...] }
        let blocks = lines.map(String.init)
        let found = blocks.map { matcher.find(in: $0) }
        // Text scrambled to dodge filters is nobody's news story: its context words mute nothing.
        let scrambledCounts = blocks.indices.map { index in
            found[index].context.isEmpty && found[index].isEmpty ? 0 : SpamText.scrambledSyllables(in: blocks[index])
        }
        let scrambledBlocks = scrambledCounts.map { $0 >= scrambledMinimum }
        var muted = found.indices.map { !found[$0].context.isEmpty && !scrambledBlocks[$0] }
        for index in blocks.indices where muted[index] && blocks[index].count >= proseLength {
            for neighbour in [index - 1, index + 1] where blocks.indices.contains(neighbour) {
                if blocks[neighbour].count >= proseLength, !scrambledBlocks[neighbour] { muted[neighbour] = true }
            }
        }
        let lawful = muted.contains(true) && found.indices.contains { muted[$0] && !found[$0].isEmpty }
        var spoken: [Int] = []
        for index in blocks.indices where !found[index].isEmpty {
            if muted[index] {
                // Kept as the evidence of a lawful mention; weighs nothing.
                var folded: [UInt8]?
                for term in [found[index].strong, found[index].brands].joined() {
                    hit(term, .visible, url: nil, text: blocks[index], folded: &folded, lawful: true)
                }
            } else {
                record(found[index], in: blocks[index], .visible)
                spoken.append(index)
            }
        }
        for region in HTMLScanner.elements(in: bytes, maxElements: 32, maxBytes: 64 << 10, where: isHidden) {
            record(HTMLScanner.visibleText(region.content), .hidden)
        }
        if let title = HTMLScanner.title(bytes) { record(title, .title) }
        var forwards: [String] = []
        for meta in HTMLScanner.tags(named: "meta", in: bytes, maxTags: 128) {
            let name = (meta["name"] ?? meta["property"] ?? "").lowercased()
            if ["description", "keywords", "og:title", "og:description", "twitter:title"].contains(name) {
                record(meta["content"] ?? "", .meta)
            }
            if meta["http-equiv"]?.lowercased() == "refresh", let target = refreshTarget(meta["content"] ?? "") {
                forwards.append(target)
            }
        }
        for anchor in HTMLScanner.elements(
            in: bytes, maxElements: 512, maxBytes: 2_048, where: { name, _ in name == "a" })
        {
            let href = anchor.attributes["href"] ?? ""
            let linkHost = URLComponents(string: href)?.host?.lowercased()
            let outbound = linkHost.map { !isOwn($0, host: host) } ?? false
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
        let scripts = HTMLScanner.rawTextContents(named: "script", in: bytes, maxElements: 32, maxBytes: 256 << 10)
        for decoded in scriptStrings(scripts) { record(decoded, .script) }
        forwards += scriptForwards(scripts)
        // A page that sends its visitors on to a betting site: a finding whatever else it holds.
        for target in forwards.prefix(8) {
            guard let targetHost = URLComponents(string: target)?.host?.lowercased(), !isOwn(targetHost, host: host),
                let term = matcher.inHost(targetHost) ?? matcher.find(in: target).named
            else { continue }
            strongSeen = true
            placed = true
            forwarded = true
            score += weights[.forward] ?? 6
            if hits.count < maxHits {
                hits.append(SpamHit(term: term, place: .forward, url: target, excerpt: clipped(target)))
            }
        }
        let scrambled = strongSeen ? spoken.reduce(0) { $0 + scrambledCounts[$1] } : 0
        if strongSeen {
            score += min(weakCap, weak.count)
            if scrambled >= scrambledMinimum { score += scrambledWeight }
        }
        // What an officer must look for first: what was placed, then what shows in the text.
        let order: [SpamHit.Place] = [.forward, .hidden, .link, .script, .title, .meta, .visible]
        let ranked = hits.enumerated().sorted {
            let a = order.firstIndex(of: $0.element.place) ?? 0
            let b = order.firstIndex(of: $1.element.place) ?? 0
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        var facts = SpamFacts(
            score: score, injected: false, lawfulContext: lawful, hits: ranked, placed: placed, scoring: 2,
            scrambled: scrambled > 0 ? scrambled : nil, forwarded: forwarded)
        facts.injected = facts.injected(threshold: threshold)
        return facts
    }

    /// Whether `other` is `host` or one of its subdomains.
    static func isOwn(_ other: String, host: String) -> Bool {
        let own = host.lowercased()
        return other == own || other.hasSuffix("." + own)
    }

    /// The address of a `<meta http-equiv="refresh" content="5; url=…">` (`nil` when it only reloads the page).
    static func refreshTarget(_ content: String) -> String? {
        guard let semicolon = content.firstIndex(where: { $0 == ";" || $0 == "," }) else { return nil }
        var rest = content[content.index(after: semicolon)...].drop { $0 == " " }
        if rest.lowercased().hasPrefix("url") {
            rest = rest.dropFirst(3).drop { $0 == " " }
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
        }
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest = rest.dropFirst().prefix { $0 != quote }
        }
        let target = rest.trimmingCharacters(in: .whitespaces)
        return target.isEmpty ? nil : String(target.prefix(2_048))
    }

    /// Addresses an inline script sends the visitor to: a quoted absolute URL assigned to `location`,
    /// `location.href`, or passed to `location.replace(`/`location.assign(`/`window.open(` (what redirect
    /// spam writes; an address built at run time is not followed).
    static func scriptForwards(_ scripts: [ArraySlice<UInt8>]) -> [String] {
        var out: [String] = []
        for script in scripts {
            let text = String(decoding: script, as: UTF8.self)
            // The next `location` and `window.open(` from the cursor, each searched again only once passed:
            // the script is read once whatever it repeats.
            var cursor = text.startIndex
            var nextLocation = text.range(of: "location")
            var nextOpen = text.range(of: "window.open(")
            var candidates = 0
            while out.count < 16, candidates < 1_024 {
                if let found = nextLocation, found.lowerBound < cursor {
                    nextLocation = text.range(of: "location", range: cursor..<text.endIndex)
                }
                if let found = nextOpen, found.lowerBound < cursor {
                    nextOpen = text.range(of: "window.open(", range: cursor..<text.endIndex)
                }
                let next = [nextLocation, nextOpen].compactMap { $0 }.min { $0.lowerBound < $1.lowerBound }
                guard let next else { break }
                candidates += 1
                cursor = next.upperBound
                var tail = text[cursor...].prefix(32).drop { $0 == " " }
                for word in [".href", ".replace(", ".assign("] where tail.hasPrefix(word) {
                    tail = tail.dropFirst(word.count)
                    break
                }
                tail = tail.drop { $0 == " " || $0 == "=" || $0 == "(" }
                let head = text[tail.startIndex...]
                guard let quote = head.first, quote == "\"" || quote == "'" || quote == "`" else { continue }
                let url = head.dropFirst().prefix(2_048).prefix { $0 != quote }
                if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("//") {
                    out.append(url.hasPrefix("//") ? "https:" + url : String(url))
                }
            }
        }
        return out
    }

    /// Whether a start tag hides its content from a visitor (inline style, the `hidden` attribute).
    static func isHidden(_ name: String, _ attributes: [String: String]) -> Bool {
        if attributes["hidden"] != nil { return true }
        guard let style = attributes["style"]?.lowercased() else { return false }
        let compact = String(style.filter { !$0.isWhitespace })
        if hiddenMarkers.contains(where: { compact.contains($0) }) { return true }
        // Text the colour of its own background.
        let declarations: [(String, String)] = compact.split(separator: ";").prefix(32).compactMap { declaration in
            let parts = declaration.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1].prefix(64))) : nil
        }
        let colour = declarations.last { $0.0 == "color" }?.1
        let background = declarations.last { $0.0 == "background-color" || $0.0 == "background" }?.1
        return colour != nil && colour == background
    }

    /// Strings a script decodes (`atob("…")`, `decodeURIComponent("…")`, `unescape("…")`), decoded.
    static func scriptStrings(_ scripts: [ArraySlice<UInt8>]) -> [String] {
        var out: [String] = []
        for script in scripts {
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

            var isEmpty: Bool { strong.isEmpty && brands.isEmpty }
            /// The first term naming gambling or brand found.
            var named: String? { strong.first ?? brands.first }
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
        /// Brands by their first two letters, for a brand glued to the words beside it (`mien bacshbet`,
        /// `alo88vao`): looked for inside the tokens that are not Vietnamese syllables.
        var brandsByPrefix: [String: [(String, String)]] = [:]
        /// At most this many tokens of a text are searched for glued brands.
        static let gluedBudget = 2_000

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
                    if kind == .brand, phrase.joined.count >= 4 {
                        brandsByPrefix[String(phrase.joined.prefix(2)), default: []].append(
                            (phrase.joined, phrase.text))
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
            var glued = 0
            while i < tokens.count {
                guard let entry = byToken[tokens[i]] else {
                    // A Vietnamese syllable has at most seven letters and no digit: a longer token, or one
                    // with digits, may be words run together around a brand.
                    let token = tokens[i]
                    if glued < Self.gluedBudget, token.utf8.count > 7 || token.utf8.contains(where: { $0 < 0x3A }) {
                        glued += 1
                        if let brand = gluedBrand(token) { add(brand, .brand) }
                    }
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

        /// A brand inside `token` (ASCII, folded), at most 40 bytes of it read.
        func gluedBrand(_ token: String) -> String? {
            let bytes = Array(token.utf8.prefix(40))
            guard bytes.count >= 4 else { return nil }
            for start in 0..<(bytes.count - 3) {
                let key = String(decoding: bytes[start..<(start + 2)], as: UTF8.self)
                for (joined, text) in brandsByPrefix[key] ?? []
                where joined.utf8.count <= bytes.count - start
                    && bytes[start..<(start + joined.utf8.count)].elementsEqual(joined.utf8)
                {
                    return text
                }
            }
            return nil
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
    /// How `score` was counted: 2 (runs from 2026-12-06) leaves out the blocks a lawful context mutes and
    /// counts each visible term once; `nil` (runs before) counts the whole page, a lawful context muting it.
    public var scoring: Int?
    /// Syllables whose diacritics are scrambled to dodge filters, in the text beside the hits.
    public var scrambled: Int?
    /// The page sends its visitors on to a betting site (a meta refresh or a script): injected in itself.
    public var forwarded: Bool?

    enum CodingKeys: String, CodingKey {
        case score, injected, hits, placed, scoring, scrambled, forwarded
        case lawfulContext = "lawful_context"
    }

    public init(
        score: Int, injected: Bool, lawfulContext: Bool, hits: [SpamHit], placed: Bool? = nil, scoring: Int? = nil,
        scrambled: Int? = nil, forwarded: Bool? = nil
    ) {
        self.score = score
        self.injected = injected
        self.lawfulContext = lawfulContext
        self.hits = hits
        self.placed = placed
        self.scoring = scoring
        self.scrambled = scrambled
        self.forwarded = forwarded
    }

    /// Whether a page reads as injected at `threshold`: it forwards visitors to a betting site, or its score
    /// reaches the threshold (in runs stored before 2026-12-06, unless its text read as a lawful story and
    /// nothing was placed).
    public static func injected(
        score: Int, lawful: Bool, placed: Bool, threshold: Int, scoring: Int? = nil, forwarded: Bool = false
    ) -> Bool {
        if forwarded { return true }
        if (scoring ?? 1) >= 2 { return score >= threshold }
        return score >= threshold && !(lawful && !placed)
    }

    /// Whether this page reads as injected at `threshold`.
    public func injected(threshold: Int) -> Bool {
        Self.injected(
            score: score, lawful: lawfulContext, placed: placed ?? hits.contains { $0.place != .visible },
            threshold: threshold, scoring: scoring, forwarded: forwarded ?? false)
    }
}

/// One spam term found: the term, where, the link it points to, a short excerpt (escaped when shown).
public struct SpamHit: Codable, Sendable, Equatable {
    public enum Place: String, Codable, Sendable {
        case visible, hidden, title, meta, link, script
        /// Where a meta refresh or a script sends the visitor.
        case forward
    }

    public var term: String
    public var place: Place
    public var url: String?
    public var excerpt: String
    /// In a block a lawful context mutes (a police story, the lottery's results): shown, never weighed.
    public var lawful: Bool?

    public init(term: String, place: Place, url: String? = nil, excerpt: String, lawful: Bool? = nil) {
        self.term = term
        self.place = place
        self.url = url
        self.excerpt = excerpt
        self.lawful = lawful
    }
}
