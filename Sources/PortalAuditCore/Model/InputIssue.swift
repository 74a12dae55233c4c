/// One problem in a user-supplied file or argument, located as `file:line:column: field: problem`.
public struct InputIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The dotted path of the field, e.g. `rules.headers.hsts.params.min_max_age`.
    public var field: String
    public var problem: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return field.isEmpty ? "\(location): error: \(problem)" : "\(location): error: \(field): \(problem)"
    }
}

/// Every problem found in the input, reported together (exit 64).
public struct InputIssues: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [InputIssue]

    public init(_ issues: [InputIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
