import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// One case of `Tests/Conformance/freshness.json`: a real .gov.vn page's visible text, the day it was
/// served, and the newest publication date a careful reader finds on it.
struct FreshnessCase: Decodable, Sendable, CustomTestStringConvertible {
    var id: String
    var url: String
    var captured: String
    var text: String
    var expect: [String: String?]
    var classes: [String]
    var note: String?

    var testDescription: String { id }

    static let all = Repository.conformance("freshness.json", as: FreshnessCase.self)

    /// When a scan would have read the page: late afternoon (Vietnam time) of the day it was served where the
    /// page shows that day (its clock, a print view's stamp); elsewhere `captured` is an estimate no earlier than
    /// the newest publication, and the scan is taken the day after.
    var now: Date {
        let served = ISO8601DateFormatter().date(from: captured + "T11:00:00Z") ?? Date()
        let shown = classes.contains("page-clock") || classes.contains("print-view")
        return shown ? served : served.addingTimeInterval(86_400)
    }

    var expected: String? { expect["published"] ?? nil }

    /// The newest publication the reader finds, as a day (`nil`: none).
    var found: String? {
        VietnameseDates.newest(in: text, now: now).map {
            ISO8601DateFormatter.string(
                from: $0, timeZone: TimeZone(secondsFromGMT: 7 * 3_600) ?? .gmt, formatOptions: [.withFullDate])
        }
    }
}

@Suite("Content corpus: real portal pages")
struct ContentCorpusTests {
    @Test("the freshness corpus holds at least 60 real pages, each with its address")
    func corpus() {
        #expect(FreshnessCase.all.count >= 60)
        #expect(FreshnessCase.all.allSatisfy { $0.url.contains(".gov.vn") })
    }

    /// Pages the reader still dates differently, and why (each stays in the accuracy figure).
    static let knownMisses: [String: String] = [
        "phutho-ke-hoach-bau-cu-2021-moc-thoi-gian":
            "the deadline is named in the table's header, not before each date in its cells",
        "daklak-thong-bao-nghi-tet-am-lich-2020":
            "a news lead (`Ngày 31/10/2019, UBND tỉnh ban hành Thông báo …`) reads as its posting",
    ]

    @Test("the newest publication on each page is the one a careful reader finds", arguments: FreshnessCase.all)
    func freshness(_ item: FreshnessCase) {
        if let reason = Self.knownMisses[item.id] {
            withKnownIssue(Comment(rawValue: reason)) {
                #expect(item.found == item.expected, "\(item.id): \(item.note ?? "")")
            }
        } else {
            #expect(item.found == item.expected, "\(item.id): \(item.note ?? "")")
        }
    }

    @Test("freshness accuracy over the corpus (printed for Benchmarks/content.sh)")
    func accuracy() {
        let cases = FreshnessCase.all
        let exact = cases.filter { $0.found == $0.expected }.count
        // A stale portal called fresh (a date found newer than the reader's) is the costly error.
        let tooNew = cases.filter { found in
            guard let got = found.found else { return false }
            return found.expected.map { got > $0 } ?? true
        }.count
        print(
            String(
                format: "content-corpus: freshness pages %d, exact %d (%.1f %%), dated too new %d", cases.count, exact,
                100 * Double(exact) / Double(max(1, cases.count)), tooNew))
        // Every page but the known misses is dated right.
        #expect(exact >= cases.count - Self.knownMisses.count)
    }
}

/// One case of `Tests/Conformance/spam.json`: real betting spam (injected into hacked sites, or a betting
/// site's own text) or real lawful text about gambling, as HTML.
struct SpamCase: Decodable, Sendable {
    var id: String
    var url: String
    var kind: String
    var html: String
    /// Added after the spam scoring was tuned on the others, and judged before any change was made for them.
    var heldout: Bool?

    static let all = Repository.conformance("spam.json", as: SpamCase.self)

    /// Whether the scan calls the page injected at the shipped threshold, were it a commune portal's page.
    var injected: Bool {
        SpamScan.scan(Array(html.utf8), host: "xa-a.tinh.gov.vn").injected(threshold: SpamScan.threshold)
    }
}

/// One case of `Tests/Conformance/footers.json`: a real portal footer, contact page, or a news article that
/// quotes somebody else's phone or e-mail, with the published items a reader finds in it.
struct FooterCase: Decodable, Sendable {
    var id: String
    var url: String
    var kind: String
    var html: String
    var expect: [String: Bool]
    /// Added after the reader was written against the others, and judged before any change was made for them.
    var heldout: Bool?

    static let all = Repository.conformance("footers.json", as: FooterCase.self)

    /// The corpus's item names, and the ones `MandatoryInfo` reports.
    static let items = [
        ("agency", "agency"), ("address", "address"), ("phone", "phone"), ("email", "email"),
        ("responsible_person", "responsible"), ("info_contact_point", "info-contact-point"),
    ]

    /// The items found, the case read where it stands: a footer as a home page's footer, a contact page as
    /// the contact page, an article as the main text of a home page whose footer is elsewhere (empty here).
    var found: Set<String> {
        let body = Array(html.utf8)
        let result: (found: [MandatoryInfo.Found], missing: [String])
        switch kind {
        case "contact-page": result = MandatoryInfo.check(footer: [], contactPage: body)
        case "article-trap":
            let page = Array("<main>\(html)</main><footer></footer>".utf8)
            result = MandatoryInfo.check(footer: MandatoryInfo.footer(of: page[...]))
        default: result = MandatoryInfo.check(footer: MandatoryInfo.footer(of: body[...]))
        }
        return Set(result.found.map(\.item))
    }
}

extension ContentCorpusTests {
    @Test("spam recall and false alarms over real spam and real lawful text (printed for Benchmarks/content.sh)")
    func spam() {
        let cases = SpamCase.all
        let spam = cases.filter { $0.kind == "spam" }
        let lawful = cases.filter { $0.kind == "lawful" }
        let found = spam.filter(\.injected).count
        let alarms = lawful.filter(\.injected).map(\.id)
        // Each miss with its score and hits, for whoever reads the spam next.
        for item in cases where item.injected != (item.kind == "spam") {
            let facts = SpamScan.scan(Array(item.html.utf8), host: "xa-a.tinh.gov.vn")
            let hits = facts.hits.map { "\($0.term)@\($0.place.rawValue)" }.joined(separator: ",")
            print(
                "content-corpus-\(item.kind == "spam" ? "miss" : "false-alarm"): \(item.id) score \(facts.score) lawful \(facts.lawfulContext) scrambled \(facts.scrambled ?? 0) \(hits)"
            )
        }
        print(
            String(
                format: "content-corpus: spam texts %d, found %d (recall %.1f %%); lawful texts %d, false alarms %d",
                spam.count, found, 100 * Double(found) / Double(max(1, spam.count)), lawful.count, alarms.count))
        let held = cases.filter { $0.heldout == true }
        let heldSpam = held.filter { $0.kind == "spam" }
        print(
            String(
                format:
                    "content-corpus: of which held out: spam %d, found %d; lawful %d, false alarms %d",
                heldSpam.count, heldSpam.filter(\.injected).count, held.count - heldSpam.count,
                held.filter { $0.kind == "lawful" && $0.injected }.count))
        #expect(spam.count >= 25 && lawful.count >= 25)
        // The content issue's bar: recall at least 95 %, and no lawful text called injected.
        #expect(alarms.isEmpty, "\(alarms)")
        #expect(Double(found) >= 0.95 * Double(spam.count))
    }

    @Test("published-information items over real footers and contact pages (printed for Benchmarks/content.sh)")
    func publishedInformation() {
        let cases = FooterCase.all
        var right = 0
        var total = 0
        var heldRight = 0
        var heldTotal = 0
        for item in cases {
            let found = item.found
            for (name, id) in FooterCase.items {
                guard let expected = item.expect[name] else { continue }
                total += 1
                right += found.contains(id) == expected ? 1 : 0
                if item.heldout == true {
                    heldTotal += 1
                    heldRight += found.contains(id) == expected ? 1 : 0
                }
                // Each miss, for whoever reads the footers next.
                if found.contains(id) != expected {
                    print("content-corpus-miss: \(item.id) \(name) should be \(expected)")
                }
            }
        }
        print(
            String(
                format: "content-corpus: published information footers %d, items right %d of %d (%.1f %%)",
                cases.count, right, total, 100 * Double(right) / Double(max(1, total))))
        print(
            String(
                format: "content-corpus: of which held out: %d pages, items right %d of %d",
                cases.filter { $0.heldout == true }.count, heldRight, heldTotal))
        #expect(cases.count >= 20)
        // The content issue's bar: at least 95 % of the items right.
        #expect(Double(right) >= 0.95 * Double(total))
    }
}
