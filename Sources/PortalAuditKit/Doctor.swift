import CurlClient
import Foundation
import PortalAuditCore
import PortalAuditPostgres
import PortalAuditStore

/// `portal-audit doctor`: what the tool relies on on this machine, each with what to do when it is wrong.
public enum Doctor {
    public struct Check: Sendable, Equatable {
        public enum Outcome: String, Sendable { case ok, warning, problem }
        public var name: String
        public var outcome: Outcome
        public var detail: String
    }

    /// Where the installed service keeps its secrets (checked when they exist).
    public static let deployedSecrets = ["/etc/portal-audit/dashboard.token", "/etc/portal-audit/alerts.yaml"]

    /// Files holding a secret (a dashboard token, a database password, alert addresses and webhook URLs):
    /// a warning for each that another user may read or write, with the command that fixes it.
    public static func secretFiles(_ paths: [String]) -> [Check] {
        paths.compactMap { path in
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            let mode = Int(status.st_mode) & 0o777
            guard mode & 0o007 != 0 else {
                return Check(
                    name: "secrets", outcome: .ok, detail: "\(path): \(String(mode, radix: 8)), not for other users")
            }
            return Check(
                name: "secrets", outcome: .warning,
                detail:
                    "\(path) is \(String(mode, radix: 8)): every user of this machine can read it; chmod 600 \(path)")
        }
    }

    /// The tool's release date: a clock before it is certainly wrong.
    static let released = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01

    public static func run(
        database: HistoryDatabase, concurrency: Int, runtime: CurlRuntime = .shared, now: Date = Date(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> [Check] {
        var checks: [Check] = []
        let anchors = runtime.systemAnchors
        checks.append(
            anchors > 0
                ? Check(name: "trust store", outcome: .ok, detail: "\(anchors) system trust anchors loaded")
                : Check(
                    name: "trust store", outcome: .problem,
                    detail: "no system trust anchors: every certificate would look untrusted; "
                        + "apt-get install ca-certificates, or point SSL_CERT_FILE at a CA bundle"))
        let features = runtime.libcurlFeatures
        let missing = [("TLS", features.ssl), ("IPv6", features.ipv6)].filter { !$0.1 }.map(\.0)
        checks.append(
            Check(
                name: "libcurl", outcome: missing.isEmpty ? .ok : .problem,
                detail: runtime.libcurlVersion
                    + (missing.isEmpty
                        ? (features.http2 ? " (TLS, IPv6, HTTP/2)" : " (TLS, IPv6; no HTTP/2: ALPN is not tested)")
                        : "; built without \(missing.joined(separator: ", ")): install Debian's libcurl4")))
        checks += database.isPostgres ? await postgresCheck(database) : [databaseCheck(database.address)]
        if let chromium = PDFPrinter.chromium(environment: environment) {
            checks.append(Check(name: "chromium", outcome: .ok, detail: "\(chromium) (PDF reports)"))
        } else {
            checks.append(
                Check(
                    name: "chromium", outcome: .warning,
                    detail: "not found: only --format pdf needs it (apt-get install chromium)"))
        }
        // The personal-data probe reads linked PDFs with poppler's tools, under prlimit's caps.
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        let missingTools = ["pdftotext", "pdftoppm", "prlimit"].filter { tool in
            !path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        checks.append(
            missingTools.isEmpty
                ? Check(
                    name: "pdf text", outcome: .ok,
                    detail: "pdftotext, pdftoppm, prlimit (documents read for personal data)")
                : Check(
                    name: "pdf text", outcome: .warning,
                    detail:
                        "not found: \(missingTools.joined(separator: ", ")): linked PDFs are reported unread (apt-get install poppler-utils util-linux)"
                ))
        if let serif = PDFPrinter.vietnameseSerif(environment: environment) {
            checks.append(
                Check(name: "serif font", outcome: .ok, detail: "\(serif), every Vietnamese letter (PDF reports)"))
        } else {
            checks.append(Check(name: "serif font", outcome: .warning, detail: PDFPrinter.serifAdvice))
        }
        checks.append(clockCheck(now))
        let (allowed, _) = FleetScanner.clamp(concurrency, descriptorLimit: runtime.descriptorLimit)
        checks.append(
            allowed >= concurrency
                ? Check(
                    name: "descriptors", outcome: .ok,
                    detail: "\(runtime.descriptorLimit) files may be open: enough for --concurrency \(concurrency)")
                : Check(
                    name: "descriptors", outcome: .problem,
                    detail: "\(runtime.descriptorLimit) files may be open: --concurrency \(concurrency) would be "
                        + "lowered to \(allowed); raise it (ulimit -n, or LimitNOFILE= in the systemd unit)"))
        return checks
    }

    /// A PostgreSQL history: reachable with these credentials, and its schema (read, never migrated here);
    /// then libpq's and the server's versions, and a warning when a history off this machine is reached
    /// without `sslmode=verify-full` (the connection, or who answers it, is then not protected).
    static func postgresCheck(_ history: HistoryDatabase) async -> [Check] {
        let shown = history.shown
        let database: PostgresHistory
        do {
            database = try history.postgres(connections: 1)
        } catch let error as InputIssues {
            let problems = error.issues.map(\.problem).joined(separator: "; ")
            return [Check(name: "history", outcome: .problem, detail: "\(shown): \(problems)")]
        } catch {
            return [Check(name: "history", outcome: .problem, detail: "\(shown): \(error)")]
        }
        var checks: [Check] = []
        do {
            try await database.connect()
            checks.append(schemaCheck(try await database.appliedMigrations(), shown: shown))
            checks.append(postgresConnectionCheck(try await database.describe()))
        } catch {
            checks.append(Check(name: "history", outcome: .problem, detail: "\(shown): \(error)"))
        }
        await database.close()
        return checks
    }

    /// The versions of a PostgreSQL connection, and whether it is protected as a history off this machine
    /// must be.
    static func postgresConnectionCheck(_ facts: PostgresConnectionFacts) -> Check {
        func version(_ number: Int) -> String { "\(number / 10_000).\(number % 10_000)" }
        let versions =
            "libpq \(version(PostgresHistory.libraryVersion)), server \(version(facts.serverVersion))"
            + (facts.usesTLS ? ", TLS" : ", no TLS")
        let hosts = (facts.settings["host"] ?? "").split(separator: ",").map(String.init)
        let local = hosts.allSatisfy { host in
            host.hasPrefix("/") || host == "localhost" || AddressScope.of(host) == .loopback
        }
        let mode = facts.settings["sslmode"] ?? "prefer"
        guard local || mode == "verify-full" else {
            return Check(
                name: "postgresql", outcome: .warning,
                detail: "\(versions); the history is on \(hosts.joined(separator: ",")) with sslmode=\(mode): "
                    + "add sslmode=verify-full (and sslrootcert=FILE) so that nobody between can read or pose as it")
        }
        return Check(name: "postgresql", outcome: .ok, detail: versions)
    }

    /// What the applied `schema` says of a history.
    static func schemaCheck(_ schema: [String], shown: String) -> Check {
        let current = AuditStore.currentSchema
        if schema.isEmpty {
            return Check(
                name: "history", outcome: .ok, detail: "\(shown): empty (the first scan or db migrate fills it)")
        }
        if schema.contains(where: { !AuditStore.knownSchemas.contains($0) }) {
            return Check(name: "history", outcome: .problem, detail: "\(shown) was written by a newer portal-audit")
        }
        return Check(
            name: "history", outcome: .ok,
            detail: schema.contains(current)
                ? "\(shown): schema \(current)"
                : "\(shown): schema \(schema.last ?? "none"), converted to \(current) when next opened")
    }

    static func databaseCheck(_ path: String) -> Check {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else {
            let folder = (path as NSString).deletingLastPathComponent
            let writable = fm.isWritableFile(atPath: folder.isEmpty ? "." : folder)
            return Check(
                name: "history", outcome: writable ? .ok : .problem,
                detail: writable
                    ? "\(path) does not exist yet; its folder is writable"
                    : "cannot create \(path): folder not writable")
        }
        guard fm.isWritableFile(atPath: path) else {
            return Check(name: "history", outcome: .problem, detail: "\(path) is not writable")
        }
        do {
            return schemaCheck(try AuditStore.schema(path: path), shown: path)
        } catch {
            return Check(name: "history", outcome: .problem, detail: "\(path): \(error)")
        }
    }

    /// Without network time, the clock is judged against what must be in the past: this release, and the
    /// system CA bundle's last update.
    static func clockCheck(_ now: Date) -> Check {
        let formatter = ISO8601DateFormatter()
        if now < released {
            return Check(
                name: "clock", outcome: .problem,
                detail:
                    "\(formatter.string(from: now)) is before this release: certificate dates would be misjudged; set the time (timedatectl, NTP)"
            )
        }
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        if let modified = (try? FileManager.default.attributesOfItem(atPath: bundle))?[.modificationDate] as? Date,
            now < modified.addingTimeInterval(-86_400)
        {
            return Check(
                name: "clock", outcome: .problem,
                detail:
                    "\(formatter.string(from: now)) is before \(bundle) was written: set the time (timedatectl, NTP)")
        }
        return Check(name: "clock", outcome: .ok, detail: formatter.string(from: now))
    }
}
