import CBuildInfo
import PortalAuditCore

/// What `portal-audit --version` prints.
public enum BuildInfo {
    /// The commit the binary was built from, or `unknown` for a plain `swift build`.
    public static var commit: String { String(cString: pa_build_commit()) }

    /// `0.1.0 (commit 1a2b3c4)`.
    public static var versionLine: String { "\(PortalAuditVersion.tool) (commit \(commit))" }
}
