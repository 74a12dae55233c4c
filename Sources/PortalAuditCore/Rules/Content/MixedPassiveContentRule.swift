import Foundation

/// Fails when the HTTPS home page shows images or media fetched over plain `http://` (passive mixed content).
struct MixedPassiveContentRule: Rule {
    enum Code: String, RuleCode {
        case ok
        case passiveMixed = "passive-mixed"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.mixed-content-passive", area: .content,
        title: LocalizedText(
            en: "The HTTPS page shows no image or media over HTTP",
            vi: "Trang HTTPS không hiển thị hình ảnh hay đa phương tiện qua HTTP"),
        rationale: LocalizedText(
            en:
                "Images and media fetched over plain HTTP can be swapped on the way (a forged notice, a fake QR code for a fee payment), and browsers mark the page as not fully secure.",
            vi:
                "Hình ảnh và đa phương tiện tải qua HTTP có thể bị tráo trên đường truyền (thông báo giả, mã QR nộp phí giả), và trình duyệt đánh dấu trang là không an toàn hoàn toàn."
        ),
        advice: LocalizedText(
            en:
                "Change the http:// addresses of images, audio and video in the CMS templates and articles to https:// or relative paths (a database search for `src=\"http://` finds the old articles; nginx, Apache and IIS serve what the CMS renders, and `Content-Security-Policy: upgrade-insecure-requests` makes browsers ask for HTTPS meanwhile).",
            vi:
                "Đổi địa chỉ http:// của hình ảnh, âm thanh, video trong mẫu giao diện và bài viết của CMS thành https:// hoặc đường dẫn tương đối (tìm `src=\"http://` trong cơ sở dữ liệu để thấy các bài cũ; nginx, Apache, IIS chỉ phục vụ nội dung CMS tạo ra, và `Content-Security-Policy: upgrade-insecure-requests` khiến trình duyệt tự chuyển sang HTTPS trong lúc chờ)."
        ),
        citations: ["W3C Mixed Content (upgradeable content)"],
        defaultSeverity: .low)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let passive = observation.content?.mixedPassive else { return .missingFacts("content") }
        if passive.isEmpty { return .pass(.ok) }
        return .fail(
            .passiveMixed, ["count": String(passive.count), "resources": clip(passive.joined(separator: "; "))])
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en: "The HTTPS home page shows no image or media over HTTP.",
                vi: "Trang chủ HTTPS không hiển thị hình ảnh hay nội dung đa phương tiện nào qua HTTP.")
        case .passiveMixed:
            LocalizedText(
                en:
                    "The HTTPS home page shows \(values.number("count").en) image or media file\(values["count"] == "1" ? "" : "s") over plain HTTP: \(resources(values).en).",
                vi:
                    "Trang chủ HTTPS hiển thị \(values.number("count").vi) hình ảnh hoặc tệp đa phương tiện qua HTTP không mã hóa: \(resources(values).vi)."
            )
        case .missingFacts:
            LocalizedText(
                en:
                    "This scan has no record of the images and media the home page loads over HTTP, so it could not be checked.",
                vi:
                    "Lần quét này không có dữ liệu về hình ảnh, đa phương tiện trang chủ tải qua HTTP nên chưa kiểm tra được."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("everything over HTTPS", .pass, .ok),
        .init("an image over HTTP", .fail, .passiveMixed) {
            $0.content?.mixedPassive = ["img http://anh.example.vn/banner.jpg"]
        },
        .init("a history before mixed content was looked at", .inconclusive, .missingFacts) {
            $0.content?.mixedPassive = nil
        },
    ]

    // MARK: - Sentence words

    /// A tag as the `resources` evidence names it (`tag url`, an HTML element name).
    private static func tagName(_ tag: String) -> LocalizedText? {
        switch tag {
        case "img": LocalizedText(en: "image", vi: "hình ảnh")
        case "audio": LocalizedText(en: "audio", vi: "âm thanh")
        case "video": LocalizedText(en: "video", vi: "video")
        case "source": LocalizedText(en: "media source", vi: "nguồn đa phương tiện")
        case "link": LocalizedText(en: "icon", vi: "biểu tượng")
        default: nil
        }
    }

    /// The `resources` evidence with each tag named: "image http://…" / "hình ảnh http://…".
    private static func resources(_ values: FindingValues) -> LocalizedText {
        MixedContentRule.resources(values, named: tagName)
    }
}
