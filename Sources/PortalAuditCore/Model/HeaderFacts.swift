import Foundation

/// One response header, as received (names lower-cased).
public struct HeaderField: Codable, Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Every response header of the HTTPS home page, repeated ones kept.
public struct HeaderFacts: Codable, Sendable, Equatable {
    public var url: String
    public var status: Int
    public var fields: [HeaderField]
    /// More headers arrived than the caps allow; the rest were dropped.
    public var truncated: Bool

    public init(url: String, status: Int, fields: [HeaderField], truncated: Bool = false) {
        self.url = url
        self.status = status
        self.fields = fields
        self.truncated = truncated
    }

    /// The first value of header `name` (case-insensitive).
    public func first(_ name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.name == key }?.value
    }

    /// Every value of header `name` (case-insensitive).
    public func all(_ name: String) -> [String] {
        let key = name.lowercased()
        return fields.filter { $0.name == key }.map(\.value)
    }
}

/// One cookie the home page set, with its flags (never its value).
public struct CookieFacts: Codable, Sendable, Equatable {
    public var name: String
    public var secure: Bool
    public var httpOnly: Bool
    /// `Strict`, `Lax`, `None`, or `nil` when absent.
    public var sameSite: String?

    enum CodingKeys: String, CodingKey {
        case name, secure
        case httpOnly = "http_only"
        case sameSite = "same_site"
    }

    public init(name: String, secure: Bool, httpOnly: Bool, sameSite: String?) {
        self.name = name
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }
}
