import Foundation

/// The home page as received: its title (hostile text: capped, decoded leniently) and size.
public struct PageFacts: Codable, Sendable, Equatable {
    public var title: String?
    public var bytes: Int
    /// The body was longer than the cap and was cut.
    public var truncated: Bool

    public init(title: String?, bytes: Int, truncated: Bool) {
        self.title = title
        self.bytes = bytes
        self.truncated = truncated
    }
}

/// One place a publication date was looked for.
public struct DatedSource: Codable, Sendable, Equatable {
    /// `feed`, `sitemap`, `page`, `structured` (the page's meta tags, `<time>`, JSON-LD), `last-modified`.
    public var source: String
    public var url: String
    /// The newest acceptable date found there.
    public var newest: Date?
    /// How many acceptable dates were found.
    public var count: Int
    /// The document was longer than the cap and was cut (dates were read from what arrived).
    public var truncated: Bool
    public var failure: ProbeFailure?
    /// For the page: the words the newest publication date came with (`Đăng ngày 17 - 05 - 2024`).
    public var phrase: String?

    public init(
        source: String, url: String, newest: Date?, count: Int, truncated: Bool = false, failure: ProbeFailure? = nil,
        phrase: String? = nil
    ) {
        self.source = source
        self.url = url
        self.newest = newest
        self.count = count
        self.truncated = truncated
        self.failure = failure
        self.phrase = phrase
    }
}

/// How current the portal is, and whether it shows who runs it.
public struct ContentFacts: Codable, Sendable, Equatable {
    /// The newest publication date over every source, and where it came from.
    public var newest: Date?
    public var newestSource: String?
    public var newestURL: String?
    public var sources: [DatedSource]
    /// Mandatory items seen on the home page (`agency`, `responsible`, `address`, `phone`, `email`) and missing.
    public var mandatoryFound: [String]
    public var mandatoryMissing: [String]
    /// Where each item found was shown, by its label (`nil` in runs before 2026-12-06, which read the whole
    /// page's text).
    public var mandatoryWhere: [MandatoryInfo.Found]?
    /// The contact page read for the items the footer lacks (`nil`: not needed, or none linked).
    public var contactPage: String?
    /// Signs of search-engine hijacking (`nil` in runs before 2026-12-06).
    public var search: SearchFacts?
    /// SHA-256 of the home page body (the content itself is never stored).
    public var homeSHA256: String?
    /// Resources the HTTPS home page loads over `http://` (`tag url`): active (scripts, frames, stylesheets,
    /// forms, plugins) and passive (images, media). `nil`: not looked at (histories before 2026-12).
    public var mixedActive: [String]?
    public var mixedPassive: [String]?
    /// Gambling and betting spam on the home page. `nil`: not looked at (histories before 2026-12).
    public var spam: SpamFacts?
    /// The home page as a crawler and as a visitor from a search saw it. `nil`: not looked at.
    public var cloaking: CloakingFacts?
    /// Same-host pages sampled from the sitemap and the home page's links, and the site's search. `nil`: not
    /// looked at (histories before 2026-12, or a sample size of 0).
    public var sample: PageSample?
    /// The home page's title, text sketch and links, for the next scan to compare (`content.defacement`).
    public var fingerprint: PageFingerprint?
    /// The software the home page, its headers and its feed announce (`nil`: not looked at).
    public var software: [SoftwareComponent]?
    /// Personal data the home page and the sampled pages show (`nil`: not looked at, runs before 2026-12-06).
    public var privacy: PrivacyFacts?

    enum CodingKeys: String, CodingKey {
        case newest, sources, spam, cloaking, sample, fingerprint, software, privacy
        case mixedActive = "mixed_active"
        case mixedPassive = "mixed_passive"
        case newestSource = "newest_source"
        case newestURL = "newest_url"
        case mandatoryFound = "mandatory_found"
        case mandatoryMissing = "mandatory_missing"
        case mandatoryWhere = "mandatory_where"
        case contactPage = "contact_page"
        case search
        case homeSHA256 = "home_sha256"
    }

    public init(
        newest: Date?, newestSource: String?, newestURL: String?, sources: [DatedSource], mandatoryFound: [String],
        mandatoryMissing: [String], homeSHA256: String?, mixedActive: [String]? = nil, mixedPassive: [String]? = nil,
        spam: SpamFacts? = nil, cloaking: CloakingFacts? = nil, sample: PageSample? = nil,
        fingerprint: PageFingerprint? = nil, software: [SoftwareComponent]? = nil,
        mandatoryWhere: [MandatoryInfo.Found]? = nil, contactPage: String? = nil, search: SearchFacts? = nil,
        privacy: PrivacyFacts? = nil
    ) {
        self.privacy = privacy
        self.search = search
        self.mandatoryWhere = mandatoryWhere
        self.contactPage = contactPage
        self.software = software
        self.sample = sample
        self.fingerprint = fingerprint
        self.spam = spam
        self.cloaking = cloaking
        self.mixedActive = mixedActive
        self.mixedPassive = mixedPassive
        self.newest = newest
        self.newestSource = newestSource
        self.newestURL = newestURL
        self.sources = sources
        self.mandatoryFound = mandatoryFound
        self.mandatoryMissing = mandatoryMissing
        self.homeSHA256 = homeSHA256
    }
}

/// The home page as a search crawler and as a visitor arriving from a search saw it, beside what a browser
/// saw (cloaking shows spam, or sends elsewhere, only to some of them).
public struct CloakingFacts: Codable, Sendable, Equatable {
    /// What the browser-like fetch got: status, redirect target, whether it carried spam.
    public var browserStatus: Int
    public var browserLocation: String?
    public var browserSpam: Bool
    public var variants: [CloakVariant]

    enum CodingKeys: String, CodingKey {
        case variants
        case browserStatus = "browser_status"
        case browserLocation = "browser_location"
        case browserSpam = "browser_spam"
    }

    public init(browserStatus: Int, browserLocation: String?, browserSpam: Bool, variants: [CloakVariant]) {
        self.browserStatus = browserStatus
        self.browserLocation = browserLocation
        self.browserSpam = browserSpam
        self.variants = variants
    }
}

/// One other way of asking for the home page, and what came back.
public struct CloakVariant: Codable, Sendable, Equatable {
    public enum Agent: String, Codable, Sendable {
        /// A search engine's crawler, by its documented User-Agent.
        case crawler
        /// A browser arriving from a search results page (`Referer`).
        case searchReferrer = "search-referrer"
    }

    public var agent: Agent
    public var status: Int?
    public var location: String?
    /// Percent of word triples shared with the browser's page (`nil`: nothing to compare).
    public var similarity: Int?
    public var spam: Bool
    /// Why nothing came back (`nil`: an answer).
    public var failure: String?

    public init(
        agent: Agent, status: Int?, location: String?, similarity: Int?, spam: Bool, failure: String? = nil
    ) {
        self.agent = agent
        self.status = status
        self.location = location
        self.similarity = similarity
        self.spam = spam
        self.failure = failure
    }
}

/// The pages sampled beyond the home page, for spam a portal carries deeper down (injected pages are
/// listed in the sitemap, linked from the home page, or reached through the site's search).
public struct PageSample: Codable, Sendable, Equatable {
    /// The sample size asked for (`--sample-pages`).
    public var size: Int
    /// Same-host pages the sitemap and the home page offered.
    public var candidates: Int
    /// Candidates robots.txt forbids (not fetched).
    public var disallowed: Int
    public var pages: [SampledPage]
    /// The home page's search form asked for a harmless marker. `nil`: the page has no search form.
    public var search: SearchReflection?

    public init(size: Int, candidates: Int, disallowed: Int, pages: [SampledPage], search: SearchReflection?) {
        self.size = size
        self.candidates = candidates
        self.disallowed = disallowed
        self.pages = pages
        self.search = search
    }
}

/// One sampled page: its answer and, when it carries spam, the hits (clean pages keep only the score).
public struct SampledPage: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int?
    /// The page's spam score and whether it reads as injected at the shipped threshold (`nil`: not an HTML
    /// page, or no answer).
    public var score: Int?
    public var injected: Bool
    /// Its hits, when its score is above 0 (runs before 2026-12-06: only when injected).
    public var hits: [SpamHit]
    /// As `SpamFacts.lawfulContext` and `placed` (`nil` in runs stored before).
    public var lawfulContext: Bool?
    public var placed: Bool?
    /// As `SpamFacts.scoring` and `forwarded` (`nil` in runs stored before).
    public var scoring: Int?
    public var forwarded: Bool?
    /// Whether a search crawler asking for the same page got spam a browser was not shown (`nil`: not asked).
    public var crawlerSpam: Bool?
    public var failure: String?
    /// The personal data the page shows, counted and masked (`nil`: none, or not looked at).
    public var personal: PersonalDataFacts?

    enum CodingKeys: String, CodingKey {
        case url, status, score, injected, hits, failure, placed, scoring, forwarded, personal
        case crawlerSpam = "crawler_spam"
        case lawfulContext = "lawful_context"
    }

    public init(
        url: String, status: Int?, score: Int?, injected: Bool, hits: [SpamHit] = [], crawlerSpam: Bool? = nil,
        failure: String? = nil, lawfulContext: Bool? = nil, placed: Bool? = nil, scoring: Int? = nil,
        forwarded: Bool? = nil, personal: PersonalDataFacts? = nil
    ) {
        self.personal = personal
        self.url = url
        self.status = status
        self.score = score
        self.injected = injected
        self.hits = hits
        self.crawlerSpam = crawlerSpam
        self.failure = failure
        self.lawfulContext = lawfulContext
        self.placed = placed
        self.scoring = scoring
        self.forwarded = forwarded
    }

    /// Whether the page reads as injected at `threshold` (runs stored before: their own reading).
    public func injected(threshold: Int) -> Bool {
        guard let score, let lawfulContext else { return injected }
        return SpamFacts.injected(
            score: score, lawful: lawfulContext, placed: placed ?? hits.contains { $0.place != .visible },
            threshold: threshold, scoring: scoring, forwarded: forwarded ?? false)
    }
}

/// The site's search asked for a harmless marker: a page that shows any query back as text, and lets search
/// engines index it, lets spammers publish betting ads under the portal's name by linking such URLs.
public struct SearchReflection: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int?
    /// The marker appears in the page's text.
    public var reflected: Bool
    /// No `noindex` in a robots meta tag or an `X-Robots-Tag` header.
    public var indexable: Bool

    public init(url: String, status: Int?, reflected: Bool, indexable: Bool) {
        self.url = url
        self.status = status
        self.reflected = reflected
        self.indexable = indexable
    }
}

/// How alike two pages' texts are: the share of word triples they have in common (Jaccard, percent).
/// Linear: each text's triples are hashed into a set of at most `limit`.
public enum PageSimilarity {
    public static func percent(_ a: String, _ b: String, limit: Int = 50_000) -> Int {
        let x = shingles(a, limit: limit)
        let y = shingles(b, limit: limit)
        if x.isEmpty && y.isEmpty { return 100 }
        let union = x.union(y).count
        return union == 0 ? 100 : Int((Double(x.intersection(y).count) * 100 / Double(union)).rounded())
    }

    static func shingles(_ text: String, limit: Int) -> Set<Int> {
        let words = SpamText.tokens(text, limit: limit + 2)
        guard words.count >= 3 else { return Set(words.map(\.hashValue)) }
        var out = Set<Int>()
        for i in 0..<(words.count - 2) where out.count < limit {
            var hasher = Hasher()
            hasher.combine(words[i])
            hasher.combine(words[i + 1])
            hasher.combine(words[i + 2])
            out.insert(hasher.finalize())
        }
        return out
    }
}

/// Personal data a portal publishes (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15): where, and how much, never
/// what. Only the pages and documents that show some are listed.
public struct PrivacyFacts: Codable, Sendable, Equatable {
    /// The pages read: the home page and the sampled pages that answered with HTML.
    public var pagesRead: Int
    /// The pages showing personal data, each with its counts and masked samples.
    public var pages: [PersonalDataSource]
    /// Links to documents (PDF, Office, OpenDocument) found on the pages read, same host, each once.
    public var documentLinks: Int
    /// The documents fetched and read (at most `--documents`), those showing nothing included.
    public var documents: [DocumentFacts]
    /// Forms asking for personal data, with whether their page links a privacy notice (`nil`: not looked
    /// at, in runs stored before 2026-12-06).
    public var forms: [PrivacyForm]?
    /// Third-party trackers the pages load on the first visit, before any consent (`nil`: not looked at).
    public var trackers: [PrivacyTracker]?

    enum CodingKeys: String, CodingKey {
        case pages, documents, forms, trackers
        case pagesRead = "pages_read"
        case documentLinks = "document_links"
    }

    public init(
        pagesRead: Int, pages: [PersonalDataSource], documentLinks: Int = 0, documents: [DocumentFacts] = [],
        forms: [PrivacyForm]? = [], trackers: [PrivacyTracker]? = []
    ) {
        self.pagesRead = pagesRead
        self.pages = pages
        self.documentLinks = documentLinks
        self.documents = documents
        self.forms = forms
        self.trackers = trackers
    }

    /// Runs stored before documents, forms and trackers were read decode with none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pagesRead = try container.decode(Int.self, forKey: .pagesRead)
        pages = try container.decode([PersonalDataSource].self, forKey: .pages)
        documentLinks = try container.decodeIfPresent(Int.self, forKey: .documentLinks) ?? 0
        documents = try container.decodeIfPresent([DocumentFacts].self, forKey: .documents) ?? []
        forms = try container.decodeIfPresent([PrivacyForm].self, forKey: .forms)
        trackers = try container.decodeIfPresent([PrivacyTracker].self, forKey: .trackers)
    }

    /// Every page's and document's counts added up.
    public var total: PersonalDataFacts {
        let sources = pages.map(\.facts) + documents.compactMap(\.personal)
        return sources.reduce(into: PersonalDataFacts()) { sum, facts in
            sum.ids += facts.ids
            sum.cmnd += facts.cmnd
            sum.phones += facts.phones
            sum.tables += facts.tables
            for sample in facts.samples where sum.samples.count < 6 { sum.samples.append(sample) }
        }
    }
}

/// The format of a document, told by its first bytes.
public enum DocumentFormat: String, Codable, Sendable {
    case pdf, docx, xlsx, odt, ods
    case legacyOffice = "legacy-office"
    case other
}

/// How reading a document went.
public enum DocumentReadStatus: String, Codable, Sendable {
    /// Its text was read.
    case read
    /// A PDF without a text layer (a scan): counted, never guessed at.
    case noText = "no-text"
    /// A format not read (legacy Office, not a document at all), or no reader installed.
    case unsupported
    /// Damaged, over its caps (a zip bomb), or its reader stopped at a limit.
    case unreadable
    /// Larger than the download cap: not read.
    case tooLarge = "too-large"
    /// Not fetched: an error answer, or the site's budget spent.
    case notFetched = "not-fetched"
}

/// A document a portal links, fetched and read for personal data.
public struct DocumentFacts: Codable, Sendable, Equatable {
    public var url: String
    /// Its file name as a person reads it (percent-decoded).
    public var name: String
    public var format: DocumentFormat
    public var bytes: Int
    public var status: Int?
    public var read: DocumentReadStatus
    public var reason: String?
    /// Its pages (PDF) when read.
    public var pageCount: Int?
    /// The personal data it holds, counted and masked (`nil`: none, or not read).
    public var personal: PersonalDataFacts?
    /// The pages (from 1) showing personal data, at most 20 (a PDF's; none for other formats).
    public var personalPages: [Int]
    /// Identifiers under a black box whose text still extracts (a failed redaction).
    public var hidden: Int

    enum CodingKeys: String, CodingKey {
        case url, name, format, bytes, status, read, reason, personal, hidden
        case pageCount = "page_count"
        case personalPages = "personal_pages"
    }

    public init(
        url: String, name: String, format: DocumentFormat, bytes: Int, status: Int?, read: DocumentReadStatus,
        reason: String? = nil, pageCount: Int? = nil, personal: PersonalDataFacts? = nil, personalPages: [Int] = [],
        hidden: Int = 0
    ) {
        self.url = url
        self.name = name
        self.format = format
        self.bytes = bytes
        self.status = status
        self.read = read
        self.reason = reason
        self.pageCount = pageCount
        self.personal = personal
        self.personalPages = personalPages
        self.hidden = hidden
    }
}

/// A form asking for personal data.
public struct PrivacyForm: Codable, Sendable, Equatable {
    /// The page it is on.
    public var url: String
    /// What it asks: `cccd`, `phone`, `address`, `email`.
    public var asks: [String]
    /// Whether its page links a privacy notice.
    public var notice: Bool

    public init(url: String, asks: [String], notice: Bool) {
        self.url = url
        self.asks = asks
        self.notice = notice
    }
}

/// A third-party tracker loaded on the first visit.
public struct PrivacyTracker: Codable, Sendable, Equatable {
    /// Its registrable host (`google-analytics.com`).
    public var host: String
    /// `script`, `inline` or `pixel`.
    public var via: String
    /// The first page it was seen on.
    public var url: String
    /// A state measurement service (a host under `.gov.vn`, such as the EMC TT 22/2023 asks portals to
    /// connect to): listed, not counted as a tracker to review.
    public var state: Bool

    public init(host: String, via: String, url: String, state: Bool) {
        self.host = host
        self.via = via
        self.url = url
        self.state = state
    }
}

/// A page that shows personal data: its address and what it shows.
public struct PersonalDataSource: Codable, Sendable, Equatable {
    public var url: String
    public var facts: PersonalDataFacts

    public init(url: String, facts: PersonalDataFacts) {
        self.url = url
        self.facts = facts
    }
}
