import Foundation

/// A `Strict-Transport-Security` value as browsers read it (RFC 6797 §6.1): directives separated by `;`
/// (empty ones allowed), each a token name (case-insensitive) with an optional token or quoted-string value;
/// every directive at most once and `max-age` (digits) required, else the whole header is ignored. Unknown
/// directives are skipped. Several header lines are read as their combined value, as Chromium and Firefox
/// do: two lines of `max-age=…` then repeat `max-age` and are ignored (RFC 6797 §8.1 would read the first).
public struct HSTSHeader: Sendable, Equatable {
    public var maxAge: Int
    public var includeSubDomains: Bool
    public var preload: Bool

    /// `nil` when a browser would ignore the header.
    public init?(parsing value: String) {
        var maxAge: Int?
        var seen: Set<String> = []
        var include = false
        var preload = false
        // A real value has three directives; a header of more than 32 is not one a browser would keep either.
        let directives = value.split(separator: ";", omittingEmptySubsequences: false)
        guard directives.count <= 32 else { return nil }
        for directive in directives {
            let text = directive.trimmingCharacters(in: [" ", "\t"])
            if text.isEmpty { continue }
            let pair = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0].trimmingCharacters(in: [" ", "\t"])
            guard FieldValues.isToken(Substring(name)) else { return nil }
            let key = name.lowercased()
            guard seen.insert(key).inserted else { return nil }
            var argument: String?
            if pair.count == 2 {
                let raw = pair[1].trimmingCharacters(in: [" ", "\t"])
                if raw.hasPrefix("\"") {
                    guard raw.count >= 2, raw.hasSuffix("\"") else { return nil }
                    argument = String(raw.dropFirst().dropLast())
                } else {
                    guard FieldValues.isToken(Substring(raw)) else { return nil }
                    argument = raw
                }
            }
            switch key {
            case "max-age":
                guard let digits = argument, !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    return nil
                }
                // Past Int's range is as good as forever (browsers cap it anyway).
                maxAge = Int(digits) ?? Int.max
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
