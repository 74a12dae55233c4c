import Foundation
import PortalAuditCore

/// Observation fixtures for tests: the rule examples' exemplary portal (`ExampleFacts`), changed one fact
/// at a time by each test.
public enum Fixtures {
    /// A fixed clock for evaluation tests.
    public static let now = ExampleFacts.now

    public static let target = ExampleFacts.target

    public static var context: EvaluationContext { ExampleFacts.context }

    /// Everything an exemplary portal shows.
    public static func exemplary() -> Observation { ExampleFacts.exemplary() }

    /// The exemplary observation with one change.
    public static func exemplary(_ change: (inout Observation) -> Void) -> Observation {
        var observation = exemplary()
        change(&observation)
        return observation
    }

    /// Replaces (or removes, with `nil`) header `name` in `observation`.
    public static func setHeader(_ observation: inout Observation, _ name: String, _ value: String?) {
        ExampleFacts.setHeader(&observation, name, value)
    }
}
