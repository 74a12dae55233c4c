import Foundation
import PortalAuditCore

/// Renders profiles and rules for `portal-audit profiles` and `docs/rules.md`.
public struct ProfileRenderer: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    private func t(_ en: String, _ vi: String) -> String { language == .vi ? vi : en }

    private func requirement(_ value: Requirement) -> String {
        switch value {
        case .required: t("required", "bắt buộc")
        case .recommended: t("recommended", "khuyến nghị")
        }
    }

    /// One line per profile.
    public func list(_ profiles: [Profile]) -> String {
        profiles.map { profile in
            let base = profile.ancestry.first.map { " extends \($0)" } ?? ""
            let required = profile.rules.values.filter { $0.requirement == .required }.count
            return "\(profile.reference.label)\(base) — \(profile.title(language)) [\(profile.rules.count) "
                + t("rules", "tiêu chí") + ", \(required) " + t("required", "bắt buộc") + "]"
        }.joined(separator: "\n") + "\n"
    }

    /// The effective rule set after `extends`, with where each value came from.
    public func show(_ profile: Profile) -> String {
        var out = "\(profile.reference.label) — \(profile.title(language))\n"
        if !profile.ancestry.isEmpty {
            out += t("extends", "kế thừa") + ": " + profile.ancestry.joined(separator: " → ") + "\n"
        }
        out += "digest: \(profile.digest)\n\n"
        for id in profile.ruleIDs {
            guard let rule = profile.rules[id] else { continue }
            let params = rule.parameters.values.keys.sorted().map { key in
                "\(key)=\(rule.parameters.values[key]?.description ?? "")"
                    + (rule.origin["params.\(key)"].map { " ← \($0)" } ?? "")
            }
            out += "\(id)\n"
            out +=
                "  \(t("requirement", "yêu cầu")): \(requirement(rule.requirement))"
                + (rule.origin["requirement"].map { " ← \($0)" } ?? "") + "\n"
            out +=
                "  \(t("severity", "mức độ")): \(rule.severity.rawValue)"
                + (rule.origin["severity"].map { " ← \($0)" } ?? "") + "\n"
            if !params.isEmpty { out += "  \(t("parameters", "tham số")): " + params.joined(separator: ", ") + "\n" }
            out +=
                "  \(t("source", "căn cứ")): \(language == .en ? rule.sourceEN ?? rule.source : rule.source)"
                + (rule.origin["source"].map { " ← \($0)" } ?? "") + "\n"
            out +=
                "  \(t("confidence", "độ tin cậy")): \(Confidence.label(rule.confidence, language) ?? "-")"
                + (rule.origin["confidence"].map { " ← \($0)" } ?? "") + "\n"
            if !rule.basis.isEmpty {
                out +=
                    "  \(t("basis", "căn cứ chi tiết")) (docs/legal-basis.md): \(rule.basis.joined(separator: ", "))\n"
            }
        }
        if !profile.unverifiable.isEmpty {
            out +=
                "\n"
                + t(
                    "Not verifiable from outside (evidence from the operator)",
                    "Không kiểm chứng được từ bên ngoài (cần minh chứng của đơn vị vận hành)") + ":\n"
            for item in profile.unverifiable { out += "  - \(item(language))\n" }
        }
        return out
    }

    /// A rule's meaning, parameters, advice, and what every given profile makes of it.
    public func explain(_ rule: RuleDescriptor, profiles: [Profile]) -> String {
        var out = "\(rule.id) — \(rule.title(language))\n\n"
        out += rule.rationale(language) + "\n\n"
        if !rule.parameters.isEmpty {
            out += t("Parameters", "Tham số") + ":\n"
            for spec in rule.parameters {
                out +=
                    "  \(spec.name) (\(spec.expected); " + t("default", "mặc định")
                    + " \(spec.defaultValue)): \(spec.meaning(language))\n"
            }
            out += "\n"
        }
        out += t("How to fix", "Cách khắc phục") + ":\n  " + rule.advice(language) + "\n\n"
        out += t("Technical references", "Tài liệu kỹ thuật") + ": " + rule.citations.joined(separator: "; ") + "\n\n"
        out += t("In the shipped profiles", "Trong các bộ tiêu chí") + ":\n"
        for profile in profiles {
            guard let setting = profile.rules[rule.id] else {
                out += "  \(profile.reference.label): " + t("not checked", "không kiểm tra") + "\n"
                continue
            }
            let params = setting.parameters.values.keys.sorted().map {
                "\($0)=\(setting.parameters.values[$0]?.description ?? "")"
            }
            out +=
                "  \(profile.reference.label): \(requirement(setting.requirement))"
                + (params.isEmpty ? "" : " (" + params.joined(separator: ", ") + ")") + "\n"
            out +=
                "    \(t("source", "căn cứ")): \(language == .en ? setting.sourceEN ?? setting.source : setting.source)\n"
            out +=
                "    \(t("confidence", "độ tin cậy")): \(Confidence.label(setting.confidence, language) ?? "-")"
                + (setting.basis.isEmpty ? "" : " — docs/legal-basis.md: " + setting.basis.joined(separator: ", "))
                + "\n"
        }
        return out
    }

    /// `docs/rules.md`: one table of every rule, what it checks, its requirement at each shipped level and its sources.
    public static func rulesDocument(profiles: [Profile]) -> String {
        let levels = profiles.filter { $0.id.hasPrefix("vn-level") }.sorted { $0.id < $1.id }
        var out = """
            # Rules

            Generated by `portal-audit profiles doc` from the rule catalogue and the shipped profiles; a test
            fails when this file and the generator disagree. R = required, r = recommended, – = not checked;
            parameters that differ from the rule's default are shown. Sources are quoted from the profiles, each
            with its confidence in brackets: never stronger than the weakest part it rests on in
            [legal-basis.md](legal-basis.md) (a test checks it).

            | rule | what it checks | \(levels.map { "L\($0.id.dropFirst("vn-level".count))" }.joined(separator: " | ")) | source (current regime; pre-2026 counterpart) |
            |---|---|\(levels.map { _ in "---|" }.joined())---|

            """
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            let cells = levels.map { profile -> String in
                guard let setting = profile.rules[d.id] else { return "–" }
                let changed = setting.parameters.values.keys.sorted().filter {
                    setting.parameters.values[$0] != d.defaultParameters.values[$0]
                }.map { "\($0)=\(setting.parameters.values[$0]?.description ?? "")" }
                return (setting.requirement == .required ? "R" : "r")
                    + (changed.isEmpty ? "" : " (" + changed.joined(separator: ", ") + ")")
            }
            var sources: [String] = []
            for profile in levels {
                guard let setting = profile.rules[d.id] else { continue }
                let source = setting.source + " [" + (setting.confidence ?? "-") + "]"
                if !sources.contains(source) { sources.append(source) }
            }
            let escaped = sources.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: "<br>")
            out += "| `\(d.id)` | \(d.title.en) / \(d.title.vi) | \(cells.joined(separator: " | ")) | \(escaped) |\n"
        }
        out += """

            ## What each rule checks

            Each rule's reason and test in English and Vietnamese, and the result codes it can give (`missing-facts`:
            the probe could not observe what the rule needs).

            """
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            out += "\n### `\(d.id)`\n\n- \(d.rationale.en)\n- \(d.rationale.vi)\n"
            out += "- " + rule.resultCodes.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
