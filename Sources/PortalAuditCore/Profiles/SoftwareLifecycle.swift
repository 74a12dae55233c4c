import Foundation
import Yams

/// When versions of the software portals run stopped getting security fixes (`Profiles/eol/software.yaml`,
/// shipped in the binary): the data `software.outdated` judges by.
public struct SoftwareLifecycle: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        public var name: String
        public var source: String
        public var confidence: String
        /// Branch prefix (`7.4`, `3`) → the day its security fixes ended.
        public var branches: [(branch: [Int], eol: Date)]
        /// Versions below this, matched by no branch, ended on that day.
        public var unsupportedBelow: (version: [Int], eol: Date)?

        public static func == (a: Product, b: Product) -> Bool {
            a.name == b.name && a.source == b.source && a.confidence == b.confidence
                && a.branches.map(\.branch) == b.branches.map(\.branch)
                && a.branches.map(\.eol) == b.branches.map(\.eol)
                && a.unsupportedBelow?.version == b.unsupportedBelow?.version
                && a.unsupportedBelow?.eol == b.unsupportedBelow?.eol
        }

        /// The day security fixes for `version` ended or end (`nil`: not in the table, still supported).
        public func endOfLife(_ version: String) -> Date? {
            let parts = SoftwareLifecycle.components(version)
            guard !parts.isEmpty else { return nil }
            let matching = branches.filter { parts.starts(with: $0.branch) }.max { $0.branch.count < $1.branch.count }
            if let matching { return matching.eol }
            if let below = unsupportedBelow, SoftwareLifecycle.less(parts, below.version) { return below.eol }
            return nil
        }
    }

    /// The day the table was last compared with its sources.
    public var checked: String
    public var products: [String: Product]

    /// The table that ships with the tool.
    public static let shipped: SoftwareLifecycle = {
        guard let text = ShippedProfiles.lifecycles["software"], let table = try? parse(text) else {
            preconditionFailure("the shipped end-of-life table does not parse (a test checks it)")
        }
        return table
    }()

    struct Document: Decodable {
        struct Entry: Decodable {
            var name: String
            var source: String
            var confidence: String
            var unsupportedBelow: Below?
            var branches: [Branch]

            enum CodingKeys: String, CodingKey {
                case name, source, confidence, branches
                case unsupportedBelow = "unsupported_below"
            }
        }

        struct Below: Decodable {
            var version: String
            var eol: String
        }

        struct Branch: Decodable {
            var branch: String
            var eol: String
        }

        var checked: String
        var products: [String: Entry]
    }

    /// Parses a table; every problem (an unreadable date or version) is reported, with its product.
    public static func parse(_ text: String, file: String = "software.yaml") throws(InputIssues) -> SoftwareLifecycle {
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: text)
        } catch {
            throw InputIssues([InputIssue(file: file, field: "", problem: "not a valid end-of-life table: \(error)")])
        }
        var issues: [InputIssue] = []
        var products: [String: Product] = [:]
        for (id, entry) in document.products.sorted(by: { $0.key < $1.key }) {
            func day(_ text: String, _ field: String) -> Date? {
                guard let date = Self.day(text) else {
                    issues.append(
                        InputIssue(
                            file: file, field: "products.\(id).\(field)",
                            problem: "expected a date YYYY-MM-DD, found '\(text)'"))
                    return nil
                }
                return date
            }
            var branches: [(branch: [Int], eol: Date)] = []
            for branch in entry.branches {
                let parts = components(branch.branch)
                if parts.isEmpty {
                    issues.append(
                        InputIssue(
                            file: file, field: "products.\(id).branches",
                            problem: "expected a version, found '\(branch.branch)'"))
                }
                if let eol = day(branch.eol, "branches") { branches.append((parts, eol)) }
            }
            var below: (version: [Int], eol: Date)?
            if let entryBelow = entry.unsupportedBelow, let eol = day(entryBelow.eol, "unsupported_below") {
                below = (components(entryBelow.version), eol)
            }
            products[id] = Product(
                name: entry.name, source: entry.source, confidence: entry.confidence, branches: branches,
                unsupportedBelow: below)
        }
        guard issues.isEmpty else { throw InputIssues(issues) }
        return SoftwareLifecycle(checked: document.checked, products: products)
    }

    /// `7.4.33` → [7, 4, 33]; the leading numbers only (`2.4.6 (Ubuntu)` → [2, 4, 6]); at most four.
    static func components(_ version: String) -> [Int] {
        var out: [Int] = []
        for part in version.split(separator: ".", omittingEmptySubsequences: false).prefix(4) {
            let digits = part.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6, let value = Int(digits) else { break }
            out.append(value)
            if digits.count != part.count { break }
        }
        return out
    }

    static func less(_ a: [Int], _ b: [Int]) -> Bool {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            if x != y { return x < y }
        }
        return false
    }

    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
