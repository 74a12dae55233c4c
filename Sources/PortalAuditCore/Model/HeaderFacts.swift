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
    /// The `Content-Security-Policy` values of the page's `<meta http-equiv>` tags: enforced like a header
    /// for scripts, objects and the base URL, never for `frame-ancestors`. `nil` in runs stored before.
    public var metaPolicies: [String]?

    enum CodingKeys: String, CodingKey {
        case url, status, fields, truncated
        case metaPolicies = "meta_policies"
    }

    public init(
        url: String, status: Int, fields: [HeaderField], truncated: Bool = false, metaPolicies: [String]? = nil
    ) {
        self.url = url
        self.status = status
        self.fields = fields
        self.truncated = truncated
        self.metaPolicies = metaPolicies
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
    /// `Strict`, `Lax`, `None`, or `nil` when absent or not one of these (RFC 6265bis §5.6.7: an unknown
    /// value is as if absent). Runs stored before kept any value: `hasSameSite` judges both.
    public var sameSite: String?
    /// Why a browser refuses to store the cookie at all (a `__Host-`/`__Secure-` prefix's conditions unmet,
    /// `SameSite=None` without `Secure`), or `nil`.
    public var rejected: String?

    enum CodingKeys: String, CodingKey {
        case name, secure, rejected
        case httpOnly = "http_only"
        case sameSite = "same_site"
    }

    public init(name: String, secure: Bool, httpOnly: Bool, sameSite: String?, rejected: String? = nil) {
        self.name = name
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.rejected = rejected
    }

    /// A SameSite a browser enforces: `Strict`, `Lax` or `None`.
    public var hasSameSite: Bool { ["strict", "lax", "none"].contains(sameSite?.lowercased() ?? "") }
}
