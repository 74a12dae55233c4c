import Foundation

/// What `db copy` moved (and found already there).
public struct CopySummary: Sendable, Equatable {
    public var runsCopied = 0
    /// Runs the target already had (the same inventory, started at the same moment).
    public var runsAlreadyThere = 0
    public var resultsCopied = 0
    public var resultsAlreadyThere = 0
    public var samplesCopied = 0
    public var samplesAlreadyThere = 0
}

extension AuditStore {
    /// Copies `source`'s whole history (runs, results with their findings, profile settings, uptime
    /// samples, alert states) into this one, adding only what is not already here: copying twice, or a
    /// province's history into a national one that has part of it, duplicates nothing. Run ids are the
    /// target's own (a run is known by its inventory and start); results keep their blobs byte for byte. The
    /// alert messages stay where they were sent from: copied, a monitor on the target would send them again.
    public func copy(from source: AuditStore, progress: @Sendable (String) -> Void = { _ in }) async throws(StoreError)
        -> CopySummary
    {
        var summary = CopySummary()
        try await attempt("copy \(source.database.location) into \(database.location)") {
            _ = try await database.transaction(
                try await source.database.fetch("SELECT * FROM profileRule").map { row in
                    SQLStatement(
                        """
                        INSERT INTO profileRule
                            (profileID, profileVersion, rule, requirement, severity, source, sourceEN, confidence)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profileID, profileVersion, rule) DO NOTHING
                        """,
                        Self.values(
                            row,
                            [
                                "profileID", "profileVersion", "rule", "requirement", "severity", "source",
                                "sourceEN", "confidence",
                            ]))
                })
            for run in try await source.database.fetch("SELECT * FROM auditRun ORDER BY id") {
                try await copyRun(run, from: source, into: &summary)
                progress("run \(run["id"] as Int64): \(summary.resultsCopied) results copied so far")
            }
            try await copySamples(from: source, into: &summary)
            for row in try await source.database.fetch("SELECT * FROM alertState") {
                _ = try await database.execute(
                    """
                    INSERT INTO alertState (url, kind, state, since, lastSent) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (url, kind) DO NOTHING
                    """, Self.values(row, ["url", "kind", "state", "since", "lastSent"]))
            }
        }
        return summary
    }

    static let runColumns = [
        "startedAt", "finishedAt", "status", "inventory", "profile", "planned", "toolVersion", "evaluationVersion",
    ]
    static let resultColumns = [
        "url", "name", "observedAt", "verdict", "score", "grade", "profileID", "profileVersion", "durationMS",
        "connections", "tlsHandshakes", "observation", "province", "district", "commune", "level", "certNotAfter",
        "scanner", "vantage",
    ]

    /// The columns holding a moment, and a flag: SQLite keeps them as text and 0/1, PostgreSQL as its types.
    static let dateColumns: Set<String> = [
        "startedat", "finishedat", "observedat", "certnotafter", "at", "since", "lastsent", "heartbeat",
    ]
    static let flagColumns: Set<String> = ["up"]

    /// `row`'s `columns` as values either engine takes for them.
    static func values(_ row: SQLRow, _ columns: [String]) -> [any SQLBindable] {
        columns.map { column -> any SQLBindable in
            let key = column.lowercased()
            if dateColumns.contains(key) {
                let date: Date? = row[column]
                return date
            }
            if flagColumns.contains(key) {
                let flag: Bool? = row[column]
                return flag
            }
            return row.value(column)
        }
    }

    /// One run: found here by inventory and start, else added; then its results not here yet.
    private func copyRun(_ run: SQLRow, from source: AuditStore, into summary: inout CopySummary) async throws {
        let sourceID: Int64 = run["id"]
        let existing = try await database.fetch(
            "SELECT id FROM auditRun WHERE inventory = ? AND startedAt = ?",
            Self.values(run, ["inventory", "startedAt"]))
        let targetID: Int64
        if let id: Int64 = existing.first?["id"] {
            targetID = id
            summary.runsAlreadyThere += 1
        } else {
            let marks = Array(repeating: "?", count: Self.runColumns.count).joined(separator: ", ")
            targetID = try await database.execute(
                "INSERT INTO auditRun (\(Self.runColumns.joined(separator: ", "))) VALUES (\(marks)) RETURNING id",
                Self.values(run, Self.runColumns))[0]["id"]
            summary.runsCopied += 1
        }
        let here = try await finishedURLs(run: targetID)
        let columns = Self.resultColumns.joined(separator: ", ")
        let marks = Array(repeating: "?", count: Self.resultColumns.count + 1).joined(separator: ", ")
        var lastID: Int64 = 0
        while true {
            // A page at a time: a run of ten thousand portals is never all in memory.
            let rows = try await source.database.fetch(
                "SELECT id, \(columns) FROM portalResult WHERE runID = ? AND id > ? ORDER BY id LIMIT 500",
                [sourceID, lastID])
            guard let last: Int64 = rows.last?["id"] else { break }
            lastID = last
            var statements: [SQLStatement] = []
            for row in rows {
                let url: String = row["url"]
                if here.contains(url) {
                    summary.resultsAlreadyThere += 1
                    continue
                }
                summary.resultsCopied += 1
                statements.append(
                    SQLStatement(
                        "INSERT INTO portalResult (runID, \(columns)) VALUES (\(marks))",
                        [targetID] + Self.values(row, Self.resultColumns)))
                let findings = try await source.database.fetch(
                    "SELECT rule, status, resultCode FROM finding WHERE portalResultID = ? ORDER BY rule",
                    [row["id"] as Int64])
                for finding in findings {
                    statements.append(
                        SQLStatement(
                            """
                            INSERT INTO finding (portalResultID, rule, status, resultCode)
                            SELECT id, ?, ?, ? FROM portalResult WHERE runID = ? AND url = ?
                            """,
                            Self.values(finding, ["rule", "status", "resultCode"]) + [targetID, url]))
                }
            }
            if !statements.isEmpty { _ = try await database.transaction(statements) }
        }
    }

    /// The uptime samples not here yet (a sample is known by its portal and moment), 200 to a statement.
    private func copySamples(from source: AuditStore, into summary: inout CopySummary) async throws {
        let columns = ["url", "at", "up", "status", "totalMS", "cause"]
        var lastID: Int64 = 0
        while true {
            let rows = try await source.database.fetch(
                "SELECT id, url, at, up, status, totalMS, cause FROM uptimeSample WHERE id > ? ORDER BY id LIMIT 5000",
                [lastID])
            guard let last: Int64 = rows.last?["id"] else { break }
            lastID = last
            var statements: [SQLStatement] = []
            for start in stride(from: 0, to: rows.count, by: 200) {
                let chunk = rows[start..<min(start + 200, rows.count)]
                let first = "SELECT ? AS url, ? AS at, ? AS up, ? AS status, ? AS totalMS, ? AS cause"
                let select = ([first] + Array(repeating: "SELECT ?, ?, ?, ?, ?, ?", count: chunk.count - 1))
                    .joined(separator: " UNION ALL ")
                let arguments = chunk.flatMap { Self.values($0, columns) }
                statements.append(
                    SQLStatement(
                        """
                        INSERT INTO uptimeSample (url, at, up, status, totalMS, cause)
                        SELECT v.url, v.at, v.up, v.status, v.totalMS, v.cause FROM (\(select)) AS v
                        WHERE NOT EXISTS (SELECT 1 FROM uptimeSample s WHERE s.url = v.url AND s.at = v.at)
                        RETURNING id
                        """, arguments))
            }
            let inserted = try await database.transaction(statements).reduce(0) { $0 + $1.count }
            summary.samplesCopied += inserted
            summary.samplesAlreadyThere += rows.count - inserted
        }
    }
}
