import Foundation

/// The result codes every exposure rule shares.
enum ExposureCode: String, RuleCode {
    case ok
    case exposed
    case notAuthorised = "not-authorised"
    case missingFacts = "missing-facts"
}

/// Shared judgement of the exposure rules: not applicable without authorisation, inconclusive when the
/// probe could not run, fail on any matched path of `kind`.
enum ExposureJudgement {
    static func judge(_ observation: Observation, kind: String) -> Judgement<ExposureCode> {
        guard observation.authorised == true else {
            return .notApplicable(
                .notAuthorised,
                ["reason": "not authorised: active probes need --authorised or `authorised: true` in the inventory"])
        }
        guard let checks = observation.exposure else { return .missingFacts("exposure") }
        let relevant = checks.filter { $0.kind == kind }
        let matched = relevant.filter(\.matched).map(\.path)
        if !matched.isEmpty { return .fail(.exposed, ["paths": clip(matched.joined(separator: ","))]) }
        if relevant.contains(where: { $0.status == nil }) {
            return .missingFacts(
                "exposure",
                ["unanswered": clip(relevant.filter { $0.status == nil }.map(\.path).joined(separator: ","))])
        }
        return .pass(.ok, ["checked": clip(relevant.map(\.path).joined(separator: ","))])
    }
}
