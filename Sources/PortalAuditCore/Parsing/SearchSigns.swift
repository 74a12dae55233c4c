import Foundation

/// Signs that someone uses a portal to push pages in search engines (search-engine hijacking): the
/// site-verification tokens it serves (an attacker verifies a hacked portal in a search console to submit
/// their pages), schema.org commerce markup (products, offers, ratings and reviews, which rich results
/// show beside a betting or pharmacy page), the name the page gives itself, and sitemap entries on other
/// hosts. Read in one pass each, within the HTML scanner's caps.
public enum SearchSigns {
    /// Verification meta tags, by name, and the engine each belongs to.
    static let verificationMeta: [String: String] = [
        "google-site-verification": "google", "msvalidate.01": "bing", "yandex-verification": "yandex",
        "baidu-site-verification": "baidu", "facebook-domain-verification": "facebook", "p:domain_verify": "pinterest",
    ]
    /// The schema.org types a government portal has no reason to declare.
    public static let commerceTypes: Set<String> = [
        "Product", "Offer", "AggregateOffer", "AggregateRating", "Review", "IndividualProduct", "ProductGroup",
    ]
    /// At most this many tokens, types and names are kept.
    static let cap = 16

    /// The site-verification tokens of the page's meta tags, as `engine:token` (a token keeps only the
    /// characters tokens are made of, at most 100).
    public static func verificationTokens(in body: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        for meta in HTMLScanner.tags(named: "meta", in: body, maxTags: 256) where out.count < cap {
            guard let engine = verificationMeta[(meta["name"] ?? "").lowercased()],
                let token = cleaned(meta["content"] ?? "")
            else { continue }
            let entry = engine + ":" + token
            if !out.contains(entry) { out.append(entry) }
        }
        return out
    }

    /// The tokens of a Bing `BingSiteAuth.xml` file (`<user>…</user>`), as `bing:token`.
    public static func bingTokens(in xml: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        for user in HTMLScanner.elements(in: xml, maxElements: cap, maxBytes: 256, where: { name, _ in name == "user" })
        {
            if let token = cleaned(String(decoding: user.content, as: UTF8.self)), !out.contains("bing:" + token) {
                out.append("bing:" + token)
            }
        }
        return out
    }

    /// A token as served, trimmed; `nil` unless it is 4 to 100 token characters.
    static func cleaned(_ raw: String) -> String? {
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (4...100).contains(token.count),
            token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_=+/.".contains($0)) })
        else { return nil }
        return token
    }

    /// The schema.org types the page's JSON-LD declares (`"@type": "Product"` or a list of types), at most 16.
    public static func structuredTypes(in body: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        for script in HTMLScanner.rawTextContents(named: "script", in: body, maxElements: 32, maxBytes: 256 << 10) {
            for value in JSONText.strings(of: "@type", in: script, limit: 64) where out.count < cap {
                // `https://schema.org/Product` or `schema:Product` name the same type.
                let type = String(value.split(whereSeparator: { $0 == "/" || $0 == ":" }).last ?? "")
                if !type.isEmpty, !out.contains(type) { out.append(type) }
            }
        }
        return out
    }

    /// The names the page gives itself: `og:site_name` and `application-name`.
    public static func siteNames(in body: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        for meta in HTMLScanner.tags(named: "meta", in: body, maxTags: 256) where out.count < 4 {
            let name = (meta["property"] ?? meta["name"] ?? "").lowercased()
            guard name == "og:site_name" || name == "application-name",
                let content = meta["content"]?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty
            else { continue }
            let clipped = String(content.prefix(120))
            if !out.contains(clipped) { out.append(clipped) }
        }
        return out
    }

    /// Words that say what a portal is, not whose it is: left out when names are compared.
    static let genericWords: Set<String> = [
        "cong", "thong", "tin", "dien", "tu", "trang", "website", "web", "portal", "cua", "va", "so", "ttdt",
        "tttdt", "xa", "phuong", "thi", "tran", "huyen", "quan", "tinh", "thanh", "pho", "tp", "ubnd", "uy", "ban",
        "nhan", "dan", "chinh", "quyen", "dia", "phuong", "home", "page", "the", "of", "official",
    ]

    /// Whether `shown` (a name the page gives itself) names something else than `declared` (the inventory's
    /// name): each has a word that says whose it is, and they share none.
    public static func namesDiffer(shown: String, declared: String) -> Bool {
        func words(_ text: String) -> Set<String> {
            Set(SpamText.tokens(text, limit: 64).filter { $0.count > 1 && !genericWords.contains($0) })
        }
        let a = words(shown)
        let b = words(declared)
        return !a.isEmpty && !b.isEmpty && a.isDisjoint(with: b)
    }

    /// The entries of a sitemap on another host than `host` or its subdomains: how many, and up to five.
    public static func offHost(_ urls: [String], host: String) -> (count: Int, samples: [String]) {
        let own = host.lowercased()
        var count = 0
        var samples: [String] = []
        for url in urls {
            guard let other = URLComponents(string: url)?.host?.lowercased(), other != own, !other.hasSuffix("." + own)
            else { continue }
            count += 1
            if samples.count < 5 { samples.append(String(url.prefix(200))) }
        }
        return (count, samples)
    }
}

/// What the home page and the sitemap show of search-engine hijacking (`content.search-hijack`,
/// `content.verification-tokens`).
public struct SearchFacts: Codable, Sendable, Equatable {
    /// Site-verification tokens served, as `engine:token` (meta tags; Bing's `BingSiteAuth.xml`).
    public var verification: [String]
    /// The schema.org types of the page's JSON-LD.
    public var types: [String]
    /// The names the page gives itself (`og:site_name`, `application-name`).
    public var siteNames: [String]
    /// Sitemap entries on another host, and up to five of them (`nil`: no sitemap read).
    public var sitemapOffHost: Int?
    public var sitemapOffHostSamples: [String]?

    enum CodingKeys: String, CodingKey {
        case verification, types
        case siteNames = "site_names"
        case sitemapOffHost = "sitemap_off_host"
        case sitemapOffHostSamples = "sitemap_off_host_samples"
    }

    public init(
        verification: [String], types: [String], siteNames: [String], sitemapOffHost: Int? = nil,
        sitemapOffHostSamples: [String]? = nil
    ) {
        self.verification = verification
        self.types = types
        self.siteNames = siteNames
        self.sitemapOffHost = sitemapOffHost
        self.sitemapOffHostSamples = sitemapOffHostSamples
    }

    /// The commerce types among `types`.
    public var commerce: [String] { types.filter { SearchSigns.commerceTypes.contains($0) } }
}
