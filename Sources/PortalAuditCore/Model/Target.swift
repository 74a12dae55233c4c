import Foundation

/// One portal to audit: where it is, where to connect, and who it belongs to.
public struct Target: Codable, Sendable, Equatable {
    /// The portal's URL as given (normalised to `https://host[:port]/path`).
    public var url: String
    public var host: String
    /// The HTTPS port (from the URL; 443 by default).
    public var httpsPort: Int
    /// The port where the HTTP→HTTPS redirect is checked (80 by default).
    public var httpPort: Int
    /// The path of the home page.
    public var path: String
    public var name: String?
    public var province: String?
    public var district: String?
    public var commune: String?
    /// The approved security level (cấp độ 1–5), when known.
    public var level: Int?
    public var owner: String?
    public var contact: String?
    /// An address to pin the host to (like `--resolve`), when given.
    public var address: String?
    /// Site-verification tokens the portal's own staff placed (`verification:` in the inventory, `engine:token`
    /// or the bare token): not a finding when they appear.
    public var verification: [String]?
    /// Where this portal's alerts also go (`alerts_to:`, e-mail addresses), besides the province's channels:
    /// its unit hears of its own portals only. Not part of reports.
    public var alertsTo: [String] = []

    /// The unit's recipients: `alerts_to:`, and the e-mail addresses written in `contact:`.
    public var unitRecipients: [String] {
        var out = alertsTo
        for word in (contact ?? "").split(whereSeparator: { $0.isWhitespace || ",;<>()".contains($0) })
        where Target.isEmailAddress(String(word)) && !out.contains(String(word)) {
            out.append(String(word))
        }
        return out
    }

    /// Whether `text` reads as one e-mail address: a local part, one `@`, a dotted domain, nothing that could
    /// end a header line or add a recipient.
    public static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.utf8.count <= 254,
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F
                && !"<>(),;:\\\"[]".unicodeScalars.contains(scalar)
        }
    }

    enum CodingKeys: String, CodingKey {
        case url, host, name, province, district, commune, level, owner, contact, address, path, verification
        case httpsPort = "https_port"
        case httpPort = "http_port"
    }

    public init(
        url: String, host: String, httpsPort: Int, httpPort: Int, path: String, name: String? = nil,
        province: String? = nil, district: String? = nil, commune: String? = nil, level: Int? = nil,
        owner: String? = nil, contact: String? = nil, address: String? = nil
    ) {
        self.url = url
        self.host = host
        self.httpsPort = httpsPort
        self.httpPort = httpPort
        self.path = path
        self.name = name
        self.province = province
        self.district = district
        self.commune = commune
        self.level = level
        self.owner = owner
        self.contact = contact
        self.address = address
    }

    /// Parses a host or URL as typed by a user (`xa-a.tinh.gov.vn`, `https://host:8443/`, `http://host/`).
    ///
    /// A `http://` URL still audits the portal over HTTPS on port 443; its port becomes the
    /// HTTP port. Returns `nil` when the text is not a usable host or http(s) URL.
    public static func parse(_ text: String, httpPort: Int? = nil) -> Target? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0.isWhitespace }) else { return nil }
        let withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed
        guard let components = URLComponents(string: withScheme),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let rawHost = components.host, !rawHost.isEmpty, components.user == nil
        else { return nil }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard Self.isValidHost(host) else { return nil }
        if let port = components.port, !(1...65_535).contains(port) { return nil }
        if let httpPort, !(1...65_535).contains(httpPort) { return nil }
        let httpsPort = scheme == "https" ? (components.port ?? 443) : 443
        let plainPort = httpPort ?? (scheme == "http" ? (components.port ?? 80) : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return Target(
            url: Self.url(scheme: "https", host: host, port: httpsPort, path: path), host: host,
            httpsPort: httpsPort, httpPort: plainPort, path: path)
    }

    /// Whether `host` is a DNS name, an IPv4 address or an IPv6 address.
    static func isValidHost(_ host: String) -> Bool {
        if host.contains(":") {
            return host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard host.count <= 253, !labels.isEmpty else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        }
    }

    /// `https://host[:port]/path`, with IPv6 hosts bracketed and default ports left out.
    public static func url(scheme: String, host: String, port: Int, path: String) -> String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : 80
        let portPart = port == defaultPort ? "" : ":\(port)"
        return "\(scheme)://\(shownHost)\(portPart)\(path)"
    }

    /// The home page over HTTPS.
    public var httpsURL: String { Self.url(scheme: "https", host: host, port: httpsPort, path: path) }
    /// The root over plain HTTP, where the redirect is checked.
    public var httpURL: String { Self.url(scheme: "http", host: host, port: httpPort, path: "/") }
}
