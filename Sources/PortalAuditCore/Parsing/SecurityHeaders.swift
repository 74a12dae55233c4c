import Foundation

// What a browser makes of a response's security headers: each field collected from all its lines (RFC 9110
// §5.3), then read with its own grammar and processing model. Pure and linear in the header bytes; the
// rules judge what these return, and re-grading a stored run reads the same raw lines again.

extension HeaderFacts {
    /// Field `name` as one value: its lines' values joined with ", " in order (RFC 9110 §5.3; never for
    /// `Set-Cookie`), or `nil` when no line carries it.
    public func combined(_ name: String) -> String? {
        let values = all(name)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

/// Fetch's "get, decode, and split" of a combined value: split on commas outside quoted strings, each part
/// trimmed of spaces and tabs, quotes kept (`"nosniff"` is not `nosniff`).
public enum FieldValues {
    public static func split(_ value: String) -> [String] {
        var values: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var escaped = false
        for byte in value.utf8 {
            if quoted {
                current.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    quoted = false
                }
            } else if byte == UInt8(ascii: ",") {
                values.append(trimmed(current))
                current.removeAll(keepingCapacity: true)
            } else {
                if byte == UInt8(ascii: "\"") { quoted = true }
                current.append(byte)
            }
        }
        values.append(trimmed(current))
        return values
    }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    /// RFC 9110 token characters.
    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }
}

/// What `X-Frame-Options` makes a browser do (HTML, "the X-Frame-Options header" processing model): the
/// combined value split, lower-cased, as a set.
public enum FrameOptionsHeader {
    /// `true` when cross-origin framing is blocked: one value `deny` or `sameorigin`; or several different
    /// values among which `deny`, `sameorigin` or `allowall` (a conflict blocks). `false` for anything else
    /// (`allow-from …`, `allowall` alone, an empty or unknown value), `nil` when the header is absent.
    public static func blocks(_ combined: String?) -> Bool? {
        guard let combined else { return nil }
        let values = Set(FieldValues.split(combined).map { $0.lowercased() })
        if values.count > 1 { return !values.isDisjoint(with: ["deny", "sameorigin", "allowall"]) }
        return values.first == "deny" || values.first == "sameorigin"
    }
}

/// Fetch, "determine nosniff": the first value of the combined header is `nosniff` (ASCII case-insensitive).
public enum NoSniffHeader {
    public static func isSet(_ combined: String) -> Bool {
        // A trailing form feed still counts (WPT fetch/nosniff/resources/x-content-type-options.json); a
        // vertical tab does not.
        FieldValues.split(combined).first?.trimmingCharacters(in: ["\u{0C}"]).lowercased() == "nosniff"
    }
}

/// Referrer Policy §8.1: the last token of the combined header that is a referrer policy; unknown tokens are
/// skipped, but a value that is not a comma-separated list of tokens (`origin no-referrer`) is no policy at
/// all (Fetch's "extracting header list values" fails: WPT referrer-policy/generic/multiple-headers-one-invalid).
/// Tokens are matched ASCII case-insensitively, as Chromium and Firefox do.
public enum ReferrerPolicyHeader {
    public static let policies: Set<String> = [
        "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin",
        "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url",
    ]

    /// The policy in force, or `nil` when no token is one (the browser's default applies).
    public static func policy(_ combined: String) -> String? {
        let tokens = combined.split(separator: ",").map { $0.trimmingCharacters(in: [" ", "\t"]).lowercased() }
        guard tokens.allSatisfy({ $0.isEmpty || FieldValues.isToken(Substring($0)) }) else { return nil }
        return tokens.last { policies.contains($0) }
    }
}

/// One Content-Security-Policy (CSP3 §2.2): its directives by lower-cased name, the first occurrence of each
/// kept (later ones are ignored), each with its source expressions as sent.
public struct CSPPolicy: Sendable, Equatable {
    public var directives: [String: [String]]

    /// The policies of one header value: each comma-separated part is a policy of its own; parts with no
    /// directive are dropped.
    public static func policies(_ value: String) -> [CSPPolicy] {
        value.split(separator: ",").compactMap { serialized in
            var directives: [String: [String]] = [:]
            for token in serialized.split(separator: ";") {
                let parts = token.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                guard let name = parts.first, name.utf8.allSatisfy(Self.isNameByte) else { continue }
                let key = name.lowercased()
                if directives[key] == nil { directives[key] = parts.dropFirst().map(String.init) }
            }
            return directives.isEmpty ? nil : CSPPolicy(directives: directives)
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D
    }

    /// The sources of `name`, else of `default-src` when `name` falls back to it.
    public func effective(_ name: String, fallback: Bool = true) -> [String]? {
        directives[name] ?? (fallback ? directives["default-src"] : nil)
    }
}

/// The weaknesses of the enforced Content-Security-Policies of a page, as CSP3 applies them: every enforced
/// policy must allow a load, so a weakness counts only when every policy that restricts the resource has it.
public struct CSPAssessment: Sendable, Equatable {
    /// Why scripts are not restricted, the worst first.
    public enum Weakness: String, Sendable, CaseIterable {
        case noScriptRestriction = "no-script-restriction"
        case anyScriptSource = "any-script-source"
        case unsafeInlineScripts = "unsafe-inline-scripts"
        case objectsAllowed = "objects-allowed"
        case baseURIOpen = "base-uri-open"
    }

    public var weaknesses: [Weakness]

    /// Judges `policies` (the enforced ones: every `Content-Security-Policy` line and `<meta>` policy).
    public init(_ policies: [CSPPolicy]) {
        var found: [Weakness] = []
        let scripts = policies.compactMap { $0.effective("script-src") }
        if scripts.isEmpty {
            found.append(.noScriptRestriction)
        } else if scripts.allSatisfy(Self.allowsAnySource) {
            found.append(.anyScriptSource)
        } else if scripts.allSatisfy(Self.allowsInline) {
            found.append(.unsafeInlineScripts)
        }
        if !policies.contains(where: { $0.effective("object-src").map(Self.isNone) ?? false }) {
            found.append(.objectsAllowed)
        }
        if !policies.contains(where: { $0.effective("base-uri", fallback: false).map(Self.isRestricted) ?? false }) {
            found.append(.baseURIOpen)
        }
        weaknesses = found
    }

    static func keywords(_ sources: [String]) -> (nonceOrHash: Bool, strictDynamic: Bool, inline: Bool) {
        let lower = sources.map { $0.lowercased() }
        // CSP3 §2.3.1: a nonce or hash has a base64 value of at least one character (`'nonce-'` is neither).
        let nonceOrHash = lower.contains { token in
            guard token.count > 2, token.hasPrefix("'"), token.hasSuffix("'") else { return false }
            let inner = token.dropFirst().dropLast()
            for prefix in ["nonce-", "sha256-", "sha384-", "sha512-"] where inner.hasPrefix(prefix) {
                let value = inner.dropFirst(prefix.count)
                return !value.isEmpty
                    && value.utf8.allSatisfy { byte in
                        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || "+/-_=".utf8.contains(byte)
                    }
            }
            return false
        }
        return (nonceOrHash, lower.contains("'strict-dynamic'"), lower.contains("'unsafe-inline'"))
    }

    /// Scripts from anywhere: `*`, `http:`, `https:`, `data:` or a host of `*` (ignored under
    /// `'strict-dynamic'`, which trusts only what a nonce or hash let in).
    static func allowsAnySource(_ sources: [String]) -> Bool {
        guard !keywords(sources).strictDynamic else { return false }
        return sources.contains { isAnySource($0.lowercased()) }
    }

    static func isAnySource(_ source: String) -> Bool {
        if source == "*" || ["http:", "https:", "data:"].contains(source) { return true }
        // A host source whose host is `*` (`https://*`, `*:443`).
        return host(of: source) == "*"
    }

    /// The host of a host source: without its scheme, path and port (`https://*.tinh.gov.vn:443/a` →
    /// `*.tinh.gov.vn`; an IPv6 literal keeps its brackets).
    static func host(of source: String) -> Substring {
        var host = Substring(source)
        if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
        host = host.prefix { $0 != "/" }
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = host[..<colon] }
        return host
    }

    /// Inline scripts run: `'unsafe-inline'` without a nonce or hash beside it (CSP3 then ignores it).
    static func allowsInline(_ sources: [String]) -> Bool {
        let found = keywords(sources)
        return found.inline && !found.nonceOrHash
    }

    /// No source at all: `'none'` alone, or an empty list.
    static func isNone(_ sources: [String]) -> Bool {
        sources.isEmpty || (sources.count == 1 && sources[0].lowercased() == "'none'")
    }

    /// Neither `*` nor a bare scheme nor a host of `*`.
    static func isRestricted(_ sources: [String]) -> Bool {
        !sources.contains { source in
            let lower = source.lowercased()
            return isAnySource(lower) || (lower.hasSuffix(":") && !lower.hasPrefix("'"))
        }
    }
}

/// CSP `frame-ancestors` as browsers apply it (CSP3 §6.4.2): from enforced header policies only (never
/// `<meta>`); when present, browsers ignore `X-Frame-Options`.
public enum FrameAncestors {
    /// `nil` when no enforced policy has `frame-ancestors`; `true` when one of them lets only `'none'`,
    /// `'self'` or hosts of the page's own site frame it; `false` when every one lets other sites frame it.
    public static func protects(_ policies: [CSPPolicy], pageHost: String) -> Bool? {
        let lists = policies.compactMap { $0.directives["frame-ancestors"] }
        guard !lists.isEmpty else { return nil }
        let site = SiteName.registrable(pageHost)
        return lists.contains { sources in
            sources.allSatisfy { source in
                let lower = source.lowercased()
                if lower == "'none'" || lower == "'self'" { return true }
                if lower.hasPrefix("'") || CSPAssessment.isAnySource(lower) || lower.hasSuffix(":") { return false }
                var host = CSPAssessment.host(of: lower)
                if host.hasPrefix("*.") { host = host.dropFirst(2) }
                return SiteName.registrable(String(host)) == site
            }
        }
    }
}

/// A host's site (its registrable domain), without a public-suffix list: the last two labels, or three under
/// a two-letter country code's common second levels (`tinh.gov.vn`, `example.com.vn`, `example.co.uk`).
public enum SiteName {
    static let secondLevels: Set<String> = [
        "gov", "com", "edu", "org", "net", "ac", "co", "int", "info", "name", "biz", "health", "pro",
    ]

    public static func registrable(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".").map(String.init)
        guard labels.count > 2, !labels.allSatisfy({ Int($0) != nil }) else { return labels.joined(separator: ".") }
        let count =
            labels[labels.count - 1].count == 2 && secondLevels.contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(count).joined(separator: ".")
    }
}

/// A response's headers and cookies as the rules read them, from its raw header lines (status line first)
/// and body: cookie values dropped (names and flags are all the rules need; session ids and balancer cookies
/// naming internal hosts never leave here), the page's `<meta http-equiv>` policies kept.
public enum ResponseHeaders {
    public static func read(
        lines: [String], body: ArraySlice<UInt8>, url: String, status: Int, truncated: Bool
    ) -> (headers: HeaderFacts, cookies: [CookieFacts]) {
        let raw = HeaderLines.fields(lines)
        let cookies = raw.filter { $0.name == "set-cookie" }.compactMap { CookieParser.parse($0.value) }
        let fields = raw.map {
            $0.name == "set-cookie" ? HeaderField(name: $0.name, value: CookieParser.redacted($0.value)) : $0
        }
        let meta = HTMLScanner.tags(named: "meta", in: body.prefix(256 << 10), maxTags: 256).compactMap {
            attributes -> String? in
            guard attributes["http-equiv"]?.lowercased() == "content-security-policy" else { return nil }
            return attributes["content"].map { String($0.prefix(8192)) }
        }
        return (
            HeaderFacts(
                url: url, status: status, fields: fields, truncated: truncated, metaPolicies: Array(meta.prefix(8))),
            cookies
        )
    }
}
