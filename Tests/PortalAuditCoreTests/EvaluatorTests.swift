import Foundation
import PortalAuditCore
import PortalAuditTestSupport
import Testing

@Suite("Evaluator and verdicts")
struct EvaluatorTests {
    let profile: Profile

    init() throws {
        profile = try ProfileLoader(searchPaths: [Repository.profiles]).load("vn-level2")
    }

    private func evaluate(_ observation: Observation) -> Evaluation {
        Evaluator.evaluate(observation, profile: profile, context: Fixtures.context)
    }

    @Test("an exemplary portal passes with grade A and lists every rule")
    func exemplary() {
        let evaluation = evaluate(Fixtures.exemplary())
        #expect(evaluation.verdict == .pass)
        #expect(evaluation.grade == "A")
        #expect(evaluation.score == 100)
        #expect(evaluation.findings.map(\.rule) == profile.ruleIDs)
        #expect(evaluation.findings.allSatisfy { !$0.source.isEmpty })
    }

    @Test("a required failure fails the portal and caps the grade at F")
    func requiredFailure() {
        let evaluation = evaluate(Fixtures.exemplary { $0.tls?.versions[.tls10] = .accepted })
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.grade == "F")
        // The score still counts the penalty (high: 15), and the cause names the required failure
        #expect(evaluation.score == 85)
        let cause = Evaluator.gradeCause(evaluation.findings, verdict: .fail, grading: profile.grading)
        #expect(cause.vi == "tiêu chí bắt buộc không đạt: Máy chủ còn chấp nhận TLS 1.0")
    }

    @Test("only recommended failures give warn")
    func recommendedFailure() {
        let evaluation = evaluate(Fixtures.exemplary { Fixtures.setHeader(&$0, "strict-transport-security", nil) })
        #expect(evaluation.verdict == .warn)
        #expect(evaluation.grade != "F")
    }

    @Test("a required rule that cannot be judged gives incomplete, never pass")
    func incomplete() {
        let evaluation = evaluate(Fixtures.exemplary { $0.redirect = nil })
        #expect(evaluation.verdict == .incomplete)
        #expect(evaluation.findings.first { $0.rule == "http.redirect-to-https" }?.status == .inconclusive)
    }

    @Test("an unreachable portal fails once a second attempt confirms it; one silent attempt is incomplete")
    func unreachable() {
        var reach = ReachabilityFacts(
            https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused")))
        let once = evaluate(Observation(reachability: reach))
        #expect(once.verdict == .incomplete)
        #expect(once.grade == "–")
        reach.confirmedAfterSeconds = 31
        let confirmed = evaluate(Observation(reachability: reach))
        #expect(confirmed.verdict == .fail)
        #expect(confirmed.grade == "F")
    }

    @Test(
        "verdict table",
        arguments: [
            ([FindingStatus.pass, .pass], [FindingStatus.pass], Verdict.pass),
            ([.pass, .fail], [.pass], .fail),
            ([.pass, .inconclusive], [.fail], .incomplete),
            ([.pass, .notApplicable], [.fail], .warn),
            ([.pass], [.inconclusive], .pass),
        ])
    func verdicts(required: [FindingStatus], recommended: [FindingStatus], expected: Verdict) {
        func finding(_ status: FindingStatus, _ requirement: Requirement, _ index: Int) -> Finding {
            Finding(
                rule: "headers.r\(index)", status: status, requirement: requirement, severity: .low, resultCode: "x",
                evidence: [:], title: LocalizedText(en: "x", vi: "x"), source: "s")
        }
        let findings =
            required.enumerated().map { finding($1, .required, $0) }
            + recommended.enumerated().map { finding($1, .recommended, 100 + $0) }
        #expect(Evaluator.verdict(findings) == expected)
    }

    /// A finding for the grading table: `rule` failed (or passed), recommended unless said.
    static func finding(
        _ rule: String, _ severity: Severity, _ status: FindingStatus = .fail, _ requirement: Requirement = .recommended
    ) -> Finding {
        Finding(
            rule: rule, status: status, requirement: requirement, severity: severity, resultCode: "x", evidence: [:],
            title: LocalizedText(en: rule, vi: rule), source: "s")
    }

    /// The examples of docs/grading.md: what failed → score, grade.
    static let gradingTable: [(String, [Finding], Int, String)] = [
        ("all met", [finding("headers.hsts", .medium, .pass)], 100, "A"),
        ("only an info-level recommendation (Referrer-Policy)", [finding("headers.referrer-policy", .info)], 100, "A"),
        ("certificate expires within 30 days", [finding("cert.expiry-soon", .low)], 95, "B"),
        ("HSTS missing", [finding("headers.hsts", .medium)], 90, "B"),
        (
            "three minor headers missing (CSP, X-Frame-Options, X-Content-Type-Options)",
            [
                finding("headers.csp", .low), finding("headers.x-frame-options", .low),
                finding("headers.x-content-type-options", .low),
            ], 85, "B"
        ),
        (
            "every security header missing, version shown",
            [
                finding("headers.hsts", .medium), finding("headers.csp", .low),
                finding("headers.x-frame-options", .low),
                finding("headers.x-content-type-options", .low), finding("headers.referrer-policy", .info),
                finding("headers.version-leak", .low),
            ], 70, "C"
        ),
        (
            "legacy suites and no forward secrecy",
            [finding("tls.weak-ciphers", .medium), finding("tls.forward-secrecy", .medium)], 80, "C"
        ),
        (
            "revoked certificate where revocation is a recommendation (capped)", [finding("cert.not-revoked", .high)],
            85, "C"
        ),
        (
            "many recommendations",
            [
                finding("headers.hsts", .medium), finding("cookies.secure-flags", .medium),
                finding("content.freshness", .medium),
                finding("headers.csp", .low), finding("headers.x-frame-options", .low),
                finding("availability.response-time", .low),
            ],
            55, "D"
        ),
        (
            "almost nothing met",
            [
                finding("headers.hsts", .medium), finding("cookies.secure-flags", .medium),
                finding("content.freshness", .medium),
                finding("tls.weak-ciphers", .medium), finding("tls.forward-secrecy", .medium),
                finding("headers.csp", .low),
                finding("headers.x-frame-options", .low),
            ], 40, "E"
        ),
        ("a required failure, everything else met", [finding("tls.min-version", .high, .fail, .required)], 85, "F"),
    ]

    @Test("the grading table of docs/grading.md", arguments: 0..<gradingTable.count)
    func grading(_ index: Int) {
        let (name, findings, score, grade) = Self.gradingTable[index]
        let verdict = Evaluator.verdict(findings)
        #expect(Evaluator.score(findings, grading: .standard) == score, "\(name)")
        #expect(
            Evaluator.grade(findings, verdict: verdict, score: score, grading: .standard) == grade, "\(name)")
    }

    @Test("docs/grading.md shows the table the tests check")
    func gradingDocument() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("docs/grading.md"), encoding: .utf8)
        for (name, _, score, grade) in Self.gradingTable {
            #expect(text.contains("| \(name) | \(score) | \(grade) |"), "\(name)")
        }
    }

    @Test("the shipped profiles grade with the standard table; a portal not fully judged has no grade")
    func shippedGrading() {
        #expect(profile.grading == .standard)
        let findings = [Self.finding("availability.reachable", .critical, .inconclusive, .required)]
        #expect(Evaluator.grade(findings, verdict: .incomplete, score: 100, grading: .standard) == "–")
        #expect(
            Evaluator.gradeCause(findings, verdict: .incomplete, grading: .standard).vi
                == "chưa xác định được: availability.reachable")
        #expect(
            Evaluator.gradeCause([Self.finding("headers.csp", .low)], verdict: .warn, grading: .standard).vi
                == "1 khuyến nghị chưa đáp ứng")
    }
}
