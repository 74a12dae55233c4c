import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditProbes
import PortalAuditTestSupport
import Testing

/// The dates the lab planted: case → (source, ISO date or day).
private func planted() throws -> [String: (source: String, value: String)] {
    let text = try String(contentsOfFile: Lab.directory + "/planted.tsv", encoding: .utf8)
    var out: [String: (String, String)] = [:]
    for line in text.split(separator: "\n") {
        let f = line.split(separator: "\t").map(String.init)
        if f.count == 3 { out[f[0]] = (f[1], f[2]) }
    }
    return out
}

private func status(_ site: SiteResult, _ rule: String) -> FindingStatus? {
    site.findings.first { $0.rule == rule }?.status
}

@Suite("Content, exposure and IPv6 probes on the lab", .serialized, .timeLimit(.minutes(2)))
struct ContentProbeTests {
    @Test("the newest date is the one the lab planted, with its source: a feed, and a stale page")
    func plantedDates() async throws {
        _ = try Lab.portals()
        let dates = try planted()
        let exemplary = try await check(try Lab.portal("exemplary"))
        let content = try #require(exemplary.observation.content)
        let feed = try #require(dates["exemplary"])
        #expect(content.newestSource == feed.source)
        #expect(content.newest == ISO8601DateFormatter().date(from: feed.value))
        #expect(content.newestURL?.hasSuffix("/rss.xml") == true)
        #expect(content.sources.contains { $0.source == "sitemap" && $0.count == 2 })
        #expect(content.mandatoryMissing.isEmpty)
        #expect(status(exemplary, "content.freshness") == .pass)

        let stale = try await check(try Lab.portal("stale"))
        let old = try #require(stale.observation.content)
        let page = try #require(dates["stale"])
        #expect(old.newestSource == page.source)
        let day = ISO8601DateFormatter.string(
            from: try #require(old.newest), timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt,
            formatOptions: [.withFullDate])
        #expect(day == page.value)
        #expect(status(stale, "content.freshness") == .fail)
        #expect(stale.findings.first { $0.rule == "content.freshness" }?.evidence["source"] == "page")
    }

    @Test("the footer's mandatory information is found, and its absence reported item by item")
    func mandatoryInfo() async throws {
        // (its footer only names the owning unit in a copyright line; its contact page, the same frame, shows
        // an unlabelled number in an article, which is no phone)
        let missing = try await check(try Lab.portal("no-footer"))
        #expect(
            missing.observation.content?.mandatoryMissing == [
                "address", "phone", "email", "responsible", "info-contact-point",
            ])
        let finding = missing.findings.first { $0.rule == "content.mandatory-info" }
        #expect(finding?.evidence["missing"] == "address,phone,email")
        #expect(
            finding?.evidence["where"]
                == "agency: Bản quyền thuộc (footer); disclosure-list: Danh mục thông tin phải được công khai (contact-page)"
        )
        #expect(missing.observation.content?.contactPage?.hasSuffix("/lien-he.html") == true)
    }

    @Test(
        "exposure: matched content fails, a soft-404 portal shows nothing, and without authorisation nothing is asked")
    func exposure() async throws {
        let exposed = try await check(try Lab.portal("exposed"), authorised: true)
        #expect(status(exposed, "exposure.vcs") == .fail)
        #expect(status(exposed, "exposure.sensitive-files") == .fail)
        #expect(status(exposed, "exposure.directory-listing") == .fail)
        let paths = exposed.observation.exposure?.filter(\.matched).map(\.path).sorted()
        #expect(paths == ["/.env", "/.git/HEAD", "/.git/config", "/uploads/"])

        let soft = try await check(try Lab.portal("soft-404"), authorised: true)
        let checks = try #require(soft.observation.exposure)
        #expect(checks.allSatisfy { $0.status == 200 })  // it answers 200 to everything…
        #expect(checks.allSatisfy { !$0.matched })  // …but nothing it serves is what those paths would hold
        #expect(status(soft, "exposure.vcs") == .pass)

        let passive = try await check(try Lab.portal("exposed"))
        #expect(passive.observation.exposure == nil)
        #expect(status(passive, "exposure.vcs") == .notApplicable)
        #expect(
            passive.findings.first { $0.rule == "exposure.vcs" }?.evidence["reason"]?.hasPrefix("not authorised")
                == true)
        #expect(passive.probes.first { $0.kind == .exposure }?.status == .notScheduled)
    }

    @Test("IPv6: a portal on ::1 passes, one on 127.0.0.1 only fails, a name pinned to IPv4 only has no address")
    func ipv6() async throws {
        let both = try await check(try Lab.portal("exemplary"))
        #expect(both.observation.ipv6?.https.address == "::1")
        #expect(status(both, "ipv6.available") == .pass)
        let v4only = try await check(try Lab.portal("no-ipv6"))
        #expect(v4only.findings.first { $0.rule == "ipv6.available" }?.resultCode == "unreachable")
        var pinned = try Lab.portal("exemplary")
        pinned.pins = .ipv4Only
        let noAddress = try await check(pinned)
        #expect(noAddress.findings.first { $0.rule == "ipv6.available" }?.resultCode == "no-address")
    }

    @Test("hostile documents are bounded: a 50 MB sitemap is cut, an endless feed times out, garbage dates are ignored")
    func hostile() async throws {
        let site = try await check(try Lab.portal("hostile-feeds"))
        let content = try #require(site.observation.content)
        let sitemap = try #require(content.sources.first { $0.source == "sitemap" })
        #expect(sitemap.truncated && sitemap.count == 0)
        let feed = try #require(content.sources.first { $0.source == "feed" })
        #expect(feed.failure?.kind == .timeout)
        #expect(content.newestSource == "page" || content.newestSource == "last-modified")
        #expect(site.verdict == .pass)
    }

    @Test("the sample: newest sitemap entries and the home page's links, robots.txt obeyed, its size an option")
    func sample() async throws {
        // Given a portal whose injected page is listed (newest) in the sitemap and linked from nowhere, beside
        // a page with the same spam that robots.txt forbids
        let portal = try Lab.portal("spam-deep")
        // When it is checked with the default sample
        let site = try await check(portal)
        let sample = try #require(site.observation.content?.sample)
        // Then the listed page is found, the forbidden one never asked for, and the home page stays clean
        #expect(sample.disallowed == 1)
        #expect(!sample.pages.contains { $0.url.contains("/rieng/") })
        #expect(
            sample.pages.filter(\.injected).map { URL(string: $0.url)?.path } == [
                "/tin-tuc/khuyen-mai-thanh-vien-moi.html"
            ])
        #expect(site.observation.content?.spam?.injected == false)
        let finding = try #require(site.findings.first { $0.rule == "content.spam-injection" })
        #expect(finding.status == .fail && finding.evidence["injected_pages"]?.contains("khuyen-mai") == true)
        // The first pages are also asked for as a search crawler: the same page, so no cloaking
        #expect(sample.pages.prefix(3).allSatisfy { $0.crawlerSpam == false })
        // A sample of one reaches only the newest entry; none leaves the home page alone, and no search
        let one = try #require(try await check(portal, samplePages: 1).observation.content?.sample)
        #expect(one.pages.count == 1 && one.pages[0].injected)
        let none = try await check(portal, samplePages: 0)
        #expect(none.observation.content?.sample == nil)
        #expect(none.findings.first { $0.rule == "content.spam-injection" }?.status == .pass)
        #expect(none.findings.first { $0.rule == "content.search-reflection" }?.status == .inconclusive)
    }

    @Test("the search is asked for a harmless marker: printed back on an indexable page, or not at all")
    func searchReflection() async throws {
        let reflecting = try #require(try await check(try Lab.portal("search-reflect")).observation.content?.sample)
        let search = try #require(reflecting.search)
        #expect(search.reflected && search.indexable && search.url.contains("/tim-kiem?tukhoa=kiemtra"))
        let plain = try #require(try await check(try Lab.portal("exemplary")).observation.content?.sample?.search)
        #expect(!plain.reflected && plain.status == 404)
    }

    @Test("software: what the page announces; Joomla's hidden version is read from its manifest only when authorised")
    func software() async throws {
        let wordpress = try await check(try Lab.portal("old-wordpress"))
        #expect(
            wordpress.observation.content?.software?.first
                == SoftwareComponent(
                    product: "wordpress", version: "4.5.2", source: "meta generator", evidence: "WordPress 4.5.2"))
        let outside = try await check(try Lab.portal("old-joomla"))
        #expect(outside.observation.content?.software?.map(\.version) == [nil])
        #expect(outside.findings.first { $0.rule == "software.outdated" }?.status == .notApplicable)
        let authorised = try await check(try Lab.portal("old-joomla"), authorised: true)
        #expect(authorised.observation.content?.software?.first?.version == "3.9.28")
        let finding = try #require(authorised.findings.first { $0.rule == "software.outdated" })
        #expect(finding.status == .fail && finding.resultCode == "end-of-life")
        #expect(finding.evidence["ended"]?.contains("2023-08-17") == true)
    }

    @Test("a check with every content probe stays within its connection budget (timings: Benchmarks/)")
    func cost() async throws {
        let site = try await check(try Lab.portal("exemplary"), authorised: true)
        #expect(site.cost.connections <= 27)
        #expect(site.probes.allSatisfy { $0.status == .completed })
    }
}
