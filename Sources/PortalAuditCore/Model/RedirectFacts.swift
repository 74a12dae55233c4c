import Foundation

/// One hop of the HTTP root's redirect chain.
public struct RedirectHop: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int?
    public var location: String?
    public var failure: ProbeFailure?
    /// Set when the scanner refused to follow this hop's `Location` (and why).
    public var refused: RedirectScope.Refusal?

    public init(
        url: String, status: Int? = nil, location: String? = nil, failure: ProbeFailure? = nil,
        refused: RedirectScope.Refusal? = nil
    ) {
        self.url = url
        self.status = status
        self.location = location
        self.failure = failure
        self.refused = refused
    }
}

/// The redirect chain from `http://host/`, followed by hand.
public struct RedirectFacts: Codable, Sendable, Equatable {
    /// How the chain ended.
    public enum Outcome: String, Codable, Sendable, Equatable {
        /// A final response (no more `Location`).
        case final
        /// A URL seen twice.
        case loop
        /// More hops than the cap.
        case tooManyHops = "too_many_hops"
        /// A `Location` with a scheme other than http/https.
        case badScheme = "bad_scheme"
        /// A hop failed (connect, timeout, TLS).
        case failed
        /// A `Location` the scanner would not follow: credentials in it, or an address more private
        /// than the portal's own (the last hop's `refused` says which).
        case refused
    }

    public var hops: [RedirectHop]
    public var outcome: Outcome
    /// The scheme of the last URL reached.
    public var finalScheme: String?
    public var finalURL: String?

    enum CodingKeys: String, CodingKey {
        case hops, outcome
        case finalScheme = "final_scheme"
        case finalURL = "final_url"
    }

    public init(hops: [RedirectHop], outcome: Outcome, finalScheme: String?, finalURL: String?) {
        self.hops = hops
        self.outcome = outcome
        self.finalScheme = finalScheme
        self.finalURL = finalURL
    }
}
