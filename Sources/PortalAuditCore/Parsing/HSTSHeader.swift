import Foundation

/// A parsed `Strict-Transport-Security` value (RFC 6797 §6.1).
public struct HSTSHeader: Sendable, Equatable {
    public var maxAge: Int
    public var includeSubDomains: Bool
    public var preload: Bool

    /// Parses `max-age=31536000; includeSubDomains`; `nil` when `max-age` is missing or not a number.
    public init?(parsing value: String) {
        var maxAge: Int?
        var include = false
        var preload = false
        // A real value has three directives; past 32 the rest is noise (and bounded work).
        for directive in value.split(separator: ";", maxSplits: 32).prefix(32) {
            let pair = directive.split(separator: "=", maxSplits: 1)
            let key = pair.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch key {
            case "max-age":
                guard maxAge == nil, pair.count == 2 else { return nil }
                let raw = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                guard let parsed = Int(raw), parsed >= 0 else { return nil }
                maxAge = parsed
            case "includesubdomains": include = true
            case "preload": preload = true
            default: break
            }
        }
        guard let maxAge else { return nil }
        self.maxAge = maxAge
        self.includeSubDomains = include
        self.preload = preload
    }
}
