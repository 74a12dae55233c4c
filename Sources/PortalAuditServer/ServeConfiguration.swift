import Foundation
import PortalAuditCore

/// Where `serve` listens: `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`, `0.0.0.0:80`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (an IPv6 host in brackets); the error says what is wrong with `text`.
    public static func parse(_ text: String) -> Result<ListenAddress, ServeError> {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ServeError("expected [IPv6]:PORT, found '\(text)'"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                return .failure(ServeError("expected HOST:PORT (an IPv6 address in brackets), found '\(text)'"))
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { return .failure(ServeError("no host in '\(text)'")) }
        guard let number = Int(port), (0...65_535).contains(number) else {
            return .failure(ServeError("the port must be a number from 0 to 65535, found '\(port)'"))
        }
        return .success(ListenAddress(host: String(host), port: number))
    }

    /// Whether only this machine can reach the address: 127.0.0.0/8, ::1 or `localhost`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A `serve` setting that cannot be used (bad input: exit 64).
public struct ServeError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Everything `serve` (and `monitor --serve`) runs with.
public struct ServeConfiguration: Sendable {
    public var database: String
    /// The PostgreSQL password (`--db-password-file`); libpq's own sources (`PGPASSWORD`, `~/.pgpass`) when `nil`.
    public var databasePassword: String?
    public var listen: ListenAddress
    /// The access token (from `--token-file`); `nil` serves without authentication (loopback only).
    public var token: String?
    public var language: Language
    /// Portals per page of a run.
    public var pageSize: Int
    /// Seconds a connection may stay open without a request (a client that opens connections and sends
    /// nothing holds no descriptor longer).
    public var idleTimeoutSeconds: Int

    public init(
        database: String, listen: ListenAddress, token: String? = nil, language: Language = .vi, pageSize: Int = 50,
        databasePassword: String? = nil, idleTimeoutSeconds: Int = 30
    ) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.database = database
        self.databasePassword = databasePassword
        self.listen = listen
        self.token = token
        self.language = language
        self.pageSize = pageSize
    }

    /// Checks the settings a server must refuse to start with, every problem at once (`field: problem`).
    public static func validate(listen: ListenAddress, option: String = "--listen", tokenFile: String?) -> (
        token: String?, problems: [String]
    ) {
        var problems: [String] = []
        var token: String?
        if let tokenFile {
            if let data = FileManager.default.contents(atPath: tokenFile),
                let text = String(data: data, encoding: .utf8)
            {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.count < 16 {
                    problems.append(
                        "--token-file: \(tokenFile): the token must be at least 16 characters (found \(trimmed.count))")
                } else if trimmed.contains(where: { $0.isWhitespace || $0 == ":" }) {
                    problems.append("--token-file: \(tokenFile): the token must be one line without spaces or ':'")
                } else {
                    token = trimmed
                }
            } else {
                problems.append("--token-file: \(tokenFile): cannot read the file")
            }
        } else if !listen.isLoopback {
            problems.append(
                "\(option): \(listen) is reachable from other machines: give --token-file FILE (a token of 16 or more characters) to require it, or listen on 127.0.0.1"
            )
        }
        return (token, problems)
    }
}
