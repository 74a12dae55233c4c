import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditTestSupport
import Testing

@Suite("Command-line helpers: durations and alert files")
struct HelperTests {
    @Test(
        "durations as people write them",
        arguments: [
            ("30s", 30.0), ("5m", 300), ("2h", 7_200), ("1.5h", 5_400), ("7d", 604_800),
        ])
    func durations(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(
        "a duration without a unit, with an unknown one, zero, negative or not a number is refused",
        arguments: ["30", "5w", "0s", "-5m", "m", "", "infh", "nanm"])
    func badDurations(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).yaml")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an alert file with a webhook, an e-mail and a reminder reads back whole")
    func alertFile() throws {
        let path = try file(
            """
            webhook: { url: "https://chat.example.gov.vn/hooks/x" }
            email: { smtp: "smtp://mail.example.gov.vn:587", from: "a@example.gov.vn", to: ["b@example.gov.vn"] }
            reminder_hours: 6
            """)
        let config = try AlertConfig.load(path)
        #expect(config.webhook == "https://chat.example.gov.vn/hooks/x")
        #expect(config.email?.to == ["b@example.gov.vn"] && config.email?.starttls == true)
        #expect(config.reminderHours == 6)
    }

    @Test("every problem of an alert file is located; the retired cert_expiry_days names its replacement")
    func alertFileProblems() throws {
        let path = try file(
            """
            email: { smtp: "smtp://mail.example.gov.vn:587", starttls: maybe }
            reminder_hours: 0
            cert_expiry_days: 14
            """)
        #expect {
            try AlertConfig.load(path)
        } throws: { error in
            let issues = (error as? InputIssues)?.issues ?? []
            let text = issues.map(\.description)
            return issues.count >= 4
                && text.contains { $0.contains(":1:") && $0.contains("email.starttls") }
                && text.contains { $0.contains("email.from") && $0.contains("missing") }
                && text.contains { $0.contains(":2:") && $0.contains("reminder_hours") }
                && text.contains { $0.contains(":3:") && $0.contains("cert.expiry-soon") }
        }
    }
}

@Suite("Help texts")
struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["check"], ["scan"], ["report"], ["monitor"], ["history"], ["profiles"], ["profiles", "list"],
        ["profiles", "show"], ["profiles", "explain"], ["profiles", "validate"], ["profiles", "doc"], ["serve"],
        ["db"], ["db", "migrate"], ["db", "copy"], ["init"], ["doctor"],
    ]

    /// The subcommands a command's `--help` lists (its SUBCOMMANDS section, the name opening each entry).
    private static func subcommands(_ help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            let name = line.split(separator: " ").first.map(String.init) ?? ""
            return name.allSatisfy({ $0.isLowercase || $0 == "-" }) && !name.isEmpty ? name : nil
        }
    }

    @Test("the list above holds every command the binary has, so a new one cannot escape the check")
    func everyCommandListed() async throws {
        var pending: [[String]] = [[]]
        var found: [[String]] = []
        while let command = pending.popLast() {
            found.append(command)
            let help = try await Command.run(Repository.binary, command + ["--help"]).stdout
            pending += Self.subcommands(help).map { command + [$0] }
        }
        #expect(found.count > 12)
        #expect(Set(found) == Set(Self.commands), "\(Set(found).subtracting(Self.commands))")
    }

    @Test("every command's --help shows defaults as they are typed, never a Swift type", arguments: commands)
    func help(_ command: [String]) async throws {
        let result = try await Command.run(Repository.binary, command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE:"))
        // A default printed by String(describing:) of a struct reads `Name(field: value)`.
        let text = result.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(text.range(of: #"[A-Z][A-Za-z]+\([a-z]+: "#, options: .regularExpression) == nil, "\(result.stdout)")
    }

    @Test("the monitor's intervals default to 5m and 24h")
    func monitorDefaults() async throws {
        let result = try await Command.run(Repository.binary, ["monitor", "--help"])
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("(default: 5m)") && text.contains("(default: 24h)"))
    }

    @Test(
        "durations print as they are typed",
        arguments: [(300.0, "5m"), (86_400, "24h"), (604_800, "7d"), (90, "90s"), (7_200, "2h")])
    func durationText(_ seconds: Double, _ text: String) {
        #expect(DurationText.text(seconds) == text)
        #expect(DurationText.seconds(text) == seconds)
    }
}
