import Foundation
import PortalAuditCore
import Testing

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

/// Samples every `interval` seconds from t0, `pattern` read as U (up) / D (down) / _ (no sample).
private func samples(_ pattern: String, interval: TimeInterval = 60) -> [UptimeSample] {
    pattern.enumerated().compactMap { index, c in
        c == "_"
            ? nil
            : UptimeSample(
                at: t0.addingTimeInterval(Double(index) * interval), up: c == "U", cause: c == "D" ? "connect" : nil)
    }
}

@Suite("Uptime accounting")
struct UptimeAccountingTests {
    @Test("an outage needs two failed samples in a row; one is a blip")
    func confirmation() {
        #expect(UptimeAccounting.outages(samples("UUDUU")).isEmpty)
        let outages = UptimeAccounting.outages(samples("UUDDDUU"))
        #expect(
            outages == [Outage(start: t0.addingTimeInterval(120), end: t0.addingTimeInterval(300), cause: "connect")])
    }

    @Test("an outage still running has no end")
    func ongoing() {
        #expect(UptimeAccounting.outages(samples("UUDD")).first?.end == nil)
    }

    @Test(
        "uptime counts the outage as down, blips as up, and gaps as unmonitored",
        arguments: [
            // 10 samples a minute apart, window ends one minute after the last
            ("UUUUUUUUUU", 600.0, 0.0, 0.0),
            ("UUDDDUUUUU", 420.0, 180.0, 0.0),
            ("UUDUUUUUUU", 600.0, 0.0, 0.0),
            ("UU______UU", 300.0, 0.0, 300.0),  // the sample before the gap speaks for two intervals at most
        ])
    func uptime(pattern: String, up: Double, down: Double, unmonitored: Double) {
        let now = t0.addingTimeInterval(600)
        let facts = UptimeAccounting.facts(samples(pattern), interval: 60, windowHours: 1, now: now)
        #expect(facts.upSeconds == up)
        #expect(facts.downSeconds == down)
        #expect(facts.unmonitoredSeconds == unmonitored + 3_000)  // the hour began 50 minutes before the first sample
    }

    @Test("percent is up over monitored time, nil when nothing was monitored")
    func percent() {
        #expect(
            UptimeFacts(windowHours: 1, upSeconds: 990, downSeconds: 10, unmonitoredSeconds: 500, outages: []).percent
                == 99)
        #expect(
            UptimeFacts(windowHours: 1, upSeconds: 0, downSeconds: 0, unmonitoredSeconds: 3600, outages: []).percent
                == nil)
    }
}
