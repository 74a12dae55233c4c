import PortalAuditCore
import PortalAuditProbes

/// Everything `portal-audit check` needs, as parsed from the command line.
public struct CheckRequest: Sendable {
    public var targets: [String]
    public var httpPort: Int?
    /// A profile id or a YAML path.
    public var profile: String
    public var probe: ProbeOptions
    public var caFile: String?

    public init(
        targets: [String], httpPort: Int? = nil, profile: String = "vn-level2", probe: ProbeOptions,
        caFile: String? = nil
    ) {
        self.targets = targets
        self.httpPort = httpPort
        self.profile = profile
        self.probe = probe
        self.caFile = caFile
    }
}
