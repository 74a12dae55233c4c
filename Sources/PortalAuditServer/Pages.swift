import Foundation
import Mustache
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// The dashboard's pages: each reads what it shows from the history and fills a template. Templates hold
/// no logic and only `{{escaped}}` values (everything a portal sent is escaped); every text is decided here.
struct Pages: Sendable {
    let store: AuditStore
    let language: Language
    let pageSize: Int
    /// Reports are asked for with POST (behind a token: a link followed by a crawler or a prefetch, or a
    /// page elsewhere, does not start one).
    let postDownloads: Bool
    let library: MustacheLibrary

    var words: Words { Words(language: language) }

    init(store: AuditStore, language: Language, pageSize: Int, postDownloads: Bool = false) throws {
        self.postDownloads = postDownloads
        self.store = store
        self.language = language
        self.pageSize = pageSize
        var library = MustacheLibrary()
        for (name, text) in EmbeddedTemplates.files where name.hasSuffix(".mustache") {
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    // MARK: shared pieces

    struct Link {
        var href: String
        var label: String
        /// Asked for with POST (a form's button), not a link: a report made on demand behind a token.
        var post = false
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    /// A portal, linked to its page, with the line of a table it appears in.
    struct PortalLine {
        var href: String
        var name: String
        var url: String
        var unit: String
        var verdict: String
        var verdictLabel: String
        var score: Int
        var grade: String
        var failed: [RuleLink]
    }

    struct RuleLink {
        var id: String
        var href: String
    }

    /// `value` percent-encoded for a query string.
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func portalHref(_ url: String, run: Int64? = nil) -> String {
        "/portal?url=\(query(url))" + (run.map { "&run=\($0)" } ?? "")
    }

    static func ruleHref(_ id: String, run: Int64?) -> String {
        "/rules/\(query(id))" + (run.map { "?run=\($0)" } ?? "")
    }

    func line(_ row: PortalRow, run: Int64?) -> PortalLine {
        PortalLine(
            href: Self.portalHref(row.url, run: run), name: row.name ?? row.url, url: row.url,
            unit: UnitSummary.unitName(
                province: row.province, district: row.district, commune: row.commune, language: language),
            verdict: row.verdict.rawValue, verdictLabel: words.verdict(row.verdict), score: row.score,
            grade: row.grade, failed: row.failedRules.map { RuleLink(id: $0, href: Self.ruleHref($0, run: run)) })
    }

    var nav: [Link] {
        [
            Link(href: "/", label: words.t("Overview", "Tổng quan")),
            Link(href: "/runs", label: words.t("Runs", "Các lần quét")),
            Link(href: "/rules", label: words.t("Rules", "Tiêu chí")),
            Link(href: "/api/v1/runs", label: "API"),
        ]
    }

    var footer: String {
        "portal-audit \(PortalAuditVersion.tool) · "
            + words.t("read-only view of the history", "xem lịch sử kiểm tra (chỉ đọc)")
    }

    /// The labels every template may use, in the server's language.
    var labels: [String: String] {
        let w = words
        return [
            "run": w.t("Run", "Lần quét"), "portals": w.t("portals", "cổng/trang"),
            "portal": w.t("Portal", "Cổng/trang"), "verdicts": w.t("Verdicts", "Kết luận"),
            "verdict": w.t("Verdict", "Kết luận"),
            "trend": w.t("Verdicts over the last runs", "Kết luận qua các lần quét"),
            "downloads": w.t("Reports of this run", "Báo cáo của lần quét này"),
            "down": w.t("Down now (monitor)", "Đang ngừng hoạt động (giám sát)"),
            "noneDown": w.t("No portal is down now.", "Không có cổng nào đang ngừng hoạt động."),
            "since": w.t("Down since", "Ngừng từ"),
            "expiring": w.t("Certificates expiring or expired", "Chứng thư sắp hết hạn hoặc đã hết hạn"),
            "noneExpiring": w.t(
                "No certificate expires within the profile's window.",
                "Không có chứng thư nào sắp hết hạn trong khoảng cảnh báo của bộ tiêu chí."),
            "notAfter": w.t("Expires", "Hết hạn"), "rule": w.t("Rule", "Tiêu chí"),
            "changes": w.t("Changes since the previous run", "Thay đổi so với lần quét trước"),
            "before": w.t("Before", "Trước"), "now": w.t("Now", "Hiện tại"),
            "units": w.t("By unit, worst first", "Theo đơn vị, kém nhất trước"), "unit": w.t("Unit", "Đơn vị"),
            "privacy": w.t(
                "Personal data: to review under the Personal Data Protection Law",
                "Dữ liệu cá nhân: cần xem xét theo Luật Bảo vệ dữ liệu cá nhân"),
            "nonePrivacy": w.t(
                "No personal data, form without a notice or tracker was found on the pages and documents read.",
                "Không phát hiện dữ liệu cá nhân, biểu mẫu thiếu thông báo hay mã theo dõi trên các trang và tài liệu đã đọc."
            ),
            "privacyCount": w.t("portals to review", "cổng/trang cần xem xét"),
            "findingsWord": w.t("Findings", "Phát hiện"), "documentsWord": w.t("Documents", "Tài liệu"),
            "told": w.t("Alerts sent by the monitor (past week)", "Cảnh báo máy giám sát đã gửi (7 ngày qua)"),
            "incidents": w.t("Open incidents", "Sự cố đang mở"),
            "event": w.t("Event", "Sự kiện"), "recipients": w.t("To", "Gửi tới"),
            "outcome": w.t("Delivery", "Tình trạng"),
            "when": w.t("When", "Lúc"),
            "pass": w.verdict(.pass), "warn": w.verdict(.warn), "incomplete": w.verdict(.incomplete),
            "fail": w.verdict(.fail), "rate": w.t("Meeting the criteria", "Tỷ lệ đạt"),
            "noRun": w.t(
                "The history holds no run yet: run `portal-audit scan INVENTORY` first.",
                "Lịch sử chưa có lần quét nào: hãy chạy `portal-audit scan DANH-SÁCH` trước."),
            "all": w.t("all", "tất cả"), "ruleFailed": w.t("Rule failed", "Tiêu chí không đạt"),
            "search": w.t("Search", "Tìm"), "sort": w.t("Sort by", "Sắp xếp theo"), "order": w.t("Order", "Thứ tự"),
            "apply": w.t("Apply", "Lọc"), "previous": w.t("Previous", "Trang trước"), "next": w.t("Next", "Trang sau"),
            "score": w.t("Score", "Điểm"), "grade": w.t("Grade", "Xếp loại"),
            "uptime": w.t("Availability", "Tính sẵn sàng"),
            "noSamples": w.t(
                "Not monitored: run `portal-audit monitor` to sample availability.",
                "Chưa giám sát: chạy `portal-audit monitor` để đo tính sẵn sàng."),
            "outages": w.t("Outages over 30 days", "Gián đoạn trong 30 ngày"), "from": w.t("From", "Từ"),
            "to": w.t("To", "Đến"), "cause": w.t("Cause", "Nguyên nhân"),
            "history": w.t("Verdict history", "Lịch sử kết luận"), "observed": w.t("Observed", "Thời điểm"),
            "failedRules": w.t("Rules failed", "Tiêu chí không đạt"),
            "diff": w.t("Compared with the previous scan", "So với lần quét trước"),
            "noPrevious": w.t("No previous scan of this portal.", "Chưa có lần quét trước của cổng này."),
            "comparedWith": w.t("Compared with run", "So với lần quét"),
            "noDiff": w.t("No finding changed.", "Không có tiêu chí nào thay đổi."),
            "findings": w.t("Findings of this scan", "Kết quả từng tiêu chí"), "result": w.t("Result", "Kết quả"),
            "evidence": w.t("Evidence", "Bằng chứng"), "advice": w.t("Fix", "Khắc phục"),
            "home": w.t("Back to the overview", "Về trang tổng quan"),
            "failingCount": w.t("Portals failing", "Số cổng không đạt"), "area": w.t("Area", "Nhóm"),
            "started": w.t("Started", "Bắt đầu"), "status": w.t("Status", "Trạng thái"),
            "profile": w.t("Profile", "Bộ tiêu chí"),
        ]
    }

    func render(_ template: String, _ model: Any) -> String {
        library.render(model, withTemplate: template) ?? ""
    }

    static let verdictsWorstFirst: [Verdict] = [.fail, .incomplete, .warn, .pass]

    func runDownloads(_ run: Int64) -> [Link] {
        ["html", "pdf", "csv", "json"].map {
            Link(href: "/runs/\(run)/report.\($0)", label: $0.uppercased(), post: postDownloads)
        }
    }

    // MARK: overview

    struct CountTile {
        var verdict: String
        var n: String
        var label: String
        var href: String
    }

    struct Bar {
        var verdict: String
        var href: String
        var label: String
        var x: Int
        var y: Int
        var w: Int
        var h: Int
    }

    struct Tick {
        var x: Int
        var y: Int
        var label: String
    }

    struct Chart {
        var width: Int
        var height: Int
        var bars: [Bar]
        var ticks: [Tick]
    }

    struct RunHeader {
        var id: Int64
        var href: String
        var started: String
        var status: String
        var profile: String
        var inventory: String
        var done: String
        var planned: String
        var counts: [CountTile]
        var total: String
        var chart: Chart
        var legend: [CountTile]
        var downloads: [Link]
        var down: [DownLine]
        var hasDown: Bool
        var expiring: [ExpiryLine]
        var hasExpiring: Bool
        var expiringAll: [Link]
        var changeSummary: String
        var changes: [ChangeLine]
        var hasChanges: Bool
        var units: [UnitLine]
        var privacy: [PrivacyLine]
        var hasPrivacy: Bool
        var privacyTotal: String
        var told: [ToldLine]
        var hasTold: Bool
        var incidents: [String]
        var hasIncidents: Bool
    }

    /// An alert message kept by the monitor: when it was made, what, to whom, and whether it went out.
    struct ToldLine {
        var at: String
        var event: String
        var subject: String
        var destination: String
        var outcome: String
        var failed: Bool
    }

    /// A portal whose pages or documents show personal data, a form or trackers to review: its findings in
    /// words (counts and masked samples only) and the documents concerned.
    struct PrivacyLine {
        var href: String
        var name: String
        var url: String
        var findings: [String]
        var documents: [Link]
    }

    struct DownLine {
        var href: String
        var name: String
        var url: String
        var since: String
    }

    struct ExpiryLine {
        var href: String
        var name: String
        var url: String
        var notAfter: String
        var rule: String
    }

    struct ChangeLine {
        var href: String
        var name: String
        var url: String
        var before: String
        var after: String
        var direction: String
    }

    struct UnitLine {
        var name: String
        var href: String
        var total: String
        var pass: String
        var warn: String
        var incomplete: String
        var fail: String
        var failClass: String
        var rate: String
        var rowClass: String
    }

    struct Overview {
        var lang: String
        var title: String
        var nav: [Link]
        var footer: String
        var t: [String: String]
        var run: RunHeader?
    }

    func status(_ status: RunSummary.Status) -> String {
        switch status {
        case .running: words.t("running", "đang quét")
        case .finished: words.t("finished", "đã xong")
        case .interrupted: words.t("interrupted", "bị ngắt")
        }
    }

    func overview(run requested: Int64?) async throws -> String? {
        let w = words
        var model = Overview(
            lang: language.rawValue, title: w.t("Compliance of the portals", "Tình trạng tuân thủ của các cổng"),
            nav: nav, footer: footer, t: labels, run: nil)
        guard let run = try await store.run(requested) else {
            return requested == nil ? render("overview", model) : nil
        }
        let recent = try await store.runs(offset: 0, limit: 12).runs.reversed().filter { $0.id <= run.id }
        let counts = try await store.verdictCounts(runs: recent.map(\.id) + [run.id])
        let current = counts[run.id] ?? VerdictSummary()
        let tiles = Self.verdictsWorstFirst.map { verdict in
            CountTile(
                verdict: verdict.rawValue, n: w.number(current[verdict]), label: w.verdict(verdict),
                href: "/runs/\(run.id)?verdict=\(verdict.rawValue)")
        }
        // A portal not sampled for a day is no longer watched: its last state is not "down now".
        let down = try await store.portalsDown(sampledSince: Date().addingTimeInterval(-86_400)).map {
            DownLine(href: Self.portalHref($0.url), name: $0.name ?? $0.url, url: $0.url, since: w.dateTime($0.since))
        }
        // The first ten of each rule here, soonest first; the rule's page lists them all.
        var expiring: [ExpiryLine] = []
        var expiringAll: [Link] = []
        for rule in ["cert.not-expired", "cert.expiry-soon"] {
            let (total, rows) = try await store.portals(run: run.id, PortalQuery(rule: rule, sort: .expiry, limit: 10))
            expiring += rows.map { row in
                ExpiryLine(
                    href: Self.portalHref(row.url, run: run.id), name: row.name ?? row.url, url: row.url,
                    notAfter: row.certNotAfter.map(w.dateTime) ?? "–", rule: rule)
            }
            if total > 0 {
                expiringAll.append(
                    Link(
                        href: Self.ruleHref(rule, run: run.id),
                        label: w.t("\(rule): all \(w.number(total)) →", "\(rule): cả \(w.number(total)) cổng →")))
            }
        }
        let changes = try await store.verdictChanges(run: run.id)
        let changed = changes.filter { $0.verdict != $0.previous }.sorted {
            ($0.verdict.rank - $0.previous.rank, $0.url) < ($1.verdict.rank - $1.previous.rank, $1.url)
        }
        let worse = changed.filter { $0.verdict.rank < $0.previous.rank }.count
        let newer = max(0, run.done - changes.count)
        let summary = w.t(
            "\(w.number(worse)) worse, \(w.number(changed.count - worse)) better, \(w.number(changes.count - changed.count)) unchanged, \(w.number(newer)) new",
            "\(w.number(worse)) kém đi, \(w.number(changed.count - worse)) tốt lên, \(w.number(changes.count - changed.count)) không đổi, \(w.number(newer)) mới"
        )
        model.run = RunHeader(
            id: run.id, href: "/runs/\(run.id)", started: w.dateTime(run.startedAt), status: status(run.status),
            profile: run.profile, inventory: run.inventory, done: w.number(run.done), planned: w.number(run.planned),
            counts: tiles, total: w.number(current.sites), chart: chart(recent, counts),
            legend: tiles.reversed(), downloads: runDownloads(run.id), down: down, hasDown: !down.isEmpty,
            expiring: expiring, hasExpiring: !expiring.isEmpty, expiringAll: expiringAll, changeSummary: summary,
            changes: changed.prefix(50).map { change in
                ChangeLine(
                    href: Self.portalHref(change.url, run: run.id), name: change.name ?? change.url, url: change.url,
                    before: w.verdict(change.previous), after: w.verdict(change.verdict),
                    direction: change.verdict.rank < change.previous.rank ? "worse" : "better")
            },
            hasChanges: !changed.isEmpty, units: try await units(run: run.id), privacy: [], hasPrivacy: false,
            privacyTotal: "0", told: [], hasTold: false, incidents: [], hasIncidents: false)
        let (told, incidents) = try await alertsTold()
        model.run?.told = told
        model.run?.hasTold = !told.isEmpty
        model.run?.incidents = incidents
        model.run?.hasIncidents = !incidents.isEmpty
        let (total, privacy) = try await privacy(run: run.id)
        model.run?.privacy = privacy
        model.run?.hasPrivacy = !privacy.isEmpty
        model.run?.privacyTotal = w.number(total)
        return render("overview", model)
    }

    /// The monitor's open incidents, and its last 30 alert messages of the past week, newest first: who was
    /// told what and when (an acknowledgement is reading this; nothing is asked of the recipient).
    func alertsTold() async throws -> ([ToldLine], [String]) {
        let w = words
        let messages = try await store.alertMessages(since: Date().addingTimeInterval(-7 * 86_400), limit: 5_000)
        let told = messages.suffix(30).reversed().map { message in
            ToldLine(
                at: w.dateTime(message.createdAt), event: message.event, subject: message.subject,
                destination: message.destination.replacingOccurrences(of: ",", with: ", "),
                outcome: message.deliveredAt.map { w.t("sent \(w.dateTime($0))", "đã gửi \(w.dateTime($0))") }
                    ?? w.t(
                        "not sent yet (\(message.attempts) attempts\(message.lastError.map { ": " + $0 } ?? ""))",
                        "chưa gửi được (\(message.attempts) lần\(message.lastError.map { ": " + $0 } ?? ""))"),
                failed: message.deliveredAt == nil)
        }
        var incidents: [String] = []
        if let text = try await store.monitorState("incidents") {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            if let desk = try? decoder.decode(IncidentDesk.self, from: Data(text.utf8)) {
                incidents = desk.open.values.sorted { $0.openedAt < $1.openedAt }.map {
                    IncidentDesk.title($0, count: $0.members.filter { $0.until == nil }.count)
                }
            }
        }
        return (Array(told), incidents)
    }

    /// The privacy rules, most severe first: the panel lists portals in this order.
    static let privacyRules = [
        "privacy.redaction-leaks", "privacy.id-numbers-published", "privacy.phone-lists-published",
        "privacy.form-without-notice", "privacy.trackers-before-consent",
    ]

    /// The "Dữ liệu cá nhân" panel: the first ten portals to review, worst first (a failed redaction, then
    /// identifiers, phone lists, forms, trackers), each with its findings and documents; and how many in all.
    func privacy(run: Int64) async throws -> (Int, [PrivacyLine]) {
        var seen = Set<String>()
        var urls: [(String, String?)] = []
        var total = 0
        for rule in Self.privacyRules {
            let (count, rows) = try await store.portals(run: run, PortalQuery(rule: rule, limit: 10))
            total = max(total, count)
            for row in rows where seen.insert(row.url).inserted { urls.append((row.url, row.name)) }
        }
        var lines: [PrivacyLine] = []
        for (url, name) in urls.prefix(10) {
            guard let (result, _) = try await store.result(run: run, url: url) else { continue }
            let findings = result.findings.filter { $0.rule.hasPrefix("privacy.") && $0.status == .fail }
                .sorted {
                    (Self.privacyRules.firstIndex(of: $0.rule) ?? 9) < (Self.privacyRules.firstIndex(of: $1.rule) ?? 9)
                }
            let documents = (result.observation.content?.privacy?.documents ?? [])
                .filter { ($0.personal != nil) || $0.hidden > 0 }
                .map { Link(href: $0.url, label: $0.name) }
            lines.append(
                PrivacyLine(
                    href: Self.portalHref(url, run: run), name: name ?? url, url: url,
                    findings: findings.map { $0.sentence(language) }, documents: documents))
        }
        return (max(total, seen.count), lines)
    }

    /// Stacked bars, one per run, each verdict's share of the run's portals.
    func chart(_ runs: [RunSummary], _ counts: [Int64: VerdictSummary]) -> Chart {
        let height = 160
        let plot = 140
        let step = 56
        var bars: [Bar] = []
        var ticks: [Tick] = []
        for (index, run) in runs.enumerated() {
            let summary = counts[run.id] ?? VerdictSummary()
            var top = plot
            let x = 8 + index * step
            for verdict in Self.verdictsWorstFirst.reversed() where summary.sites > 0 {
                let h = Int((Double(summary[verdict]) / Double(summary.sites) * Double(plot)).rounded())
                guard h > 0 else { continue }
                top -= h
                bars.append(
                    Bar(
                        verdict: verdict.rawValue, href: "/runs/\(run.id)?verdict=\(verdict.rawValue)",
                        label: "#\(run.id) \(words.verdict(verdict)): \(words.number(summary[verdict]))", x: x,
                        y: max(0, top), w: 40, h: h))
            }
            ticks.append(Tick(x: x + 8, y: height - 4, label: "#\(run.id)"))
        }
        return Chart(width: max(120, 16 + runs.count * step), height: height, bars: bars, ticks: ticks)
    }

    /// Provinces worst first, each followed by its units worst first (a unit's share of failing and
    /// incomplete portals decides).
    func units(run: Int64) async throws -> [UnitLine] {
        let w = words
        let counts = try await store.unitCounts(run: run)
        func badness(_ c: VerdictSummary) -> (Double, Int) {
            (c.sites == 0 ? 0 : Double(c.fail * 2 + c.incomplete) / Double(c.sites), c.fail)
        }
        func unitLine(_ name: String, _ filter: String?, _ c: VerdictSummary, total: Bool) -> UnitLine {
            UnitLine(
                name: name, href: "/runs/\(run)" + (filter.map { "?unit=\(Self.query($0))" } ?? ""),
                total: w.number(c.sites), pass: w.number(c.pass), warn: w.number(c.warn),
                incomplete: w.number(c.incomplete), fail: w.number(c.fail), failClass: c.fail > 0 ? "fail" : "",
                rate: w.percent(c.pass + c.warn, of: c.sites), rowClass: total ? "total" : "")
        }
        var provinces: [String: (VerdictSummary, [UnitCounts])] = [:]
        for unit in counts {
            let key = unit.province ?? ""
            var entry = provinces[key] ?? (VerdictSummary(), [])
            for verdict in Verdict.allCases { entry.0.add(verdict, count: unit.counts[verdict]) }
            entry.1.append(unit)
            provinces[key] = entry
        }
        var lines: [UnitLine] = []
        for (province, entry) in provinces.sorted(by: { badness($0.value.0) > badness($1.value.0) }) {
            let members = entry.1.filter { $0.district != nil || $0.commune != nil }
            lines.append(
                unitLine(
                    UnitSummary.unitName(province: province, district: nil, commune: nil, language: language),
                    province.isEmpty ? nil : province, entry.0, total: !members.isEmpty))
            for unit in members.sorted(by: { badness($0.counts) > badness($1.counts) }) {
                let name = [unit.district, unit.commune].compactMap { $0 }.joined(separator: " › ")
                lines.append(unitLine("— " + name, unit.commune ?? unit.district, unit.counts, total: false))
            }
        }
        return lines
    }
}

extension VerdictSummary {
    /// How many portals have `verdict`.
    subscript(verdict: Verdict) -> Int {
        switch verdict {
        case .pass: pass
        case .warn: warn
        case .incomplete: incomplete
        case .fail: fail
        }
    }
}
