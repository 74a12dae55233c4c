import Foundation
import PortalAuditCore

/// The shipped profiles and the rule catalogue, for `portal-audit profiles`.
public struct ProfileCatalog: Sendable {
    public var loader: ProfileLoader

    public init(loader: ProfileLoader = ProfileLoader(searchPaths: ProfileLoader.defaultSearchPaths())) {
        self.loader = loader
    }

    /// Every profile found in the search paths, resolved (ones that fail to load are left out).
    public func shipped() -> [Profile] {
        loader.availableIDs().compactMap { try? loader.load($0) }
    }

    /// Loads one profile (id or path), reporting every problem.
    public func profile(_ reference: String) throws(InputIssues) -> Profile {
        try loader.load(reference)
    }

    /// The descriptor of rule `id`.
    public func rule(_ id: String) throws(InputIssues) -> RuleDescriptor {
        guard let rule = RuleRegistry.rule(id) else {
            let known = RuleRegistry.all.map { $0.descriptor.id }.joined(separator: ", ")
            throw InputIssues([InputIssue(file: "<command line>", field: "RULE", problem: "unknown rule '\(id)' (known: \(known))")])
        }
        return rule.descriptor
    }
}
