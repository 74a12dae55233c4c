import Foundation

/// Parses `Set-Cookie` header values into names and flags; values are never kept.
public enum CookieParser {
    /// The cookie a `Set-Cookie` value sets, or `nil` when it has no name.
    public static func parse(_ header: String) -> CookieFacts? {
        let parts = header.split(separator: ";", maxSplits: 33, omittingEmptySubsequences: false)
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        let name = first[..<equals].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        var secure = false
        var httpOnly = false
        var sameSite: String?
        // A real cookie has a handful of attributes; past 32 the rest is noise (and bounded work).
        for attribute in parts.dropFirst().prefix(32) {
            let pair = attribute.split(separator: "=", maxSplits: 1)
            let key = pair.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch key {
            case "secure": secure = true
            case "httponly": httpOnly = true
            case "samesite":
                let value = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
                sameSite = value.isEmpty ? nil : value.prefix(16).capitalized
            default: break
            }
        }
        return CookieFacts(name: String(name.prefix(128)), secure: secure, httpOnly: httpOnly, sameSite: sameSite)
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
