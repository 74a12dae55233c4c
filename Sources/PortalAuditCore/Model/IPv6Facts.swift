import Foundation

/// HTTPS over IPv6: the address used (from a pin or AAAA) and the answer.
public struct IPv6Facts: Codable, Sendable, Equatable {
    public var https: EndpointFacts
    /// The name resolved to at least one IPv6 address.
    public var hasAddress: Bool

    enum CodingKeys: String, CodingKey {
        case https
        case hasAddress = "has_address"
    }

    public init(https: EndpointFacts, hasAddress: Bool) {
        self.https = https
        self.hasAddress = hasAddress
    }
}
