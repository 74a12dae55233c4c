import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// A run's portals, a portal, a rule, and the lists of runs and rules.
extension Pages {
    // MARK: a run

    struct Column {
        var label: String
        var href: String?
        var mark: String
    }

    struct RunPage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var started: String
        var status: String
        var profile: String
        var inventory: String
        var done: String
        var planned: String
        var downloads: [Link]
        var action: String
        var verdicts: [Option]
        var units: [Option]
        var rules: [Option]
        var sorts: [Option]
        var orders: [Option]
        var query: String
        var matching: String
        var columns: [Column]
        var rows: [PortalLine]
        var previous: String?
        var next: String?
        var pageText: String
    }

    /// The query string of `query` at `page` (the filters kept, so paging and sorting keep them).
    static func queryString(_ query: PortalQuery, page: Int) -> String {
        var parts: [String] = []
        if let verdict = query.verdict { parts.append("verdict=\(verdict.rawValue)") }
        if let unit = query.unit { parts.append("unit=\(Self.query(unit))") }
        if let rule = query.rule { parts.append("rule=\(Self.query(rule))") }
        if let text = query.text { parts.append("q=\(Self.query(text))") }
        parts.append("sort=\(query.sort.rawValue)")
        if query.descending { parts.append("order=desc") }
        if page > 1 { parts.append("page=\(page)") }
        return parts.joined(separator: "&")
    }

    func sortLabel(_ sort: PortalSort) -> String {
        switch sort {
        case .verdict: words.t("Verdict", "Kết luận")
        case .url: "URL"
        case .name: words.t("Name", "Tên")
        case .score: words.t("Score", "Điểm")
        case .grade: words.t("Grade", "Xếp loại")
        case .unit: words.t("Unit", "Đơn vị")
        case .expiry: words.t("Certificate expiry", "Hạn chứng thư")
        }
    }

    func runPage(run id: Int64, query: PortalQuery, page: Int) async throws -> String? {
        guard let run = try await store.run(id) else { return nil }
        let w = words
        var query = query
        query.limit = pageSize
        query.offset = (page - 1) * pageSize
        let (total, rows) = try await store.portals(run: id, query)
        let pages = max(1, (total + pageSize - 1) / pageSize)
        var units: [String] = []
        for unit in try await store.unitCounts(run: id) {
            for name in [unit.province, unit.district, unit.commune].compactMap({ $0 }) where !units.contains(name) {
                units.append(name)
            }
        }
        let failures = try await store.failureCounts(run: id)
        let base = "/runs/\(id)"
        let columns: [(String, PortalSort?)] = [
            (w.t("Portal", "Cổng/trang"), .name), (w.t("Unit", "Đơn vị"), .unit),
            (w.t("Verdict", "Kết luận"), .verdict), (w.t("Score", "Điểm"), .score), (w.t("Grade", "Xếp loại"), .grade),
            (w.t("Rules failed", "Tiêu chí không đạt"), nil),
        ]
        let model = RunPage(
            lang: language.rawValue, title: w.t("Run", "Lần quét") + " #\(id)", nav: nav, footer: footer, t: labels,
            started: w.dateTime(run.startedAt), status: status(run.status), profile: run.profile,
            inventory: run.inventory, done: w.number(run.done), planned: w.number(run.planned),
            downloads: runDownloads(id), action: base,
            verdicts: Self.verdictsWorstFirst.map {
                Option(value: $0.rawValue, label: w.verdict($0), selected: query.verdict == $0)
            },
            units: units.sorted().map { Option(value: $0, label: $0, selected: query.unit == $0) },
            rules: failures.keys.sorted().map {
                Option(value: $0, label: "\($0) (\(w.number(failures[$0] ?? 0)))", selected: query.rule == $0)
            },
            sorts: PortalSort.allCases.map {
                Option(value: $0.rawValue, label: sortLabel($0), selected: query.sort == $0)
            },
            orders: [
                Option(value: "asc", label: w.t("ascending", "tăng dần"), selected: !query.descending),
                Option(value: "desc", label: w.t("descending", "giảm dần"), selected: query.descending),
            ],
            query: query.text ?? "",
            matching: w.t("\(w.number(total)) portals match", "\(w.number(total)) cổng phù hợp"),
            columns: columns.map { label, sort in
                guard let sort else { return Column(label: label, href: nil, mark: "") }
                var sorted = query
                sorted.descending = query.sort == sort ? !query.descending : false
                sorted.sort = sort
                return Column(
                    label: label, href: base + "?" + Self.queryString(sorted, page: 1),
                    mark: query.sort == sort ? (query.descending ? " ▼" : " ▲") : "")
            },
            rows: rows.map { line($0, run: id) },
            previous: page > 1 ? base + "?" + Self.queryString(query, page: page - 1) : nil,
            next: page < pages ? base + "?" + Self.queryString(query, page: page + 1) : nil,
            pageText: w.t("page \(page) of \(pages)", "trang \(page)/\(pages)"))
        return render("run", model)
    }

    // MARK: a portal

    struct HistoryLine {
        var runID: Int64
        var runHref: String
        var observed: String
        var verdict: String
        var verdictLabel: String
        var score: Int
        var grade: String
        var failed: [RuleLink]
    }

    struct UptimeWindow {
        var label: String
        var percent: String
    }

    struct OutageLine {
        var start: String
        var end: String
        var cause: String
    }

    struct OutageBar {
        var x: Int
        var w: Int
        var label: String
    }

    struct Timeline {
        var width: Int
        var height: Int
        var outages: [OutageBar]
        var start: String
        var end: String
    }

    struct EvidenceLine {
        var key: String
        var value: String
    }

    struct FindingLine {
        var rule: String
        var href: String
        var title: String
        var requirement: String
        var severity: String
        var status: String
        var statusClass: String
        var note: String?
        var evidence: [EvidenceLine]
        var advice: String?
        var basis: String
    }

    struct DiffLine {
        var rule: String
        var href: String
        var title: String
        var before: String
        var after: String
        var direction: String
    }

    struct RunLink {
        var id: Int64
        var href: String
    }

    struct Latest {
        var runID: Int64
        var observed: String
        var verdict: String
        var verdictLabel: String
        var score: Int
        var grade: String
    }

    struct PortalPage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var url: String
        var unit: String
        var profile: String
        var latest: Latest?
        var uptime: [UptimeWindow]
        var hasUptime: Bool
        var timeline: Timeline?
        var outages: [OutageLine]
        var hasOutages: Bool
        var history: [HistoryLine]
        var previousRun: RunLink?
        var diff: [DiffLine]
        var hasDiff: Bool
        var findings: [FindingLine]
    }

    /// What `/portal` and `/api/v1/portal` show of one portal.
    struct PortalView {
        var history: [PortalRow]
        var run: Int64
        var result: SiteResult
        var observedAt: Date
        var previous: (run: Int64, result: SiteResult)?
        var samples: [UptimeSample]
        var uptime: [PortalHistory.Uptime]
        var outages: [Outage]
    }

    func portalView(url: String, run requested: Int64?, now: Date) async throws -> PortalView? {
        let history = try await store.portalHistory(url: url, limit: 100)
        guard let newest = history.first else { return nil }
        let chosen = requested ?? newest.runID
        guard let (result, observedAt) = try await store.result(run: chosen, url: url) else { return nil }
        var previous: (Int64, SiteResult)?
        if let before = try await store.previousRun(of: url, before: chosen),
            let (earlier, _) = try await store.result(run: before, url: url)
        {
            previous = (before, earlier)
        }
        let samples = try await store.samples(url: url, since: now.addingTimeInterval(-30 * 86_400))
        let (uptime, outages) = HistoryReader.uptimeSummary(samples, now: now)
        return PortalView(
            history: history, run: chosen, result: result, observedAt: observedAt, previous: previous, samples: samples,
            uptime: uptime,
            outages: outages)
    }

    func statusClass(_ finding: Finding) -> String {
        switch finding.status {
        case .fail: finding.requirement == .required ? "fail" : "warn"
        case .inconclusive: "incomplete"
        case .pass: "pass"
        case .notApplicable: "na"
        }
    }

    func portalPage(url: String, run: Int64?, now: Date) async throws -> String? {
        guard let view = try await portalView(url: url, run: run, now: now) else { return nil }
        let w = words
        let site = view.result
        let target = site.target
        let order: [FindingStatus] = [.fail, .inconclusive, .pass, .notApplicable]
        func place(_ finding: Finding) -> Int { order.firstIndex(of: finding.status) ?? order.count }
        let findings = site.findings.sorted { (place($0), $0.rule) < (place($1), $1.rule) }.map {
            finding -> FindingLine in
            let descriptor = RuleRegistry.rule(finding.rule)?.descriptor
            let source = language == .en ? finding.sourceEN ?? finding.source : finding.source
            let basis = [source, w.confidence(finding.confidence)].compactMap { $0 }.filter { !$0.isEmpty }
            return FindingLine(
                rule: finding.rule, href: Self.ruleHref(finding.rule, run: view.run), title: finding.title(language),
                requirement: w.requirement(finding.requirement), severity: w.severity(finding.severity),
                status: w.status(finding), statusClass: statusClass(finding), note: w.note(finding),
                evidence: w.evidence(finding).map { EvidenceLine(key: $0.0, value: $0.1) },
                advice: finding.status == .fail || finding.status == .inconclusive
                    ? descriptor?.advice(for: finding.resultCode)(language) : nil,
                basis: basis.joined(separator: " · "))
        }
        var diff: [DiffLine] = []
        if let previous = view.previous {
            let before = Dictionary(previous.result.findings.map { ($0.rule, $0) }) { first, _ in first }
            for finding in site.findings.sorted(by: { $0.rule < $1.rule }) {
                let old = before[finding.rule]
                guard old?.status != finding.status else { continue }
                let worse = finding.status == .fail || (finding.status == .inconclusive && old?.status == .pass)
                diff.append(
                    DiffLine(
                        rule: finding.rule, href: Self.ruleHref(finding.rule, run: view.run),
                        title: finding.title(language),
                        before: old.map(w.status) ?? w.t("not checked", "chưa kiểm tra"),
                        after: w.status(finding), direction: worse ? "worse" : "better"))
            }
        }
        let span = 30 * 86_400.0
        let start = now.addingTimeInterval(-span)
        let width = 720
        let timeline =
            view.samples.isEmpty
            ? nil
            : Timeline(
                width: width, height: 18,
                outages: view.outages.map { outage in
                    let from = max(0, outage.start.timeIntervalSince(start)) / span
                    let to = min(span, (outage.end ?? now).timeIntervalSince(start)) / span
                    return OutageBar(
                        x: Int(from * Double(width)), w: max(2, Int((to - from) * Double(width))),
                        label: "\(w.dateTime(outage.start)) – \(outage.end.map(w.dateTime) ?? "…"): \(outage.cause)")
                }, start: w.dateTime(start), end: w.dateTime(now))
        let model = PortalPage(
            lang: language.rawValue, title: target.name ?? target.url, nav: nav, footer: footer, t: labels,
            url: target.url,
            unit: UnitSummary.unitName(target, language: language),
            profile: w.profile(site),
            latest: Latest(
                runID: view.run, observed: w.dateTime(view.observedAt),
                verdict: site.verdict.rawValue, verdictLabel: w.verdict(site.verdict), score: site.score,
                grade: site.grade),
            uptime: view.uptime.map { UptimeWindow(label: $0.label, percent: $0.percent.map(percentText) ?? "–") },
            hasUptime: !view.uptime.isEmpty, timeline: timeline,
            outages: view.outages.map {
                OutageLine(start: w.dateTime($0.start), end: $0.end.map(w.dateTime) ?? "…", cause: $0.cause)
            },
            hasOutages: !view.outages.isEmpty,
            history: view.history.map { row in
                HistoryLine(
                    runID: row.runID, runHref: "/runs/\(row.runID)", observed: w.dateTime(row.observedAt),
                    verdict: row.verdict.rawValue,
                    verdictLabel: w.verdict(row.verdict), score: row.score, grade: row.grade,
                    failed: row.failedRules.map { RuleLink(id: $0, href: Self.ruleHref($0, run: row.runID)) })
            },
            previousRun: view.previous.map { RunLink(id: $0.run, href: Self.portalHref(target.url, run: $0.run)) },
            diff: diff, hasDiff: !diff.isEmpty, findings: findings)
        return render("portal", model)
    }

    func percentText(_ value: Double) -> String {
        words.percent(Int((value * 100).rounded()), of: 10_000)
    }
}

/// The rule pages and the list of runs.
extension Pages {
    struct RulePage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var rationale: String
        var advice: String
        var runID: Int64
        var runHref: String
        var failing: String
        var rows: [PortalLine]
        var previous: String?
        var next: String?
        var pageText: String
    }

    /// Which portals of a run (the latest by default) fail rule `id`.
    func rulePage(id: String, run requested: Int64?, page: Int) async throws -> String? {
        guard let rule = RuleRegistry.rule(id), let run = try await store.run(requested) else { return nil }
        let w = words
        let descriptor = rule.descriptor
        let (total, rows) = try await store.portals(
            run: run.id, PortalQuery(rule: id, sort: .unit, offset: (page - 1) * pageSize, limit: pageSize))
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let base = "/rules/\(Self.query(id))?run=\(run.id)"
        let model = RulePage(
            lang: language.rawValue, title: "\(id) — \(descriptor.title(language))", nav: nav, footer: footer,
            t: labels, rationale: descriptor.rationale(language), advice: descriptor.advice(language), runID: run.id,
            runHref: "/runs/\(run.id)?rule=\(Self.query(id))",
            failing: w.t(
                "\(w.number(total)) of \(w.number(run.done)) portals fail it",
                "\(w.number(total))/\(w.number(run.done)) cổng không đạt"),
            rows: rows.map { line($0, run: run.id) },
            previous: page > 1 ? base + "&page=\(page - 1)" : nil,
            next: page < pages ? base + "&page=\(page + 1)" : nil,
            pageText: w.t("page \(page) of \(pages)", "trang \(page)/\(pages)"))
        return render("rule", model)
    }

    struct RuleLine {
        var id: String
        var href: String
        var title: String
        var area: String
        var failing: String
        var failClass: String
    }

    struct RulesPage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var runID: Int64?
        var runHref: String?
        var rules: [RuleLine]
    }

    /// Every rule of the catalogue with how many portals of the run fail it, most failed first.
    func rulesPage(run requested: Int64?) async throws -> String? {
        let run = try await store.run(requested)
        if requested != nil, run == nil { return nil }
        var failures: [String: Int] = [:]
        if let run { failures = try await store.failureCounts(run: run.id) }
        let rules = RuleRegistry.all.map { $0.descriptor }.sorted {
            (-(failures[$0.id] ?? 0), $0.id) < (-(failures[$1.id] ?? 0), $1.id)
        }
        let model = RulesPage(
            lang: language.rawValue, title: words.t("Rules", "Tiêu chí"), nav: nav, footer: footer, t: labels,
            runID: run?.id, runHref: run.map { "/runs/\($0.id)" },
            rules: rules.map { descriptor in
                let count = failures[descriptor.id] ?? 0
                return RuleLine(
                    id: descriptor.id, href: Self.ruleHref(descriptor.id, run: run?.id),
                    title: descriptor.title(language), area: descriptor.area.rawValue, failing: words.number(count),
                    failClass: count > 0 ? "fail" : "")
            })
        return render("rules", model)
    }

    struct RunLine {
        var id: Int64
        var href: String
        var started: String
        var status: String
        var profile: String
        var done: String
        var planned: String
        var pass: String
        var warn: String
        var incomplete: String
        var fail: String
        var failClass: String
    }

    struct RunsPage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var runs: [RunLine]
        var previous: String?
        var next: String?
        var pageText: String
    }

    func runsPage(page: Int) async throws -> String {
        let w = words
        let (total, runs) = try await store.runs(offset: (page - 1) * pageSize, limit: pageSize)
        let counts = try await store.verdictCounts(runs: runs.map(\.id))
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let model = RunsPage(
            lang: language.rawValue, title: w.t("Runs", "Các lần quét"), nav: nav, footer: footer, t: labels,
            runs: runs.map { run in
                let c = counts[run.id] ?? VerdictSummary()
                return RunLine(
                    id: run.id, href: "/runs/\(run.id)", started: w.dateTime(run.startedAt), status: status(run.status),
                    profile: run.profile, done: w.number(run.done), planned: w.number(run.planned),
                    pass: w.number(c.pass), warn: w.number(c.warn), incomplete: w.number(c.incomplete),
                    fail: w.number(c.fail), failClass: c.fail > 0 ? "fail" : "")
            },
            previous: page > 1 ? "/runs?page=\(page - 1)" : nil, next: page < pages ? "/runs?page=\(page + 1)" : nil,
            pageText: w.t("page \(page) of \(pages)", "trang \(page)/\(pages)"))
        return render("runs", model)
    }

    struct ErrorPage {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var message: String
    }

    func errorPage(title: String, message: String) -> String {
        render(
            "error",
            ErrorPage(lang: language.rawValue, title: title, nav: nav, footer: footer, t: labels, message: message))
    }
}
