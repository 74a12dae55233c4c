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

    /// An absolute URL for `link` on the portal's own host and its own port for the scheme (other hosts and
    /// ports are not fetched: the same name on another port is another service, maybe an internal one).
    static func sameHost(_ link: String, base: String, target: Target) -> String? {
        guard let baseURL = URL(string: base),
            let url = URL(string: link.trimmingCharacters(in: .whitespaces), relativeTo: baseURL)?.absoluteURL,
            url.host?.lowercased() == target.host, let scheme = url.scheme?.lowercased(),
            (scheme == "https" && (url.port ?? 443) == target.httpsPort)
                || (scheme == "http" && (url.port ?? 80) == target.httpPort)
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
        let (text, pageDates, links, digest, stopped, anchors, form, structured) = await ParseWorker.run {
            var stopped = false
            let text = PageText.text(of: body, limit: 512 << 10) {
                stopped = budget.remainingMS() == 0
                return stopped
            }
            return (
                text, VietnameseDates.publications(in: text, now: now), PageText.feedLinks(in: body),
                SHA256.hex(of: body),
                stopped, PageLinks.anchors(in: body[...]), PageLinks.searchForm(in: body[...]),
                VietnameseDates.structuredDates(in: body[...], now: now)
            )
        }
        // The newest date introduced as a posting when there is one, else the newest that is no citation,
        // period or page clock.
        sources.append(
            DatedSource(
                source: "page", url: target.httpsURL, newest: pageDates.newest?.date, count: pageDates.count,
                truncated: home.bodyTruncated || stopped, phrase: pageDates.newest.map { String($0.phrase.prefix(120)) }
            ))
        // The times the page states for machines (`article:published_time`, `<time datetime>`, JSON-LD).
        if !structured.isEmpty {
            sources.append(
                DatedSource(
                    source: "structured", url: target.httpsURL, newest: structured.max(), count: structured.count))
        }
        let headers = HeaderLines.fields(home.headerLines)
        if let raw = headers.first(where: { $0.name == "last-modified" })?.value,
            let date = VietnameseDates.parseFeedDate(raw), date <= now.addingTimeInterval(86_400)
        {
            sources.append(DatedSource(source: "last-modified", url: target.httpsURL, newest: date, count: 1))
        }
        // Spam, then cloaking first among the other fetches: they are required criteria, the dated
        // documents below only refine freshness.
        let host = target.host
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        let (spam, personal, homeSigns) = await ParseWorker.run {
            (
                SpamScan.scan(body, host: host),
                PersonalData.scan(rows: PersonalData.rows(html: body[...]), year: year),
                PageSigns(body, anchors: anchors, host: host)
            )
        }
        let cloaking = await cloaking(context, browserText: text, browserSpam: spam.injected, into: &results)
        // robots.txt → Sitemap:, and the rules the sample respects.
        var sitemap = root + "sitemap.xml"
        var robots = RobotsRules("", agent: "portal-audit")
        if let request = context.fetch(root + "robots.txt", cap: Self.robotsCap, timeoutMS: Self.contentFetchTimeoutMS)
        {
            let result = await context.perform(request)
            results.append(result)
            if result.responseCode == 200 {
                robots = RobotsRules(String(decoding: result.body, as: UTF8.self), agent: "portal-audit")
                if let url = robots.sitemaps.lazy.compactMap({
                    Self.sameHost($0, base: root, target: target)
                }).first {
                    sitemap = url
                }
            }
        }
        var (sitemapSource, sitemapBody) = await datedDocument(
            "sitemap", sitemap, context: context, now: now, into: &results)
        // A sitemap index: its first sitemap of this host holds the pages (and their dates).
        if let body = sitemapBody, case let listed = Sitemap.entries(in: body[...], limit: 50), listed.index,
            let child = listed.entries.lazy.compactMap({ Self.sameHost($0.location, base: root, target: target) })
                .first
        {
            (sitemapSource, sitemapBody) = await datedDocument(
                "sitemap", child, context: context, now: now, into: &results)
        }
        if let sitemapSource { sources.append(sitemapSource) }
        let (sample, sampledSigns) = await sample(
            context, robots: robots, sitemap: sitemapBody ?? [], anchors: anchors, form: form, into: &results)
        let pageSigns = [(target.httpsURL, homeSigns)] + sampledSigns
        let documents = await documents(context, links: pageSigns, into: &results)
        // Feeds: the ones the page links, else the usual paths; two at most.
        let linked = links.compactMap { Self.sameHost($0, base: target.httpsURL, target: target) }
        var feeds = Array(linked.prefix(2))
        if feeds.isEmpty { feeds = [root + "rss.xml", root + "feed"] }
        var feedGenerator: SoftwareComponent?
        for feed in feeds where budget.remainingMS() > 0 {
            let (source, feedBody) = await datedDocument("feed", feed, context: context, now: now, into: &results)
            if let feedBody, feedGenerator == nil { feedGenerator = SoftwareFingerprint.feedGenerator(feedBody[...]) }
            if let source {
                sources.append(source)
                if source.count > 0 { break }
            }
        }
        let software = await software(context, headers: headers, feedGenerator: feedGenerator, into: &results)
        let best = sources.filter { $0.newest != nil }.max { ($0.newest ?? .distantPast) < ($1.newest ?? .distantPast) }
        let sitemapEntries = sitemapBody
        let (footer, contactLink, mixed, pageFingerprint, signs) = await ParseWorker.run {
            (
                MandatoryInfo.footer(of: body[...]), MandatoryInfo.contactLink(in: body[...]),
                MixedContent.find(in: body),
                PageFingerprint.of(title: HTMLScanner.title(body[...]), text: text, links: anchors, host: host),
                (
                    verification: SearchSigns.verificationTokens(in: body[...]),
                    types: SearchSigns.structuredTypes(in: body[...]), names: SearchSigns.siteNames(in: body[...]),
                    offHost: sitemapEntries.map {
                        SearchSigns.offHost(Sitemap.entries(in: $0[...]).entries.map(\.location), host: host)
                    }
                )
            )
        }
        // Bing's verification file has a fixed name at the root (Google's and Yandex's carry the token in their
        // name, so only their meta tags can be read).
        var verification = signs.verification
        if budget.remainingMS() > 0,
            let request = context.fetch(root + "BingSiteAuth.xml", cap: 16 << 10, timeoutMS: Self.contentFetchTimeoutMS)
        {
            let result = await context.perform(request)
            results.append(result)
            if result.responseCode == 200 {
                for token in SearchSigns.bingTokens(in: result.body[...]) where !verification.contains(token) {
                    verification.append(token)
                }
            }
        }
        var fingerprint = pageFingerprint
        fingerprint.verification = verification
        let search = SearchFacts(
            verification: verification, types: signs.types, siteNames: signs.names,
            sitemapOffHost: signs.offHost?.count, sitemapOffHostSamples: signs.offHost?.samples)
        // The published information where the portal states it: the footer, then the contact page for what
        // the footer lacks (one more request, only then).
        var mandatory = await ParseWorker.run { MandatoryInfo.check(footer: footer, page: body[...]) }
        var contactPage: String?
        if mandatory.missing.contains(where: MandatoryInfo.required.contains), budget.remainingMS() > 0,
            let link = contactLink, let url = Self.sameHost(link, base: target.httpsURL, target: target),
            let request = context.fetch(url, cap: Self.documentCap, timeoutMS: Self.contentFetchTimeoutMS)
        {
            let result = await context.perform(request)
            results.append(result)
            if result.responseCode == 200 {
                contactPage = url
                let contact = result.body
                mandatory = await ParseWorker.run {
                    MandatoryInfo.check(footer: footer, contactPage: contact, page: body[...])
                }
            }
        }
        let facts = ContentFacts(
            newest: best?.newest, newestSource: best?.source, newestURL: best?.url, sources: sources,
            mandatoryFound: mandatory.found.map(\.item), mandatoryMissing: mandatory.missing,
            homeSHA256: digest, mixedActive: mixed.active, mixedPassive: mixed.passive, spam: spam,
            cloaking: cloaking, sample: sample, fingerprint: fingerprint, software: software,
            mandatoryWhere: mandatory.found, contactPage: contactPage, search: search,
            privacy: Self.privacy(
                home: personal, url: target.httpsURL, sample: sample, signs: pageSigns, documents: documents))
        return ProbeRun(facts: facts, results: results)
    }

    /// The personal data of the home page, the sampled pages and the documents read (the pages that show
    /// none left out), the forms asking for personal data and the trackers of every page read.
    static func privacy(
        home: PersonalDataFacts, url: String, sample: PageSample?, signs: [(String, PageSigns)],
        documents: (links: Int, read: [DocumentFacts]) = (0, [])
    ) -> PrivacyFacts {
        var pages = home.isEmpty ? [] : [PersonalDataSource(url: url, facts: home)]
        let read = sample?.pages.filter { $0.score != nil } ?? []
        for page in read {
            if let facts = page.personal { pages.append(PersonalDataSource(url: page.url, facts: facts)) }
        }
        var forms: [PrivacyForm] = []
        var trackers: [PrivacyTracker] = []
        for (page, sign) in signs {
            for form in sign.forms where forms.count < 20 {
                forms.append(PrivacyForm(url: page, asks: form.asks, notice: sign.notice))
            }
            for tracker in sign.trackers where !trackers.contains(where: { $0.host == tracker.host }) {
                trackers.append(
                    PrivacyTracker(
                        host: tracker.host, via: tracker.via, url: page, state: tracker.host.hasSuffix(".gov.vn")))
            }
        }
        return PrivacyFacts(
            pagesRead: 1 + read.count, pages: pages, documentLinks: documents.links, documents: documents.read,
            forms: forms, trackers: trackers)
    }

    /// What one page read shows of how it treats personal data: its forms asking for it, whether it links a
    /// privacy notice, the trackers it loads, and the documents it links (absolute, same host, each once).
    struct PageSigns: Sendable {
        var forms: [PrivacySigns.Form]
        var notice: Bool
        var trackers: [PrivacySigns.Tracker]
        var documents: [String]

        init(_ body: [UInt8], anchors: [String], host: String) {
            forms = PrivacySigns.forms(in: body[...])
            notice = forms.isEmpty ? false : PrivacySigns.linksPrivacyNotice(body[...])
            trackers = PrivacySigns.trackers(in: body[...], host: host)
            documents = anchors.filter(DocumentLinks.isDocument)
        }

        init(document url: String) {
            forms = []
            notice = false
            trackers = []
            documents = [url]
        }
    }

    /// The documents the pages read link, on the portal's own host, each once in the order found, fetched and
    /// read (at most `--documents` of them, each within `documentCap` and the site's budget): a document is
    /// told by its first bytes; its personal data counted and masked, page by page for a PDF.
    private func documents(
        _ context: ProbeContext, links: [(String, PageSigns)], into results: inout [TransferResult]
    ) async -> (links: Int, read: [DocumentFacts]) {
        let target = context.target
        var seen = Set<String>()
        var urls: [String] = []
        for (page, signs) in links {
            for link in signs.documents {
                guard let url = Self.sameHost(link, base: page, target: target),
                    case let bare = url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? url,
                    seen.insert(bare).inserted
                else { continue }
                urls.append(bare)
            }
        }
        var out: [DocumentFacts] = []
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        for url in urls.prefix(context.options.documents) {
            guard context.budget.remainingMS() > 1_000,
                let request = context.fetch(url, cap: ProbeOptions.documentCap, timeoutMS: Self.documentTimeoutMS)
            else { break }
            let result = await context.perform(request)
            results.append(result)
            let name = DocumentLinks.name(url)
            guard (200..<300).contains(result.responseCode) else {
                out.append(
                    DocumentFacts(
                        url: url, name: name, format: .other, bytes: result.body.count,
                        status: result.responseCode == 0 ? nil : result.responseCode, read: .notFetched,
                        reason: result.failure.map { "\($0.kind.rawValue): \($0.message)" }))
                continue
            }
            guard !result.bodyTruncated else {
                out.append(
                    DocumentFacts(
                        url: url, name: name, format: DocumentReader.sniff(result.body), bytes: result.body.count,
                        status: result.responseCode, read: .tooLarge,
                        reason: "lớn hơn \(ProbeOptions.documentCap >> 20) MiB"))
                continue
            }
            let seconds = min(Double(Self.documentTimeoutMS) / 1_000, Double(context.budget.remainingMS()) / 1_000)
            let reading = await DocumentReader.reading(result.body, seconds: seconds, year: year)
            let facts = DocumentFacts(
                url: url, name: name, format: reading.format, bytes: result.body.count, status: result.responseCode,
                read: reading.status, reason: reading.reason, pageCount: reading.pageCount, personal: reading.personal,
                personalPages: reading.personalPages, hidden: reading.hidden)
            out.append(facts)
        }
        return (urls.count, out)
    }

    /// The longest one document's download and reading may take.
    static let documentTimeoutMS = 15_000

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
            // Cloaking is a required criterion: a stalled moment gets a second attempt.
            let tries = await context.performPatiently(request)
            results += tries
            guard let result = tries.last else { continue }
            // A redirect to a betting site (the usual cloaking for visitors from a search) is spam evidence.
            let forwardsToBetting = location(result).flatMap { SpamScan.bettingRedirect($0, host: target.host) } != nil
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
                        similarity: 100, spam: browserSpam || forwardsToBetting))
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
                    similarity: similarity, spam: spam || forwardsToBetting))
        }
        return CloakingFacts(
            browserStatus: home.responseCode, browserLocation: location(home), browserSpam: browserSpam,
            variants: variants)
    }

    /// A feed or sitemap: its dates, and its body for the sitemap's pages (`nil`: no usable answer).
    private func datedDocument(
        _ kind: String, _ url: String, context: ProbeContext, now: Date, into results: inout [TransferResult]
    ) async -> (source: DatedSource?, body: [UInt8]?) {
        guard context.budget.remainingMS() > 0,
            let request = context.fetch(url, cap: Self.documentCap, timeoutMS: Self.contentFetchTimeoutMS)
        else { return (nil, nil) }
        let result = await context.perform(request)
        results.append(result)
        guard result.responseCode == 200 else {
            return (
                DatedSource(
                    source: kind, url: url, newest: nil, count: 0, failure: result.failure.map(TransferFacts.failure)),
                nil
            )
        }
        let body = result.body
        guard body.contains(UInt8(ascii: "<")) else {
            return (DatedSource(source: kind, url: url, newest: nil, count: 0), nil)
        }
        let dates = await ParseWorker.run {
            VietnameseDates.feedDates(in: String(decoding: body, as: UTF8.self), now: now)
        }
        let stopped = result.failure?.kind == .timeout
        return (
            DatedSource(
                source: kind, url: url, newest: dates.max(), count: dates.count,
                truncated: result.bodyTruncated || stopped,
                failure: stopped ? result.failure.map(TransferFacts.failure) : nil),
            body
        )
    }

    /// The software the home page and its headers announce; WordPress's version from its feed when the page
    /// hides it; Joomla's from its manifest in an authorised audit only (an admin path).
    private func software(
        _ context: ProbeContext, headers: [HeaderField], feedGenerator: SoftwareComponent?,
        into results: inout [TransferResult]
    ) async -> [SoftwareComponent] {
        let body = home.body
        var found = await ParseWorker.run { SoftwareFingerprint.identify(headers: headers, body: body[...]) }
        func fill(_ component: SoftwareComponent) {
            if let index = found.firstIndex(where: { $0.product == component.product && $0.version == nil }) {
                found[index] = component
            }
        }
        if let feedGenerator { fill(feedGenerator) }
        if context.options.authorised, found.contains(where: { $0.product == "joomla" && $0.version == nil }),
            context.budget.remainingMS() > 0,
            let request = context.fetch(
                Target.url(
                    scheme: "https", host: context.target.host, port: context.target.httpsPort,
                    path: "/administrator/manifests/files/joomla.xml"),
                cap: Self.robotsCap, timeoutMS: Self.contentFetchTimeoutMS)
        {
            let result = await context.perform(request)
            results.append(result)
            if result.responseCode == 200, let manifest = SoftwareFingerprint.joomlaManifest(result.body[...]) {
                fill(manifest)
            }
        }
        return found
    }

    /// A harmless word no page holds by chance, for the search: what comes back as text was reflected.
    static func marker() -> String { "kiemtra" + String(UInt64.random(in: 1...UInt64.max), radix: 36) }

    /// Caps of a sampled page: most pages are far smaller; a spam block sits in the first half megabyte.
    static let sampleCap = 512 << 10
    /// Sampled pages also asked for as a search crawler (spam shown to crawlers only sits on sub-pages too).
    static let crawlerSampled = 3

    /// Up to `samplePages` same-host pages, newest sitemap entries and the home page's links in turn
    /// (robots.txt respected), spam-scanned; the first few also as a search crawler; then the site's search
    /// with a marker. `sampleStreams` pages at a time, on as many pooled connections (a real network's round
    /// trips, not this machine, set a sample's cost), within the site's budget: what it leaves unread is not
    /// part of the sample.
    private func sample(
        _ context: ProbeContext, robots: RobotsRules, sitemap: [UInt8], anchors: [String],
        form: PageLinks.SearchForm?, into results: inout [TransferResult]
    ) async -> (PageSample?, [(String, PageSigns)]) {
        let size = context.options.samplePages
        guard size > 0 else { return (nil, []) }
        let target = context.target
        let (candidates, disallowed) = await ParseWorker.run {
            Self.candidates(target: target, sitemap: sitemap, anchors: anchors, robots: robots)
        }
        var pages: [(Int, SampledPage)] = []
        var signs: [(Int, String, PageSigns)] = []
        await withTaskGroup(of: (Int, SampledPage?, [TransferResult], PageSigns?).self) { group in
            var next = Array(candidates.prefix(size).enumerated()).makeIterator()
            func start() {
                guard let (index, url) = next.next() else { return }
                group.addTask {
                    let (page, transfers, pageSigns) = await Self.sampled(url, index: index, context: context)
                    return (index, page, transfers, pageSigns)
                }
            }
            for _ in 0..<Self.sampleStreams { start() }
            for await (index, page, transfers, pageSigns) in group {
                if let page { pages.append((index, page)) }
                if let page, let pageSigns { signs.append((index, page.url, pageSigns)) }
                results += transfers
                start()
            }
        }
        var search: SearchReflection?
        if let form, context.budget.remainingMS() > 0 {
            search = await searchReflection(form, context: context, into: &results)
        }
        return (
            PageSample(
                size: size, candidates: candidates.count, disallowed: disallowed,
                pages: pages.sorted { $0.0 < $1.0 }.map(\.1), search: search),
            signs.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        )
    }

    /// Sampled pages asked at once, each on its own pooled connection: three keep a site within the
    /// connections `ProbeOptions.connectionsPerSite` allows it (its TLS hellos are over by then).
    static let sampleStreams = 3

    /// One sampled page, and its crawler view for the first `crawlerSampled`: the page (`nil`: the site's
    /// budget was spent before it was asked) and every transfer made.
    static func sampled(_ url: String, index: Int, context: ProbeContext) async -> (
        SampledPage?, [TransferResult], PageSigns?
    ) {
        guard context.budget.remainingMS() > 0,
            let request = context.fetch(url, cap: sampleCap, timeoutMS: contentFetchTimeoutMS)
        else { return (nil, [], nil) }
        let result = await context.perform(request)
        var transfers = [result]
        var (page, signs) = await scanned(url, result, context: context)
        if index < crawlerSampled, page.score != nil, context.budget.remainingMS() > 0,
            var crawler = context.fetch(url, cap: sampleCap, timeoutMS: contentFetchTimeoutMS)
        {
            crawler.userAgent = crawlerAgent
            let seen = await context.perform(crawler)
            transfers.append(seen)
            // The same bytes as the browser's: nothing to read again.
            if seen.responseCode > 0 && seen.body != result.body {
                page.crawlerSpam = (await scanned(url, seen, context: context).0.injected) && !page.injected
            } else {
                page.crawlerSpam = false
            }
        }
        return (page, transfers, signs)
    }

    /// A sampled page read: spam, personal data and, for an HTML page, its privacy signs; a page that is a
    /// document by its first bytes (a download link without an extension) is passed on to be read as one.
    static func scanned(_ url: String, _ result: TransferResult, context: ProbeContext) async -> (
        SampledPage, PageSigns?
    ) {
        guard result.responseCode > 0 else {
            return (
                SampledPage(
                    url: url, status: nil, score: nil, injected: false,
                    failure: result.failure.map { "\($0.kind.rawValue): \($0.message)" }), nil
            )
        }
        let type = HeaderLines.fields(result.headerLines).first { $0.name == "content-type" }?.value.lowercased() ?? ""
        let body = result.body
        guard (200..<300).contains(result.responseCode), type.isEmpty || type.contains("html") else {
            let document = (200..<300).contains(result.responseCode) && DocumentReader.sniff(body) != .other
            return (
                SampledPage(url: url, status: result.responseCode, score: nil, injected: false),
                document ? PageSigns(document: url) : nil
            )
        }
        let host = context.target.host
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let (spam, personal, signs) = await ParseWorker.run {
            (
                SpamScan.scan(body, host: host),
                PersonalData.scan(rows: PersonalData.rows(html: body[...]), year: year),
                PageSigns(body, anchors: PageLinks.anchors(in: body[...]), host: host)
            )
        }
        let page = SampledPage(
            url: url, status: result.responseCode, score: spam.score, injected: spam.injected,
            hits: spam.score > 0 ? Array(spam.hits.prefix(6)) : [], lawfulContext: spam.lawfulContext,
            placed: spam.placed, scoring: spam.scoring, forwarded: spam.forwarded,
            personal: personal.isEmpty ? nil : personal)
        return (page, signs)
    }

    /// The search form asked for the marker: reflected when the marker comes back in the page's text.
    private func searchReflection(
        _ form: PageLinks.SearchForm, context: ProbeContext, into results: inout [TransferResult]
    ) async -> SearchReflection? {
        let target = context.target
        let marker = Self.marker()
        guard
            let action = Self.sameHost(
                form.action.isEmpty ? "/" : form.action, base: target.httpsURL, target: target),
            var components = URLComponents(string: action)
        else { return nil }
        components.fragment = nil
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: form.field, value: marker)]
        guard let url = components.string,
            let request = context.fetch(url, cap: Self.sampleCap, timeoutMS: Self.contentFetchTimeoutMS)
        else { return nil }
        let result = await context.perform(request)
        results.append(result)
        guard result.responseCode > 0 else {
            return SearchReflection(url: url, status: nil, reflected: false, indexable: false)
        }
        let body = result.body
        let headers = HeaderLines.fields(result.headerLines)
        let (reflected, noindexMeta) = await ParseWorker.run {
            let text = PageText.text(of: body, limit: 512 << 10)
            let robots = HTMLScanner.tags(named: "meta", in: body.prefix(256 << 10), maxTags: 128).contains {
                ["robots", "googlebot"].contains($0["name"]?.lowercased() ?? "")
                    && ($0["content"]?.lowercased().contains("noindex") ?? false)
            }
            return (text.lowercased().contains(marker), robots)
        }
        let noindexHeader = headers.contains { $0.name == "x-robots-tag" && $0.value.lowercased().contains("noindex") }
        return SearchReflection(
            url: url, status: result.responseCode, reflected: reflected && (200..<300).contains(result.responseCode),
            indexable: !(noindexMeta || noindexHeader))
    }

    /// Pages worth sampling: the sitemap's entries newest first (injected pages are recent) and the home page's
    /// links, in turn; same scheme, host and port as the portal, no fragment, not the home page, not a file;
    /// and how many robots.txt forbids (or did not allow within its matching budget).
    static func candidates(
        target: Target, sitemap: [UInt8], anchors: [String], robots: RobotsRules
    ) -> (pages: [String], disallowed: Int) {
        var disallowed = Set<String>()
        // robots.txt matching for the whole site: a hostile file of 1,000 wildcard rules against a sitemap of
        // 2,000 entries stops at the budget; a page robots.txt was not proven to allow is not fetched.
        var budget = RobotsBudget()
        let base = target.httpsURL
        func page(_ link: String) -> String? {
            guard let absolute = sameHost(link, base: base, target: target),
                var components = URLComponents(string: absolute), components.scheme == "https",
                (components.port ?? 443) == target.httpsPort
            else { return nil }
            components.fragment = nil
            let path = components.percentEncodedPath.lowercased()
            if path.isEmpty || path == "/" && components.query == nil { return nil }
            let skipped = [
                ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".jpg", ".jpeg",
                ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".avi", ".xml", ".rss", ".css", ".js", ".ico",
            ]
            if skipped.contains(where: { path.hasSuffix($0) }) { return nil }
            guard let url = components.string else { return nil }
            let asked = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
            guard robots.allows(asked, budget: &budget) == true else {
                disallowed.insert(url)
                return nil
            }
            return url
        }
        let entries = Sitemap.entries(in: sitemap[...]).entries.enumerated()
            .sorted { a, b in
                let x = a.element.lastModified ?? ""
                let y = b.element.lastModified ?? ""
                return x != y ? x > y : a.offset < b.offset
            }
            .compactMap { page($0.element.location) }
        let linked = anchors.compactMap(page)
        var seen = Set<String>()
        var out: [String] = []
        var i = 0
        while i < max(entries.count, linked.count) && out.count < 1_000 {
            for list in [entries, linked] where i < list.count && seen.insert(list[i]).inserted {
                out.append(list[i])
            }
            i += 1
        }
        return (out, disallowed.count)
    }
}
