import ArgumentParser
import Foundation
import PortalAuditCore
import PortalAuditKit

/// `portal-audit init [DIR]`: an inventory to fill in, a CSV header for a spreadsheet and an alerts file.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write portals.yaml, portals.csv and alerts.yaml to fill in (never overwrites).")

    @Argument(help: ArgumentHelp("Folder to write them in.", valueName: "dir"))
    var folder: String = "."

    func run() throws {
        let paths: [String]
        do {
            paths = try StarterFiles.write(into: folder)
        } catch let error as InputIssues {
            for issue in error.issues { printError(issue.description) }
            throw ExitStatus.badInput
        } catch {
            printError("portal-audit: \(error)")
            throw ExitStatus.internalError
        }
        for path in paths { print("init: wrote \(path)") }
        print("init: fill in portals.yaml (or portals.csv from a spreadsheet), then: portal-audit scan portals.yaml")
    }
}
