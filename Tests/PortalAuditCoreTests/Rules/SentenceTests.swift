import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// English words that must not reach a Vietnamese finding sentence (site data aside, which the examples keep
/// free of them).
let englishWords: Set<String> = [
    "the", "is", "are", "not", "no", "and", "of", "with", "could", "be", "was", "missing", "found", "accepted",
    "ok", "none", "by_class", "uptime", "certificate", "server", "page", "unknown", "error", "failed", "only",
    "from", "to", "on", "or", "yes", "crawler", "visible", "hidden", "footer", "agency", "phone", "email",
]

/// The words of `text`, lower-cased: letters and `_` runs of the tokens that are prose (a token holding `-`, `<`,
/// `/`, `:`, `=` or a quote is a technical name: a header, a tag, a path, a directive).
func words(_ text: String) -> [String] {
    text.split(whereSeparator: \.isWhitespace).filter { token in
        !token.contains { "-<>/:='\"".contains($0) }
    }.flatMap { $0.lowercased().split { !($0.isLetter || $0 == "_") }.map(String.init) }
}

@Suite("Finding sentences")
struct SentenceTests {
    @Test("every result code of every rule has a sentence in both languages, even with no evidence")
    func everyCode() throws {
        for rule in RuleRegistry.all {
            for code in rule.resultCodes {
                let sentence = rule.sentence(code: code, evidence: [:])
                let text = try #require(sentence, "\(rule.descriptor.id) \(code)")
                #expect(!text.vi.isEmpty && !text.en.isEmpty, "\(rule.descriptor.id) \(code)")
                #expect(text.vi != text.en, "\(rule.descriptor.id) \(code): vi is the English text")
                #expect(text.vi.last == "." && text.en.last == ".", "\(rule.descriptor.id) \(code): a sentence")
            }
            let none = rule.sentence(code: "no-such-code", evidence: [:])
            #expect(none == nil)
        }
    }

    @Test(
        "a rule's sentence for each of its examples: values shown, no evidence key and no English word in Vietnamese",
        arguments: everyExample)
    func example(_ example: ExampleCase) throws {
        let outcome = try example.judge()
        let rule = try #require(RuleRegistry.rule(example.rule))
        let sentence = rule.sentence(code: outcome.resultCode, evidence: outcome.evidence)
        let text = try #require(sentence)
        let vi = words(text.vi)
        for key in outcome.evidence.keys where key.contains("_") || key.count > 3 {
            #expect(
                !text.vi.contains(key) || (outcome.evidence.values.contains { $0.contains(key) }),
                "\(example.testDescription): key \(key) in “\(text.vi)”")
        }
        let english = vi.filter { englishWords.contains($0) }
        // Site data in the evidence may hold English (a header value, a page title): only words it lacks count.
        let fromSite = Set(outcome.evidence.values.flatMap(words))
        #expect(english.filter { !fromSite.contains($0) }.isEmpty, "\(example.testDescription): “\(text.vi)”")
        #expect(
            !text.vi.contains("T00:00") && !text.vi.contains("Z "),
            "\(example.testDescription): ISO date in “\(text.vi)”")
    }

    @Test("dates in sentences are written dd/mm/yyyy in Vietnam time")
    func dates() {
        let values = FindingValues(["not_after": "2026-12-01T20:30:00Z"])
        #expect(values.date("not_after").vi == "02/12/2026")
        #expect(values.date("not_after").en == "2 Dec 2026")
        #expect(values.dateTime("not_after").vi == "02/12/2026 03:30 (giờ Việt Nam)")
        #expect(values.number("n").vi == "…")
        #expect(FindingValues(["n": "12345"]).number("n").vi == "12.345")
    }
}
