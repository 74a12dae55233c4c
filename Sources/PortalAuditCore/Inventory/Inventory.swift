import Foundation
import Yams

/// A province's portals to scan, read from YAML or CSV (DESIGN §5).
public struct Inventory: Sendable, Equatable {
    /// One portal and where it was declared.
    public struct Entry: Sendable, Equatable {
        public var target: Target
        public var line: Int
    }

    public var file: String
    /// An audit of one's own portals: active probes allowed.
    public var authorised: Bool
    /// The document or consent that authorises the audit (`authorisation:`), printed in reports.
    public var authorisation: String?
    public var entries: [Entry]

    public var targets: [Target] { entries.map(\.target) }

    /// The keys a portal may carry.
    public static let portalKeys = [
        "url", "name", "province", "district", "commune", "level", "owner", "contact", "address", "http_port",
        "verification", "alerts_to",
    ]

    /// Reads `path` (`.csv` as CSV, anything else as YAML), reporting every problem.
    ///
    /// - Throws: `InputIssues` with file:line:column: field: problem for each problem.
    public static func load(_ path: String) throws(InputIssues) -> Inventory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputIssues([InputIssue(file: path, field: "", problem: "cannot read the inventory file")])
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if path.lowercased().hasSuffix(".csv") {
            return try parseCSV(text, file: path)
        }
        return try parseYAML(text, file: path)
    }

    // MARK: building entries

    /// A raw portal: key → (value, line, column), before validation.
    struct RawPortal {
        var fields: [String: Located<String>] = [:]
        var line: Int
        var column: Int
    }

    static func build(
        _ raws: [RawPortal], defaults: [String: Located<String>], file: String, authorised: Bool,
        issues: inout [InputIssue]
    ) -> Inventory {
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for raw in raws {
            var fields = defaults
            for (key, value) in raw.fields { fields[key] = value }
            func issue(_ key: String, _ problem: String) {
                let at = fields[key]
                issues.append(
                    InputIssue(
                        file: file, line: at?.line ?? raw.line, column: at?.column ?? raw.column, field: key,
                        problem: problem))
            }
            for key in raw.fields.keys where !portalKeys.contains(key) {
                issue(key, "unknown key (allowed: \(portalKeys.joined(separator: ", ")))")
            }
            var httpPort: Int?
            if let text = fields["http_port"]?.value, !text.isEmpty {
                if let port = Int(text), (1...65_535).contains(port) {
                    httpPort = port
                } else {
                    issue("http_port", "expected a port number 1…65535, found '\(text)'")
                }
            }
            var level: Int?
            if let text = fields["level"]?.value, !text.isEmpty {
                if let value = Int(text), (1...5).contains(value) {
                    level = value
                } else {
                    issue("level", "expected a security level 1…5, found '\(text)'")
                }
            }
            if let address = fields["address"]?.value, !address.isEmpty,
                !address.split(separator: ",").allSatisfy({ isIPAddress($0.trimmingCharacters(in: .whitespaces)) })
            {
                issue("address", "expected an IPv4 or IPv6 address (or several, comma-separated), found '\(address)'")
            }
            guard let urlText = fields["url"]?.value, !urlText.isEmpty else {
                issues.append(
                    InputIssue(
                        file: file, line: raw.line, column: raw.column, field: "url",
                        problem: "missing (every portal needs a url)"))
                continue
            }
            guard var target = Target.parse(urlText, httpPort: httpPort) else {
                issue("url", "'\(urlText)' is not an http(s) URL or host name")
                continue
            }
            if let first = seen[target.url] {
                issue("url", "duplicate of the portal on line \(first)")
                continue
            }
            seen[target.url] = fields["url"]?.line ?? raw.line
            func text(_ key: String) -> String? {
                guard let value = fields[key]?.value.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                    return nil
                }
                return value
            }
            target.name = text("name")
            target.province = text("province")
            target.district = text("district")
            target.commune = text("commune")
            target.level = level
            target.owner = text("owner")
            target.contact = text("contact")
            target.verification = text("verification").map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            if let list = text("alerts_to") {
                let addresses = list.split(whereSeparator: { $0 == "," || $0 == ";" }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                for address in addresses where !Target.isEmailAddress(address) {
                    issue("alerts_to", "expected e-mail addresses separated by commas, found '\(address)'")
                }
                target.alertsTo = addresses.filter(Target.isEmailAddress)
            }
            target.address = text("address").map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " []")) }.joined(
                    separator: ",")
            }
            entries.append(Entry(target: target, line: fields["url"]?.line ?? raw.line))
        }
        if raws.isEmpty {
            issues.append(InputIssue(file: file, line: 1, column: 1, field: "portals", problem: "no portals listed"))
        }
        return Inventory(file: file, authorised: authorised, entries: entries)
    }

    static func isIPAddress(_ text: String) -> Bool {
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare.contains(":") { return bare.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                guard let value = Int(part), part.count <= 3 else { return false }
                return (0...255).contains(value)
            }
    }

    // MARK: YAML

    static func parseYAML(_ text: String, file: String) throws(InputIssues) -> Inventory {
        var issues: [InputIssue] = []
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputIssues([InputIssue(file: file, field: "", problem: "the file is empty")])
            }
            root = node
        } catch let error as InputIssues {
            throw error
        } catch {
            throw InputIssues([InputIssue(file: file, field: "", problem: "not valid YAML: \(error)")])
        }
        guard let mapping = root.mapping else {
            throw InputIssues([
                InputIssue(
                    file: file, line: root.mark?.line, column: root.mark?.column, field: "",
                    problem: "expected a mapping with `portals:` (a list) and optional `defaults:` and `authorised:`")
            ])
        }
        var authorised = false
        var authorisation: String?
        var defaults: [String: Located<String>] = [:]
        var raws: [RawPortal] = []
        var sawPortals = false
        for (key, value) in mapping {
            switch key.string {
            case "authorised":
                if let flag = value.bool {
                    authorised = flag
                } else {
                    issues.append(
                        InputIssue(
                            file: file, line: value.mark?.line, column: value.mark?.column, field: "authorised",
                            problem: "expected true or false"))
                }
            case "authorisation":
                if let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    authorisation = text
                } else {
                    issues.append(
                        InputIssue(
                            file: file, line: value.mark?.line, column: value.mark?.column, field: "authorisation",
                            problem: "expected the document or consent that authorises the audit, as text"))
                }
            case "defaults":
                guard let map = value.mapping else {
                    issues.append(
                        InputIssue(
                            file: file, line: value.mark?.line, column: value.mark?.column, field: "defaults",
                            problem: "expected a mapping of portal keys"))
                    continue
                }
                let raw = portal(map, file: file, field: "defaults", issues: &issues)
                for (name, located) in raw where name == "url" {
                    issues.append(
                        InputIssue(
                            file: file, line: located.line, column: located.column, field: "defaults.url",
                            problem: "a default url makes no sense"))
                }
                for (name, located) in raw where !portalKeys.contains(name) {
                    issues.append(
                        InputIssue(
                            file: file, line: located.line, column: located.column, field: "defaults.\(name)",
                            problem: "unknown key (allowed: \(portalKeys.joined(separator: ", ")))"))
                }
                defaults = raw.filter { portalKeys.contains($0.key) && $0.key != "url" }
            case "portals":
                sawPortals = true
                guard let list = value.sequence else {
                    issues.append(
                        InputIssue(
                            file: file, line: value.mark?.line, column: value.mark?.column, field: "portals",
                            problem: "expected a list of portals"))
                    continue
                }
                for (index, item) in list.enumerated() {
                    guard let map = item.mapping else {
                        issues.append(
                            InputIssue(
                                file: file, line: item.mark?.line, column: item.mark?.column,
                                field: "portals[\(index)]", problem: "expected a mapping with at least `url:`"))
                        continue
                    }
                    let fields = portal(map, file: file, field: "portals[\(index)]", issues: &issues)
                    raws.append(RawPortal(fields: fields, line: item.mark?.line ?? 0, column: item.mark?.column ?? 0))
                }
            default:
                issues.append(
                    InputIssue(
                        file: file, line: key.mark?.line, column: key.mark?.column, field: key.string ?? "?",
                        problem: "unknown key (allowed: authorisation, authorised, defaults, portals)"))
            }
        }
        if !sawPortals {
            issues.append(
                InputIssue(file: file, line: 1, column: 1, field: "portals", problem: "missing (a list of portals)"))
        }
        var inventory = build(raws, defaults: defaults, file: file, authorised: authorised, issues: &issues)
        inventory.authorisation = authorisation
        if !issues.isEmpty { throw InputIssues(issues) }
        return inventory
    }

    private static func portal(_ map: Node.Mapping, file: String, field: String, issues: inout [InputIssue]) -> [String:
        Located<String>]
    {
        var fields: [String: Located<String>] = [:]
        for (key, value) in map {
            let name = key.string ?? ""
            guard let scalar = value.scalar else {
                issues.append(
                    InputIssue(
                        file: file, line: value.mark?.line, column: value.mark?.column, field: "\(field).\(name)",
                        problem: "expected a single value"))
                continue
            }
            fields[name] = Located(
                value: scalar.string, line: value.mark?.line ?? key.mark?.line,
                column: value.mark?.column ?? key.mark?.column)
        }
        return fields
    }

    // MARK: CSV

    static func parseCSV(_ text: String, file: String) throws(InputIssues) -> Inventory {
        let rows = CSVReader.rows(text)
        guard let header = rows.first else {
            throw InputIssues([InputIssue(file: file, line: 1, column: 1, field: "", problem: "the file is empty")])
        }
        var issues: [InputIssue] = []
        var columns: [String] = []
        for cell in header.cells {
            let name = cell.value.trimmingCharacters(in: .whitespaces).lowercased()
            if !portalKeys.contains(name) {
                issues.append(
                    InputIssue(
                        file: file, line: header.line, column: cell.column, field: name,
                        problem: "unknown column (allowed: \(portalKeys.joined(separator: ", ")))"))
            }
            columns.append(name)
        }
        if !columns.contains("url") {
            issues.append(
                InputIssue(
                    file: file, line: header.line, column: 1, field: "url", problem: "the header row needs a url column"
                ))
        }
        var raws: [RawPortal] = []
        for row in rows.dropFirst()
        where !row.cells.allSatisfy({ $0.value.trimmingCharacters(in: .whitespaces).isEmpty }) {
            if row.cells.count > columns.count {
                let extra = row.cells[columns.count]
                issues.append(
                    InputIssue(
                        file: file, line: row.line, column: extra.column, field: "",
                        problem: "more cells (\(row.cells.count)) than header columns (\(columns.count))"))
            }
            var fields: [String: Located<String>] = [:]
            for (index, cell) in row.cells.enumerated()
            where index < columns.count && portalKeys.contains(columns[index]) {
                fields[columns[index]] = Located(value: cell.value, line: cell.line, column: cell.column)
            }
            raws.append(RawPortal(fields: fields, line: row.line, column: 1))
        }
        let inventory = build(raws, defaults: [:], file: file, authorised: false, issues: &issues)
        if !issues.isEmpty { throw InputIssues(issues) }
        return inventory
    }
}

/// A lenient RFC 4180 reader: `,` or `;` (whichever the header uses more), quoted cells with `""` and
/// line breaks, CRLF or LF; every cell keeps its line and column for error messages.
enum CSVReader {
    struct Cell {
        var value: String
        var line: Int
        var column: Int
    }

    struct Row {
        var line: Int
        var cells: [Cell]
    }

    static func rows(_ text: String) -> [Row] {
        let scalars = Array(text.unicodeScalars)
        let firstLine = scalars.prefix { $0 != "\n" }
        let separator: Unicode.Scalar =
            firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var rows: [Row] = []
        var cells: [Cell] = []
        var value = String.UnicodeScalarView()
        var line = 1
        var column = 1
        var cellLine = 1
        var cellColumn = 1
        var rowLine = 1
        var quoted = false
        var index = 0
        func endCell() {
            cells.append(Cell(value: String(value), line: cellLine, column: cellColumn))
            value = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let c = scalars[index]
            if quoted {
                if c == "\"" {
                    if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                        value.append("\"")
                        index += 2
                        column += 2
                        continue
                    }
                    quoted = false
                } else {
                    value.append(c)
                    if c == "\n" {
                        line += 1
                        column = 0
                    }
                }
            } else if c == "\"" && value.isEmpty {
                quoted = true
            } else if c == separator {
                endCell()
                cellLine = line
                cellColumn = column + 1
            } else if c == "\n" || c == "\r" {
                if c == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" { index += 1 }
                endCell()
                rows.append(Row(line: rowLine, cells: cells))
                cells = []
                line += 1
                column = 0
                rowLine = line
                cellLine = line
                cellColumn = 1
            } else {
                value.append(c)
            }
            index += 1
            column += 1
        }
        if !value.isEmpty || !cells.isEmpty {
            endCell()
            rows.append(Row(line: rowLine, cells: cells))
        }
        return rows
    }
}
