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
    /// `feed`, `sitemap`, `page`, `last-modified`.
    public var source: String
    public var url: String
    /// The newest acceptable date found there.
    public var newest: Date?
    /// How many acceptable dates were found.
    public var count: Int
    /// The document was longer than the cap and was cut (dates were read from what arrived).
    public var truncated: Bool
    public var failure: ProbeFailure?

    public init(
        source: String, url: String, newest: Date?, count: Int, truncated: Bool = false, failure: ProbeFailure? = nil
    ) {
        self.source = source
        self.url = url
        self.newest = newest
        self.count = count
        self.truncated = truncated
        self.failure = failure
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
    /// SHA-256 of the home page body (the content itself is never stored).
    public var homeSHA256: String?
    /// Resources the HTTPS home page loads over `http://` (`tag url`): active (scripts, frames, stylesheets,
    /// forms, plugins) and passive (images, media). `nil`: not looked at (histories before 2026-12).
    public var mixedActive: [String]?
    public var mixedPassive: [String]?

    enum CodingKeys: String, CodingKey {
        case newest, sources
        case mixedActive = "mixed_active"
        case mixedPassive = "mixed_passive"
        case newestSource = "newest_source"
        case newestURL = "newest_url"
        case mandatoryFound = "mandatory_found"
        case mandatoryMissing = "mandatory_missing"
        case homeSHA256 = "home_sha256"
    }

    public init(
        newest: Date?, newestSource: String?, newestURL: String?, sources: [DatedSource], mandatoryFound: [String],
        mandatoryMissing: [String], homeSHA256: String?, mixedActive: [String]? = nil, mixedPassive: [String]? = nil
    ) {
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
