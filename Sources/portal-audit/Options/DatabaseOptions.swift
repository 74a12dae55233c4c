import ArgumentParser
import PortalAuditKit

/// `--db` and its password, the same for every command that reads or writes the history.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "History database: an SQLite file, or PostgreSQL as libpq and psql take it: "
                + "postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=FILE, "
                + "a keyword string (service=NAME, host=… dbname=…), or postgresql:// with PGHOST, PGSERVICE, ….",
            valueName: "file|url"))
    var db: String = "portal-audit.sqlite"

    @Option(
        help: ArgumentHelp(
            "File whose first line is the PostgreSQL password (else PGPASSWORD, ~/.pgpass).", valueName: "file"))
    var dbPasswordFile: String?

    /// The history these options name (exit 64 when the password file cannot be read).
    func history() throws -> HistoryDatabase {
        let password = try exitingOnError { try dbPasswordFile.map { try HistoryDatabase.password(file: $0) } }
        return HistoryDatabase(db, password: password)
    }
}
