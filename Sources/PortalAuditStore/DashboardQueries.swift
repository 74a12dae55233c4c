import Foundation
import PortalAuditCore

/// One portal's line in a run, as the dashboard lists it: the summary columns, never the stored blob.
public struct PortalRow: Sendable, Equatable, Codable {
    /// The run this line is from.
    public var runID: Int64
    public var url: String
    public var name: String?
    public var province: String?
    public var district: String?
    public var commune: String?
    public var level: Int?
    public var verdict: Verdict
    public var score: Int
    public var grade: String
    /// `id@version` of the profile it was judged by.
    public var profile: String
    public var observedAt: Date
    /// The rules it failed, sorted.
    public var failedRules: [String]
    /// When its leaf certificate expires (none without HTTPS).
    public var certNotAfter: Date?

    enum CodingKeys: String, CodingKey {
        case url, name, province, district, commune, level, verdict, score, grade, profile
        case runID = "run_id"
        case observedAt = "observed_at"
        case failedRules = "failed_rules"
        case certNotAfter = "cert_not_after"
    }
}

/// How a run's portals are ordered.
public enum PortalSort: String, Sendable, CaseIterable {
    /// Worst verdict first, then the lowest score.
    case verdict
    case url
    case name
    case score
    case grade
    /// Province, district, commune.
    case unit
    /// The leaf certificate's expiry, soonest first (portals without one last).
    case expiry
}

/// Which of a run's portals to list, in what order, which page.
public struct PortalQuery: Sendable, Equatable {
    public var verdict: Verdict?
    /// A province, district or commune, exactly as the inventory names it.
    public var unit: String?
    /// Only portals that failed this rule.
    public var rule: String?
    /// Part of the URL or the name (case-insensitive for ASCII).
    public var text: String?
    public var sort: PortalSort
    public var descending: Bool
    public var offset: Int
    public var limit: Int

    public init(
        verdict: Verdict? = nil, unit: String? = nil, rule: String? = nil, text: String? = nil,
        sort: PortalSort = .verdict, descending: Bool = false, offset: Int = 0, limit: Int = 50
    ) {
        self.verdict = verdict
        self.unit = unit
        self.rule = rule
        self.text = text
        self.sort = sort
        self.descending = descending
        self.offset = offset
        self.limit = limit
    }
}

/// A unit's verdict counts in a run.
public struct UnitCounts: Sendable, Equatable {
    public var province: String?
    public var district: String?
    public var commune: String?
    public var counts: VerdictSummary
}

/// A portal of a run with its verdict in the latest earlier run that has it.
public struct VerdictChange: Sendable, Equatable {
    public var url: String
    public var name: String?
    public var verdict: Verdict
    public var previous: Verdict
    public var previousRun: Int64
}

/// A portal the monitor has confirmed down and not yet seen back up.
public struct PortalDown: Sendable, Equatable, Codable {
    public var url: String
    public var name: String?
    public var since: Date
}

extension AuditStore {
    /// `condition` over `portalResult p` (and its arguments) for `query` in run `run`.
    private func filter(run: Int64, _ query: PortalQuery) -> (String, [any SQLBindable]) {
        var conditions = ["p.runID = ?"]
        var arguments: [any SQLBindable] = [run]
        if let verdict = query.verdict {
            conditions.append("p.verdict = ?")
            arguments.append(verdict.rawValue)
        }
        if let unit = query.unit, !unit.isEmpty {
            conditions.append("(p.province = ? OR p.district = ? OR p.commune = ?)")
            arguments += [unit, unit, unit]
        }
        if let rule = query.rule, !rule.isEmpty {
            conditions.append(
                "EXISTS (SELECT 1 FROM finding f WHERE f.portalResultID = p.id AND f.rule = ? AND f.status = 'fail')")
            arguments.append(rule)
        }
        if let text = query.text, !text.isEmpty {
            let like = dialect.caseInsensitiveLike
            conditions.append("(p.url \(like) ? ESCAPE '\\' OR p.name \(like) ? ESCAPE '\\')")
            arguments += [Self.containing(text), Self.containing(text)]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// The ORDER BY clause of `query` (a fixed text per sort: nothing a visitor typed reaches the SQL).
    private static func order(_ query: PortalQuery) -> String {
        let direction = query.descending ? "DESC" : "ASC"
        let rank = "CASE p.verdict WHEN 'fail' THEN 0 WHEN 'incomplete' THEN 1 WHEN 'warn' THEN 2 ELSE 3 END"
        switch query.sort {
        case .verdict: return "\(rank) \(direction), p.score \(direction), p.url"
        case .url: return "p.url \(direction)"
        case .name: return "coalesce(p.name, p.url) \(direction), p.url"
        case .score: return "p.score \(direction), p.url"
        case .grade: return "p.grade \(direction), p.url"
        case .expiry: return "p.certNotAfter IS NULL, p.certNotAfter \(direction), p.url"
        case .unit:
            return "coalesce(p.province, '') \(direction), coalesce(p.district, '') \(direction), "
                + "coalesce(p.commune, '') \(direction), p.url"
        }
    }

    private var rowColumns: String {
        """
        p.runID, p.url, p.name, p.province, p.district, p.commune, p.level, p.verdict, p.score, p.grade, p.profileID,
        p.profileVersion, p.observedAt, p.certNotAfter, \(failedColumn)
        """
    }

    private static func portalRow(_ row: SQLRow) -> PortalRow {
        let failed: String? = row["failed"]
        let profileID: String = row["profileID"]
        let profileVersion: Int = row["profileVersion"]
        return PortalRow(
            runID: row["runID"], url: row["url"], name: row["name"], province: row["province"],
            district: row["district"],
            commune: row["commune"], level: row["level"], verdict: Verdict(rawValue: row["verdict"]) ?? .fail,
            score: row["score"], grade: row["grade"], profile: "\(profileID)@\(profileVersion)",
            observedAt: row["observedAt"], failedRules: failed.map { $0.split(separator: ",").map(String.init) } ?? [],
            certNotAfter: row["certNotAfter"])
    }

    /// One page of run `run`'s portals matching `query`, and how many match in all.
    public func portals(run: Int64, _ query: PortalQuery) async throws(StoreError) -> (total: Int, rows: [PortalRow]) {
        let (condition, arguments) = filter(run: run, query)
        return try await attempt("list the portals of run \(run)") {
            let total: Int =
                try await database.fetch("SELECT COUNT(*) AS n FROM portalResult p WHERE \(condition)", arguments)
                .first?["n"] ?? 0
            let rows = try await database.fetch(
                """
                SELECT \(rowColumns) FROM portalResult p WHERE \(condition)
                ORDER BY \(Self.order(query)) LIMIT ? OFFSET ?
                """, arguments + [max(1, query.limit), max(0, query.offset)])
            return (total, rows.map(Self.portalRow))
        }
    }

    /// The runs, newest first, one page of them, with how many there are.
    public func runs(offset: Int, limit: Int) async throws(StoreError) -> (total: Int, runs: [RunSummary]) {
        let total: Int = try await attempt("count the runs") {
            try await database.fetch("SELECT COUNT(*) AS n FROM auditRun").first?["n"] ?? 0
        }
        return (total, try await runs(where: "1 = 1", [], limit: limit, offset: offset))
    }

    /// Run `run`'s verdict counts per unit (province, district, commune as the inventory gave them).
    public func unitCounts(run: Int64) async throws(StoreError) -> [UnitCounts] {
        try await attempt("count the units of run \(run)") {
            var units: [String: UnitCounts] = [:]
            var order: [String] = []
            for row in try await database.fetch(
                """
                SELECT province, district, commune, verdict, COUNT(*) AS n FROM portalResult
                WHERE runID = ? GROUP BY province, district, commune, verdict
                ORDER BY coalesce(province, ''), coalesce(district, ''), coalesce(commune, ''), verdict
                """, [run])
            {
                let province: String? = row["province"]
                let district: String? = row["district"]
                let commune: String? = row["commune"]
                let key = [province, district, commune].map { $0 ?? "" }.joined(separator: "\u{1F}")
                if units[key] == nil {
                    order.append(key)
                    units[key] = UnitCounts(
                        province: province, district: district, commune: commune, counts: VerdictSummary())
                }
                if let verdict = Verdict(rawValue: row["verdict"]) {
                    units[key]?.counts.add(verdict, count: row["n"])
                }
            }
            return order.compactMap { units[$0] }
        }
    }

    /// For each rule, how many portals of run `run` failed it.
    public func failureCounts(run: Int64) async throws(StoreError) -> [String: Int] {
        try await attempt("count the failures of run \(run)") {
            var out: [String: Int] = [:]
            for row in try await database.fetch(
                """
                SELECT f.rule, COUNT(*) AS n FROM portalResult p JOIN finding f ON f.portalResultID = p.id
                WHERE p.runID = ? AND f.status = 'fail' GROUP BY f.rule
                """, [run])
            {
                out[row["rule"]] = row["n"]
            }
            return out
        }
    }

    /// Portals the monitor confirmed down and has not seen back up, longest down first; a portal the
    /// monitor has not sampled since `sampledSince` (no longer monitored) is left out.
    public func portalsDown(sampledSince: Date) async throws(StoreError) -> [PortalDown] {
        try await attempt("read the portals down") {
            try await database.fetch(
                """
                SELECT a.url, a.since,
                       (SELECT p.name FROM portalResult p WHERE p.url = a.url ORDER BY p.runID DESC LIMIT 1) AS name
                FROM alertState a WHERE a.kind = 'availability' AND a.state = 'down'
                  AND (SELECT MAX(s.at) FROM uptimeSample s WHERE s.url = a.url) >= ?
                ORDER BY a.since, a.url
                """, [sampledSince]
            ).map { PortalDown(url: $0["url"], name: $0["name"], since: $0["since"]) }
        }
    }

    /// Portal `url`'s verdicts over time, newest first (an exact URL, unlike `history(matching:)`).
    public func portalHistory(url: String, limit: Int) async throws(StoreError) -> [PortalRow] {
        try await attempt("read the history of \(url)") {
            try await database.fetch(
                "SELECT \(rowColumns) FROM portalResult p WHERE p.url = ? ORDER BY p.runID DESC LIMIT ?",
                [url, max(1, limit)]
            ).map(Self.portalRow)
        }
    }

    /// The latest run before `run` that has portal `url`.
    public func previousRun(of url: String, before run: Int64) async throws(StoreError) -> Int64? {
        try await attempt("read the previous scan of \(url)") {
            let rows = try await database.fetch(
                "SELECT MAX(runID) AS previous FROM portalResult WHERE url = ? AND runID < ?", [url, run])
            let previous: Int64?? = rows.first?["previous"]
            return previous ?? nil
        }
    }

    /// Every portal of run `run` that an earlier run also has, with its verdict there (portals new in
    /// this run are left out: `done` minus the count is how many are new).
    public func verdictChanges(run: Int64) async throws(StoreError) -> [VerdictChange] {
        try await attempt("compare run \(run) with the previous runs") {
            try await database.fetch(
                """
                SELECT c.url, c.name, c.verdict, p.verdict AS previous, p.runID AS previousRun
                FROM portalResult c
                JOIN portalResult p ON p.url = c.url AND p.runID = (
                    SELECT MAX(q.runID) FROM portalResult q WHERE q.url = c.url AND q.runID < c.runID)
                WHERE c.runID = ? ORDER BY c.url
                """, [run]
            ).compactMap { row in
                guard let verdict = Verdict(rawValue: row["verdict"]),
                    let previous = Verdict(rawValue: row["previous"])
                else { return nil }
                return VerdictChange(
                    url: row["url"], name: row["name"], verdict: verdict, previous: previous,
                    previousRun: row["previousRun"])
            }
        }
    }
}
