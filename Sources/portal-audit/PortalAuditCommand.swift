import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit
import PortalAuditReport

@main
struct PortalAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal-audit",
        abstract: "Audit Vietnamese government web portals against their security-level profile.",
        discussion: """
            Kiểm tra cổng/trang thông tin điện tử theo hồ sơ cấp độ an toàn (mặc định vn-level2).
            Exit codes: 0 every site meets its profile, 1 some site fails it, 64 bad input, 70 internal error.
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            CheckCommand.self, ScanCommand.self, ReportCommand.self, MonitorCommand.self, HistoryCommand.self,
            ProfilesCommand.self, ServeCommand.self, DatabaseCommand.self, InitCommand.self, DoctorCommand.self,
        ])
}

/// Exit statuses (DESIGN §4).
enum ExitStatus {
    static let failed = ExitCode(1)
    static let badInput = ExitCode(64)
    static let internalError = ExitCode(70)
    /// The work stopped for a reason outside this process (another scanner took the run over): try later.
    static let interrupted = ExitCode(75)
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs a Kit call, mapping input problems to exit 64 (each printed) and anything else to exit 70.
func exitingOnError<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputIssues {
        for issue in error.issues { printError(issue.description) }
        throw ExitStatus.badInput
    } catch {
        printError("portal-audit: \(error)")
        throw ExitStatus.internalError
    }
}

/// `exitingOnError` for work that awaits (the history); a missing history is bad input too.
func exitingOnError<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as InputIssues {
        for issue in error.issues { printError(issue.description) }
        throw ExitStatus.badInput
    } catch let error as NoHistoryDatabase {
        printError(error.description)
        throw ExitStatus.badInput
    } catch {
        printError("portal-audit: \(error)")
        throw ExitStatus.internalError
    }
}

/// Prints the JSON contract of `document` on stdout.
func printJSON(_ document: ReportDocument) throws {
    try exitingOnError { print(try JSONRenderer.render(document), terminator: "") }
}
