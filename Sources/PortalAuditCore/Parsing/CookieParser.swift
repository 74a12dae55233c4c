import Foundation

/// Parses `Set-Cookie` header values into names and flags; values are never kept.
public enum CookieParser {
    /// The cookie a `Set-Cookie` value sets, or `nil` when it has no name. Attribute names are matched
    /// case-insensitively, `Secure=…` still sets Secure, a SameSite value other than Strict, Lax or None is
    /// ignored (RFC 6265bis §5.6.7), and a cookie browsers refuse to store says why (`rejected`).
    public static func parse(_ header: String) -> CookieFacts? {
        let parts = header.split(separator: ";", maxSplits: 33, omittingEmptySubsequences: false)
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        let name = first[..<equals].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        var secure = false
        var httpOnly = false
        var sameSite: String?
        var path: String?
        var domain = false
        // A real cookie has a handful of attributes; past 32 the rest is noise (and bounded work).
        for attribute in parts.dropFirst().prefix(32) {
            let pair = attribute.split(separator: "=", maxSplits: 1)
            let key = pair.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let value = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
            switch key {
            case "secure": secure = true
            case "httponly": httpOnly = true
            case "samesite":
                // The last SameSite wins; an unknown value leaves the cookie without one.
                sameSite = ["strict", "lax", "none"].contains(value.lowercased()) ? value.capitalized : nil
            case "path": path = value
            case "domain": domain = !value.isEmpty
            default: break
            }
        }
        let lower = name.lowercased()
        var rejected: String?
        if lower.hasPrefix("__secure-") && !secure {
            rejected = "a __Secure- cookie without Secure"
        } else if lower.hasPrefix("__host-") && (!secure || domain || path != "/") {
            rejected = "a __Host- cookie needs Secure, Path=/ and no Domain"
        } else if sameSite == "None" && !secure {
            rejected = "SameSite=None without Secure"
        }
        return CookieFacts(
            name: String(name.prefix(128)), secure: secure, httpOnly: httpOnly, sameSite: sameSite, rejected: rejected)
    }

    /// A `Set-Cookie` value with its value and every attribute but the flags removed, for storing and
    /// reporting: `PHPSESSID=…; Secure; HttpOnly; SameSite=Lax`. Session ids and load-balancer cookies
    /// (which may encode internal addresses) never leave the probe.
    public static func redacted(_ header: String) -> String {
        guard let cookie = parse(header) else { return "…" }
        var parts = ["\(cookie.name)=…"]
        if cookie.secure { parts.append("Secure") }
        if cookie.httpOnly { parts.append("HttpOnly") }
        if let sameSite = cookie.sameSite { parts.append("SameSite=\(sameSite)") }
        return parts.joined(separator: "; ")
    }
}
