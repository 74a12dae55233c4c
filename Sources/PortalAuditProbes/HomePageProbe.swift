import CurlClient
import Foundation
import PortalAuditCore

/// The home page over HTTPS on the verdict handshake (trust store and host check): reachability, the
/// certificate, headers, cookies and the page. Content and exposure start from what it fetched.
struct HomePageProbe: AreaProbe {
    static let kind = ProbeKind.reachability

    /// The home page's facts, and the result content and exposure read further.
    struct Facts: Sendable {
        var https: EndpointFacts
        var certificate: CertificateFacts?
        var headers: HeaderFacts?
        var cookies: [CookieFacts]?
        var page: PageFacts?
        var home: TransferResult
        /// Read only with a legacy-permitting TLS configuration.
        var legacyOnly = false
    }

    /// Issuers (AIA) and CRLs fetched during the run, shared by every site.
    let documents: DocumentCache

    func run(_ context: ProbeContext) async -> ProbeRun<Facts> {
        let target = context.target
        var request = context.request(target.httpsURL, host: target.host, port: target.httpsPort)
        request.verification = .record(host: target.host)
        request.browserFloor = true
        var home = await context.perform(request)
        var results = [home]
        if home.responseCode == 0, let failure = home.failure, failure.kind == .tls, !Self.isStatedRefusal(failure),
            context.budget.remainingMS() > 0
        {
            // A reset or a stall mid-handshake (a busy server) is not the server refusing: ask once more.
            request.connectTimeoutMS = context.budget.connectMS()
            request.timeoutMS = max(1, context.budget.remainingMS())
            home = await context.perform(request)
            results.append(home)
        }
        var legacyOnly = false
        if home.responseCode == 0, let failure = home.failure, failure.kind == .tls, Self.isStatedRefusal(failure),
            context.budget.remainingMS() > 0
        {
            // A server that speaks only what current clients refuse (TLS 1.0/1.1, 3DES, DH-1024 …) is still
            // read for the audit, with a legacy-permitting configuration; tls.https-available says the rest.
            var legacy = context.request(target.httpsURL, host: target.host, port: target.httpsPort)
            legacy.verification = .record(host: target.host)
            legacy.legacyTLS = true
            let second = await context.perform(legacy)
            results.append(second)
            if second.responseCode > 0 || second.handshake != nil {
                home = second
                legacyOnly = true
            }
        }
        var facts = Facts(https: TransferFacts.endpoint(url: target.httpsURL, home), home: home)
        facts.legacyOnly = legacyOnly
        if let handshake = home.handshake {
            var certificate = Self.certificate(handshake, host: target.host)
            certificate.source = legacyOnly ? .legacyHandshake : .handshake
            let (completion, fetchedIssuer, fetches) = await Self.complete(
                certificate, served: handshake.chainDER, context: context, documents: documents)
            certificate.completion = completion
            results += fetches
            let issuer =
                handshake.chainDER.count > 1
                ? handshake.chainDER[1]
                : fetchedIssuer
                    ?? handshake.chainDER.first.flatMap { Certificates.storeIssuer(of: $0) }
            let (revocation, checks) = await RevocationCheck.run(
                certificate, leaf: handshake.chainDER.first, issuer: issuer, staple: handshake.ocspStaple,
                context: context, documents: documents)
            certificate.revocation = revocation
            results += checks
            facts.certificate = certificate
        }
        if home.responseCode > 0 {
            let read = await Self.read(home, url: target.httpsURL)
            facts.headers = read.headers
            facts.cookies = read.cookies
            facts.page = read.page
        }
        return ProbeRun(facts: facts, results: results)
    }

    /// The headers, cookies and title of a response (`url` is where it came from: HTTPS, or an HTTP-only
    /// portal's plain page). Cookie values are dropped here, before anything is stored or reported.
    static func read(_ response: TransferResult, url: String) async -> (
        headers: HeaderFacts, cookies: [CookieFacts], page: PageFacts
    ) {
        let (read, title) = await ParseWorker.run {
            (
                ResponseHeaders.read(
                    lines: response.headerLines, body: response.body[...], url: url, status: response.responseCode,
                    truncated: response.headersTruncated),
                HTMLTitle.extract(response.body)
            )
        }
        return (
            read.headers,
            read.cookies, PageFacts(title: title, bytes: response.body.count, truncated: response.bodyTruncated)
        )
    }

    /// Whether a failed handshake is the server (or this client's floor) saying no: an alert, no shared
    /// version or suite, a key too small. A reset or an EOF is not.
    static func isStatedRefusal(_ failure: TransferFailure) -> Bool {
        let message = failure.message.lowercased()
        return [
            "alert", "no cipher", "no shared cipher", "unsupported protocol", "no protocols available",
            "wrong version number", "too small", "insufficient security", "handshake failure", "version too low",
        ]
        .contains { message.contains($0) }
    }

    /// OpenSSL's (code, depth) pairs with OpenSSL's words for each code.
    static func described(_ errors: [(code: Int, depth: Int)]) -> [VerifyError] {
        errors.map { VerifyError(code: $0.code, depth: $0.depth, message: x509ErrorDescription($0.code)) }
    }

    static func certificate(_ handshake: HandshakeFacts, host: String) -> CertificateFacts {
        CertificateFacts(
            chain: handshake.chain,
            verifyErrors: Self.described(handshake.verifyErrors),
            checkedHost: host)
    }

    /// The chain of a raw Certificate message (a server OpenSSL cannot talk to), verified offline.
    static func certificate(raw chain: [[UInt8]], host: String) -> CertificateFacts? {
        let summaries = chain.compactMap { Certificates.summary(der: $0) }
        guard !summaries.isEmpty, let errors = Certificates.verify(chain: chain, host: host) else { return nil }
        return CertificateFacts(
            chain: summaries,
            verifyErrors: Self.described(errors),
            checkedHost: host, source: .rawHello)
    }

    /// OpenSSL's codes for an issuer it could not find (2, 20) and the leaf signature it then could not check
    /// (21): what a client that completes chains through AIA fixes.
    static let issuerMissing: Set<Int> = [2, 20, 21]

    /// When the served chain lacks the leaf's issuer and the leaf names one (AIA caIssuers), fetches it
    /// (budgeted, capped, cached per run) and verifies the chain again as a client that completes chains.
    static func complete(
        _ certificate: CertificateFacts, served: [[UInt8]], context: ProbeContext, documents: DocumentCache
    ) async -> (ChainCompletion?, [UInt8]?, [TransferResult]) {
        // Only a chain whose one flaw is the missing issuer: an untrusted, expired or misnamed certificate's
        // URLs are not fetched (anyone can make such a certificate, and point it anywhere).
        let missingIssuer = certificate.verifyErrors.contains { [2, 20].contains($0.code) }
        let otherwiseTrusted = certificate.verifyErrors.allSatisfy { Self.issuerMissing.contains($0.code) }
        guard missingIssuer, otherwiseTrusted, !served.isEmpty, let url = certificate.leaf?.caIssuersURL,
            DocumentCache.fetchable(url, context: context)
        else { return (nil, nil, []) }
        let (body, results) = await documents.document(url, context: context, cap: 64 << 10, timeoutMS: 3_000)
        guard let der = body.flatMap(DocumentCache.certificateDER) else {
            return (
                ChainCompletion(
                    url: url, verifyErrors: [],
                    failure: "the issuer could not be fetched" + DocumentCache.refusal(results)),
                nil, results
            )
        }
        guard let errors = Certificates.verify(chain: served + [der], host: certificate.checkedHost) else {
            return (
                ChainCompletion(url: url, verifyErrors: [], failure: "the issuer is not a certificate"), nil, results
            )
        }
        let verified = described(errors)
        return (ChainCompletion(url: url, verifyErrors: verified), der, results)
    }
}

/// Documents fetched during one run by URL (AIA issuers, CRLs): a thousand portals under one CA cost one
/// download, and a CRL one parse. Each is fetched through libcurl within the asking site's budget, capped;
/// portals asking for a URL already being fetched wait for that one fetch. Only a document is kept: a failure
/// (a timeout, a refused address) is the asking site's, and the next site asks again.
actor DocumentCache {
    private var fetched: [String: [UInt8]] = [:]
    private var fetching: [String: Task<([UInt8]?, [TransferResult]), Never>] = [:]
    /// CRLs by URL, parsed (`nil`: the document is not a CRL); their bytes are not kept beside.
    private var lists: [String: RevocationList?] = [:]
    /// How many CRLs were parsed (once per URL).
    private(set) var parses = 0

    /// The CRL at `url`, fetched and parsed the first time; the transfers made for this caller. `nil` with no
    /// transfer when the document was fetched but is not a CRL.
    func revocationList(_ url: String, context: ProbeContext, cap: Int, timeoutMS: Int) async -> (
        list: RevocationList?, fetched: Bool, results: [TransferResult]
    ) {
        if let known = lists[url] { return (known, true, []) }
        let (body, results) = await document(url, context: context, cap: cap, timeoutMS: timeoutMS)
        guard let body else { return (nil, false, results) }
        // No suspension from here on: the first caller back parses, the others find its list.
        if let known = lists[url] { return (known, true, results) }
        let list = RevocationList(body)
        parses += 1
        lists[url] = list
        fetched[url] = nil
        return (list, true, results)
    }

    /// The body at `url` (status 200), fetched the first time; the transfers made for this caller.
    func document(_ url: String, context: ProbeContext, cap: Int, timeoutMS: Int) async -> ([UInt8]?, [TransferResult])
    {
        if let known = fetched[url] { return (known, []) }
        if let running = fetching[url] {
            let (body, _) = await running.value
            if let body { return (body, []) }
        }
        guard let request = context.fetch(url, cap: cap, timeoutMS: timeoutMS) else { return (nil, []) }
        let fetch = Task {
            let result = await context.perform(request)
            return (result.responseCode == 200 && !result.bodyTruncated ? result.body : nil, [result])
        }
        fetching[url] = fetch
        let (body, results) = await fetch.value
        fetching[url] = nil
        if let body { fetched[url] = body }
        return (body, results)
    }

    /// ": not connected, …" when the egress policy refused the fetch's address (for the evidence), else "".
    static func refusal(_ results: [TransferResult]) -> String {
        guard let failure = results.last?.failure, failure.kind == .egress else { return "" }
        return ": " + failure.message
    }

    /// Whether a certificate URL may be fetched: http or https on its default port (the certificate's
    /// addresses come from whoever made it; the egress policy then judges the address). In loopback-only
    /// mode the lab's own ports stand for the default ones.
    static func fetchable(_ url: String, context: ProbeContext) -> Bool {
        guard let components = URLComponents(string: url), components.host?.isEmpty == false,
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return false }
        return context.runtime.isLoopbackOnly || components.port == nil
            || components.port == (scheme == "https" ? 443 : 80)
    }

    /// DER as is, or the first PEM certificate block decoded.
    static func certificateDER(_ body: [UInt8]) -> [UInt8]? {
        guard !body.isEmpty else { return nil }
        if body.first == 0x30 { return body }
        let text = String(decoding: body, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        let base64 = text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(base64)).map { Array($0) }
    }
}

/// The monitor's availability sample: one light `GET` of the HTTPS home page on a fresh connection, body
/// capped at 64 KiB, judged by `AvailabilityPolicy` (docs/uptime.md).
public struct AvailabilitySampler: Sendable {
    let runtime: CurlRuntime
    let options: ProbeOptions

    public init(runtime: CurlRuntime = .shared, options: ProbeOptions) {
        self.runtime = runtime
        self.options = options
    }

    /// Samples `target`, giving up after `timeoutMS`; `nil` when the sample was cancelled (the monitor is
    /// stopping): a cancelled request says nothing about the portal.
    public func sample(_ target: Target, timeoutMS: Int, at date: @Sendable () -> Date = { Date() }) async
        -> UptimeSample?
    {
        let pins = NamePins(entries: options.resolve, target: target)
        var request = TransferRequest(
            url: target.httpsURL, resolve: pins.entries(host: target.host, port: target.httpsPort),
            verification: .record(host: target.host), connectTimeoutMS: min(timeoutMS, 5_000), timeoutMS: timeoutMS,
            maxBodyBytes: 64 << 10, userAgent: options.userAgent)
        request.allowHTTP2 = false
        request.egress = pins.egress(for: target)
        let result = await runtime.perform(request)
        if Task.isCancelled && result.failure?.kind == .cancelled { return nil }
        let status = result.responseCode > 0 ? result.responseCode : nil
        let up = status.map { AvailabilityPolicy.serves(status: $0, bodyBytes: result.body.count) } ?? false
        let cause = up ? nil : (status.map { "http \($0)" } ?? result.failure?.kind.rawValue ?? "no response")
        var sample = UptimeSample(
            at: date(), up: up, status: status, totalMS: Double(result.timings.totalUS) / 1_000, cause: cause)
        sample.address =
            result.primaryIP.flatMap { $0.isEmpty ? nil : $0 }
            ?? target.address?.split(separator: ",").first.map(String.init)
        return sample
    }
}
