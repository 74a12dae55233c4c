import CLibPQ
import Foundation

/// Where a PostgreSQL history is, exactly as libpq (and so `psql`) reads it: a URI
/// (`postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=FILE`, also `postgresql://`, or
/// `postgresql://` alone to take everything from `PGHOST`, `PGSERVICE`, …) or a keyword string
/// (`service=national`, `host=db.tinh.gov.vn dbname=portal_audit sslmode=verify-full`). The password is
/// best left to `PGPASSWORD`, `~/.pgpass` or a password file: one written in the address shows in `ps`.
public struct PostgresLocation: Sendable, Equatable {
    /// The address as given: handed to libpq unchanged.
    public var conninfo: String
    /// The settings the address gives itself (libpq's keywords), the password left out.
    public var settings: [String: String]
    /// Whether the address is a URI (shown as one) rather than keywords.
    public var isURI: Bool

    /// libpq's `sslmode` values.
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Whether `text` names a PostgreSQL history (else it is an SQLite file): a `postgres://` URI, or a
    /// keyword string whose first keyword is one libpq knows (`service=…`, `host=…`, `dbname=…`).
    public static func isPostgres(_ text: String) -> Bool {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return true }
        let trimmed = text.drop(while: { $0 == " " })
        guard let equals = trimmed.firstIndex(of: "=") else { return false }
        let keyword = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        return knownKeywords.contains(keyword)
    }

    /// Every keyword this libpq accepts.
    public static let knownKeywords: Set<String> = {
        var names: Set<String> = []
        guard let defaults = PQconndefaults() else { return names }
        defer { PQconninfoFree(defaults) }
        var option = defaults
        while let keyword = option.pointee.keyword {
            names.insert(String(cString: keyword))
            option += 1
        }
        return names
    }()

    /// Parses `text`; every problem is named (`field: problem`), before any connection is tried.
    public static func parse(_ text: String) -> Result<PostgresLocation, PostgresLocationError> {
        var problems: [String] = []
        let isURI = text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
        var parsable = text
        if isURI, let question = text.firstIndex(of: "?") {
            // libpq names only the first unknown parameter of a URI: name each, then read the rest.
            var kept: [Substring] = []
            for item in text[text.index(after: question)...].split(separator: "&") {
                let name = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                if knownKeywords.contains(name) || name == "ssl" {
                    kept.append(item)
                } else {
                    problems.append("\(name): unknown parameter (libpq's connection keywords only)")
                }
            }
            parsable = String(text[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        var settings: [String: String] = [:]
        var message: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(parsable, &message) {
            var option = options
            while let keyword = option.pointee.keyword {
                if let value = option.pointee.val { settings[String(cString: keyword)] = String(cString: value) }
                option += 1
            }
            PQconninfoFree(options)
        } else {
            let said = message.map { String(cString: $0) } ?? "not a PostgreSQL address"
            problems.append(said.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        PQfreemem(message)
        problems += valueProblems(settings)
        guard problems.isEmpty else { return .failure(PostgresLocationError(problems: problems)) }
        settings["password"] = nil
        return .success(PostgresLocation(conninfo: text, settings: settings, isURI: isURI))
    }

    /// What libpq would refuse only when connecting: checked here so that every problem is said at once.
    static func valueProblems(_ settings: [String: String]) -> [String] {
        var problems: [String] = []
        if let mode = settings["sslmode"], !sslModes.contains(mode) {
            problems.append("sslmode: \"\(mode)\" is not one of \(sslModes.joined(separator: ", "))")
        }
        for port in settings["port"].map({ $0.split(separator: ",", omittingEmptySubsequences: false) }) ?? []
        where !(Int(port).map { (1...65_535).contains($0) } ?? false) {
            problems.append("port: \(port) is not a TCP port")
        }
        if let timeout = settings["connect_timeout"], Int(timeout) == nil {
            problems.append("connect_timeout: \"\(timeout)\" is not a number of seconds")
        }
        for key in ["sslrootcert", "sslcert", "sslkey", "passfile"] {
            guard let file = settings[key], file != "system" || key != "sslrootcert" else { continue }
            if !FileManager.default.isReadableFile(atPath: file) { problems.append("\(key): cannot read \(file)") }
        }
        return problems
    }

    /// The address without its password, for messages and logs.
    public var redacted: String {
        if isURI {
            let host = settings["host"].map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
            let user = settings["user"].map { "\($0)@" } ?? ""
            let port = settings["port"].map { ":\($0)" } ?? ""
            var shown = "postgres://\(user)\(host)\(port)/\(settings["dbname"] ?? "")"
            let query = ["sslmode", "service"].compactMap { key in settings[key].map { "\(key)=\($0)" } }
            if !query.isEmpty { shown += "?" + query.joined(separator: "&") }
            return shown
        }
        return ["service", "host", "hostaddr", "port", "dbname", "user", "sslmode"]
            .compactMap { key in settings[key].map { "\(key)=\($0)" } }
            .joined(separator: " ")
    }
}

/// What is wrong with a PostgreSQL address.
public struct PostgresLocationError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
