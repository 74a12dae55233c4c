import Foundation

/// A piece of software the portal announces about itself, and where it said so.
public struct SoftwareComponent: Codable, Sendable, Equatable {
    /// The product's id in the end-of-life table (`wordpress`, `joomla`, `php`, `iis` …).
    public var product: String
    /// The version as announced (`nil`: the product shows, its version does not).
    public var version: String?
    /// Where: `meta generator`, `header Server`, `asset ?ver=`, `feed generator`, `manifest` (authorised).
    public var source: String
    /// What it said, capped (hostile text, escaped when shown).
    public var evidence: String

    public init(product: String, version: String?, source: String, evidence: String) {
        self.product = product
        self.version = version
        self.source = source
        self.evidence = evidence
    }
}
