import Foundation
import PortalAuditCore

/// The shipped profiles and the rule catalogue, for `portal-audit profiles`.
public struct ProfileCatalog: Sendable {
    public var loader: ProfileLoader

    public init(loader: ProfileLoader = ProfileLoader(searchPaths: ProfileLoader.defaultSearchPaths())) {
        self.loader = loader
    }

    /// Every profile found in the search paths, resolved.
    ///
    /// - Throws: `InputIssues` naming every profile that fails to load (a broken shipped profile must
    ///   never silently disappear from the list).
    public func shipped() throws(InputIssues) -> [Profile] {
        var profiles: [Profile] = []
        var issues: [InputIssue] = []
        for id in loader.availableIDs() {
            do {
                profiles.append(try loader.load(id))
            } catch {
                issues.append(contentsOf: error.issues)
            }
        }
        if !issues.isEmpty { throw InputIssues(issues) }
        return profiles
    }

    /// Loads one profile (id or path), reporting every problem.
    public func profile(_ reference: String) throws(InputIssues) -> Profile {
        try loader.load(reference)
    }

    /// The descriptor of rule `id`.
    public func rule(_ id: String) throws(InputIssues) -> RuleDescriptor {
        guard let rule = RuleRegistry.rule(id) else {
            let known = RuleRegistry.all.map { $0.descriptor.id }.joined(separator: ", ")
            throw InputIssues([
                InputIssue(file: "<command line>", field: "RULE", problem: "unknown rule '\(id)' (known: \(known))")
            ])
        }
        return rule.descriptor
    }
}
