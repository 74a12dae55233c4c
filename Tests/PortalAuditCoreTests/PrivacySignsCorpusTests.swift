import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// One case of `Tests/Conformance/forms.json`: a real form (a portal's question, feedback or registration form,
/// a shop's sign-up, a search box, a login, a lookup by case code) with the page context that holds or lacks a
/// privacy link, labelled by hand, with its source.
struct FormCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Expect: Decodable, Sendable {
        var asksPersonal: Bool
        var fields: [String]
        var notice: Bool

        enum CodingKeys: String, CodingKey {
            case fields, notice
            case asksPersonal = "asks_personal"
        }
    }
    var id: String
    var source: String
    var kind: String
    var html: String
    var expect: Expect
    var heldout: Bool?

    var testDescription: String { id }

    static let all = Repository.conformance("forms.json", as: FormCase.self)
}

/// One case of `Tests/Conformance/trackers.json`: real page heads and footers as sites embed analytics, pixels,
/// consent-gated scripts and plain social links, with the trackers a reviewer finds loaded before consent.
struct TrackerCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Expect: Decodable, Sendable {
        var trackers: [String]
    }
    var id: String
    var source: String
    var kind: String
    var html: String
    var expect: Expect
    var heldout: Bool?

    var testDescription: String { id }

    static let all = Repository.conformance("trackers.json", as: TrackerCase.self)
}

@Suite("Privacy corpus: forms that collect personal data, privacy notices and trackers")
struct PrivacySignsCorpusTests {
    @Test("forms asking for personal data without a privacy link (printed for Benchmarks/privacy.sh)")
    func forms() {
        #expect(FormCase.all.count >= 60)
        #expect(FormCase.all.allSatisfy { $0.source.hasPrefix("http") })
        var asks = Tally()
        var notice = Tally()
        var flagged = Tally()
        var held = Tally()
        for item in FormCase.all {
            let bytes = Array(item.html.utf8)[...]
            let found = PrivacySigns.forms(in: bytes)
            let linked = PrivacySigns.linksPrivacyNotice(bytes)
            let asked = !found.isEmpty
            asks.add(found: asked ? 1 : 0, expected: item.expect.asksPersonal ? 1 : 0)
            if item.expect.asksPersonal { notice.add(found: linked ? 1 : 0, expected: item.expect.notice ? 1 : 0) }
            let expected = item.expect.asksPersonal && !item.expect.notice
            let judged = asked && !linked
            flagged.add(found: judged ? 1 : 0, expected: expected ? 1 : 0)
            if item.heldout == true { held.add(found: judged ? 1 : 0, expected: expected ? 1 : 0) }
            if asked != item.expect.asksPersonal || (item.expect.asksPersonal && linked != item.expect.notice) {
                print(
                    "forms-corpus-miss: \(item.id) (\(item.kind)) asks \(found.map(\.asks))/\(item.expect.fields) notice \(linked)/\(item.expect.notice)"
                )
            }
        }
        for (name, tally) in [
            ("forms asking personal data", asks), ("privacy links beside them", notice),
            ("forms without a notice (the rule)", flagged), ("of which held out, the rule", held),
        ] {
            print(
                String(
                    format: "forms-corpus: %@ right %d, extra %d, missed %d — precision %.1f %%, recall %.1f %%",
                    name, tally.right, tally.extra, tally.missed, 100 * tally.precision, 100 * tally.recall))
        }
        #expect(flagged.precision >= 0.85 && flagged.recall >= 0.8)
    }

    @Test(
        "third-party trackers loaded before consent, by the shipped EasyPrivacy list (printed for Benchmarks/privacy.sh)"
    )
    func trackers() {
        #expect(TrackerCase.all.count >= 60)
        #expect(TrackerCase.all.allSatisfy { $0.source.hasPrefix("http") })
        var total = Tally()
        var held = Tally()
        var trapsFlagged: [String] = []
        for item in TrackerCase.all {
            let found = Set(
                PrivacySigns.trackers(in: Array(item.html.utf8)[...], host: "portal.example.gov.vn").map(\.host))
            let expected = Set(item.expect.trackers)
            let right = found.intersection(expected).count
            let extra = found.subtracting(expected).count
            let missed = expected.subtracting(found).count
            total.right += right
            total.extra += extra
            total.missed += missed
            if item.heldout == true {
                held.right += right
                held.extra += extra
                held.missed += missed
            }
            if found != expected {
                print(
                    "trackers-corpus-miss: \(item.id) (\(item.kind)) found \(found.sorted()) expected \(expected.sorted())"
                )
            }
            if item.kind.hasPrefix("trap"), !found.isEmpty { trapsFlagged.append(item.id) }
        }
        for (name, tally) in [("tracker hosts", total), ("of which held out", held)] {
            print(
                String(
                    format: "trackers-corpus: %@ right %d, extra %d, missed %d — precision %.1f %%, recall %.1f %%",
                    name, tally.right, tally.extra, tally.missed, 100 * tally.precision, 100 * tally.recall))
        }
        print(
            "trackers-corpus: traps flagged \(trapsFlagged.count) of \(TrackerCase.all.filter { $0.kind.hasPrefix("trap") }.count)"
        )
        #expect(total.precision >= 0.9 && total.recall >= 0.7)
    }
}
