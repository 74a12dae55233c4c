import Foundation

/// Fails when the home page carries a defacer's signature ("Hacked by …"), or when, since the previous scan,
/// most of its text was replaced together with its title or its links out: a change for a person to look at
/// at once (the monitor alerts on it), since a portal's staff may also have redesigned it.
struct DefacementRule: Rule {
    typealias Parameters = SimilarityParameters

    enum Code: String, RuleCode {
        case ok
        /// A defacer's signature in the title or the opening words.
        case signature
        /// Most of the text replaced, with the title or the links out.
        case replaced
        /// Another page than at the previous scan, but the one an earlier scan saw: restored.
        case restored
        /// No earlier scan in history to compare with.
        case noPrevious = "no-previous"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "content.defacement", area: .content,
        title: LocalizedText(
            en: "The home page was not defaced or replaced", vi: "Trang chủ không bị thay đổi giao diện trái phép"),
        rationale: LocalizedText(
            en:
                "A defaced home page (a hacker's message, a foreign flag, a page of someone else's links) tells every citizen the portal was taken over; the sooner it is seen, the less it is copied and shared.",
            vi:
                "Trang chủ bị thay đổi giao diện (thông điệp của tin tặc, cờ nước ngoài, trang liên kết lạ) cho mọi người dân thấy cổng đã bị chiếm quyền; phát hiện càng sớm, hình ảnh càng ít bị sao chép, lan truyền."
        ),
        advice: LocalizedText(
            en:
                "Open the page and confirm with the portal's editors whether they changed it. If not: take the site offline or put up a maintenance page, keep the web server and CMS logs (nginx `/var/log/nginx/`, Apache `/var/log/apache2/` or `/var/log/httpd/`, IIS `%SystemDrive%\\inetpub\\logs\\LogFiles`), restore the site from a clean backup, patch the hole it came through (CMS, plugins, passwords), and report the incident to the competent authority.",
            vi:
                "Mở trang và xác nhận với bộ phận biên tập xem có phải họ thay đổi không. Nếu không: tạm dừng trang hoặc đưa trang bảo trì, lưu nhật ký máy chủ web và CMS (nginx `/var/log/nginx/`, Apache `/var/log/apache2/` hoặc `/var/log/httpd/`, IIS `%SystemDrive%\\inetpub\\logs\\LogFiles`), khôi phục từ bản sao lưu sạch, vá lỗ hổng đã bị lợi dụng (CMS, plugin, mật khẩu), báo cáo sự cố cho cơ quan có thẩm quyền."
        ),
        citations: ["NĐ 224/2026 Điều 21.4", "Luật An ninh mạng 116/2025"],
        defaultSeverity: .high,
        parameters: [
            ParameterSpec(
                name: "min_similarity", kind: .integer(1...100), defaultValue: .integer(25),
                meaning: LocalizedText(
                    en:
                        "Least share of text in common with the previous scan (percent) for the page to count as the same",
                    vi: "Tỷ lệ nội dung chung tối thiểu (%) với lần quét trước để coi là cùng một trang"))
        ])

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let fingerprint = observation.content?.fingerprint else { return .missingFacts("content") }
        if !fingerprint.defacementMarks.isEmpty {
            return .fail(
                .signature,
                ["found": fingerprint.defacementMarks.joined(separator: ", "), "title": clip(fingerprint.title ?? "")])
        }
        guard let change = observation.change else { return .inconclusive(.noPrevious) }
        var evidence = [
            "similarity": "\(change.similarity)%",
            "previous": ISO8601DateFormatter().string(from: change.previousObservedAt),
        ]
        let titleChanged = change.previousTitle != change.title
        if titleChanged {
            evidence["title"] = clip("\(change.previousTitle ?? "–") → \(change.title ?? "–")")
        }
        let newLinks = change.newOutbound.count >= 3 && change.newOutbound.count * 2 > change.previousOutbound
        if !change.newOutbound.isEmpty { evidence["new_links"] = clip(change.newOutbound.joined(separator: ", ")) }
        if change.similarity < parameters.minSimilarity && (titleChanged || newLinks) {
            if let earlier = change.earlierSimilarity, earlier >= parameters.minSimilarity {
                evidence["earlier_similarity"] = "\(earlier)%"
                return .pass(.restored, evidence)
            }
            return .fail(.replaced, evidence)
        }
        return .pass(.ok, evidence)
    }

    /// A change since a scan of 2026-11-30, for the examples.
    static func change(_ similarity: Int, title: String?, new: [String] = []) -> PageChange {
        PageChange(
            previousObservedAt: Date(timeIntervalSince1970: 1_796_000_000),
            previousTitle: "Cổng thông tin điện tử xã A", title: title, similarity: similarity, newOutbound: new,
            previousOutbound: 4)
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        switch code {
        case .ok:
            LocalizedText(
                en:
                    "No sign the home page was replaced: \(values["similarity"]) of its text is in common with the scan of \(values.date("previous").en)\(changes(values).en).",
                vi:
                    "Không có dấu hiệu trang chủ bị thay đổi trái phép: nội dung giống \(values["similarity"]) so với lần quét ngày \(values.date("previous").vi)\(changes(values).vi)."
            )
        case .signature:
            LocalizedText(
                en:
                    "The home page carries a defacer's signature: \(marks(values).en)\(values.has("title") ? "; page title: “\(values["title"])”" : "").",
                vi:
                    "Trang chủ có chữ ký của kẻ tấn công thay đổi giao diện: \(marks(values).vi)\(values.has("title") ? "; tiêu đề trang: “\(values["title"])”" : "")."
            )
        case .replaced:
            LocalizedText(
                en:
                    "The home page was replaced since the scan of \(values.date("previous").en): only \(values["similarity"]) of its text is in common\(changes(values).en).",
                vi:
                    "Trang chủ bị thay thế so với lần quét ngày \(values.date("previous").vi): nội dung chỉ còn giống \(values["similarity"])\(changes(values).vi)."
            )
        case .restored:
            LocalizedText(
                en:
                    "The home page was restored: unlike the scan of \(values.date("previous").en) (\(values["similarity"]) of its text in common), it matches an earlier scan (\(values["earlier_similarity"]) in common)\(changes(values).en).",
                vi:
                    "Trang chủ đã được khôi phục: nội dung chỉ giống \(values["similarity"]) so với lần quét ngày \(values.date("previous").vi) nhưng giống \(values["earlier_similarity"]) so với một lần quét trước đó\(changes(values).vi)."
            )
        case .noPrevious:
            LocalizedText(
                en:
                    "The home page carries no defacer's signature; there is no earlier scan to compare it with, so whether it was replaced could not be determined.",
                vi:
                    "Trang chủ không có chữ ký của kẻ tấn công; chưa có lần quét trước để so sánh nên chưa xác định được trang có bị thay thế hay không."
            )
        case .missingFacts:
            LocalizedText(
                en:
                    "This scan has no record of the home page's title, text and links, so defacement could not be checked.",
                vi:
                    "Lần quét này không có dữ liệu về tiêu đề, nội dung và liên kết của trang chủ nên chưa kiểm tra được việc thay đổi giao diện trái phép."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("the day's news changed, the frame stayed", .pass, .ok) {
            $0.change = change(62, title: "Cổng thông tin điện tử xã A")
        },
        .init("a hacker's title", .fail, .signature) {
            $0.content?.fingerprint?.defacementMarks = ["hacked by"]
            $0.content?.fingerprint?.title = "Hacked by Lab Team"
        },
        .init("another title and another text", .fail, .replaced) {
            $0.change = change(3, title: "Trang của tôi")
        },
        .init("the same title, new text and links to six new domains", .fail, .replaced) {
            $0.change = change(
                8, title: "Cổng thông tin điện tử xã A",
                new: ["a.example", "b.example", "c.example", "d.example", "e.example", "f.example"])
        },
        .init("the page of two scans ago back after a defacement", .pass, .restored) {
            $0.change = change(2, title: "Cổng thông tin điện tử xã A")
            $0.change?.previousTitle = "Hacked by X"
            $0.change?.earlierSimilarity = 88
        },
        .init("replaced, and like no earlier scan either", .fail, .replaced) {
            $0.change = change(3, title: "Trang của tôi")
            $0.change?.earlierSimilarity = 4
        },
        .init("a redesign keeping the title: for a person, not an alert", .pass, .ok) {
            $0.change = change(10, title: "Cổng thông tin điện tử xã A")
        },
        .init("the first scan: nothing to compare", .inconclusive, .noPrevious) { $0.change = nil },
        .init("a history before fingerprints", .inconclusive, .missingFacts) { $0.content?.fingerprint = nil },
    ]

    // MARK: - Sentence words

    /// The defacers' signatures of the `found` evidence (folded words, joined by ", "), quoted; `bi hack` is
    /// written back with its diacritics.
    private static func marks(_ values: FindingValues) -> LocalizedText {
        let found = values["found"].components(separatedBy: ", ")
        return LocalizedText(
            en: found.map { "“\($0)”" }.joined(separator: ", "),
            vi: found.map { "“\($0 == "bi hack" ? "bị hack" : $0)”" }.joined(separator: ", "))
    }

    /// "; title changed: A → B; new links out: a.example, …", each part when the evidence has it.
    private static func changes(_ values: FindingValues) -> LocalizedText {
        var text = LocalizedText(en: "", vi: "")
        if values.has("title") {
            text.en += "; title changed: \(values["title"])"
            text.vi += "; tiêu đề đổi: \(values["title"])"
        }
        if values.has("new_links") {
            text.en += "; new links out to \(values["new_links"])"
            text.vi += "; có liên kết mới ra ngoài tới \(values["new_links"])"
        }
        return text
    }
}
