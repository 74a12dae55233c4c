import Foundation
import Yams

/// A value read from YAML with the position it came from.
struct Located<Value: Sendable>: Sendable {
    var value: Value
    var line: Int?
    var column: Int?
}

/// One profile file as written, before `extends` is resolved. Every field keeps its position.
struct ProfileDocument {
    struct RuleEntry {
        var id: String
        var requirement: Located<Requirement>?
        var severity: Located<Severity>?
        var source: Located<String>?
        var sourceEN: String?
        /// A `source:` key was written but its value was rejected (already reported).
        var sourceRejected = false
        var confidence: Located<String>?
        /// Keys of `docs/legal-basis.md` the citation rests on.
        var basis: [String]?
        var params: [String: Located<ParameterValue>] = [:]
        var line: Int?
        var column: Int?
    }

    static let topKeys: Set<String> = [
        "schema", "id", "version", "extends", "title", "rules", "grading", "unverifiable",
    ]
    static let ruleKeys: Set<String> = ["requirement", "severity", "source", "confidence", "basis", "params"]
    static let confidences = Set(Confidence.allCases.map(\.rawValue))

    var file: String
    var id: Located<String>
    var version: Int
    var extends: Located<String>?
    var title: LocalizedText?
    var rules: [RuleEntry]
    var grading: Grading?
    /// What an outside scan cannot tell at this level, added to the parent's list.
    var unverifiable: [LocalizedText]

    // MARK: parsing

    static func parse(_ text: String, file: String, issues: inout [InputIssue]) -> ProfileDocument? {
        func issue(_ node: Node?, _ field: String, _ problem: String) {
            issues.append(
                InputIssue(
                    file: file, line: node?.mark.map { $0.line }, column: node?.mark.map { $0.column }, field: field,
                    problem: problem))
        }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                issue(nil, "", "the file is empty")
                return nil
            }
            root = composed
        } catch let error as YamlError {
            issues.append(yamlIssue(error, file: file))
            return nil
        } catch {
            issue(nil, "", "not valid YAML: \(error)")
            return nil
        }
        guard let mapping = root.mapping else {
            issue(root, "", "expected a mapping with schema, id, title and rules")
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if !topKeys.contains(name) {
                issue(key, name, "unknown key (allowed: \(topKeys.sorted().joined(separator: ", ")))")
            }
            values[name] = value
        }
        // schema
        if let schemaNode = values["schema"] {
            if let schema = schemaNode.decimalInteger {
                if !supported(schema) {
                    issue(
                        schemaNode, "schema",
                        "unsupported schema \(schema) (supported: \(ProfileLoader.supportedSchemas.lowerBound)…\(ProfileLoader.supportedSchemas.upperBound)); upgrade portal-audit"
                    )
                }
            } else {
                issue(schemaNode, "schema", "expected an integer, found '\(schemaNode.string ?? "?")'")
            }
        } else {
            issue(root, "schema", "missing (write `schema: 1`)")
        }
        // id
        var id = Located(value: (file as NSString).lastPathComponent, line: nil, column: nil)
        if let idNode = values["id"] {
            if let text = idNode.scalar?.string,
                text.range(of: #"^[a-z0-9][a-z0-9.-]*$"#, options: .regularExpression) != nil
            {
                id = Located(value: text, line: idNode.mark?.line, column: idNode.mark?.column)
            } else {
                issue(idNode, "id", "expected lowercase letters, digits, '.' and '-'")
            }
        } else {
            issue(root, "id", "missing")
        }
        var version = 1
        if let versionNode = values["version"] {
            if let value = versionNode.decimalInteger, value >= 1 {
                version = value
            } else {
                issue(versionNode, "version", "expected a positive integer")
            }
        }
        var extends: Located<String>?
        if let node = values["extends"], !(node.scalar?.string.isEmpty ?? true) {
            if let text = node.scalar?.string {
                extends = Located(value: text, line: node.mark?.line, column: node.mark?.column)
            } else {
                issue(node, "extends", "expected a profile id")
            }
        }
        var title: LocalizedText?
        if let node = values["title"] {
            if let map = node.mapping {
                var vi: String?
                var en: String?
                for (key, value) in map {
                    switch key.string {
                    case "vi": vi = value.scalar?.string
                    case "en": en = value.scalar?.string
                    default: issue(key, "title.\(key.string ?? "?")", "unknown key (allowed: vi, en)")
                    }
                }
                if let vi, let en, !vi.isEmpty, !en.isEmpty {
                    title = LocalizedText(en: en, vi: vi)
                } else {
                    issue(node, "title", "needs both vi and en")
                }
            } else {
                issue(node, "title", "expected { vi: …, en: … }")
            }
        } else if extends == nil {
            issue(root, "title", "missing")
        }
        var rules: [RuleEntry] = []
        if let node = values["rules"] {
            if let map = node.mapping {
                for (key, value) in map {
                    if let entry = parseRule(key: key, value: value, file: file, issues: &issues) {
                        rules.append(entry)
                    }
                }
            } else {
                issue(node, "rules", "expected a mapping of rule id to settings")
            }
        } else if extends == nil {
            issue(root, "rules", "missing")
        }
        var grading: Grading?
        if let node = values["grading"] {
            grading = parseGrading(node, file: file, issues: &issues)
        }
        var unverifiable: [LocalizedText] = []
        if let node = values["unverifiable"] {
            if let items = node.sequence {
                for (index, item) in items.enumerated() {
                    let vi = item.mapping?["vi"]?.scalar?.string ?? ""
                    let en = item.mapping?["en"]?.scalar?.string ?? ""
                    if vi.isEmpty || en.isEmpty {
                        issue(item, "unverifiable[\(index)]", "expected { vi: …, en: … } with both texts")
                    } else {
                        unverifiable.append(LocalizedText(en: en, vi: vi))
                    }
                }
            } else {
                issue(node, "unverifiable", "expected a list of { vi: …, en: … }")
            }
        }
        // Problems so far are recorded; the rest of the document is still checked (merge finds more),
        // so a user sees every problem at once. The loader refuses the profile if any were found.
        return ProfileDocument(
            file: file, id: id, version: version, extends: extends, title: title, rules: rules, grading: grading,
            unverifiable: unverifiable)
    }

    private static func supported(_ schema: Int) -> Bool { ProfileLoader.supportedSchemas.contains(schema) }

    private static func yamlIssue(_ error: YamlError, file: String) -> InputIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return InputIssue(
                file: file, line: mark.line, column: mark.column, field: "", problem: "not valid YAML: \(detail)")
        default:
            return InputIssue(file: file, field: "", problem: "not valid YAML: \(error)")
        }
    }

    private static func parseRule(key: Node, value: Node, file: String, issues: inout [InputIssue]) -> RuleEntry? {
        let id = key.string ?? ""
        let field = "rules.\(id)"
        let collector = IssueCollector(file: file)
        defer { issues.append(contentsOf: collector.issues) }
        let issue = collector.add
        guard let descriptor = RuleRegistry.rule(id)?.descriptor else {
            let hint = RuleRegistry.all.map { $0.descriptor.id }.min { editDistance($0, id) < editDistance($1, id) }
            issue(key, field, "unknown rule id" + (hint.map { " (did you mean \($0)?)" } ?? ""))
            return nil
        }
        guard let map = value.mapping else {
            issue(value, field, "expected a mapping with requirement, source and optional params")
            return nil
        }
        var entry = RuleEntry(id: id, line: key.mark?.line, column: key.mark?.column)
        for (settingKey, settingValue) in map {
            let name = settingKey.string ?? ""
            let mark = settingValue.mark
            switch name {
            case "requirement":
                if let text = settingValue.string, let requirement = Requirement(rawValue: text) {
                    entry.requirement = Located(value: requirement, line: mark?.line, column: mark?.column)
                } else {
                    issue(
                        settingValue, "\(field).requirement",
                        "expected required or recommended, found '\(settingValue.string ?? "?")'")
                }
            case "severity":
                if let text = settingValue.string, let severity = Severity(rawValue: text) {
                    entry.severity = Located(value: severity, line: mark?.line, column: mark?.column)
                } else {
                    issue(
                        settingValue, "\(field).severity",
                        "expected one of info, low, medium, high, critical, found '\(settingValue.string ?? "?")'")
                }
            case "source":
                // A citation in Vietnamese, or `{ vi: …, en: … }` with both.
                func nonEmpty(_ node: Node?) -> String? {
                    guard let text = node?.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty
                    else { return nil }
                    return text
                }
                if let text = nonEmpty(settingValue) {
                    entry.source = Located(value: text, line: mark?.line, column: mark?.column)
                } else if let map = settingValue.mapping {
                    let vi = nonEmpty(map["vi"])
                    let en = nonEmpty(map["en"])
                    for (key, _) in map where key.string != "vi" && key.string != "en" {
                        issue(key, "\(field).source.\(key.string ?? "?")", "unknown language (allowed: en, vi)")
                    }
                    if vi == nil { issue(settingValue, "\(field).source.vi", "expected a non-empty citation") }
                    if en == nil { issue(settingValue, "\(field).source.en", "expected a non-empty citation") }
                    if let vi, en != nil {
                        entry.source = Located(value: vi, line: mark?.line, column: mark?.column)
                        entry.sourceEN = en
                    } else {
                        entry.sourceRejected = true
                    }
                } else {
                    entry.sourceRejected = true
                    issue(settingValue, "\(field).source", "expected a non-empty citation, or vi: and en: citations")
                }
            case "confidence":
                if let text = settingValue.scalar?.string, confidences.contains(text) {
                    entry.confidence = Located(value: text, line: mark?.line, column: mark?.column)
                } else {
                    issue(
                        settingValue, "\(field).confidence",
                        "expected one of \(confidences.sorted().joined(separator: ", "))")
                }
            case "basis":
                let keys = settingValue.sequence?.compactMap { $0.scalar?.string } ?? []
                let valid = keys.allSatisfy { key in
                    !key.isEmpty
                        && key.unicodeScalars.allSatisfy {
                            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                        }
                }
                if !keys.isEmpty && valid && keys.count == settingValue.sequence?.count {
                    entry.basis = keys
                } else {
                    issue(
                        settingValue, "\(field).basis",
                        "expected a list of keys of docs/legal-basis.md (lowercase letters, digits and '-')")
                }
            case "params":
                entry.params = parseParams(
                    settingValue, specs: descriptor.parameters, field: field, collector: collector)
            default:
                issue(
                    settingKey, "\(field).\(name)",
                    "unknown key (allowed: \(ruleKeys.sorted().joined(separator: ", ")))")
            }
        }
        return entry
    }

    private static func parseParams(
        _ node: Node, specs: [ParameterSpec], field: String, collector: IssueCollector
    ) -> [String: Located<ParameterValue>] {
        var result: [String: Located<ParameterValue>] = [:]
        guard let params = node.mapping else {
            collector.add(node, "\(field).params", "expected a mapping")
            return result
        }
        for (paramKey, paramValue) in params {
            let paramName = paramKey.string ?? ""
            let path = "\(field).params.\(paramName)"
            guard let spec = specs.first(where: { $0.name == paramName }) else {
                let known = specs.map(\.name).joined(separator: ", ")
                collector.add(
                    paramKey, path,
                    known.isEmpty ? "unknown parameter (this rule takes none)" : "unknown parameter (allowed: \(known))"
                )
                continue
            }
            if let value = parameterValue(paramValue, spec: spec) {
                result[paramName] = Located(value: value, line: paramValue.mark?.line, column: paramValue.mark?.column)
            } else {
                collector.add(paramValue, path, "expected \(spec.expected), found '\(paramValue.string ?? "?")'")
            }
        }
        return result
    }

    private static func parameterValue(_ node: Node, spec: ParameterSpec) -> ParameterValue? {
        guard let scalar = node.scalar else { return nil }
        switch spec.kind {
        case .integer(let range):
            guard scalar.style == .plain, let number = Int(scalar.string), range.contains(number) else { return nil }
            return .integer(number)
        case .choice(let choices):
            return choices.contains(scalar.string) ? .string(scalar.string) : nil
        }
    }

    private static func parseGrading(_ node: Node, file: String, issues: inout [InputIssue]) -> Grading? {
        func issue(_ node: Node?, _ path: String, _ problem: String) {
            issues.append(
                InputIssue(
                    file: file, line: node?.mark?.line, column: node?.mark?.column, field: path, problem: problem))
        }
        guard let map = node.mapping else {
            issue(node, "grading", "expected a mapping with penalties, grades and caps")
            return nil
        }
        var grading = Grading.standard
        for (key, value) in map {
            switch key.string {
            case "penalties":
                guard let penalties = value.mapping else {
                    issue(value, "grading.penalties", "expected severity: points pairs")
                    continue
                }
                for (severityKey, pointsNode) in penalties {
                    guard let severity = severityKey.string.flatMap(Severity.init(rawValue:)) else {
                        issue(severityKey, "grading.penalties.\(severityKey.string ?? "?")", "unknown severity")
                        continue
                    }
                    guard let points = pointsNode.decimalInteger, (0...100).contains(points) else {
                        issue(pointsNode, "grading.penalties.\(severity.rawValue)", "expected an integer in 0…100")
                        continue
                    }
                    grading.penalties[severity] = points
                }
            case "grades":
                guard let grades = value.mapping else {
                    issue(value, "grading.grades", "expected grade: minimum score pairs")
                    continue
                }
                var table: [(grade: String, minimum: Int)] = []
                for (gradeKey, minimumNode) in grades {
                    let name = gradeKey.string ?? "?"
                    guard let minimum = minimumNode.decimalInteger, (0...100).contains(minimum) else {
                        issue(minimumNode, "grading.grades.\(name)", "expected a score in 0…100")
                        continue
                    }
                    if name == "F" {
                        issue(gradeKey, "grading.grades.F", "F is kept for required failures; name another grade")
                        continue
                    }
                    table.append((name, minimum))
                }
                grading.grades = table.sorted { $0.minimum > $1.minimum }
                if table.count > 0 && !table.contains(where: { $0.minimum == 0 }) {
                    issue(value, "grading.grades", "the lowest grade needs minimum 0, so every score has a grade")
                }
            case "caps":
                guard let caps = value.mapping else {
                    issue(value, "grading.caps", "expected severity: grade pairs")
                    continue
                }
                grading.caps = [:]
                for (severityKey, gradeNode) in caps {
                    guard let severity = severityKey.string.flatMap(Severity.init(rawValue:)) else {
                        issue(severityKey, "grading.caps.\(severityKey.string ?? "?")", "unknown severity")
                        continue
                    }
                    grading.caps[severity] = gradeNode.string ?? ""
                }
            default:
                issue(key, "grading.\(key.string ?? "?")", "unknown key (allowed: caps, grades, penalties)")
            }
        }
        for (severity, cap) in grading.caps where !grading.grades.contains(where: { $0.grade == cap }) {
            issue(
                node, "grading.caps.\(severity.rawValue)",
                "'\(cap)' is not one of the grades (\(grading.grades.map(\.grade).joined(separator: ", ")))")
        }
        return grading
    }

    // MARK: merging

    /// Applies this document over its resolved parent.
    func merge(over parent: Profile?, text: String, file: String, issues: inout [InputIssue]) -> Profile? {
        let start = issues.count
        let name = (file as NSString).lastPathComponent
        var rules = parent?.rules ?? [:]
        for entry in self.rules {
            guard let rule = RuleRegistry.rule(entry.id) else { continue }
            let base = rules[entry.id]
            var params = base?.parameters ?? rule.descriptor.defaultParameters
            var origin = base?.origin ?? [:]
            for (key, value) in entry.params {
                params.values[key] = value.value
                origin["params.\(key)"] = name
            }
            guard let requirement = entry.requirement?.value ?? base?.requirement else {
                issues.append(
                    InputIssue(
                        file: file, line: entry.line, column: entry.column, field: "rules.\(entry.id).requirement",
                        problem: "missing (required or recommended)"))
                continue
            }
            let source = entry.source?.value ?? base?.source
            let sourceEN = entry.source != nil ? entry.sourceEN : base?.sourceEN
            // A rule made required here cites its own basis: the parent's citation backed a recommendation.
            let raised = requirement == .required && base?.requirement != .required && entry.source == nil
            if requirement == .required && ((source ?? "").isEmpty || raised) && !entry.sourceRejected {
                issues.append(
                    InputIssue(
                        file: file, line: entry.line, column: entry.column, field: "rules.\(entry.id).source",
                        problem: "a required rule needs a source citing its basis"))
                continue
            }
            do {
                _ = try rule.parameters(params)
            } catch {
                issues.append(
                    InputIssue(
                        file: file, line: entry.line, column: entry.column, field: "rules.\(entry.id).params",
                        problem: "does not fit the rule's parameters: \(error)"))
                continue
            }
            if entry.requirement != nil { origin["requirement"] = name }
            if entry.source != nil { origin["source"] = name }
            if entry.severity != nil { origin["severity"] = name }
            if entry.confidence != nil { origin["confidence"] = name }
            if entry.basis != nil { origin["basis"] = name }
            rules[entry.id] = ProfileRule(
                requirement: requirement, parameters: params,
                severity: entry.severity?.value ?? base?.severity ?? rule.descriptor.defaultSeverity,
                source: source ?? "", sourceEN: sourceEN, confidence: entry.confidence?.value ?? base?.confidence,
                basis: entry.basis ?? (entry.source == nil ? base?.basis ?? [] : []), origin: origin)
        }
        guard issues.count == start else { return nil }
        guard let title = title ?? parent?.title else { return nil }
        return Profile(
            id: id.value, version: version, title: title,
            ancestry: parent.map { [$0.id] + $0.ancestry } ?? [], rules: rules,
            grading: grading ?? parent?.grading ?? .standard, unverifiable: (parent?.unverifiable ?? []) + unverifiable,
            digest: "sha256:" + SHA256.hex(of: Array(((parent?.digest ?? "") + text).utf8)))
    }
}

/// Levenshtein distance, for "did you mean" hints on unknown rule ids.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// Collects positioned issues for one file.
final class IssueCollector {
    let file: String
    private(set) var issues: [InputIssue] = []

    init(file: String) { self.file = file }

    func add(_ node: Node?, _ field: String, _ problem: String) {
        issues.append(
            InputIssue(file: file, line: node?.mark?.line, column: node?.mark?.column, field: field, problem: problem))
    }
}
