import Foundation

/// The paths the exposure probe asks for (an authorised audit only) and what their content must look
/// like to count: a status 200 alone proves nothing, many portals answer 200 with their home page.
public enum ExposureSignatures {
    /// What an exposed path reveals.
    public enum Kind: String, Codable, Sendable {
        /// Version-control metadata (source code, history, sometimes credentials).
        case vcs
        /// Secrets, database dumps, archives, diagnostics.
        case sensitive
        /// A server-generated directory index.
        case listing
    }

    public struct Check: Sendable {
        public var path: String
        public var kind: Kind
        /// Decides from the first bytes of the body.
        public var matches: @Sendable ([UInt8]) -> Bool
    }

    private static func text(_ body: [UInt8]) -> String { String(decoding: body.prefix(64 << 10), as: UTF8.self) }

    public static let checks: [Check] = [
        Check(path: "/.git/HEAD", kind: .vcs) {
            let t = text($0).trimmingCharacters(in: .whitespacesAndNewlines)
            return t.hasPrefix("ref: refs/")
                || (t.utf8.count == 40 && t.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        },
        Check(path: "/.git/config", kind: .vcs) {
            text($0).contains("[core]") && text($0).contains("repositoryformatversion")
        },
        Check(path: "/.svn/entries", kind: .vcs) {
            let t = text($0)
            return t.hasPrefix("8\n") || t.hasPrefix("9\n") || t.hasPrefix("10\n") || t.hasPrefix("12\n")
                || t.hasPrefix("<?xml") && t.contains("wc-entries")
        },
        Check(path: "/.env", kind: .sensitive) {
            let t = text($0)
            return !t.lowercased().contains("<html") && hasAssignment(t, of: envKeys)
        },
        Check(path: "/backup.sql", kind: .sensitive) {
            let t = text($0)
            return !t.lowercased().contains("<html")
                && (t.contains("CREATE TABLE") || t.contains("INSERT INTO") || t.contains("-- MySQL dump"))
        },
        Check(path: "/backup.zip", kind: .sensitive) { $0.starts(with: [0x50, 0x4B, 0x03, 0x04]) },
        Check(path: "/phpinfo.php", kind: .sensitive) {
            text($0).contains("phpinfo()")
                || text($0).contains("PHP Version") && text($0).contains("Configuration File")
        },
        Check(path: "/server-status", kind: .sensitive) {
            text($0).contains("Apache Server Status")
                || text($0).contains("Active connections:") && text($0).contains("server accepts handled requests")
        },
        Check(path: "/uploads/", kind: .listing) { isListing(text($0)) },
    ]

    static let envKeys = [
        "APP_KEY", "DB_PASSWORD", "DB_HOST", "DB_USERNAME", "SECRET_KEY", "DATABASE_URL", "MAIL_PASSWORD",
    ]

    /// Whether a line of `text` starts with one of `keys` followed by optional blanks and `=` (a dotenv
    /// assignment), read line by line.
    static func hasAssignment(_ text: String, of keys: [String]) -> Bool {
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: true) {
            for key in keys where line.starts(with: key.utf8) {
                var rest = line.dropFirst(key.utf8.count)
                while let b = rest.first, b == 0x20 || b == 0x09 { rest = rest.dropFirst() }
                if rest.first == UInt8(ascii: "=") { return true }
            }
        }
        return false
    }

    /// nginx autoindex, Apache mod_autoindex and IIS directory browsing pages.
    public static func isListing(_ html: String) -> Bool {
        let lower = html.lowercased()
        return lower.contains("<title>index of /") || lower.contains("<h1>index of /")
            || (lower.contains("[to parent directory]") && lower.contains("<pre>"))
    }
}
