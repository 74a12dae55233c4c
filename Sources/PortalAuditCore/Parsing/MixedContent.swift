/// Resources an HTTPS page loads over plain `http://`, found by the linear tag scanner.
///
/// Active content (scripts, frames, stylesheets, forms, plugins) can rewrite the page, so browsers block it;
/// passive content (images, audio, video) is shown with a warning and can be swapped on the way.
public enum MixedContent {
    /// One resource loaded over `http://`: `tag url`, e.g. `script http://cdn.example/x.js`.
    public struct Found: Sendable, Equatable {
        public var active: [String]
        public var passive: [String]
    }

    /// (tag, attribute, active) pairs a browser loads from.
    static let loads: [(tag: String, attribute: String, active: Bool)] = [
        ("script", "src", true), ("iframe", "src", true), ("frame", "src", true), ("form", "action", true),
        ("object", "data", true), ("embed", "src", true), ("link", "href", true),
        ("img", "src", false), ("audio", "src", false), ("video", "src", false), ("source", "src", false),
        ("video", "poster", false),
    ]

    /// Every `http://` resource of `body`, at most `limit` of each kind, in page order per tag.
    public static func find(in body: [UInt8], limit: Int = 20) -> Found {
        var found = Found(active: [], passive: [])
        var seen: Set<String> = []
        // One pass over the page for every tag; then per tag in `loads` order, page order within.
        var byTag: [String: [[String: String]]] = [:]
        for (name, attributes) in HTMLScanner.tags(namedAnyOf: Set(loads.map(\.tag)), in: body[...], maxTags: 512) {
            byTag[name, default: []].append(attributes)
        }
        for load in loads {
            for attributes in byTag[load.tag] ?? [] {
                guard let raw = attributes[load.attribute] else { continue }
                let url = raw.trimmingPrefix(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                guard url.prefix(7).lowercased() == "http://" else { continue }
                // A <link> loads only as a stylesheet, an icon or a preload; `alternate` (feeds) does not load.
                if load.tag == "link" {
                    let rel = (attributes["rel"] ?? "").lowercased()
                    guard ["stylesheet", "preload", "modulepreload", "icon"].contains(where: { rel.contains($0) })
                    else { continue }
                }
                let entry = "\(load.tag) \(url.prefix(200))"
                guard seen.insert(entry).inserted else { continue }
                // An icon is shown, not run: passive.
                let icon = load.tag == "link" && (attributes["rel"] ?? "").lowercased().contains("icon")
                if load.active && !icon {
                    if found.active.count < limit { found.active.append(entry) }
                } else if found.passive.count < limit {
                    found.passive.append(entry)
                }
            }
        }
        return found
    }

}
