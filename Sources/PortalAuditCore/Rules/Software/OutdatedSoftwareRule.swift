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
