import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport
import PortalAuditStore

/// `portal-audit history [TARGET]`: a portal's verdicts over time, from the history database.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show portals' verdicts over time from the history database.")

    @Argument(help: ArgumentHelp("A portal's URL, or part of it (all portals when omitted).", valueName: "target"))
    var target: String?

    @Option(help: ArgumentHelp("History database.", valueName: "file"))
    var db: String = "portal-audit.sqlite"

    @Option(help: ArgumentHelp("Only results observed on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    func run() async throws {
        var sinceDate: Date?
        if let since {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: since) else {
                printError("<command line>: error: --since: expected a date YYYY-MM-DD, found '\(since)'")
                throw ExitStatus.badInput
            }
            sinceDate = date
        }
        guard FileManager.default.fileExists(atPath: db) else {
            printError("\(db): error: --db: no history database here (run `portal-audit scan` first)")
            throw ExitStatus.badInput
        }
        let entries = try exitingOnError { try AuditStore(path: db).history(matching: target, since: sinceDate) }
        let vi = lang == .vi
        if entries.isEmpty {
            print(vi ? "Chưa có kết quả nào." : "No results yet.")
            return
        }
        let formatter = ISO8601DateFormatter()
        let store = try exitingOnError { try AuditStore(path: db) }
        var current = ""
        for entry in entries {
            if entry.url != current {
                current = entry.url
                print(Sanitizer.terminal(entry.url) + (entry.name.map { " — \(Sanitizer.terminal($0))" } ?? ""))
                try await printUptime(url: entry.url, store: store, vi: vi)
            }
            let failed =
                entry.failedRules.isEmpty
                ? "" : (vi ? "  không đạt: " : "  fails: ") + entry.failedRules.joined(separator: ", ")
            print(
                "  \(formatter.string(from: entry.observedAt))  run \(entry.runID)  \(entry.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.grade) \(String(format: "%3d", entry.score))  \(entry.profile)\(failed)"
            )
        }
    }

    /// Uptime over 24 h / 7 d / 30 d and the outages of the last 30 days, from the monitor's samples.
    private func printUptime(url: String, store: AuditStore, vi: Bool) async throws {
        let now = Date()
        let samples: [UptimeSample]
        do {
            samples = try await store.samples(url: url, since: now.addingTimeInterval(-30 * 86_400))
        } catch {
            printError("portal-audit: \(error)")
            throw ExitStatus.internalError
        }
        guard !samples.isEmpty else { return }
        let interval = UptimeAccounting.typicalInterval(samples)
        let figures = [(24, "24h"), (168, "7d"), (720, "30d")].map { hours, label -> String in
            let facts = UptimeAccounting.facts(samples, interval: interval, windowHours: hours, now: now)
            return "\(label) " + (facts.percent.map { String(format: "%.2f%%", $0) } ?? "–")
        }
        print("  " + (vi ? "Thời gian hoạt động: " : "Uptime: ") + figures.joined(separator: " · "))
        let formatter = ISO8601DateFormatter()
        for outage in UptimeAccounting.outages(samples) {
            let end = outage.end.map { formatter.string(from: $0) } ?? (vi ? "đang gián đoạn" : "ongoing")
            print(
                "  " + (vi ? "Gián đoạn: " : "Outage: ")
                    + "\(formatter.string(from: outage.start)) → \(end) (\(outage.cause))")
        }
    }
}
