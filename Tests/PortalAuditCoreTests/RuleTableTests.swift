import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// One row of the rule table: a rule, an observation changed one fact from exemplary, the expected outcome.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let name: String
    let observation: Observation
    let status: FindingStatus
    let code: String
    var parameters: [String: ParameterValue] = [:]

    var testDescription: String { "\(rule): \(name) → \(status.rawValue)/\(code)" }
}

private func row(
    _ rule: String, _ name: String, _ status: FindingStatus, _ code: String,
    params: [String: ParameterValue] = [:], _ change: @escaping (inout Observation) -> Void = { _ in }
) -> RuleCase {
    RuleCase(rule: rule, name: name, observation: Fixtures.exemplary(change), status: status, code: code, parameters: params)
}

private let day: TimeInterval = 86_400

let ruleTable: [RuleCase] = [
    // availability.reachable
    row("availability.reachable", "https answers", .pass, "ok"),
    row("availability.reachable", "https 503", .fail, "server-error") { $0.reachability?.https.status = 503 },
    row("availability.reachable", "nothing answers", .fail, "unreachable") {
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "connect", message: "refused")),
            http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: "connect", message: "refused")))
    },
    row("availability.reachable", "https times out behind a redirect", .fail, "timeout") {
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "timeout", message: "slow")),
            http: EndpointFacts(url: "http://x/", status: 301))
    },
    row("availability.reachable", "http-only portal", .pass, "ok") {
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "connect", message: "refused")),
            http: EndpointFacts(url: "http://x/", status: 200))
    },
    row("availability.reachable", "no facts", .inconclusive, "missing-facts") { $0.reachability = nil },
    // tls.https-available
    row("tls.https-available", "https works", .pass, "ok"),
    row("tls.https-available", "http only", .fail, "no-https") {
        $0.tls = nil
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "connect", message: "refused")),
            http: EndpointFacts(url: "http://x/", status: 200))
    },
    row("tls.https-available", "broken tls", .fail, "handshake-failed") {
        $0.tls = nil
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "tls", message: "alert")),
            http: EndpointFacts(url: "http://x/", failure: ProbeFailure(kind: "connect", message: "refused")))
    },
    row("tls.https-available", "nothing answers", .inconclusive, "missing-facts") {
        $0.tls = nil
        $0.reachability = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "timeout", message: "t")))
    },
    // tls.min-version
    row("tls.min-version", "1.2 and 1.3 only", .pass, "ok"),
    row("tls.min-version", "1.0 accepted", .fail, "old-versions-accepted") { $0.tls?.versions["TLSv1.0"] = .accepted },
    row("tls.min-version", "1.2 accepted under a 1.3 minimum", .fail, "old-versions-accepted",
        params: ["minimum": .string("1.3")]),
    row("tls.min-version", "1.1 untested", .inconclusive, "missing-facts") { $0.tls?.versions["TLSv1.1"] = .error },
    row("tls.min-version", "no tls facts", .inconclusive, "missing-facts") { $0.tls = nil },
    // tls.weak-ciphers
    row("tls.weak-ciphers", "none", .pass, "ok"),
    row("tls.weak-ciphers", "CBC-SHA accepted", .fail, "weak-accepted") {
        $0.tls?.weakSuites = [WeakSuite(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-SHA", reasons: ["cbc", "sha1-mac"])]
    },
    row("tls.weak-ciphers", "DH 1024", .fail, "weak-accepted") { $0.tls?.dheMinBits = 1024 },
    row("tls.weak-ciphers", "DH 2048 with a 4096 minimum", .fail, "weak-accepted",
        params: ["min_dh_bits": .integer(4096)]) { $0.tls?.dheMinBits = 2048 },
    row("tls.weak-ciphers", "no version known", .inconclusive, "missing-facts") {
        $0.tls?.versions = ["TLSv1.2": .error, "TLSv1.3": .error]
    },
    // tls.forward-secrecy
    row("tls.forward-secrecy", "no static RSA", .pass, "ok"),
    row("tls.forward-secrecy", "static RSA", .fail, "static-rsa-accepted") { $0.tls?.staticRSAAccepted = true },
    row("tls.forward-secrecy", "untested", .inconclusive, "missing-facts") { $0.tls?.staticRSAAccepted = nil },
    // cert.trusted-chain
    row("cert.trusted-chain", "trusted", .pass, "ok"),
    row("cert.trusted-chain", "self-signed", .fail, "self-signed") {
        $0.certificate?.verifyErrors = [VerifyError(code: 18, depth: 0, message: "self-signed certificate")]
    },
    row("cert.trusted-chain", "unknown issuer", .fail, "untrusted-issuer") {
        $0.certificate?.verifyErrors = [VerifyError(code: 20, depth: 0, message: "unable to get local issuer")]
    },
    row("cert.trusted-chain", "expired but trusted", .pass, "ok") {
        $0.certificate?.verifyErrors = [VerifyError(code: 10, depth: 0, message: "certificate has expired")]
    },
    row("cert.trusted-chain", "no handshake", .inconclusive, "missing-facts") { $0.certificate = nil },
    // cert.hostname-match
    row("cert.hostname-match", "matches", .pass, "ok"),
    row("cert.hostname-match", "mismatch", .fail, "mismatch") {
        $0.certificate?.verifyErrors = [VerifyError(code: 62, depth: 0, message: "hostname mismatch")]
    },
    row("cert.hostname-match", "no handshake", .inconclusive, "missing-facts") { $0.certificate = nil },
    // cert.not-expired
    row("cert.not-expired", "in date", .pass, "ok"),
    row("cert.not-expired", "expired by date", .fail, "expired") {
        $0.certificate?.chain[0].notAfter = Fixtures.now.addingTimeInterval(-day)
    },
    row("cert.not-expired", "expired by OpenSSL", .fail, "expired") {
        $0.certificate?.verifyErrors = [VerifyError(code: 10, depth: 0, message: "certificate has expired")]
    },
    row("cert.not-expired", "not yet valid", .fail, "not-yet-valid") {
        $0.certificate?.chain[0].notBefore = Fixtures.now.addingTimeInterval(day)
    },
    row("cert.not-expired", "no chain", .inconclusive, "missing-facts") { $0.certificate?.chain = [] },
    // cert.expiry-soon
    row("cert.expiry-soon", "200 days left", .pass, "ok"),
    row("cert.expiry-soon", "10 days left", .fail, "expires-soon") {
        $0.certificate?.chain[0].notAfter = Fixtures.now.addingTimeInterval(10 * day)
    },
    row("cert.expiry-soon", "10 days left, 7-day window", .pass, "ok", params: ["warn_days": .integer(7)]) {
        $0.certificate?.chain[0].notAfter = Fixtures.now.addingTimeInterval(10 * day + 60)
    },
    row("cert.expiry-soon", "already expired", .notApplicable, "already-expired") {
        $0.certificate?.chain[0].notAfter = Fixtures.now.addingTimeInterval(-day)
    },
    row("cert.expiry-soon", "no certificate", .inconclusive, "missing-facts") { $0.certificate = nil },
    // cert.key-strength
    row("cert.key-strength", "RSA 2048 SHA-256", .pass, "ok"),
    row("cert.key-strength", "RSA 1024", .fail, "weak-key") { $0.certificate?.chain[0].keyBits = 1024 },
    row("cert.key-strength", "EC 256", .pass, "ok") {
        $0.certificate?.chain[0].keyType = "EC"
        $0.certificate?.chain[0].keyBits = 256
    },
    row("cert.key-strength", "SHA-1 signature", .fail, "weak-signature") {
        $0.certificate?.chain[0].signatureAlgorithm = "RSA-SHA1"
    },
    row("cert.key-strength", "no certificate", .inconclusive, "missing-facts") { $0.certificate = nil },
    // http.redirect-to-https
    row("http.redirect-to-https", "301 to https", .pass, "ok"),
    row("http.redirect-to-https", "200 over http", .fail, "no-redirect") {
        $0.redirect = RedirectFacts(hops: [RedirectHop(url: "http://x/", status: 200)], outcome: .final,
                                    finalScheme: "http", finalURL: "http://x/")
    },
    row("http.redirect-to-https", "redirect stays on http", .fail, "redirect-to-http") {
        $0.redirect = RedirectFacts(
            hops: [RedirectHop(url: "http://x/", status: 301, location: "http://x/home"),
                   RedirectHop(url: "http://x/home", status: 200)],
            outcome: .final, finalScheme: "http", finalURL: "http://x/home")
    },
    row("http.redirect-to-https", "loop", .fail, "loop") {
        $0.redirect = RedirectFacts(
            hops: [RedirectHop(url: "http://x/", status: 302, location: "http://x/"), RedirectHop(url: "http://x/")],
            outcome: .loop, finalScheme: "http", finalURL: "http://x/")
    },
    row("http.redirect-to-https", "too many hops", .fail, "too-many-hops") { $0.redirect?.outcome = .tooManyHops },
    row("http.redirect-to-https", "port 80 closed on an https-only host", .notApplicable, "http-not-served") {
        $0.redirect = RedirectFacts(
            hops: [RedirectHop(url: "http://x/", failure: ProbeFailure(kind: "connect", message: "refused"))],
            outcome: .failed, finalScheme: "http", finalURL: "http://x/")
    },
    row("http.redirect-to-https", "http times out", .inconclusive, "missing-facts") {
        $0.redirect = RedirectFacts(
            hops: [RedirectHop(url: "http://x/", failure: ProbeFailure(kind: "timeout", message: "slow"))],
            outcome: .failed, finalScheme: "http", finalURL: "http://x/")
    },
    row("http.redirect-to-https", "not probed", .inconclusive, "missing-facts") { $0.redirect = nil },
    row("http.redirect-to-https", "redirect to a private address, not followed", .fail, "unsafe-redirect") {
        $0.redirect = RedirectFacts(
            hops: [RedirectHop(url: "http://x/", status: 302, location: "http://10.0.0.5/", refused: .privateAddress)],
            outcome: .refused, finalScheme: "http", finalURL: "http://10.0.0.5/")
    },
    // headers.hsts
    row("headers.hsts", "two years", .pass, "ok"),
    row("headers.hsts", "missing", .fail, "missing") { Fixtures.setHeader(&$0, "strict-transport-security", nil) },
    row("headers.hsts", "one minute", .fail, "too-short") {
        Fixtures.setHeader(&$0, "strict-transport-security", "max-age=60")
    },
    row("headers.hsts", "garbage", .fail, "invalid") {
        Fixtures.setHeader(&$0, "strict-transport-security", "max-age=soon")
    },
    row("headers.hsts", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // headers.csp
    row("headers.csp", "present", .pass, "ok"),
    row("headers.csp", "missing", .fail, "missing") { Fixtures.setHeader(&$0, "content-security-policy", nil) },
    row("headers.csp", "empty", .fail, "missing") { Fixtures.setHeader(&$0, "content-security-policy", "  ") },
    row("headers.csp", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // headers.x-frame-options
    row("headers.x-frame-options", "sameorigin", .pass, "ok") { Fixtures.setHeader(&$0, "content-security-policy", nil) },
    row("headers.x-frame-options", "csp frame-ancestors only", .pass, "ok") {
        Fixtures.setHeader(&$0, "x-frame-options", nil)
    },
    row("headers.x-frame-options", "missing", .fail, "missing") {
        Fixtures.setHeader(&$0, "x-frame-options", nil)
        Fixtures.setHeader(&$0, "content-security-policy", nil)
    },
    row("headers.x-frame-options", "ALLOWALL", .fail, "invalid") {
        Fixtures.setHeader(&$0, "x-frame-options", "ALLOWALL")
        Fixtures.setHeader(&$0, "content-security-policy", "default-src 'self'")
    },
    row("headers.x-frame-options", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // headers.x-content-type-options
    row("headers.x-content-type-options", "nosniff", .pass, "ok"),
    row("headers.x-content-type-options", "missing", .fail, "missing") {
        Fixtures.setHeader(&$0, "x-content-type-options", nil)
    },
    row("headers.x-content-type-options", "wrong value", .fail, "invalid") {
        Fixtures.setHeader(&$0, "x-content-type-options", "sniff")
    },
    row("headers.x-content-type-options", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // headers.referrer-policy
    row("headers.referrer-policy", "strict-origin-when-cross-origin", .pass, "ok"),
    row("headers.referrer-policy", "missing", .fail, "missing") { Fixtures.setHeader(&$0, "referrer-policy", nil) },
    row("headers.referrer-policy", "unsafe-url", .fail, "unsafe") { Fixtures.setHeader(&$0, "referrer-policy", "unsafe-url") },
    row("headers.referrer-policy", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // headers.version-leak
    row("headers.version-leak", "bare server name", .pass, "ok"),
    row("headers.version-leak", "nginx/1.22.1", .fail, "version-disclosed") {
        Fixtures.setHeader(&$0, "server", "nginx/1.22.1")
    },
    row("headers.version-leak", "X-Powered-By", .fail, "version-disclosed") {
        Fixtures.setHeader(&$0, "x-powered-by", "PHP/5.6.40")
    },
    row("headers.version-leak", "no headers", .inconclusive, "missing-facts") { $0.headers = nil },
    // cookies.secure-flags
    row("cookies.secure-flags", "all flags", .pass, "ok"),
    row("cookies.secure-flags", "no cookies", .pass, "no-cookies") { $0.cookies = [] },
    row("cookies.secure-flags", "flags missing", .fail, "flags-missing") {
        $0.cookies = [CookieFacts(name: "ASP.NET_SessionId", secure: false, httpOnly: false, sameSite: nil)]
    },
    row("cookies.secure-flags", "no headers", .inconclusive, "missing-facts") {
        $0.headers = nil
        $0.cookies = nil
    },
    // availability.response-time
    row("availability.response-time", "4 ms", .pass, "ok"),
    row("availability.response-time", "5 s", .fail, "slow") {
        $0.reachability?.https.timings = Timings(dnsMS: 0, connectMS: 1, tlsMS: 2, ttfbMS: 4_990, totalMS: 5_000)
    },
    row("availability.response-time", "5 s under a 6 s limit", .pass, "ok", params: ["max_ms": .integer(6_000)]) {
        $0.reachability?.https.timings = Timings(dnsMS: 0, connectMS: 1, tlsMS: 2, ttfbMS: 4_990, totalMS: 5_000)
    },
    row("availability.response-time", "no timings", .inconclusive, "missing-facts") { $0.reachability?.https.timings = nil },
    // availability.uptime
    row("availability.uptime", "99.92%", .pass, "ok"),
    row("availability.uptime", "95%", .fail, "below-threshold") {
        $0.uptime = UptimeFacts(windowHours: 720, upSeconds: 95, downSeconds: 5, unmonitoredSeconds: 0, outages: [])
    },
    row("availability.uptime", "95% under a 90% threshold", .pass, "ok", params: ["min_basis_points": .integer(9_000)]) {
        $0.uptime = UptimeFacts(windowHours: 720, upSeconds: 95, downSeconds: 5, unmonitoredSeconds: 0, outages: [])
    },
    row("availability.uptime", "never monitored", .inconclusive, "missing-facts") { $0.uptime = nil },
    row("availability.uptime", "only unmonitored time", .inconclusive, "missing-facts") {
        $0.uptime = UptimeFacts(windowHours: 720, upSeconds: 0, downSeconds: 0, unmonitoredSeconds: 2_592_000, outages: [])
    },
    // content.freshness
    row("content.freshness", "2 days old", .pass, "ok"),
    row("content.freshness", "200 days old", .fail, "stale") { $0.content?.newest = Fixtures.now.addingTimeInterval(-86_400 * 200) },
    row("content.freshness", "2 days old, 1-day limit", .fail, "stale", params: ["max_age_days": .integer(1)]),
    row("content.freshness", "no date anywhere", .inconclusive, "no-date-found") { $0.content?.newest = nil },
    row("content.freshness", "no content facts", .inconclusive, "missing-facts") { $0.content = nil },
    // content.mandatory-info
    row("content.mandatory-info", "all shown", .pass, "ok"),
    row("content.mandatory-info", "no e-mail", .fail, "missing-items") {
        $0.content?.mandatoryFound = ["agency", "responsible", "address", "phone"]
        $0.content?.mandatoryMissing = ["email"]
    },
    row("content.mandatory-info", "no page", .inconclusive, "missing-facts") { $0.content = nil },
    // exposure.*
    row("exposure.vcs", "nothing matched", .pass, "ok"),
    row("exposure.vcs", ".git/HEAD served", .fail, "exposed") {
        $0.exposure?[0] = ExposureCheckFacts(path: "/.git/HEAD", kind: "vcs", status: 200, matched: true)
    },
    row("exposure.vcs", "not authorised", .notApplicable, "not-authorised") {
        $0.authorised = false
        $0.exposure = nil
    },
    row("exposure.vcs", "probe did not run", .inconclusive, "missing-facts") { $0.exposure = nil },
    row("exposure.sensitive-files", "nothing matched", .pass, "ok"),
    row("exposure.sensitive-files", ".env served", .fail, "exposed") {
        $0.exposure?[3] = ExposureCheckFacts(path: "/.env", kind: "sensitive", status: 200, matched: true)
    },
    row("exposure.sensitive-files", "a path unanswered", .inconclusive, "missing-facts") {
        $0.exposure?[3] = ExposureCheckFacts(path: "/.env", kind: "sensitive", status: nil, matched: false)
    },
    row("exposure.directory-listing", "no listing", .pass, "ok"),
    row("exposure.directory-listing", "listing", .fail, "exposed") {
        $0.exposure?[8] = ExposureCheckFacts(path: "/uploads/", kind: "listing", status: 200, matched: true)
    },
    row("exposure.directory-listing", "probe did not run", .inconclusive, "missing-facts") { $0.exposure = nil },
    // ipv6.available
    row("ipv6.available", "answers over IPv6", .pass, "ok"),
    row("ipv6.available", "no AAAA", .fail, "no-address") {
        $0.ipv6 = IPv6Facts(https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "dns", message: "no AAAA")), hasAddress: false)
    },
    row("ipv6.available", "AAAA but refused", .fail, "unreachable") {
        $0.ipv6 = IPv6Facts(https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: "connect", message: "refused")), hasAddress: true)
    },
    row("ipv6.available", "not probed", .inconclusive, "missing-facts") { $0.ipv6 = nil },
]

@Suite("Rule table")
struct RuleTableTests {
    @Test("every rule judges its table rows", arguments: ruleTable)
    func judges(_ row: RuleCase) throws {
        // Given a rule with its default parameters, changed by the row
        let rule = try #require(RuleRegistry.rule(row.rule))
        var parameters = rule.descriptor.defaultParameters
        for (key, value) in row.parameters { parameters.values[key] = value }
        // When it judges the row's observation
        let outcome = rule.evaluate(row.observation, parameters, Fixtures.context)
        // Then status and code are the expected ones, and the code is declared
        #expect(outcome.status == row.status)
        #expect(outcome.resultCode == row.code)
        #expect(rule.descriptor.resultCodes.contains(outcome.resultCode) || outcome.resultCode == "missing-facts")
        #expect(outcome.evidence.values.allSatisfy { $0.count <= 256 })
    }

    @Test("every rule has a pass, a fail and an inconclusive row")
    func coverage() {
        for rule in RuleRegistry.all {
            let rows = ruleTable.filter { $0.rule == rule.descriptor.id }
            for status in [FindingStatus.pass, .fail, .inconclusive] {
                #expect(rows.contains { $0.status == status }, "\(rule.descriptor.id) has no \(status) row")
            }
        }
    }

    @Test("the exemplary observation fails no rule")
    func exemplaryPasses() {
        for rule in RuleRegistry.all {
            let outcome = rule.evaluate(Fixtures.exemplary(), rule.descriptor.defaultParameters, Fixtures.context)
            #expect(outcome.status == .pass, "\(rule.descriptor.id): \(outcome.resultCode)")
        }
    }

    @Test("rule descriptors are complete: id form, unique ids, both languages in NFC, citations, advice hints")
    func descriptors() {
        let ids = RuleRegistry.all.map { $0.descriptor.id }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            #expect(d.id.range(of: #"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$"#, options: .regularExpression) != nil)
            #expect(d.id.hasPrefix(d.area.rawValue + "."))
            for text in [d.title, d.rationale, d.advice] {
                #expect(!text.vi.isEmpty && !text.en.isEmpty)
                #expect(text.vi == text.vi.precomposedStringWithCanonicalMapping, "\(d.id) Vietnamese text is not NFC")
            }
            #expect(!d.citations.isEmpty)
            #expect(d.advice.en.contains("nginx") && (d.advice.en.contains("Apache") || d.advice.en.contains("IIS")))
            #expect(d.resultCodes.contains("ok") || d.resultCodes.contains("no-cookies"))
        }
    }
}
