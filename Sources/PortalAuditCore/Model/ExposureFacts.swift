import Foundation

/// One sensitive path asked for, and whether its content matched the signature.
public struct ExposureCheckFacts: Codable, Sendable, Equatable {
    public var path: String
    /// `vcs`, `sensitive`, `listing`.
    public var kind: String
    public var status: Int?
    public var matched: Bool
    public var failure: ProbeFailure?

    public init(path: String, kind: String, status: Int?, matched: Bool, failure: ProbeFailure? = nil) {
        self.path = path
        self.kind = kind
        self.status = status
        self.matched = matched
        self.failure = failure
    }
}
