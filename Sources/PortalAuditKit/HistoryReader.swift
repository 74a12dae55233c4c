import Foundation
import PortalAuditCore
import PortalAuditStore

/// What `portal-audit history` asks for.
public struct HistoryRequest: Sendable {
    public var database: String
    /// The PostgreSQL password (`--db-password-file`); `PGPASSWORD` when `nil`.
    public var databasePassword: String?
    /// A portal's URL or part of it; every portal when `nil`.
    public var target: String?
    public var since: Date?
    public var now: Date

    public init(database: String, target: String?, since: Date?, now: Date = Date(), databasePassword: String? = nil) {
        self.database = database
        self.databasePassword = databasePassword
        self.target = target
        self.since = since
        self.now = now
    }
}

/// The history database does not exist where the request points.
public struct NoHistoryDatabase: Error, Sendable, CustomStringConvertible {
    public var path: String

    public init(path: String) { self.path = path }

    public var description: String { "\(path): error: --db: no history database here (run `portal-audit scan` first)" }
}

/// Reads portals' verdicts over time and their uptime from the history, one store opened once.
public enum HistoryReader {
    /// The windows `history` shows, in hours.
    static let windows = [(24, "24h"), (168, "7d"), (720, "30d")]

    public static func read(_ request: HistoryRequest) async throws -> [PortalHistory] {
        try await HistoryDatabase(request.database, password: request.databasePassword).with(create: false) { store in
            try await read(request, store: store)
        }
    }

    /// `read`, and the stretches the monitor could not see the portals (its own network cut): not downtime.
    public static func readWithGaps(_ request: HistoryRequest) async throws -> (
        [PortalHistory], [(start: Date, end: Date)]
    ) {
        try await HistoryDatabase(request.database, password: request.databasePassword).with(create: false) { store in
            let portals = try await read(request, store: store)
            let gaps = try await MonitorRunner.unmonitored(store).map { ($0.start, $0.end) }
            return (portals, gaps)
        }
    }

    static func read(_ request: HistoryRequest, store: AuditStore) async throws -> [PortalHistory] {
        let entries = try await store.history(matching: request.target, since: request.since)
        var portals: [PortalHistory] = []
        for entry in entries {
            let view = PortalHistory.Entry(
                runID: entry.runID, observedAt: entry.observedAt, verdict: entry.verdict, score: entry.score,
                grade: entry.grade, profile: entry.profile, failedRules: entry.failedRules)
            if portals.last?.url == entry.url {
                portals[portals.count - 1].entries.append(view)
                continue
            }
            let samples = try await store.samples(url: entry.url, since: request.now.addingTimeInterval(-30 * 86_400))
            let (uptime, outages) = uptimeSummary(samples, now: request.now)
            portals.append(
                PortalHistory(url: entry.url, name: entry.name, entries: [view], uptime: uptime, outages: outages))
        }
        return portals
    }

    /// Uptime over 24 h, 7 d and 30 d and the outages in `samples` (the last 30 days'); none without samples.
    public static func uptimeSummary(_ samples: [UptimeSample], now: Date) -> (
        uptime: [PortalHistory.Uptime], outages: [Outage]
    ) {
        guard !samples.isEmpty else { return ([], []) }
        let interval = UptimeAccounting.typicalInterval(samples)
        let uptime = windows.map { hours, label in
            PortalHistory.Uptime(
                label: label,
                percent: UptimeAccounting.facts(samples, interval: interval, windowHours: hours, now: now).percent)
        }
        return (uptime, UptimeAccounting.outages(samples))
    }
}
