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
        let evaluation = evaluate(Fixtures.exemplary { $0.tls?.versions["TLSv1.0"] = .accepted })
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.grade == "F")
        #expect(evaluation.score > 80)
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

    @Test("an unreachable portal fails")
    func unreachable() {
        let observation = Observation(
            reachability: ReachabilityFacts(
                https: EndpointFacts(url: "https://x/", failure: ProbeFailure(kind: .connect, message: "refused"))))
        let evaluation = evaluate(observation)
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.score == 0)
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

    @Test("score weighs passed rules by severity and ignores the ones not judged")
    func score() {
        func finding(_ status: FindingStatus, _ severity: Severity) -> Finding {
            Finding(
                rule: "x.y", status: status, requirement: .recommended, severity: severity, resultCode: "x",
                evidence: [:], title: LocalizedText(en: "x", vi: "x"), source: "s")
        }
        let findings = [finding(.pass, .high), finding(.fail, .medium), finding(.inconclusive, .critical)]
        #expect(Evaluator.score(findings, grading: .standard) == 67)
        #expect(Grading.standard.grade(for: 67) == "C")
        #expect(Grading.standard.grade(for: 10) == "F")
    }
}
