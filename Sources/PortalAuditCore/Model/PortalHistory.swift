import Foundation

/// One portal's verdicts over time and its monitored availability, as `portal-audit history` shows them.
public struct PortalHistory: Sendable, Equatable {
    /// One stored result.
    public struct Entry: Sendable, Equatable {
        public var runID: Int64
        public var observedAt: Date
        public var verdict: Verdict
        public var score: Int
        public var grade: String
        /// `id@version` of the profile it was judged by.
        public var profile: String
        public var failedRules: [String]

        public init(
            runID: Int64, observedAt: Date, verdict: Verdict, score: Int, grade: String, profile: String,
            failedRules: [String]
        ) {
            self.runID = runID
            self.observedAt = observedAt
            self.verdict = verdict
            self.score = score
            self.grade = grade
            self.profile = profile
            self.failedRules = failedRules
        }
    }

    /// Uptime over one window (24 h, 7 d, 30 d); `percent` is `nil` when the window holds no sample.
    public struct Uptime: Sendable, Equatable {
        public var label: String
        public var percent: Double?

        public init(label: String, percent: Double?) {
            self.label = label
            self.percent = percent
        }
    }

    public var url: String
    public var name: String?
    /// Newest first.
    public var entries: [Entry]
    /// Empty when the portal was never monitored.
    public var uptime: [Uptime]
    /// Confirmed outages of the last 30 days.
    public var outages: [Outage]

    public init(url: String, name: String?, entries: [Entry], uptime: [Uptime], outages: [Outage]) {
        self.url = url
        self.name = name
        self.entries = entries
        self.uptime = uptime
        self.outages = outages
    }
}
