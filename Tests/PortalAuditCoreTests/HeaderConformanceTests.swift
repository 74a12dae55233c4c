import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

/// One case of `Tests/Conformance/headers.json`: raw header lines as a server sends them, and what a browser
/// (the specification or web-platform-tests case it cites) makes of them, per rule.
struct HeaderCase: Decodable, Sendable, CustomTestStringConvertible {
    var id: String
    var source: String
    var note: String?
    var url: String?
    var headers: [String]
    var metaCSP: [String]?
    var expect: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, source, note, url, headers, expect
        case metaCSP = "meta_csp"
    }

    var testDescription: String { id }

    static let all = Repository.conformance("headers.json", as: HeaderCase.self)

    /// The exemplary observation with this case's response instead of the exemplary headers, read as the probe
    /// reads a response (`ResponseHeaders`).
    var observation: Observation {
        let page = url ?? "https://xa-a.tinh.gov.vn/"
        let body =
            "<!DOCTYPE html><html><head>"
            + (metaCSP ?? []).map { "<meta http-equiv=\"Content-Security-Policy\" content=\"\($0)\">" }.joined()
            + "<title>UBND</title></head><body></body></html>"
        let read = ResponseHeaders.read(
            lines: ["HTTP/1.1 200 OK"] + headers, body: Array(body.utf8)[...], url: page, status: 200, truncated: false)
        return Fixtures.exemplary {
            $0.headers = read.headers
            $0.cookies = read.cookies
        }
    }

    /// What each rule this case is about says of it, as "STATUS CODE".
    func outcomes() throws -> [String: String] {
        var out: [String: String] = [:]
        for id in expect.keys {
            let rule = try #require(RuleRegistry.rule(id), "\(self.id): no rule \(id)")
            let outcome = rule.evaluate(observation, rule.descriptor.defaultParameters, ExampleFacts.context)
            out[id] = "\(outcome.status.rawValue) \(outcome.resultCode)"
        }
        return out
    }
}

@Suite("Header conformance corpus")
struct HeaderConformanceTests {
    @Test("the corpus holds at least 100 cases, each citing its source, every expectation a known code")
    func corpus() throws {
        let cases = HeaderCase.all
        #expect(cases.count >= 100, "Tests/Conformance/headers.json holds \(cases.count) cases")
        #expect(Set(cases.map(\.id)).count == cases.count, "case ids repeat")
        for item in cases {
            #expect(!item.source.isEmpty, "\(item.id) cites no source")
            for (id, expected) in item.expect {
                let parts = expected.split(separator: " ")
                #expect(parts.count == 2, "\(item.id): \(id) expects \(expected)")
                #expect(
                    FindingStatus(rawValue: String(parts.first ?? "")) != nil, "\(item.id): \(id) expects \(expected)")
            }
        }
    }

    @Test("each case is judged as browsers and the specifications judge it", arguments: HeaderCase.all)
    func judged(_ item: HeaderCase) throws {
        // Given the raw header lines of a case, read as the probe reads a response
        // When the rules it is about judge it
        let outcomes = try item.outcomes()
        // Then each gives the status and code the cited source leads to
        for (id, expected) in item.expect {
            #expect(outcomes[id] == expected, "\(item.id) (\(item.source)): \(id)")
        }
    }

    @Test("precision and recall of failures per rule over the corpus (printed for Benchmarks/headers.sh)")
    func precisionRecall() throws {
        var tally: [String: (tp: Int, fp: Int, fn: Int, tn: Int, exact: Int, total: Int)] = [:]
        for item in HeaderCase.all {
            let outcomes = try item.outcomes()
            for (id, expected) in item.expect {
                let got = outcomes[id] ?? ""
                let (wantFail, gotFail) = (expected.hasPrefix("fail "), got.hasPrefix("fail "))
                var row = tally[id] ?? (0, 0, 0, 0, 0, 0)
                switch (wantFail, gotFail) {
                case (true, true): row.tp += 1
                case (false, true): row.fp += 1
                case (true, false): row.fn += 1
                case (false, false): row.tn += 1
                }
                row.exact += got == expected ? 1 : 0
                row.total += 1
                tally[id] = row
            }
        }
        for (id, row) in tally.sorted(by: { $0.key < $1.key }) {
            let precision = row.tp + row.fp == 0 ? 1 : Double(row.tp) / Double(row.tp + row.fp)
            let recall = row.tp + row.fn == 0 ? 1 : Double(row.tp) / Double(row.tp + row.fn)
            print(
                String(
                    format: "headers-corpus: %@ cases %d, failures %d, precision %.3f, recall %.3f, exact code %d/%d",
                    id, row.total, row.tp + row.fn, precision, recall, row.exact, row.total))
        }
        #expect(!tally.isEmpty)
    }
}
