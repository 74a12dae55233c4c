import Foundation
import GRDB
import PortalAuditCore

/// A portal's result as the history keeps it (schema v4): the raw observation and each finding's status,
/// code and evidence, zlib-compressed in one blob. Titles come from the rule catalogue and requirement,
/// severity, source and confidence from the profile version's rules (`profileRule`, written once per
/// profile id@version), when the result is read. A v3 row took 21.6 KiB; see `Deflate` for the blob.
struct LeanResult: Codable {
    struct Judged: Codable {
        var rule: String
        var status: FindingStatus
        var code: String
        var evidence: [String: String]

        enum CodingKeys: String, CodingKey {
            case rule = "r", status = "s", code = "c", evidence = "e"
        }
    }

    var target: Target
    var cost: ProbeCost
    var probes: [ProbeAttempt]
    var observation: Observation
    var findings: [Judged]

    init(_ result: SiteResult) {
        target = result.target
        cost = result.cost
        probes = result.probes
        observation = result.observation
        findings = result.findings.map {
            Judged(rule: $0.rule, status: $0.status, code: $0.resultCode, evidence: $0.evidence)
        }
    }

    /// How a profile version sets one rule: what a finding needs besides its judgement.
    struct RuleSetting {
        var requirement: Requirement
        var severity: Severity
        var source: String
        var sourceEN: String?
        var confidence: String?
    }

    /// The full result, texts filled in from the profile version's settings and the catalogue.
    func siteResult(
        profile: ProfileReference, verdict: Verdict, score: Int, grade: String, durationMS: Int,
        settings: [String: RuleSetting]
    ) -> SiteResult {
        let findings = self.findings.map { judged in
            let setting = settings[judged.rule]
            return Finding(
                rule: judged.rule, status: judged.status, requirement: setting?.requirement ?? .recommended,
                severity: setting?.severity ?? RuleRegistry.rule(judged.rule)?.descriptor.defaultSeverity ?? .info,
                resultCode: judged.code, evidence: judged.evidence,
                title: RuleRegistry.rule(judged.rule)?.descriptor.title
                    ?? LocalizedText(en: judged.rule, vi: judged.rule),
                source: setting?.source ?? "", sourceEN: setting?.sourceEN, confidence: setting?.confidence)
        }
        return SiteResult(
            target: target, profile: profile, verdict: verdict, score: score, grade: grade, durationMS: durationMS,
            cost: cost, probes: probes, observation: observation, findings: findings)
    }

    // MARK: encoding

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    func blob() throws -> Data { try Deflate.compress(Self.encoder.encode(self)) }

    static func decode(_ blob: Data) throws -> LeanResult {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(LeanResult.self, from: Deflate.decompress(blob))
    }

    // MARK: writing

    /// The statements that put `result` into run `id`, in one transaction: the summary columns and the
    /// blob (replacing an earlier result of the portal in the run), an index row per failed finding (for
    /// `history`), the profile's rule settings when `settings` (this profile version may be new to the
    /// database), and the portal's claim given back.
    static func insert(
        _ result: SiteResult, blob: Data, run id: Int64, at date: Date, identity: ScannerIdentity, settings: Bool
    ) -> [SQLStatement] {
        let url = result.target.url
        var statements = [
            SQLStatement("DELETE FROM portalResult WHERE runID = ? AND url = ?", [id, url]),
            SQLStatement(
                """
                INSERT INTO portalResult (runID, url, name, observedAt, verdict, score, grade, profileID,
                    profileVersion, durationMS, connections, tlsHandshakes, observation, province, district, commune,
                    level, certNotAfter, scanner, vantage)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, url, result.target.name, date, result.verdict.rawValue, result.score, result.grade,
                    result.profile.id, result.profile.version, result.durationMS, result.cost.connections,
                    result.cost.tlsHandshakes, blob, result.target.province, result.target.district,
                    result.target.commune, result.target.level, result.observation.certificate?.chain.first?.notAfter,
                    identity.scanner, identity.vantage,
                ]),
        ]
        let failed = result.findings.filter { $0.status == .fail }
        if !failed.isEmpty {
            let rows = Array(repeating: "SELECT ? AS rule, ? AS code", count: failed.count)
                .joined(separator: " UNION ALL ")
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO finding (portalResultID, rule, status, resultCode)
                    SELECT p.id, f.rule, 'fail', f.code FROM portalResult p, (\(rows)) AS f
                    WHERE p.runID = ? AND p.url = ?
                    """, failed.flatMap { [$0.rule, $0.resultCode] as [any SQLBindable] } + [id, url]))
        }
        if settings { statements += settingStatements(result.findings, profile: result.profile) }
        statements.append(SQLStatement("DELETE FROM portalClaim WHERE runID = ? AND url = ?", [id, url]))
        return statements
    }

    /// A profile version's rule settings, kept once: the first result judged by `profile` writes them (a
    /// translation of the source added later, which changes no judgement, fills in the English).
    static func settingStatements(_ findings: [Finding], profile: ProfileReference) -> [SQLStatement] {
        findings.map { finding in
            SQLStatement(
                """
                INSERT INTO profileRule
                    (profileID, profileVersion, rule, requirement, severity, source, sourceEN, confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (profileID, profileVersion, rule) DO UPDATE SET sourceEN = excluded.sourceEN
                    WHERE profileRule.sourceEN IS NULL
                """,
                [
                    profile.id, profile.version, finding.rule, finding.requirement.rawValue, finding.severity.rawValue,
                    finding.source, finding.sourceEN, finding.confidence,
                ])
        }
    }

    /// GRDB's form of `settingStatements`, for the v3 → v4 conversion.
    static func insertSettings(_ findings: [Finding], profile: ProfileReference, _ db: Database) throws {
        for statement in settingStatements(findings, profile: profile) {
            try db.execute(
                sql: statement.sql, arguments: StatementArguments(statement.arguments.map(SQLiteDatabase.databaseValue))
            )
        }
    }

    // MARK: reading

    /// The rule settings of every profile version the history holds, by `id@version`.
    static func settings(_ database: any SQLDatabase) async throws -> [String: [String: RuleSetting]] {
        var out: [String: [String: RuleSetting]] = [:]
        for row in try await database.fetch("SELECT * FROM profileRule") {
            let key = "\(row["profileID"] as String)@\(row["profileVersion"] as Int)"
            out[key, default: [:]][row["rule"]] = RuleSetting(
                requirement: Requirement(rawValue: row["requirement"]) ?? .recommended,
                severity: Severity(rawValue: row["severity"]) ?? .info, source: row["source"],
                sourceEN: row["sourceEN"],
                confidence: row["confidence"])
        }
        return out
    }

    static let resultColumns = "observedAt, verdict, score, grade, profileID, profileVersion, durationMS, observation"

    /// Every result of run `id` with the time it was observed, sorted by URL.
    static func results(run id: Int64, _ database: any SQLDatabase) async throws -> [(
        result: SiteResult, observedAt: Date
    )] {
        let settings = try await settings(database)
        let rows = try await database.fetch(
            "SELECT \(resultColumns) FROM portalResult WHERE runID = ? ORDER BY url", [id])
        return try rows.map { try result($0, settings: settings) }
    }

    /// Portal `url`'s result in run `id`, if the run has it.
    static func result(run id: Int64, url: String, _ database: any SQLDatabase) async throws -> (
        result: SiteResult, observedAt: Date
    )? {
        guard
            let row = try await database.fetch(
                "SELECT \(resultColumns) FROM portalResult WHERE runID = ? AND url = ?", [id, url]
            ).first
        else { return nil }
        return try result(row, settings: await settings(database))
    }

    private static func result(_ row: SQLRow, settings: [String: [String: RuleSetting]]) throws -> (
        result: SiteResult, observedAt: Date
    ) {
        let profile = ProfileReference(id: row["profileID"], version: row["profileVersion"])
        let lean = try decode(row["observation"])
        let result = lean.siteResult(
            profile: profile, verdict: Verdict(rawValue: row["verdict"]) ?? .fail, score: row["score"],
            grade: row["grade"], durationMS: row["durationMS"], settings: settings[profile.label] ?? [:])
        return (result, row["observedAt"])
    }

    /// The latest `limit` results of `url` in runs before `run`, newest first: observation and when it was made.
    static func latest(url: String, before run: Int64, limit: Int, _ database: any SQLDatabase) async throws -> [(
        Observation, Date
    )] {
        let rows = try await database.fetch(
            """
            SELECT observedAt, observation FROM portalResult WHERE url = ? AND runID < ?
            ORDER BY runID DESC LIMIT ?
            """, [url, run, limit])
        return try rows.map { (try decode($0["observation"]).observation, $0["observedAt"]) }
    }

    // MARK: migration

    /// v4 → v5: the columns the dashboard filters, groups and sorts a run by (its unit, level and leaf
    /// certificate's expiry), filled in from each stored result; indexes on a run's verdicts and units, and
    /// on a portal's runs (its previous scan is one index seek).
    static func addDashboardColumns(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE portalResult ADD COLUMN province TEXT;
                ALTER TABLE portalResult ADD COLUMN district TEXT;
                ALTER TABLE portalResult ADD COLUMN commune TEXT;
                ALTER TABLE portalResult ADD COLUMN level INTEGER;
                ALTER TABLE portalResult ADD COLUMN certNotAfter DATETIME;
                CREATE INDEX portalResultRunVerdict ON portalResult(runID, verdict);
                CREATE INDEX portalResultRunUnit ON portalResult(runID, province, district, commune, verdict);
                CREATE INDEX portalResultURLRun ON portalResult(url, runID);
                """)
        let rows = try Row.fetchCursor(db, sql: "SELECT id, observation FROM portalResult ORDER BY id")
        while let row = try rows.next() {
            let lean = try decode(row["observation"])
            try db.execute(
                sql:
                    "UPDATE portalResult SET province = ?, district = ?, commune = ?, level = ?, certNotAfter = ? WHERE id = ?",
                arguments: [
                    lean.target.province, lean.target.district, lean.target.commune, lean.target.level,
                    lean.observation.certificate?.chain.first?.notAfter, row["id"] as Int64,
                ])
        }
    }

    /// v3 → v4: every stored result re-encoded lean, the profile settings extracted from its findings, the
    /// finding table reduced to an index of the failed findings. History, ids and verdicts are kept.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE profileRule (
                    profileID TEXT NOT NULL,
                    profileVersion INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    requirement TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    source TEXT NOT NULL,
                    sourceEN TEXT,
                    confidence TEXT,
                    PRIMARY KEY (profileID, profileVersion, rule)
                );
                CREATE TABLE portalResultLean (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    runID INTEGER NOT NULL REFERENCES auditRun(id) ON DELETE CASCADE,
                    url TEXT NOT NULL,
                    name TEXT,
                    observedAt DATETIME NOT NULL,
                    verdict TEXT NOT NULL,
                    score INTEGER NOT NULL,
                    grade TEXT NOT NULL,
                    profileID TEXT NOT NULL,
                    profileVersion INTEGER NOT NULL,
                    durationMS INTEGER NOT NULL,
                    connections INTEGER NOT NULL,
                    tlsHandshakes INTEGER NOT NULL,
                    observation BLOB NOT NULL,
                    UNIQUE(runID, url)
                );
                CREATE TABLE findingLean (
                    portalResultID INTEGER NOT NULL REFERENCES portalResult(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    status TEXT NOT NULL,
                    resultCode TEXT NOT NULL
                );
                """)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, runID, observedAt, connections, tlsHandshakes, result FROM portalResult ORDER BY id")
        while let row = try rows.next() {
            let text: String = row["result"]
            let result = try decoder.decode(SiteResult.self, from: Data(text.utf8))
            let id: Int64 = row["id"]
            try db.execute(
                sql: """
                    INSERT INTO portalResultLean (id, runID, url, name, observedAt, verdict, score, grade, profileID,
                        profileVersion, durationMS, connections, tlsHandshakes, observation)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, row["runID"], result.target.url, result.target.name, row["observedAt"], result.verdict.rawValue,
                    result.score, result.grade, result.profile.id, result.profile.version, result.durationMS,
                    row["connections"], row["tlsHandshakes"], try LeanResult(result).blob(),
                ])
            try insertSettings(result.findings, profile: result.profile, db)
            for finding in result.findings where finding.status == .fail {
                try db.execute(
                    sql: "INSERT INTO findingLean (portalResultID, rule, status, resultCode) VALUES (?, ?, ?, ?)",
                    arguments: [id, finding.rule, finding.status.rawValue, finding.resultCode])
            }
        }
        // GRDB runs migrations with foreign keys off and checks them at the end: the drops cascade nowhere.
        try db.execute(
            sql: """
                DROP TABLE finding;
                DROP TABLE portalResult;
                ALTER TABLE portalResultLean RENAME TO portalResult;
                ALTER TABLE findingLean RENAME TO finding;
                CREATE INDEX portalResultURL ON portalResult(url, observedAt);
                CREATE INDEX findingRule ON finding(rule, status);
                CREATE INDEX findingResult ON finding(portalResultID);
                """)
    }
}
