import Foundation
import Yams

/// Finds, parses, validates and resolves profiles (`extends:` included), collecting every problem.
public struct ProfileLoader: Sendable {
    /// The profile schema versions this build reads.
    public static let supportedSchemas = 1...1

    /// Folders searched for `ID.yaml`, in order, before the profiles built into the binary.
    public var searchPaths: [String]
    /// The built-in profiles (`ShippedProfiles`): id → YAML text.
    public var embedded: [String: String]

    /// The folder name errors give to a built-in profile.
    public static let builtInFolder = "<built-in>"

    public init(searchPaths: [String], embedded: [String: String] = ShippedProfiles.texts) {
        self.searchPaths = searchPaths
        self.embedded = embedded
    }

    /// Local profile folders: `--profiles-dir` (given by the caller) and `$PORTAL_AUDIT_PROFILES`. The
    /// shipped profiles need none: they are built in, so the binary works from any folder.
    public static func defaultSearchPaths(
        profilesDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var paths: [String] = []
        if let profilesDirectory, !profilesDirectory.isEmpty { paths.append(profilesDirectory) }
        if let custom = environment["PORTAL_AUDIT_PROFILES"], !custom.isEmpty { paths.append(custom) }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// Every profile id in the search paths and built in, sorted.
    public func availableIDs() -> [String] {
        var ids = Set(embedded.keys)
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
                        + (searchPaths + ["the built-in profiles: " + embedded.keys.sorted().joined(separator: ", ")])
                        .joined(separator: ", ") + ")")
            ])
        }
        let profile = resolve(path: path, chain: [], issues: &issues)
        guard issues.isEmpty, let profile else { throw InputIssues(issues) }
        return profile
    }

    func locate(_ reference: String, builtIn: Bool = true) -> String? {
        let fm = FileManager.default
        if reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") || reference.contains("/") {
            return fm.fileExists(atPath: reference) ? reference : nil
        }
        for folder in searchPaths {
            let path = (folder as NSString).appendingPathComponent(reference + ".yaml")
            if fm.fileExists(atPath: path) { return path }
        }
        return builtIn && embedded[reference] != nil ? Self.builtInFolder + "/" + reference + ".yaml" : nil
    }

    /// The text of the profile at `path` (a file, or a built-in one).
    private func text(at path: String) -> String? {
        let prefix = Self.builtInFolder + "/"
        if path.hasPrefix(prefix) { return embedded[String(path.dropFirst(prefix.count).dropLast(5))] }
        return FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private func resolve(path: String, chain: [String], issues: inout [InputIssue]) -> Profile? {
        let canonical = path.hasPrefix(Self.builtInFolder) ? path : URL(fileURLWithPath: path).standardizedFileURL.path
        if chain.contains(canonical) {
            issues.append(
                InputIssue(
                    file: path, field: "extends",
                    problem: "cycle in extends: "
                        + (chain + [canonical]).map { ($0 as NSString).lastPathComponent }
                        .joined(separator: " → ")))
            return nil
        }
        guard let text = text(at: path) else {
            issues.append(InputIssue(file: path, field: "", problem: "cannot read the file"))
            return nil
        }
        let parsed = ProfileDocument.parse(text, file: path, issues: &issues)
        guard let parsed else { return nil }
        var parent: Profile?
        if let base = parsed.extends {
            // A local file wins over its built-in namesake: search paths, then beside the profile, then built in.
            if let basePath = locate(base.value, builtIn: false) ?? locateSibling(base.value, of: path)
                ?? locate(base.value)
            {
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
        if path.hasPrefix(Self.builtInFolder) { return nil }
        let sibling = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(id + ".yaml")
        return FileManager.default.fileExists(atPath: sibling) ? sibling : nil
    }
}
