import Foundation

/// The result of judging one observation against one profile.
public struct Evaluation: Sendable, Equatable {
    public var findings: [Finding]
    public var verdict: Verdict
    public var score: Int
    public var grade: String
}

/// Judges observations against profiles. Pure: no I/O, the clock comes in through the context.
public enum Evaluator {
    /// Bumped whenever a rule's judgement of the same facts changes; stored with every run.
    public static let version = 1

    /// Every rule of `profile` applied to `observation`, with verdict, score and grade.
    public static func evaluate(_ observation: Observation, profile: Profile, context: EvaluationContext) -> Evaluation
    {
        var findings: [Finding] = []
        for id in profile.ruleIDs {
            guard let setting = profile.rules[id], let rule = RuleRegistry.rule(id) else { continue }
            let outcome = rule.evaluate(observation, setting.parameters, context)
            findings.append(
                Finding(
                    rule: id, status: outcome.status, requirement: setting.requirement, severity: setting.severity,
                    resultCode: outcome.resultCode, evidence: outcome.evidence, title: rule.descriptor.title,
                    source: setting.source, sourceEN: setting.sourceEN, confidence: setting.confidence))
        }
        let verdict = verdict(findings)
        let score = score(findings, grading: profile.grading)
        let grade = verdict == .fail ? "F" : profile.grading.grade(for: score)
        return Evaluation(findings: findings, verdict: verdict, score: score, grade: grade)
    }

    /// `fail` on a required failure, `incomplete` on a required inconclusive, `warn` on a recommended failure.
    public static func verdict(_ findings: [Finding]) -> Verdict {
        let required = findings.filter { $0.requirement == .required }
        if required.contains(where: { $0.status == .fail }) { return .fail }
        if findings.contains(where: { $0.rule == "availability.reachable" && $0.status == .fail }) { return .fail }
        if required.contains(where: { $0.status == .inconclusive }) { return .incomplete }
        if findings.contains(where: { $0.status == .fail }) { return .warn }
        return .pass
    }

    /// 0–100: the weight of passed rules over the weight of rules that were judged (pass or fail).
    public static func score(_ findings: [Finding], grading: Grading) -> Int {
        var earned = 0
        var possible = 0
        for finding in findings where finding.status == .pass || finding.status == .fail {
            let weight = grading.weights[finding.severity] ?? 0
            possible += weight
            if finding.status == .pass { earned += weight }
        }
        guard possible > 0 else { return 0 }
        return Int((Double(earned) * 100 / Double(possible)).rounded())
    }
}
