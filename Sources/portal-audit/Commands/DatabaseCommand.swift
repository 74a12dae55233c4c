import ArgumentParser
import Foundation
import PortalAuditKit
import PortalAuditStore

/// `portal-audit db`: the history database itself (its schema; moving a history into another).
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the history database: migrate its schema, copy a history into another.",
        subcommands: [MigrateCommand.self, CopyCommand.self])

    /// `db migrate`: bring the history to this release's schema (every command also does on opening).
    struct MigrateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Create the history or bring it to this release's schema (migrations are never edited).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let history = try database.history()
            let applied = try await exitingOnError {
                try await history.with(create: true) { store in try await store.database.appliedMigrations() }
            }
            printError("db: \(history.shown): schema \(applied.last ?? "none") (\(applied.count) migrations applied)")
        }
    }

    /// `db copy --from A --to B`: a province's history into the national one, nothing duplicated.
    struct CopyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole history (runs, results, uptime samples, alert states) into another.",
            discussion: """
                Adds only what the target lacks: a run is known by its inventory and start, a result by its
                run and portal, a sample by its portal and time; copying again adds nothing. The source is
                only read (an SQLite source is migrated to this release's schema first).
                """)

        @Option(
            help: ArgumentHelp("History to copy from (an SQLite file or postgres:// address).", valueName: "file|url"))
        var from: String

        @Option(help: ArgumentHelp("History to copy into (created and migrated if new).", valueName: "file|url"))
        var to: String

        @Option(help: ArgumentHelp("Password file for --from (else PGPASSWORD, ~/.pgpass).", valueName: "file"))
        var fromPasswordFile: String?

        @Option(help: ArgumentHelp("Password file for --to (else PGPASSWORD, ~/.pgpass).", valueName: "file"))
        var toPasswordFile: String?

        func run() async throws {
            let source = HistoryDatabase(
                from,
                password: try exitingOnError { try fromPasswordFile.map { try HistoryDatabase.password(file: $0) } })
            let target = HistoryDatabase(
                to, password: try exitingOnError { try toPasswordFile.map { try HistoryDatabase.password(file: $0) } })
            guard source.address != target.address else {
                printError("<command line>: error: --to: the same history as --from")
                throw ExitStatus.badInput
            }
            let summary = try await exitingOnError {
                try await source.with(create: false) { from in
                    try await target.with(create: true, connections: 4) { into in
                        try await into.copy(from: from) { printError("db copy: \($0)") }
                    }
                }
            }
            printError(
                "db copy: \(source.shown) → \(target.shown): \(summary.runsCopied) runs, \(summary.resultsCopied) results, "
                    + "\(summary.samplesCopied) samples copied; already there: \(summary.runsAlreadyThere) runs, "
                    + "\(summary.resultsAlreadyThere) results, \(summary.samplesAlreadyThere) samples")
        }
    }
}
