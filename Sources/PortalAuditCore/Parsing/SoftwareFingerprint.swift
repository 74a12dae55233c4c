import Foundation

/// What a portal says it runs, from what it announces anyway: the generator meta tag, WordPress asset
/// versions, the `Server`, `X-Powered-By`, `X-Generator` and `X-AspNet-Version` headers, and a feed's
/// generator. No probe of its own: the admin-path manifests are asked only in an authorised audit
/// (`manifest`). Linear: tags and headers are read once, every value capped.
public enum SoftwareFingerprint {
    /// The products the page and headers name, each once (the first source with a version wins).
    public static func identify(headers: [HeaderField], body: ArraySlice<UInt8>) -> [SoftwareComponent] {
        var found: [SoftwareComponent] = []
        func add(_ product: String, _ version: String?, _ source: String, _ evidence: String) {
            let version = version.flatMap { $0.isEmpty ? nil : String($0.prefix(32)) }
            let evidence = String(evidence.prefix(120))
            if let index = found.firstIndex(where: { $0.product == product }) {
                if found[index].version == nil, version != nil {
                    found[index] = SoftwareComponent(
                        product: product, version: version, source: source, evidence: evidence)
                }
                return
            }
            found.append(SoftwareComponent(product: product, version: version, source: source, evidence: evidence))
        }
        let tags = HTMLScanner.tags(namedAnyOf: ["meta", "script", "link"], in: body.prefix(512 << 10), maxTags: 256)
        for (name, attributes) in tags where name == "meta" && attributes["name"]?.lowercased() == "generator" {
            let content = attributes["content"] ?? ""
            if let (product, version) = generator(content) { add(product, version, "meta generator", content) }
        }
        // WordPress core assets carry the core version: /wp-includes/…?ver=6.4.2 (plugins' ?ver= are theirs).
        for (name, attributes) in tags where name != "meta" {
            let url = attributes["src"] ?? attributes["href"] ?? ""
            guard url.contains("/wp-includes/"), let range = url.range(of: "ver=") else { continue }
            add("wordpress", leadingVersion(url[range.upperBound...]), "asset ?ver=", String(url.prefix(120)))
        }
        for field in headers {
            let value = field.value
            switch field.name {
            case "server":
                for (token, product) in [("apache/", "apache"), ("microsoft-iis/", "iis"), ("nginx/", "nginx")] {
                    if let version = after(token, in: value) { add(product, version, "header Server", value) }
                }
            case "x-powered-by":
                if let version = after("php/", in: value) { add("php", version, "header X-Powered-By", value) }
            case "x-generator":
                if let (product, version) = generator(value) { add(product, version, "header X-Generator", value) }
            case "x-drupal-cache", "x-drupal-dynamic-cache":
                add("drupal", nil, "header \(field.name)", value)
            case "liferay-portal":
                add("liferay", nil, "header Liferay-Portal", value)
            default:
                continue
            }
        }
        return found
    }

    /// `WordPress 6.4.2`, `Joomla! 2.5 - Open Source Content Management`, `Drupal 7 (https://www.drupal.org)`,
    /// `DotNetNuke`, `Liferay Portal` → product and version.
    static func generator(_ content: String) -> (String, String?)? {
        let lower = content.lowercased()
        for (name, product) in [
            ("wordpress", "wordpress"), ("joomla!", "joomla"), ("joomla", "joomla"), ("drupal", "drupal"),
            ("dotnetnuke", "dnn"), ("dnn platform", "dnn"), ("liferay", "liferay"),
        ] where lower.hasPrefix(name) {
            let version = leadingVersion(lower.dropFirst(name.count).drop { $0 == " " })
            return (product, version.isEmpty ? nil : version)
        }
        return nil
    }

    /// The version after `token` (case-insensitive) in a header value: `Apache/2.2.15 (CentOS)` → `2.2.15`.
    static func after(_ token: String, in value: String) -> String? {
        guard let range = value.lowercased().range(of: token) else { return nil }
        let offset = value.lowercased().distance(from: value.lowercased().startIndex, to: range.upperBound)
        let version = leadingVersion(value.dropFirst(offset))
        return version.isEmpty ? nil : version
    }

    /// The version a text starts with (`6.4.2-beta` → `6.4.2`; empty when it starts with no digit).
    static func leadingVersion(_ text: Substring) -> String {
        guard text.first?.isNumber == true else { return "" }
        return String(text.prefix { $0.isNumber || $0 == "." })
    }

    /// The text of the first `<tag>` element in the first 64 KiB (`<generator>`, `<version>`), at most `max`
    /// bytes, up to the next `<`.
    static func elementText(_ tag: String, in body: ArraySlice<UInt8>, max: Int) -> String? {
        let open = Array("<\(tag)>".utf8)
        guard
            let start = HTMLScanner.find(open, in: body.prefix(64 << 10), from: body.startIndex, caseInsensitive: true)
        else { return nil }
        return String(
            decoding: body[(start + open.count)...].prefix(max).prefix { $0 != UInt8(ascii: "<") }, as: UTF8.self)
    }

    /// A feed's generator (`<generator>https://wordpress.org/?v=6.4.2</generator>`): WordPress's version,
    /// which its pages may hide.
    public static func feedGenerator(_ body: ArraySlice<UInt8>) -> SoftwareComponent? {
        guard let value = elementText("generator", in: body, max: 200), value.lowercased().contains("wordpress.org"),
            let range = value.range(of: "?v=")
        else { return nil }
        let version = leadingVersion(value[range.upperBound...])
        return version.isEmpty
            ? nil : SoftwareComponent(product: "wordpress", version: version, source: "feed generator", evidence: value)
    }

    /// Joomla's `administrator/manifests/files/joomla.xml` `<version>` (asked in an authorised audit only).
    public static func joomlaManifest(_ body: ArraySlice<UInt8>) -> SoftwareComponent? {
        guard
            HTMLScanner.find(
                Array("<extension".utf8), in: body.prefix(64 << 10), from: body.startIndex, caseInsensitive: true)
                != nil,
            let value = elementText("version", in: body, max: 40)
        else { return nil }
        let version = leadingVersion(value[...])
        return version.isEmpty
            ? nil
            : SoftwareComponent(
                product: "joomla", version: version, source: "manifest",
                evidence: "joomla.xml <version>\(value)</version>")
    }
}
