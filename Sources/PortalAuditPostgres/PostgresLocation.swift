import Foundation

/// Where a PostgreSQL history is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&sslrootcert=FILE]`
/// (also `postgresql://`), as libpq spells it. The password is better given by `PGPASSWORD` or a password
/// file than in the URL, which `ps` shows.
public struct PostgresLocation: Sendable, Equatable {
    /// How the connection to the database is protected (libpq's `sslmode` values that make sense here).
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (the default: a history on loopback or a trusted network).
        case disable
        /// TLS, the server's certificate not checked.
        case require
        /// TLS, the certificate checked against the CA (`sslrootcert`, else the system's), not its name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate and its name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// The CA certificates (PEM) the server's certificate is checked against.
    public var rootCertificate: String?

    /// Whether `text` names a PostgreSQL history (else it is an SQLite file).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `text`; every problem is named (`field: problem`).
    public static func parse(_ text: String) -> Result<PostgresLocation, PostgresLocationError> {
        var problems: [String] = []
        guard isPostgres(text), let components = URLComponents(string: text) else {
            return .failure(PostgresLocationError(problems: ["not a postgres://USER@HOST:PORT/DATABASE address"]))
        }
        let user = components.user ?? ""
        if user.isEmpty { problems.append("user: missing (postgres://USER@HOST/DATABASE)") }
        var host = components.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { problems.append("host: missing") }
        let port = components.port ?? 5432
        if !(1...65_535).contains(port) { problems.append("port: \(port) is not a TCP port") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        if database.isEmpty || database.contains("/") {
            problems.append("database: missing (postgres://USER@HOST:PORT/DATABASE)")
        }
        var tls = TLSMode.disable
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                if let mode = TLSMode(rawValue: item.value ?? "") {
                    tls = mode
                } else {
                    let known = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    problems.append("sslmode: \"\(item.value ?? "")\" is not one of \(known)")
                }
            case "sslrootcert":
                rootCertificate = item.value
            default:
                problems.append("\(item.name): unknown parameter (known: sslmode, sslrootcert)")
            }
        }
        if let rootCertificate, !FileManager.default.isReadableFile(atPath: rootCertificate) {
            problems.append("sslrootcert: cannot read \(rootCertificate)")
        }
        guard problems.isEmpty else { return .failure(PostgresLocationError(problems: problems)) }
        return .success(
            PostgresLocation(
                user: user, password: components.password, host: host, port: port, database: database, tls: tls,
                rootCertificate: rootCertificate))
    }

    /// The address without its password, for messages and logs.
    public var redacted: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)"
    }
}

/// What is wrong with a `postgres://` address.
public struct PostgresLocationError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
