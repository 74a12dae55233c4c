import Foundation

/// Fails when version-control metadata (`.git`, `.svn`) is served.
struct VCSExposureRule: Rule {
    typealias Code = ExposureCode

    static let descriptor = RuleDescriptor(
        id: "exposure.vcs", area: .exposure,
        title: LocalizedText(
            en: "No version-control metadata is served", vi: "Không để lộ thư mục quản lý mã nguồn (.git, .svn)"),
        rationale: LocalizedText(
            en:
                "An exposed .git or .svn folder lets anyone download the site's source code and history, often with passwords.",
            vi: "Thư mục .git hoặc .svn bị lộ cho phép tải toàn bộ mã nguồn và lịch sử, thường kèm cả mật khẩu."),
        advice: LocalizedText(
            en:
                "Deploy without VCS folders, and deny them (nginx: `location ~ /\\.(git|svn) { deny all; }`; Apache: `RedirectMatch 404 /\\.(git|svn)`; IIS: request filtering hidden segments `.git`, `.svn`).",
            vi:
                "Triển khai không kèm thư mục quản lý mã nguồn và chặn truy cập (nginx: `location ~ /\\.(git|svn) { deny all; }`; Apache: `RedirectMatch 404 /\\.(git|svn)`; IIS: request filtering, hidden segments `.git`, `.svn`)."
        ),
        citations: ["OWASP ASVS 4.0.3 V4.3.2", "TCVN 14423:2026 5.17.2.3"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        ExposureJudgement.judge(observation, kind: "vcs")
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        ExposureJudgement.sentence(
            code, values,
            what: LocalizedText(
                en: "version-control metadata (.git, .svn)", vi: "thư mục quản lý mã nguồn (.git, .svn)"))
    }

    static let examples: [RuleExample<Self>] = [
        .init("nothing matched", .pass, .ok),
        .init(".git/HEAD served", .fail, .exposed) {
            $0.exposure?[0] = ExposureCheckFacts(path: "/.git/HEAD", kind: "vcs", status: 200, matched: true)
        },
        .init("not authorised", .notApplicable, .notAuthorised) {
            $0.authorised = false
            $0.exposure = nil
        },
        .init("probe did not run", .inconclusive, .missingFacts) { $0.exposure = nil },
    ]
}
