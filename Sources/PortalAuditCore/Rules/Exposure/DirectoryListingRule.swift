import Foundation

/// Fails when the server generates directory listings.
struct DirectoryListingRule: Rule {
    typealias Code = ExposureCode

    static let descriptor = RuleDescriptor(
        id: "exposure.directory-listing", area: .exposure,
        title: LocalizedText(en: "No directory listings", vi: "Không liệt kê nội dung thư mục"),
        rationale: LocalizedText(
            en: "Directory listings show every uploaded file, including ones never linked (drafts, personal data).",
            vi: "Liệt kê thư mục làm lộ mọi tệp đã tải lên, kể cả tệp không được liên kết (bản nháp, dữ liệu cá nhân)."),
        advice: LocalizedText(
            en:
                "Turn listings off (nginx: `autoindex off;`; Apache: `Options -Indexes`; IIS: disable Directory Browsing).",
            vi:
                "Tắt liệt kê thư mục (nginx: `autoindex off;`; Apache: `Options -Indexes`; IIS: tắt Directory Browsing)."
        ),
        citations: ["OWASP ASVS 4.0.3 V4.3.2"], defaultSeverity: .medium)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        ExposureJudgement.judge(observation, kind: "listing")
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        ExposureJudgement.sentence(
            code, values, what: LocalizedText(en: "directory listings", vi: "trang liệt kê nội dung thư mục"))
    }

    static let examples: [RuleExample<Self>] = [
        .init("no listing", .pass, .ok),
        .init("listing", .fail, .exposed) {
            $0.exposure?[8] = ExposureCheckFacts(path: "/uploads/", kind: "listing", status: 200, matched: true)
        },
        .init("probe did not run", .inconclusive, .missingFacts) { $0.exposure = nil },
    ]
}
