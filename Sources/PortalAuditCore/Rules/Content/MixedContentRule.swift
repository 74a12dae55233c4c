import Foundation

/// Fails when the HTTPS home page loads active content (scripts, frames, stylesheets, forms, plugins) over
/// plain `http://`.
struct MixedContentRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case activeMixed = "active-mixed"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.mixed-content", area: .content,
        title: LocalizedText(
            en: "The HTTPS page loads no script, frame, stylesheet or form over HTTP",
            vi: "Trang HTTPS không tải mã lệnh, khung, bảng kiểu hay biểu mẫu qua HTTP"),
        rationale: LocalizedText(
            en:
                "A script or stylesheet fetched over plain HTTP can be replaced on the way and then controls the whole page, HTTPS or not; a form posting to http:// sends what citizens type in clear. Browsers block such content, so the page also breaks.",
            vi:
                "Mã lệnh hoặc bảng kiểu tải qua HTTP có thể bị thay thế trên đường truyền và khi đó điều khiển toàn bộ trang dù trang dùng HTTPS; biểu mẫu gửi tới http:// chuyển dữ liệu người dân nhập ở dạng không mã hóa. Trình duyệt chặn các nội dung này nên trang còn bị lỗi hiển thị."
        ),
        advice: LocalizedText(
            en:
                "Change every http:// address of a script, frame, stylesheet or form action in the CMS templates and articles to https:// (or a relative path); host third-party files locally if their site has no HTTPS. `Content-Security-Policy: upgrade-insecure-requests` (nginx `add_header`, Apache `Header always set`, IIS customHeaders) makes browsers ask for HTTPS meanwhile.",
            vi:
                "Đổi mọi địa chỉ http:// của mã lệnh, khung, bảng kiểu hoặc action của biểu mẫu trong mẫu giao diện và bài viết của CMS thành https:// (hoặc đường dẫn tương đối); tự lưu tệp của bên thứ ba nếu trang của họ không có HTTPS. Trong lúc chờ, `Content-Security-Policy: upgrade-insecure-requests` (nginx `add_header`, Apache `Header always set`, IIS customHeaders) khiến trình duyệt tự chuyển sang HTTPS."
        ),
        citations: ["W3C Mixed Content (blockable content)", "OWASP ASVS 4.0.3 V14.4"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let active = observation.content?.mixedActive else { return .missingFacts("content") }
        if active.isEmpty { return .pass(.ok) }
        return .fail(.activeMixed, ["count": String(active.count), "resources": clip(active.joined(separator: "; "))])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The HTTPS home page loads no script, frame, stylesheet or form over HTTP.",
                vi: "Trang chủ HTTPS không tải mã lệnh, khung, bảng kiểu hay biểu mẫu nào qua HTTP.")
        case .activeMixed:
            LocalizedText(
                en:
                    "The HTTPS home page loads \(values.number("count").en) active resource\(values["count"] == "1" ? "" : "s") over plain HTTP: \(resources(values).en).",
                vi:
                    "Trang chủ HTTPS tải \(values.number("count").vi) thành phần thực thi qua HTTP không mã hóa: \(resources(values).vi)."
            )
        case .missingFacts:
            LocalizedText(
                en: "This scan has no record of what the home page loads over HTTP, so it could not be checked.",
                vi: "Lần quét này không có dữ liệu về các thành phần trang chủ tải qua HTTP nên chưa kiểm tra được.")
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("everything over HTTPS", .pass, .ok),
        .init("a script over HTTP", .fail, .activeMixed) {
            $0.content?.mixedActive = ["script http://cdn.example.vn/jquery.js"]
        },
        .init("a history before mixed content was looked at", .inconclusive, .missingFacts) {
            $0.content?.mixedActive = nil
        },
    ]

    // MARK: - Sentence words

    /// A tag as the `resources` evidence names it (`tag url`, an HTML element name).
    private static func tagName(_ tag: String) -> LocalizedText? {
        switch tag {
        case "script": LocalizedText(en: "script", vi: "mã lệnh")
        case "iframe", "frame": LocalizedText(en: "frame", vi: "khung")
        case "form": LocalizedText(en: "form posting to", vi: "biểu mẫu gửi tới")
        case "object", "embed": LocalizedText(en: "plugin object", vi: "đối tượng nhúng")
        case "link": LocalizedText(en: "stylesheet or preload", vi: "bảng kiểu hoặc tệp tải trước")
        default: nil
        }
    }

    /// The `resources` evidence with each tag named: "script http://…" / "mã lệnh http://…".
    private static func resources(_ values: FindingValues) -> LocalizedText { resources(values, named: tagName) }

    /// The `resources` evidence (`tag url`, joined by "; "), each tag named by `named` (a tag it does not know
    /// is left out of the Vietnamese text).
    static func resources(_ values: FindingValues, named: (String) -> LocalizedText?) -> LocalizedText {
        let entries = (values.evidence["resources"] ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }
        guard !entries.isEmpty else { return LocalizedText(en: "…", vi: "…") }
        var en: [String] = []
        var vi: [String] = []
        for entry in entries {
            guard let space = entry.firstIndex(of: " "), let name = named(String(entry[..<space])) else {
                en.append(entry)
                vi.append(entry.hasPrefix("http") ? entry : "…")
                continue
            }
            let url = entry[entry.index(after: space)...]
            en.append("\(name.en) \(url)")
            vi.append("\(name.vi) \(url)")
        }
        return LocalizedText(en: en.joined(separator: ", "), vi: vi.joined(separator: ", "))
    }
}
