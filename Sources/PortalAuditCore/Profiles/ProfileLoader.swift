import Foundation
import Yams

/// Finds, parses, validates and resolves profiles (`extends:` included), collecting every problem.
public struct ProfileLoader: Sendable {
    /// The profile schema versions this build reads.
    public static let supportedSchemas = 1...1

    /// Folders searched for `ID.yaml`, in order.
    public var searchPaths: [String]

    public init(searchPaths: [String]) { self.searchPaths = searchPaths }

    /// The shipped profiles' folder: `$PORTAL_AUDIT_PROFILES`, else the nearest `Profiles/` above the
    /// executable or the working directory, else `/usr/local/share/portal-audit/Profiles`.
    public static func defaultSearchPaths(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String = CommandLine.arguments.first ?? "",
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> [String] {
        var paths: [String] = []
        if let custom = environment["PORTAL_AUDIT_PROFILES"], !custom.isEmpty { paths.append(custom) }
        let executableURL = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: workingDirectory))
            .resolvingSymlinksInPath()
        for start in [executableURL.deletingLastPathComponent(), URL(fileURLWithPath: workingDirectory)] {
            var folder = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("Profiles")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("vn-level2.yaml").path) {
                    paths.append(candidate.path)
                    break
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        paths.append("/usr/local/share/portal-audit/Profiles")
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// Every shipped profile id in the search paths, sorted.
    public func availableIDs() -> [String] {
        var ids = Set<String>()
        for folder in searchPaths {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names where name.hasSuffix(".yaml") { ids.insert(String(name.dropLast(5))) }
        }
        return ids.sorted()
    }

    /// Loads `reference`: a profile id (`vn-level2`) or a path to a YAML file.
    ///
    /// - Throws: `InputIssues` listing every problem in the profile and its ancestors.
    public func load(_ reference: String) throws(InputIssues) -> Profile {
        var issues: [InputIssue] = []
        guard let path = locate(reference) else {
            throw InputIssues([
                InputIssue(
                    file: reference, field: "",
                    problem: "no such profile (looked for \(reference).yaml in "
                        + searchPaths.joined(separator: ", ") + ")")
            ])
        }
        let profile = resolve(path: path, chain: [], issues: &issues)
        guard issues.isEmpty, let profile else { throw InputIssues(issues) }
        return profile
    }

    func locate(_ reference: String) -> String? {
        let fm = FileManager.default
        if reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") || reference.contains("/") {
            return fm.fileExists(atPath: reference) ? reference : nil
        }
        for folder in searchPaths {
            let path = (folder as NSString).appendingPathComponent(reference + ".yaml")
            if fm.fileExists(atPath: path) { return path }
        }
        return nil
    }

    private func resolve(path: String, chain: [String], issues: inout [InputIssue]) -> Profile? {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        if chain.contains(canonical) {
            issues.append(
                InputIssue(
                    file: path, field: "extends",
                    problem: "cycle in extends: "
                        + (chain + [canonical]).map { ($0 as NSString).lastPathComponent }
                        .joined(separator: " → ")))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            issues.append(InputIssue(file: path, field: "", problem: "cannot read the file"))
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        let parsed = ProfileDocument.parse(text, file: path, issues: &issues)
        guard let parsed else { return nil }
        var parent: Profile?
        if let base = parsed.extends {
            if let basePath = locate(base.value) ?? locateSibling(base.value, of: path) {
                parent = resolve(path: basePath, chain: chain + [canonical], issues: &issues)
                if parent == nil { return nil }
            } else {
                issues.append(
                    InputIssue(
                        file: path, line: base.line, column: base.column, field: "extends",
                        problem: "unknown profile '\(base.value)'"))
                return nil
            }
        }
        return parsed.merge(over: parent, text: text, file: path, issues: &issues)
    }

    private func locateSibling(_ id: String, of path: String) -> String? {
        let sibling = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(id + ".yaml")
        return FileManager.default.fileExists(atPath: sibling) ? sibling : nil
    }
}
