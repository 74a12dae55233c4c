import Foundation

/// Fails when secrets, database dumps, archives or diagnostics pages are served.
struct SensitiveFilesRule: Rule {
    typealias Code = ExposureCode

    static let descriptor = RuleDescriptor(
        id: "exposure.sensitive-files", area: .exposure,
        title: LocalizedText(
            en: "No secrets, dumps or diagnostics pages are served",
            vi: "Không để lộ tệp nhạy cảm (.env, bản sao lưu, phpinfo)"),
        rationale: LocalizedText(
            en:
                "`.env` files, database dumps, backup archives, phpinfo() and server-status pages hand attackers credentials and internals.",
            vi:
                "Tệp .env, bản sao lưu cơ sở dữ liệu, tệp nén sao lưu, trang phpinfo() và server-status cung cấp cho kẻ tấn công mật khẩu và thông tin nội bộ."
        ),
        advice: LocalizedText(
            en:
                "Remove them from the web root and deny the patterns (nginx: `location ~ /\\.env|\\.sql$|\\.zip$ { deny all; }`, restrict `stub_status`; Apache: `<FilesMatch \"\\.(env|sql|zip)$\"> Require all denied </FilesMatch>`, restrict `server-status`; IIS: request filtering by extension).",
            vi:
                "Xóa khỏi thư mục web và chặn theo mẫu (nginx: `location ~ /\\.env|\\.sql$|\\.zip$ { deny all; }`, giới hạn `stub_status`; Apache: `<FilesMatch \"\\.(env|sql|zip)$\"> Require all denied </FilesMatch>`, giới hạn `server-status`; IIS: request filtering theo phần mở rộng)."
        ),
        citations: ["OWASP ASVS 4.0.3 V12.5.1, V14.2.2, V14.3.2", "TCVN 14423:2026 5.17.2.3"], defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        ExposureJudgement.judge(observation, kind: "sensitive")
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        ExposureJudgement.sentence(
            code, values,
            what: LocalizedText(
                en: "sensitive files (secrets, database dumps, backups, diagnostics pages)",
                vi: "tệp nhạy cảm (.env, bản sao lưu, phpinfo, server-status)"))
    }

    static let examples: [RuleExample<Self>] = [
        .init("nothing matched", .pass, .ok),
        .init(".env served", .fail, .exposed) {
            $0.exposure?[3] = ExposureCheckFacts(path: "/.env", kind: "sensitive", status: 200, matched: true)
        },
        .init("a path unanswered", .inconclusive, .missingFacts) {
            $0.exposure?[3] = ExposureCheckFacts(path: "/.env", kind: "sensitive", status: nil, matched: false)
        },
    ]
}
