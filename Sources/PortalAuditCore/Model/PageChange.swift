import Foundation

/// What a later scan needs to tell whether the home page was replaced, without keeping the page: its title,
/// a sketch of its text, the domains it links to, and any defacer's signature in its title or opening words.
public struct PageFingerprint: Codable, Sendable, Equatable {
    public var title: String?
    /// The smallest stable hashes of the text's word triples (`TextSketch`), to estimate how much two
    /// scans' texts share.
    public var sketch: [UInt32]
    /// Other domains the page links to, sorted, at most 50.
    public var outbound: [String]
    /// Defacers' signatures found in the title or the opening words ("hacked by …").
    public var defacementMarks: [String]
    /// The site-verification tokens served (`engine:token`; `nil` in scans before 2026-12-06).
    public var verification: [String]?

    enum CodingKeys: String, CodingKey {
        case title, sketch, outbound, verification
        case defacementMarks = "defacement_marks"
    }

    public init(
        title: String?, sketch: [UInt32], outbound: [String], defacementMarks: [String], verification: [String]? = nil
    ) {
        self.title = title
        self.sketch = sketch
        self.outbound = outbound
        self.defacementMarks = defacementMarks
        self.verification = verification
    }

    /// The fingerprint of a page: its title, visible text and links (hostile text: everything capped).
    public static func of(title: String?, text: String, links: [String], host: String) -> PageFingerprint {
        var domains = Set<String>()
        let own = host.lowercased()
        for link in links.prefix(2_000) {
            guard let linked = URLComponents(string: link)?.host?.lowercased(), linked != own,
                !linked.hasSuffix("." + own)
            else { continue }
            domains.insert(linked)
        }
        return PageFingerprint(
            title: title.map { String($0.prefix(200)) }, sketch: TextSketch.sketch(text),
            outbound: Array(domains.sorted().prefix(50)),
            defacementMarks: DefacementMarks.find(title: title ?? "", text: text))
    }
}

/// How the home page changed since the previous scan in history: the comparison, as facts.
public struct PageChange: Codable, Sendable, Equatable {
    /// When the previous scan saw the page.
    public var previousObservedAt: Date
    public var previousTitle: String?
    public var title: String?
    /// Estimated percent of word triples the two texts share.
    public var similarity: Int
    /// Domains linked now and not before (at most 20), and how many were linked before.
    public var newOutbound: [String]
    public var previousOutbound: Int
    /// The most text the page shares with a scan before the previous one (`nil`: none in history): a page
    /// the previous scan did not see, but an earlier one did, is a page restored (after a defacement).
    public var earlierSimilarity: Int?
    /// Site-verification tokens served now and not at the previous scan (`nil`: the previous scan did not
    /// look for them).
    public var newVerification: [String]?

    enum CodingKeys: String, CodingKey {
        case similarity, title
        case newVerification = "new_verification"
        case earlierSimilarity = "earlier_similarity"
        case previousObservedAt = "previous_observed_at"
        case previousTitle = "previous_title"
        case newOutbound = "new_outbound"
        case previousOutbound = "previous_outbound"
    }

    public init(
        previousObservedAt: Date, previousTitle: String?, title: String?, similarity: Int, newOutbound: [String],
        previousOutbound: Int, earlierSimilarity: Int? = nil, newVerification: [String]? = nil
    ) {
        self.newVerification = newVerification
        self.earlierSimilarity = earlierSimilarity
        self.previousObservedAt = previousObservedAt
        self.previousTitle = previousTitle
        self.title = title
        self.similarity = similarity
        self.newOutbound = newOutbound
        self.previousOutbound = previousOutbound
    }

    /// The scans compared: the previous one, and up to three before it.
    public static let scansCompared = 4

    /// The change from `previous` (seen at `date`) to `current`; `earlier`: the fingerprints of the scans
    /// before `previous`, newest first.
    public static func between(
        _ previous: PageFingerprint, at date: Date, and current: PageFingerprint, earlier: [PageFingerprint] = []
    ) -> PageChange {
        let before = Set(previous.outbound)
        return PageChange(
            previousObservedAt: date, previousTitle: previous.title, title: current.title,
            similarity: TextSketch.similarity(previous.sketch, current.sketch),
            newOutbound: Array(current.outbound.filter { !before.contains($0) }.prefix(20)),
            previousOutbound: before.count,
            earlierSimilarity: earlier.map { TextSketch.similarity($0.sketch, current.sketch) }.max(),
            newVerification: previous.verification.map { seen in
                (current.verification ?? []).filter { !seen.contains($0) }
            })
    }
}

/// A bottom-k sketch of a text's word triples: the `size` smallest FNV-1a hashes, stable across runs and
/// machines (Swift's `Hasher` is seeded per process), so two scans' texts compare without keeping either.
public enum TextSketch {
    public static let size = 32

    public static func sketch(_ text: String, size: Int = TextSketch.size) -> [UInt32] {
        let words = SpamText.tokens(text, limit: 50_000)
        var hashes = Set<UInt32>()
        if words.count < 3 {
            for word in words { hashes.insert(fnv(word)) }
        } else {
            for i in 0..<(words.count - 2) {
                hashes.insert(fnv(words[i] + " " + words[i + 1] + " " + words[i + 2]))
            }
        }
        return Array(hashes.sorted().prefix(size))
    }

    /// Estimated percent of triples two sketched texts share: of the union's `size` smallest hashes, the
    /// share found in both (100 when both are empty).
    public static func similarity(_ a: [UInt32], _ b: [UInt32], size: Int = TextSketch.size) -> Int {
        if a.isEmpty && b.isEmpty { return 100 }
        let x = Set(a)
        let y = Set(b)
        let union = Array(x.union(y).sorted().prefix(size))
        let shared = union.filter { x.contains($0) && y.contains($0) }.count
        return Int((Double(shared) * 100 / Double(union.count)).rounded())
    }

    static func fnv(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}

/// Defacers sign their work: "Hacked by …", "Defaced by …", "owned by", "pwned", "bị hack". Looked for as
/// folded tokens (so `H4CK3D BY` is found too): every signature in the title; in the first 300 words of
/// text only "hacked by" and "defaced by" (a news story may say "hacker", a footer "owned by").
public enum DefacementMarks {
    static let titlePhrases: [[String]] = [
        ["hacked", "by"], ["defaced", "by"], ["owned", "by"], ["hacked"], ["defaced"], ["pwned"], ["bi", "hack"],
        ["hacker"], ["greetz"],
    ]
    static let textPhrases: [[String]] = [["hacked", "by"], ["defaced", "by"]]

    public static func find(title: String, text: String) -> [String] {
        var found: [String] = []
        for (words, phrases) in [
            (SpamText.tokens(title, limit: 60), titlePhrases), (SpamText.tokens(text, limit: 300), textPhrases),
        ] {
            for phrase in phrases where words.count >= phrase.count {
                let hit = (0...(words.count - phrase.count)).contains { i in
                    phrase.indices.allSatisfy { words[i + $0] == phrase[$0] }
                }
                let label = phrase.joined(separator: " ")
                if hit && !found.contains(label) { found.append(label) }
            }
        }
        return found
    }
}
