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
    /// 2: penalty grading with caps, session cookies apart, version banners only with a version.
    /// 3: gambling content shown only to search crawlers or visitors from a search fails the spam rule
    /// (`cloaked`); the cloaking comparison itself is a recommendation.
    public static let version = 3

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
        return Evaluation(
            findings: findings, verdict: verdict, score: score,
            grade: grade(findings, verdict: verdict, score: score, grading: profile.grading))
    }

    /// The grade shown for a portal not yet judged in full (a required rule could not be checked).
    public static let ungraded = "–"

    /// `F` on a failed verdict; `–` when incomplete; otherwise the score's grade, lowered to the cap of
    /// the most severe unmet recommendation.
    public static func grade(_ findings: [Finding], verdict: Verdict, score: Int, grading: Grading) -> String {
        switch verdict {
        case .fail: return "F"
        case .incomplete: return ungraded
        case .pass, .warn:
            var grade = grading.grade(for: score)
            for finding in findings where finding.status == .fail {
                if let cap = grading.caps[finding.severity] { grade = grading.worse(grade, cap) }
            }
            return grade
        }
    }

    /// Why a portal has its grade, in a few words: the required failures, what could not be checked, the
    /// recommendation that capped it, or how many recommendations are unmet.
    public static func gradeCause(_ findings: [Finding], verdict: Verdict, grading: Grading) -> LocalizedText {
        func titles(_ list: [Finding]) -> (en: String, vi: String) {
            (list.map { $0.title.en }.joined(separator: "; "), list.map { $0.title.vi }.joined(separator: "; "))
        }
        /// Failures as their sentences say them ("Chứng thư số đã hết hạn ngày 02/12/2026"), joined.
        func sentences(_ list: [Finding]) -> (en: String, vi: String) {
            func text(_ language: Language) -> String {
                list.map { finding in
                    let sentence = finding.sentence(language)
                    return sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence
                }.joined(separator: "; ")
            }
            return (text(.en), text(.vi))
        }
        let failed = findings.filter { $0.status == .fail }
        let required = failed.filter { $0.requirement == .required }
        if verdict == .fail {
            let names = sentences(required.isEmpty ? failed.filter { $0.rule == "availability.reachable" } : required)
            return LocalizedText(
                en: "required criteria not met: \(names.en)", vi: "tiêu chí bắt buộc không đạt: \(names.vi)")
        }
        if verdict == .incomplete {
            let names = titles(findings.filter { $0.requirement == .required && $0.status == .inconclusive })
            return LocalizedText(en: "could not be determined: \(names.en)", vi: "chưa xác định được: \(names.vi)")
        }
        // A pass says what it rests on: the required criteria an unauthorised audit could not run are named.
        let unchecked = uncheckedRequired(findings)
        let clause =
            unchecked == 0
            ? LocalizedText(en: "", vi: "")
            : LocalizedText(
                en:
                    "; \(unchecked) required criteri\(unchecked == 1 ? "on" : "a") not checked (an authorised audit runs them)",
                vi: "; chưa kiểm tra \(unchecked) tiêu chí bắt buộc cần ủy quyền")
        let capping = failed.filter { grading.caps[$0.severity] != nil }
        if !capping.isEmpty {
            let names = titles(capping)
            return LocalizedText(
                en: "high-severity recommendation not met: \(names.en)\(clause.en)",
                vi: "khuyến nghị mức cao chưa đáp ứng: \(names.vi)\(clause.vi)")
        }
        if failed.isEmpty {
            return unchecked == 0
                ? LocalizedText(
                    en: "every criterion checked from outside is met",
                    vi: "đáp ứng mọi tiêu chí kiểm tra được từ bên ngoài")
                : LocalizedText(
                    en: "every criterion checked is met\(clause.en)", vi: "đáp ứng mọi tiêu chí đã kiểm tra\(clause.vi)"
                )
        }
        return LocalizedText(
            en: "\(failed.count) recommendation\(failed.count == 1 ? "" : "s") not met\(clause.en)",
            vi: "\(failed.count) khuyến nghị chưa đáp ứng\(clause.vi)")
    }

    /// The required criteria not run because the audit is not authorised (active probes): a pass stands on
    /// the others only, and says so.
    public static func uncheckedRequired(_ findings: [Finding]) -> Int {
        findings.filter {
            $0.requirement == .required && $0.status == .notApplicable && $0.resultCode == "not-authorised"
        }.count
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

    /// 0–100: 100 less the penalty of every unmet rule (required or recommended), by severity.
    public static func score(_ findings: [Finding], grading: Grading) -> Int {
        let lost = findings.filter { $0.status == .fail }.reduce(0) { $0 + (grading.penalties[$1.severity] ?? 0) }
        return max(0, 100 - lost)
    }
}
