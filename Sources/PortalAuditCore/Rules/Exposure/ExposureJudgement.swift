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

    /// The sentence every exposure rule gives for `code`, `what` naming the kind of file it looks for
    /// ("thư mục quản lý mã nguồn (.git, .svn)").
    static func sentence(_ code: ExposureCode, _ values: FindingValues, what: LocalizedText) -> LocalizedText {
        let checked = values.count("checked")
        let paths = values.count("paths")
        let checkedEn = checked == 1 ? "1 path" : "\(checked) paths"
        let pathsEn = paths == 1 ? "" : "\(paths) paths: "
        let pathsVi = paths == 1 ? "đường dẫn" : "\(paths) đường dẫn:"
        return switch code {
        case .ok:
            checked == 0
                ? LocalizedText(en: "No exposed \(what.en) found.", vi: "Không phát hiện \(what.vi) bị lộ.")
                : LocalizedText(
                    en: "No exposed \(what.en) found; \(checkedEn) checked: \(values.list("checked")).",
                    vi:
                        "Không phát hiện \(what.vi) bị lộ; đã kiểm tra \(checked) đường dẫn: \(values.list("checked"))."
                )
        case .exposed:
            LocalizedText(
                en: "Exposed \(what.en) found at \(pathsEn)\(values.list("paths")).",
                vi: "Phát hiện \(what.vi) bị lộ tại \(pathsVi) \(values.list("paths")).")
        case .notAuthorised:
            LocalizedText(
                en: "Not checked: looking for \(what.en) is an active probe, run only in an authorised audit.",
                vi: "Chưa kiểm tra \(what.vi): đây là kiểm tra chủ động, chỉ thực hiện khi được ủy quyền.")
        case .missingFacts:
            values.has("unanswered")
                ? LocalizedText(
                    en: "The check for \(what.en) is incomplete: no answer for \(values.list("unanswered")).",
                    vi:
                        "Chưa kiểm tra hết \(what.vi): không nhận được phản hồi tại \(values.list("unanswered"))."
                )
                : LocalizedText(
                    en: "The probe for \(what.en) did not run, so it could not be checked.",
                    vi: "Chưa có kết quả thăm dò \(what.vi) nên chưa kiểm tra được.")
        }
    }
}
