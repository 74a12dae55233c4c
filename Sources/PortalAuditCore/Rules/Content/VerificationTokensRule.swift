import Foundation

/// Fails when a site-verification token (Google Search Console, Bing Webmaster Tools, Yandex…) appears on
/// the portal between two scans and the inventory does not declare it: attackers verify a hacked portal in
/// a search console to submit their own pages under its name and watch them rank.
struct VerificationTokensRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// Tokens served, none new since the previous scan (or each declared in the inventory).
        case known
        /// A token appeared since the previous scan, not declared in the inventory.
        case newToken = "new-token"
        /// Tokens served, and no earlier scan that looked for them to compare with.
        case noPrevious = "no-previous"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.verification-tokens", area: .content,
        title: LocalizedText(
            en: "No unknown search-console verification appeared on the portal",
            vi: "Không xuất hiện mã xác minh công cụ quản trị tìm kiếm lạ trên cổng"),
        rationale: LocalizedText(
            en:
                "Whoever places a verification token (google-site-verification, msvalidate.01, yandex-verification, BingSiteAuth.xml) controls the portal in that search engine's console: an attacker who verifies a hacked portal submits sitemaps of betting or pharmacy pages under the government's name and removes the real ones. A token that appears between two scans, placed by no one the unit knows, is such a takeover.",
            vi:
                "Ai đặt được mã xác minh (google-site-verification, msvalidate.01, yandex-verification, BingSiteAuth.xml) thì quản trị được cổng trong công cụ của máy tìm kiếm đó: kẻ tấn công xác minh cổng đã bị chiếm để gửi sơ đồ trang cờ bạc, thuốc lậu dưới tên cơ quan nhà nước và gỡ các trang thật. Mã xác minh mới xuất hiện giữa hai lần quét mà đơn vị không biết ai đặt là dấu hiệu bị chiếm quyền như vậy."
        ),
        advice: LocalizedText(
            en:
                "Ask the portal's staff whether they verified the site. If not: remove the meta tag from the CMS template (and any google*.html, yandex_*.html or BingSiteAuth.xml file at the web root: nginx's `root`, Apache's `DocumentRoot`, the IIS site's physical path), sign in to the search consoles with the unit's own account, verify ownership and remove the unknown owner and any sitemap it submitted, then treat the portal as compromised (passwords, plugins, changed files). If they did, declare the token in the inventory (`verification: \"google:…\"`).",
            vi:
                "Hỏi bộ phận quản trị cổng xem có xác minh trang không. Nếu không: xóa thẻ meta khỏi mẫu giao diện CMS (và các tệp google*.html, yandex_*.html, BingSiteAuth.xml ở thư mục gốc: `root` của nginx, `DocumentRoot` của Apache, đường dẫn vật lý của site trên IIS), đăng nhập công cụ quản trị tìm kiếm bằng tài khoản của đơn vị, xác minh quyền sở hữu, gỡ chủ sở hữu lạ và sơ đồ trang họ đã gửi, rồi xử lý như cổng bị xâm nhập (mật khẩu, plugin, tệp bị sửa). Nếu có, khai báo mã trong danh mục cổng (`verification: \"google:…\"`)."
        ),
        citations: [
            "NĐ 224/2026 Điều 21.4", "Google Search Console Help: verify site ownership (owners can submit sitemaps)",
        ],
        defaultSeverity: .high)

    /// Whether `token` (`engine:token`) is one the inventory declares (as written, or its bare token).
    static func declared(_ token: String, _ declared: [String]) -> Bool {
        let bare = token.split(separator: ":", maxSplits: 1).last.map(String.init) ?? token
        return declared.contains { $0 == token || $0 == bare }
    }

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let search = observation.content?.search else { return .missingFacts("content") }
        let served = search.verification
        var evidence: [String: String] = [:]
        if !served.isEmpty { evidence["tokens"] = clip(served.joined(separator: ", ")) }
        let own = context.target.verification ?? []
        guard let change = observation.change, let new = change.newVerification else {
            if served.allSatisfy({ declared($0, own) }) { return .pass(served.isEmpty ? .ok : .known, evidence) }
            return .inconclusive(.noPrevious, evidence)
        }
        let unknown = new.filter { !declared($0, own) }
        if !unknown.isEmpty {
            evidence["new"] = clip(unknown.joined(separator: ", "))
            evidence["since"] = iso(change.previousObservedAt)
            return .fail(.newToken, evidence)
        }
        return .pass(served.isEmpty ? .ok : .known, evidence)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The portal serves no search-console verification token.",
                vi: "Cổng không có mã xác minh công cụ quản trị tìm kiếm nào.")
        case .known:
            LocalizedText(
                en:
                    "The portal serves only known search-console verification tokens (none new since the previous scan, or declared in the inventory): \(tokens(values, "tokens")).",
                vi:
                    "Cổng chỉ có mã xác minh công cụ quản trị tìm kiếm đã biết (không có mã mới từ lần quét trước, hoặc đã khai báo trong danh mục cổng): \(tokens(values, "tokens"))."
            )
        case .newToken:
            LocalizedText(
                en:
                    "A search-console verification token appeared since the scan of \(values.date("since").en) that the inventory does not declare: \(tokens(values, "new")).",
                vi:
                    "Xuất hiện mã xác minh công cụ quản trị tìm kiếm mới kể từ lần quét ngày \(values.date("since").vi), không được khai báo trong danh mục cổng: \(tokens(values, "new"))."
            )
        case .noPrevious:
            LocalizedText(
                en:
                    "The portal serves search-console verification tokens the inventory does not declare (\(tokens(values, "tokens"))), and no earlier scan tells whether they are new.",
                vi:
                    "Cổng có mã xác minh công cụ quản trị tìm kiếm chưa khai báo trong danh mục cổng (\(tokens(values, "tokens"))) và chưa có lần quét trước để biết mã có mới xuất hiện hay không."
            )
        case .missingFacts:
            LocalizedText(
                en:
                    "This scan has no record of the portal's verification tags and files, so the tokens could not be checked.",
                vi:
                    "Lần quét này không có dữ liệu về thẻ meta và tệp xác minh của cổng nên chưa kiểm tra được mã xác minh."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("no token served", .pass, .ok),
        .init("a token appeared since the previous scan", .fail, .newToken) {
            $0.content?.search?.verification = ["google:Xq3n0aKf9bLmT2uVwYz1cD4eF5gH6iJ7kL8mN9oP0qR"]
            $0.change?.newVerification = ["google:Xq3n0aKf9bLmT2uVwYz1cD4eF5gH6iJ7kL8mN9oP0qR"]
        },
        .init("the token the inventory declares appeared", .pass, .known) {
            $0.content?.search?.verification = ["google:declared-by-the-unit"]
            $0.change?.newVerification = ["google:declared-by-the-unit"]
        },
        .init("the same token as at the previous scan", .pass, .known) {
            $0.content?.search?.verification = ["bing:0A1B2C3D4E5F60718293A4B5C6D7E8F9"]
            $0.change?.newVerification = []
        },
        .init("a token on the first scan: nothing to compare", .inconclusive, .noPrevious) {
            $0.content?.search?.verification = ["yandex:4f6c1e2d9a8b7c6d"]
        },
        .init("a history before tokens were looked for", .inconclusive, .missingFacts) {
            $0.content?.search = nil
        },
    ]

    // MARK: - Sentence words

    /// The tokens of a value (`engine:token`, joined by ", "), each engine named: "Google Xq3n…, Bing 0A1B…".
    private static func tokens(_ values: FindingValues, _ key: String) -> String {
        values[key].components(separatedBy: ", ").map { entry in
            guard let colon = entry.firstIndex(of: ":") else { return entry }
            let engine = engineNames[String(entry[..<colon])] ?? String(entry[..<colon])
            return "\(engine) \(entry[entry.index(after: colon)...])"
        }.joined(separator: ", ")
    }

    /// The engines `SearchSigns` names in a token, as they write their names.
    private static let engineNames = [
        "google": "Google", "bing": "Bing", "yandex": "Yandex", "baidu": "Baidu", "facebook": "Facebook",
        "pinterest": "Pinterest",
    ]
}
