import Foundation

/// Fails when the portal announces a version of its CMS, language runtime or web server whose security fixes
/// have ended (the shipped end-of-life table, `Profiles/eol/software.yaml`). Only what the site announces: a
/// version it keeps to itself is not judged from outside.
struct OutdatedSoftwareRule: Rule {
    enum Code: String, RuleCode {
        case ok
        /// A version past its end of life.
        case endOfLife = "end-of-life"
        /// Software shows, its version does not, or nothing is announced: not judged from outside.
        case notAnnounced = "not-announced"
        case missingFacts = "missing-facts"
    }

    static let descriptor = RuleDescriptor(
        id: "software.outdated", area: .software,
        title: LocalizedText(
            en: "The software it announces still gets security fixes",
            vi: "Phần mềm công bố còn được cập nhật bản vá bảo mật"),
        rationale: LocalizedText(
            en:
                "A CMS, PHP or web server past its end of life gets no fix for the holes found after it: they are published, scanned for across the internet, and the usual way gambling spam and defacements get into portals.",
            vi:
                "CMS, PHP hay máy chủ web đã hết vòng đời không còn được vá các lỗ hổng phát hiện sau đó: lỗ hổng được công bố, bị dò quét trên toàn Internet, và là con đường thường gặp để kẻ xấu chèn nội dung cờ bạc, thay đổi giao diện cổng."
        ),
        advice: LocalizedText(
            en:
                "Plan the upgrade to a supported release with the portal's vendor (CMS core, then themes and plugins; test on a copy first). Until then, stop announcing versions: remove the generator meta tag, `server_tokens off;` on nginx, `ServerTokens Prod` and `expose_php = Off` for Apache and PHP, `removeServerHeader=\"true\"` in IIS's requestFiltering — hiding a version does not patch it.",
            vi:
                "Lập kế hoạch nâng cấp lên phiên bản còn được hỗ trợ cùng đơn vị cung cấp (lõi CMS, rồi giao diện và plugin; thử trên bản sao trước). Trong lúc chờ, thôi công bố phiên bản: bỏ thẻ meta generator, `server_tokens off;` trên nginx, `ServerTokens Prod` và `expose_php = Off` cho Apache và PHP, `removeServerHeader=\"true\"` trong requestFiltering của IIS — giấu phiên bản không thay cho việc vá."
        ),
        citations: ["Vendor lifecycle announcements (the tool's end-of-life table)", "NĐ 224/2026 Điều 21.4"],
        defaultSeverity: .high)

    static func judge(_ observation: Observation, _ parameters: Parameters, _ context: EvaluationContext)
        -> Judgement<Code>
    {
        guard let software = observation.content?.software else { return .missingFacts("content") }
        let table = SoftwareLifecycle.shipped
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        var ended: [String] = []
        var judged: [String] = []
        var unjudged: [String] = []
        for component in software {
            let product = table.products[component.product]
            let name = product?.name ?? component.product
            guard let version = component.version, let product else {
                unjudged.append("\(name)\(component.version.map { " " + $0 } ?? "") (\(component.source))")
                continue
            }
            if let eol = product.endOfLife(version), eol <= context.now {
                ended.append(
                    "\(name) \(version) (\(component.source)): no security fixes since \(day.string(from: eol))")
            } else {
                judged.append("\(name) \(version)")
            }
        }
        var evidence = ["table_checked": table.checked]
        if !unjudged.isEmpty { evidence["not_judged"] = clip(unjudged.joined(separator: "; ")) }
        if !ended.isEmpty {
            evidence["ended"] = clip(ended.joined(separator: "; "))
            return .fail(.endOfLife, evidence)
        }
        guard !judged.isEmpty else { return .notApplicable(.notAnnounced, evidence) }
        evidence["supported"] = clip(judged.joined(separator: "; "))
        return .pass(.ok, evidence)
    }

    /// A `yyyy-MM-dd` day as reports write it; as sent when it is no such day.
    private static func day(_ text: String) -> LocalizedText {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withFullDate]
        parser.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        guard let date = parser.date(from: text) else { return LocalizedText(en: text, vi: text) }
        return FindingValues.day(date)
    }

    /// The `ended` evidence read back: each "name version" and the day its fixes ended (nil for a fragment the
    /// clip cut short).
    private static func ended(_ values: FindingValues) -> [(software: String, since: LocalizedText?)] {
        (values.evidence["ended"] ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }.map {
            item -> (software: String, since: LocalizedText?) in
            let since = item.range(of: "no security fixes since ").map { day(String(item[$0.upperBound...])) }
            let software = item.range(of: " (").map { String(item[..<$0.lowerBound]) } ?? item
            return (software, since)
        }
    }

    /// The `not_judged` evidence read back: each product (and version) without the source it was read from.
    private static func unjudged(_ values: FindingValues) -> String {
        (values.evidence["not_judged"] ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }.map { item in
            item.range(of: " (").map { String(item[..<$0.lowerBound]) } ?? item
        }.joined(separator: ", ")
    }

    static func sentence(_ code: Code, _ values: FindingValues) -> LocalizedText {
        let found = ended(values)
        let each = found.map { item -> LocalizedText in
            LocalizedText(
                en: item.since.map { "\(item.software) (no security fixes since \($0.en))" } ?? item.software,
                vi: item.since.map { "\(item.software) (từ \($0.vi))" } ?? item.software)
        }
        let one = found.count == 1 && found[0].since != nil
        let supported = values["supported"].replacingOccurrences(of: "; ", with: ", ")
        let checked = day(values["table_checked"])
        let others = unjudged(values)
        return switch code {
        case .ok:
            LocalizedText(
                en:
                    "The software the portal announces still gets security fixes: \(supported) (end-of-life table checked \(checked.en)).",
                vi:
                    "Phần mềm cổng công bố vẫn còn được cập nhật bản vá bảo mật: \(supported) (đối chiếu bảng vòng đời cập nhật ngày \(checked.vi))."
            )
        case .endOfLife:
            one
                ? LocalizedText(
                    en: "\(found[0].software) has had no security fixes since \(found[0].since?.en ?? "…").",
                    vi: "\(found[0].software) đã hết hỗ trợ bản vá bảo mật từ \(found[0].since?.vi ?? "…").")
                : LocalizedText(
                    en: "Software past its end of life: \(each.map(\.en).joined(separator: ", ")).",
                    vi: "Phần mềm đã hết hỗ trợ bản vá bảo mật: \(each.map(\.vi).joined(separator: ", ")).")
        case .notAnnounced:
            values.has("not_judged")
                ? LocalizedText(
                    en:
                        "The portal shows \(others) but no version that can be checked, so it is not judged from outside.",
                    vi:
                        "Cổng có dấu hiệu dùng \(others) nhưng không công bố phiên bản có thể đối chiếu, nên không đánh giá được từ bên ngoài."
                )
                : LocalizedText(
                    en: "The portal announces no software or version, so it is not judged from outside.",
                    vi: "Cổng không công bố phần mềm hay phiên bản nào nên không đánh giá được từ bên ngoài.")
        case .missingFacts:
            LocalizedText(
                en: "The software the portal announces was not read, so its end of life could not be checked.",
                vi:
                    "Không có thông tin về phần mềm cổng công bố nên chưa kiểm tra được phần mềm còn được hỗ trợ hay không."
            )
        }
    }

    static let examples: [RuleExample<Self>] = [
        .init("a current PHP", .pass, .ok),
        .init("nothing announced", .notApplicable, .notAnnounced) { $0.content?.software = [] },
        .init("WordPress 4.5 from its generator tag", .fail, .endOfLife) {
            $0.content?.software = [
                SoftwareComponent(
                    product: "wordpress", version: "4.5.2", source: "meta generator", evidence: "WordPress 4.5.2")
            ]
        },
        .init("PHP 7.4 in X-Powered-By", .fail, .endOfLife) {
            $0.content?.software = [
                SoftwareComponent(
                    product: "php", version: "7.4.33", source: "header X-Powered-By", evidence: "PHP/7.4.33")
            ]
        },
        .init("IIS 10 and a current Joomla 5", .pass, .ok) {
            $0.content?.software = [
                SoftwareComponent(
                    product: "iis", version: "10.0", source: "header Server", evidence: "Microsoft-IIS/10.0"),
                SoftwareComponent(
                    product: "joomla", version: "5.2.1", source: "manifest",
                    evidence: "joomla.xml <version>5.2.1</version>"),
            ]
        },
        .init("Joomla without its version: not judged from outside", .notApplicable, .notAnnounced) {
            $0.content?.software = [
                SoftwareComponent(
                    product: "joomla", version: nil, source: "meta generator",
                    evidence: "Joomla! - Open Source Content Management")
            ]
        },
        .init("a history before software was looked for", .inconclusive, .missingFacts) {
            $0.content?.software = nil
        },
    ]
}
