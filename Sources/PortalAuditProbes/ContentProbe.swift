import CurlClient
import Foundation
import PortalAuditCore

/// Freshness and the mandatory information: the newest publication date (feed, sitemap, page,
/// Last-Modified) and who runs the portal, from at most five documents starting with the home page.
struct ContentProbe: AreaProbe {
    static let kind = ProbeKind.content
    /// The home page the home-page probe fetched.
    let home: TransferResult

    /// Caps of the content fetches: a feed that never ends or a 50 MB sitemap costs at most this.
    static let contentFetchTimeoutMS = 3_000
    static let documentCap = 2 << 20
    static let robotsCap = 64 << 10

    /// An absolute URL for `link` on the portal's own host (other hosts are not fetched).
    static func sameHost(_ link: String, base: String, host: String) -> String? {
        guard let baseURL = URL(string: base),
            let url = URL(string: link.trimmingCharacters(in: .whitespaces), relativeTo: baseURL)?.absoluteURL,
            url.host?.lowercased() == host, let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else { return nil }
        return url.absoluteString
    }

    /// Newest publication date (feed, sitemap, page, Last-Modified) and the mandatory information, from at
    /// most five documents: the home page already fetched, robots.txt, one sitemap, one or two feeds.
    func run(_ context: ProbeContext) async -> ProbeRun<ContentFacts?> {
        let target = context.target
        let budget = context.budget
        guard (200..<400).contains(home.responseCode), !home.body.isEmpty else {
            return ProbeRun(facts: nil, results: [])
        }
        let now = Date()
        let root = Target.url(scheme: "https", host: target.host, port: target.httpsPort, path: "/")
        var results: [TransferResult] = []
        var sources: [DatedSource] = []
        let body = home.body
        let (text, pageDates, links, digest, stopped) = await ParseWorker.run {
            var stopped = false
            let text = PageText.text(of: body, limit: 512 << 10) {
                stopped = budget.remainingMS() == 0
                return stopped
            }
            return (
                text, VietnameseDates.dates(in: text, now: now), PageText.feedLinks(in: body), SHA256.hex(of: body),
                stopped
            )
        }
        sources.append(
            DatedSource(
                source: "page", url: target.httpsURL, newest: pageDates.max(), count: pageDates.count,
                truncated: home.bodyTruncated || stopped))
        let headers = HeaderLines.fields(home.headerLines)
        if let raw = headers.first(where: { $0.name == "last-modified" })?.value,
            let date = VietnameseDates.parseFeedDate(raw), date <= now.addingTimeInterval(86_400)
        {
            sources.append(DatedSource(source: "last-modified", url: target.httpsURL, newest: date, count: 1))
        }
        // Spam, then cloaking first among the other fetches: they are required criteria, the dated
        // documents below only refine freshness.
        let host = target.host
        let spam = await ParseWorker.run { SpamScan.scan(body, host: host) }
        let cloaking = await cloaking(context, browserText: text, browserSpam: spam.injected, into: &results)
        // robots.txt → Sitemap:
        var sitemap = root + "sitemap.xml"
        if let request = context.fetch(root + "robots.txt", cap: Self.robotsCap, timeoutMS: Self.contentFetchTimeoutMS)
        {
            let robots = await context.perform(request)
            results.append(robots)
            if robots.responseCode == 200 {
                let lines = String(decoding: robots.body, as: UTF8.self).split(whereSeparator: \.isNewline)
                if let line = lines.first(where: { $0.lowercased().hasPrefix("sitemap:") }),
                    let url = Self.sameHost(String(line.dropFirst("sitemap:".count)), base: root, host: target.host)
                {
                    sitemap = url
                }
            }
        }
        if let source = await datedDocument("sitemap", sitemap, context: context, now: now, into: &results) {
            sources.append(source)
        }
        // Feeds: the ones the page links, else the usual paths; two at most.
        let linked = links.compactMap { Self.sameHost($0, base: target.httpsURL, host: target.host) }
        var feeds = Array(linked.prefix(2))
        if feeds.isEmpty { feeds = [root + "rss.xml", root + "feed"] }
        for feed in feeds where budget.remainingMS() > 0 {
            if let source = await datedDocument("feed", feed, context: context, now: now, into: &results) {
                sources.append(source)
                if source.count > 0 { break }
            }
        }
        let best = sources.filter { $0.newest != nil }.max { ($0.newest ?? .distantPast) < ($1.newest ?? .distantPast) }
        let (mandatory, mixed) = await ParseWorker.run { (MandatoryInfo.check(text), MixedContent.find(in: body)) }
        let facts = ContentFacts(
            newest: best?.newest, newestSource: best?.source, newestURL: best?.url, sources: sources,
            mandatoryFound: mandatory.found, mandatoryMissing: mandatory.missing,
            homeSHA256: digest, mixedActive: mixed.active, mixedPassive: mixed.passive, spam: spam,
            cloaking: cloaking)
        return ProbeRun(facts: facts, results: results)
    }

    /// A search crawler's documented User-Agent, and a browser's, for the cloaking fetches.
    static let crawlerAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    static let browserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

    /// The home page again as a search crawler, and as a browser arriving from a search results page: two
    /// requests on the pooled connection, compared with what the first fetch got.
    private func cloaking(
        _ context: ProbeContext, browserText: String, browserSpam: Bool, into results: inout [TransferResult]
    ) async -> CloakingFacts? {
        let target = context.target
        func location(_ result: TransferResult) -> String? {
            HeaderLines.fields(result.headerLines).first { $0.name == "location" }?.value
        }
        var variants: [CloakVariant] = []
        let asks: [(CloakVariant.Agent, String, String?)] = [
            (.crawler, Self.crawlerAgent, nil),
            (.searchReferrer, Self.browserAgent, "https://www.google.com/search?q=" + target.host),
        ]
        for (agent, userAgent, referer) in asks {
            guard context.budget.remainingMS() > 0,
                var request = context.fetch(
                    target.httpsURL, cap: Self.documentCap, timeoutMS: Self.contentFetchTimeoutMS)
            else { return nil }
            request.userAgent = userAgent
            request.referer = referer
            let result = await context.perform(request)
            results.append(result)
            guard result.failure == nil || result.responseCode > 0 else {
                variants.append(
                    CloakVariant(
                        agent: agent, status: nil, location: nil, similarity: nil, spam: false,
                        failure: result.failure.map { "\($0.kind.rawValue): \($0.message)" }))
                continue
            }
            let body = result.body
            let host = target.host
            // The same bytes as the browser's page: nothing to read again.
            if body == home.body {
                variants.append(
                    CloakVariant(
                        agent: agent, status: result.responseCode,
                        location: location(result),
                        similarity: 100, spam: browserSpam))
                continue
            }
            let (similarity, spam) = await ParseWorker.run {
                let text = PageText.text(of: body, limit: 512 << 10)
                return (
                    body.isEmpty ? nil : PageSimilarity.percent(browserText, text),
                    SpamScan.scan(body, host: host).injected
                )
            }
            variants.append(
                CloakVariant(
                    agent: agent, status: result.responseCode,
                    location: location(result),
                    similarity: similarity, spam: spam))
        }
        return CloakingFacts(
            browserStatus: home.responseCode, browserLocation: location(home), browserSpam: browserSpam,
            variants: variants)
    }

    private func datedDocument(
        _ kind: String, _ url: String, context: ProbeContext, now: Date, into results: inout [TransferResult]
    ) async -> DatedSource? {
        guard context.budget.remainingMS() > 0,
            let request = context.fetch(url, cap: Self.documentCap, timeoutMS: Self.contentFetchTimeoutMS)
        else { return nil }
        let result = await context.perform(request)
        results.append(result)
        guard result.responseCode == 200 else {
            return DatedSource(
                source: kind, url: url, newest: nil, count: 0, failure: result.failure.map(TransferFacts.failure))
        }
        let body = result.body
        guard body.contains(UInt8(ascii: "<")) else {
            return DatedSource(source: kind, url: url, newest: nil, count: 0)
        }
        let dates = await ParseWorker.run {
            VietnameseDates.feedDates(in: String(decoding: body, as: UTF8.self), now: now)
        }
        let stopped = result.failure?.kind == .timeout
        return DatedSource(
            source: kind, url: url, newest: dates.max(), count: dates.count, truncated: result.bodyTruncated || stopped,
            failure: stopped ? result.failure.map(TransferFacts.failure) : nil)
    }
}
