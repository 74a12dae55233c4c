import Foundation
import PortalAuditCore

/// Renders a report for a terminal: verdict, grade and score first, then findings grouped by area.
///
/// Colour is used only when asked (the caller checks for a TTY and `NO_COLOR`). Everything that came
/// from a site is stripped of control characters so it cannot drive the terminal.
public struct TerminalRenderer: Sendable {
    public var language: Language
    public var colour: Bool
    /// The grading table the grade causes are told by.
    public var grading: Grading

    public init(language: Language, colour: Bool, grading: Grading = .standard) {
        self.language = language
        self.colour = colour
        self.grading = grading
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func t(_ en: String, _ vi: String) -> String { language == .vi ? vi : en }

    func verdictLabel(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: paint(t("PASS", "ĐẠT"), "1;32")
        case .warn: paint(t("PASS WITH WARNINGS", "ĐẠT, CÓ CẢNH BÁO"), "1;33")
        case .incomplete: paint(t("INCOMPLETE", "CHƯA ĐỦ CĂN CỨ"), "1;35")
        case .fail: paint(t("FAIL", "KHÔNG ĐẠT"), "1;31")
        }
    }

    /// ✔ met, ✘ a required criterion not met, ! a recommendation not yet met, ? undetermined, – not applicable.
    func statusMark(_ finding: Finding) -> String {
        switch finding.status {
        case .pass: paint("✔", "32")
        case .fail: finding.requirement == .required ? paint("✘", "31") : paint("!", "33")
        case .inconclusive: paint("?", "35")
        case .notApplicable: paint("–", "2")
        }
    }

    /// The whole report.
    public func render(_ document: ReportDocument) -> String {
        var out = ""
        for site in document.sites { out += render(site) + "\n" }
        if document.sites.count > 1 {
            let s = document.summary
            out +=
                t("Summary", "Tổng hợp") + ": \(s.sites) " + t("portals", "cổng") + " — "
                + "\(t("pass", "đạt")) \(s.pass), \(t("pass with warnings", "đạt có cảnh báo")) \(s.warn), "
                + "\(t("incomplete", "chưa đủ căn cứ")) \(s.incomplete), \(t("fail", "không đạt")) \(s.fail)\n"
        }
        return out
    }

    /// One block per server with the line that fixes each of `findings` (all of them have directives).
    func directiveBlock(_ findings: [Finding]) -> [String] {
        let directives = findings.compactMap { RuleRegistry.rule($0.rule)?.descriptor.directives }
        var lines = [
            "   " + paint(t("Fix", "Khắc phục"), "1") + " "
                + t(
                    "(the \(findings.count) criteria above; add the lines for your server, then reload it):",
                    "(\(findings.count) tiêu chí trên; thêm các dòng cho máy chủ đang dùng rồi nạp lại cấu hình):")
        ]
        let servers: [(String, KeyPath<ServerDirectives, String>)] = [
            (
                t(
                    "nginx (in the server block; reload: nginx -s reload)",
                    "nginx (trong khối server; nạp lại: nginx -s reload)"), \.nginx
            ),
            (
                t(
                    "Apache (VirtualHost or .htaccess, mod_headers; reload: apachectl graceful)",
                    "Apache (VirtualHost hoặc .htaccess, mod_headers; nạp lại: apachectl graceful)"), \.apache
            ),
            (
                t(
                    "IIS (web.config, system.webServer: httpProtocol/customHeaders, security/requestFiltering)",
                    "IIS (web.config, system.webServer: httpProtocol/customHeaders, security/requestFiltering)"), \.iis
            ),
        ]
        for (server, path) in servers {
            lines.append("     " + server + ":")
            for directive in directives {
                for line in directive[keyPath: path].split(separator: "\n") { lines.append("       " + line) }
            }
        }
        return lines
    }

    /// One portal.
    public func render(_ site: SiteResult) -> String {
        var lines: [String] = []
        let name = site.target.name.map { " — \(Sanitizer.terminal($0))" } ?? ""
        lines.append(paint(Sanitizer.terminal(site.target.url), "1") + name)
        lines.append(
            "  " + t("Verdict", "Kết luận") + ": " + verdictLabel(site.verdict)
                + Words(language: language).unchecked(site) + "   "
                + t("Grade", "Xếp loại") + ": \(paint(site.grade, "1")) ("
                + Evaluator.gradeCause(site.findings, verdict: site.verdict, grading: grading)(language) + ")   "
                + t("Score", "Điểm") + ": \(site.score)/100")
        for requirement in [Requirement.required, .recommended] {
            let unmet = site.findings.filter { $0.status == .fail && $0.requirement == requirement }
            guard !unmet.isEmpty else { continue }
            lines.append(
                "  "
                    + (requirement == .required
                        ? t("Required criteria not met", "Tiêu chí bắt buộc không đạt")
                        : t("Recommendations not yet met", "Khuyến nghị chưa đáp ứng")) + ": "
                    + unmet.map { $0.title(language) }.joined(separator: "; "))
        }
        lines.append(
            "  " + t("Criteria", "Bộ tiêu chí")
                + ": \(Words(language: language).profile(site)) · \(site.profile.label)   "
                + t("Time", "Thời gian") + ": \(site.durationMS) ms   "
                + t("Connections", "Kết nối") + ": \(site.cost.connections) (TLS \(site.cost.tlsHandshakes))")
        // When the portal did not answer, every other rule is "could not tell": say so once.
        let unreachable = site.findings.contains {
            $0.rule == "availability.reachable" && ($0.status == .fail || $0.resultCode == "unconfirmed")
        }
        let hidden = unreachable ? site.findings.filter { $0.status == .inconclusive } : []
        for area in RuleArea.allCases {
            let findings = site.findings.filter { finding in
                finding.rule.hasPrefix(area.rawValue + ".") && !hidden.contains { $0.rule == finding.rule }
            }
            guard !findings.isEmpty else { continue }
            lines.append("")
            lines.append("  " + paint(area.title(language), "1"))
            // Several failures fixed by one line each (headers): one block per server instead of each advice.
            let grouped = findings.filter {
                $0.status == .fail && RuleRegistry.rule($0.rule)?.descriptor.directives != nil
            }
            let groupAdvice = grouped.count >= 2
            for finding in findings {
                let requirement = Words(language: language).requirement(finding.requirement)
                lines.append(
                    "   \(statusMark(finding)) \(finding.title(language))  "
                        + paint("[\(finding.rule), \(requirement)]", "2"))
                let showDetail =
                    finding.status == .fail || finding.status == .inconclusive
                    || (finding.status == .notApplicable && !finding.evidence.isEmpty)
                if showDetail {
                    let evidence = Words(language: language).siteEvidence(finding).map {
                        "\($0.0): \(Sanitizer.terminal($0.1))"
                    }
                    lines.append("       " + Sanitizer.terminal(finding.sentence(language), limit: 600))
                    if !evidence.isEmpty { lines.append("       " + evidence.joined(separator: "; ")) }
                }
                if finding.status == .fail, let rule = RuleRegistry.rule(finding.rule) {
                    // A code's own advice (a CSP weakness) is shown even where the rule's lines are grouped.
                    let specific = rule.descriptor.codeAdvice[finding.resultCode]
                    if specific != nil || !(groupAdvice && rule.descriptor.directives != nil) {
                        lines.append(
                            "       " + t("Fix", "Khắc phục") + ": " + (specific ?? rule.descriptor.advice)(language))
                    }
                    lines.append("       " + Words(language: language).basis(finding))
                }
            }
            if groupAdvice { lines += directiveBlock(grouped) }
        }
        if !hidden.isEmpty {
            lines.append("")
            lines.append(
                "  " + paint("?", "35") + " "
                    + t(
                        "\(hidden.count) other criteria could not be checked because the portal did not answer.",
                        "\(hidden.count) tiêu chí khác không kiểm tra được vì cổng không phản hồi."))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Makes site-supplied text safe to show.
public enum Sanitizer {
    /// Drops control characters (escape sequences included) and caps the length.
    public static func terminal(_ text: String, limit: Int = 300) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter {
                    !($0.properties.generalCategory == .control
                        || $0.properties.generalCategory == .format && $0 != "\u{200D}")
                }))
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "…" : cleaned
    }
}
