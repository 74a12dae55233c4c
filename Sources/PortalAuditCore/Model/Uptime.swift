import Foundation

/// One availability sample of a portal: one light request.
public struct UptimeSample: Codable, Sendable, Equatable {
    public var at: Date
    public var up: Bool
    public var status: Int?
    public var totalMS: Double?
    /// Why it was down (`connect`, `timeout`, `http 503` …).
    public var cause: String?
    /// The address the sample connected to (or tried), for grouping outages by network; not stored.
    public var address: String? = nil

    enum CodingKeys: String, CodingKey {
        case at, up, status, cause
        case totalMS = "total_ms"
    }

    public init(at: Date, up: Bool, status: Int? = nil, totalMS: Double? = nil, cause: String? = nil) {
        self.at = at
        self.up = up
        self.status = status
        self.totalMS = totalMS
        self.cause = cause
    }
}

/// A confirmed outage: from the first failed sample to the first successful one after it.
public struct Outage: Codable, Sendable, Equatable {
    public var start: Date
    /// `nil` while still down.
    public var end: Date?
    public var cause: String

    public init(start: Date, end: Date?, cause: String) {
        self.start = start
        self.end = end
        self.cause = cause
    }
}

/// Uptime over a window, as `docs/uptime.md` defines it.
public struct UptimeFacts: Codable, Sendable, Equatable {
    public var windowHours: Int
    public var upSeconds: Double
    public var downSeconds: Double
    /// Time inside the window with no sample close enough: shown, never counted as up.
    public var unmonitoredSeconds: Double
    public var outages: [Outage]

    enum CodingKeys: String, CodingKey {
        case outages
        case windowHours = "window_hours"
        case upSeconds = "up_seconds"
        case downSeconds = "down_seconds"
        case unmonitoredSeconds = "unmonitored_seconds"
    }

    public init(windowHours: Int, upSeconds: Double, downSeconds: Double, unmonitoredSeconds: Double, outages: [Outage])
    {
        self.windowHours = windowHours
        self.upSeconds = upSeconds
        self.downSeconds = downSeconds
        self.unmonitoredSeconds = unmonitoredSeconds
        self.outages = outages
    }

    /// Up time over monitored time, 0–100; `nil` when nothing was monitored.
    public var percent: Double? {
        let monitored = upSeconds + downSeconds
        return monitored > 0 ? upSeconds * 100 / monitored : nil
    }
}

/// Turns samples into outages and uptime. Pure: the clock comes in as `now`.
///
/// - A sample speaks for the time until the next sample, at most `2 × interval`; beyond that the time is
///   *unmonitored* (the monitor itself was down), never counted as up or down.
/// - A portal is down only when `confirmations` consecutive samples failed (one failed sample is a blip:
///   its time counts as up). The outage runs from the first failed sample to the first successful one.
public enum UptimeAccounting {
    public static func outages(_ samples: [UptimeSample], confirmations: Int = AvailabilityPolicy.confirmations)
        -> [Outage]
    {
        let sorted = samples.sorted { $0.at < $1.at }
        var outages: [Outage] = []
        var runStart: Int?
        for (index, sample) in sorted.enumerated() {
            if !sample.up {
                if runStart == nil { runStart = index }
            } else if let start = runStart {
                if index - start >= confirmations {
                    outages.append(
                        Outage(start: sorted[start].at, end: sample.at, cause: sorted[start].cause ?? "down"))
                }
                runStart = nil
            }
        }
        if let start = runStart, sorted.count - start >= confirmations {
            outages.append(Outage(start: sorted[start].at, end: nil, cause: sorted[start].cause ?? "down"))
        }
        return outages
    }

    /// The sampling interval the samples show (their median gap), for history read without the monitor.
    public static func typicalInterval(_ samples: [UptimeSample], fallback: TimeInterval = 300) -> TimeInterval {
        let sorted = samples.map(\.at).sorted()
        let gaps = zip(sorted.dropFirst(), sorted).map { $0.timeIntervalSince($1) }.filter { $0 > 0 }.sorted()
        return gaps.isEmpty ? fallback : gaps[gaps.count / 2]
    }

    /// Uptime of the window `[now - hours, now]`.
    public static func facts(
        _ samples: [UptimeSample], interval: TimeInterval, windowHours: Int, now: Date,
        confirmations: Int = AvailabilityPolicy.confirmations
    ) -> UptimeFacts {
        let windowStart = now.addingTimeInterval(-Double(windowHours) * 3_600)
        let sorted = samples.sorted { $0.at < $1.at }
        let outages = outages(sorted, confirmations: confirmations)
        func isDown(_ t: Date) -> Bool {
            outages.contains { t >= $0.start && t < ($0.end ?? .distantFuture) }
        }
        var up = 0.0
        var down = 0.0
        var covered = 0.0
        for (index, sample) in sorted.enumerated() {
            let next = index + 1 < sorted.count ? sorted[index + 1].at : now
            let end = min(next, sample.at.addingTimeInterval(2 * interval), now)
            let start = max(sample.at, windowStart)
            guard end > start else { continue }
            let span = end.timeIntervalSince(start)
            covered += span
            if isDown(sample.at) { down += span } else { up += span }
        }
        let window = now.timeIntervalSince(windowStart)
        let inWindow = outages.filter { ($0.end ?? now) > windowStart }
        return UptimeFacts(
            windowHours: windowHours, upSeconds: up, downSeconds: down, unmonitoredSeconds: max(0, window - covered),
            outages: inWindow)
    }
}
