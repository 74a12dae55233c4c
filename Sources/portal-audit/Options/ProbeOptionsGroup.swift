import ArgumentParser
import PortalAuditCore
import PortalAuditProbes

/// PROBE-OPTIONS: the same option group for check, scan and monitor.
struct ProbeOptionsGroup: ParsableArguments {
    @Option(
        name: .customLong("resolve"),
        help: ArgumentHelp(
            "Pin HOST:PORT to ADDRESS, as curl --resolve does (repeatable).", valueName: "host:port:addr"))
    var resolve: [String] = []

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "Extra trust anchors (PEM) added to the system store.", valueName: "pem"))
    var caFile: String?

    @Option(
        name: .customLong("profiles-dir"),
        help: ArgumentHelp(
            "A folder of local profiles (ID.yaml), searched before the built-in ones.", valueName: "dir"))
    var profilesDirectory: String?

    /// Local folders first (--profiles-dir, $PORTAL_AUDIT_PROFILES), then the built-in profiles.
    var profileLoader: ProfileLoader {
        ProfileLoader(searchPaths: ProfileLoader.defaultSearchPaths(profilesDirectory: profilesDirectory))
    }

    @Option(help: ArgumentHelp("Time budget per site, in seconds.", valueName: "seconds"))
    var timeout: Double = 10

    @Flag(help: "This is an authorised audit of your own portals: active probes (sensitive paths) may run.")
    var authorised = false

    @Option(
        name: .customLong("per-address"),
        help: ArgumentHelp(
            "Connections at once to one IP address across the fleet (default 12, that is two portals of a shared host; "
                + "loopback is not limited unless this is given). Proxies are never used: http_proxy, https_proxy and "
                + "ALL_PROXY are ignored, so pins and certificates are the portal's own.",
            valueName: "n"))
    var perAddress: Int?

    @Flag(
        help: ArgumentHelp(
            "List every accepted cipher suite of every version (one hello per accepted suite; check always does). "
                + "Without it a scan asks one hello per suite class: accepted or not."))
    var enumerate = false

    @Option(
        name: .customLong("confirm-after"),
        help: ArgumentHelp(
            "When nothing answers, ask again this many seconds later before calling the portal down (at least 30; "
                + "0: no second attempt, the portal is reported incomplete).",
            valueName: "seconds"))
    var confirmAfter: Int = ProbeOptions.minimumConfirmationSeconds

    @Option(
        name: .customLong("sample-pages"),
        help: ArgumentHelp(
            "Same-host pages fetched beyond the home page and checked for injected spam: the sitemap's newest "
                + "entries and the home page's links, robots.txt respected (0: the home page only; at most 200).",
            valueName: "n"))
    var samplePages: Int = ProbeOptions.defaultSamplePages

    @Option(
        help: ArgumentHelp(
            "Documents (PDF, DOCX, XLSX, ODT, ODS) the pages read link on the portal's own host, fetched and read "
                + "for personal data, each at most 10 MiB, within the site's time budget (0: none; at most 50).",
            valueName: "n"))
    var documents: Int = ProbeOptions.defaultDocuments

    @Option(
        help: ArgumentHelp(
            "Where this scan runs from, recorded in reports beside the host name (network, public address), "
                + "e.g. \"VNPT Hà Nội, 203.0.113.7\".",
            valueName: "label"))
    var vantage: String?

    func validate() throws {
        if !(0...200).contains(samplePages) {
            throw ValidationError("--sample-pages: expected an integer in 0…200, found \(samplePages)")
        }
        if !(0...50).contains(documents) {
            throw ValidationError("--documents: expected an integer in 0…50, found \(documents)")
        }
        if confirmAfter != 0 && confirmAfter < ProbeOptions.minimumConfirmationSeconds {
            throw ValidationError(
                "--confirm-after: expected 0 or at least \(ProbeOptions.minimumConfirmationSeconds) seconds, found \(confirmAfter)"
            )
        }
    }

    var probeOptions: ProbeOptions {
        var options = ProbeOptions(
            resolve: resolve, timeoutSeconds: timeout, authorised: authorised, connectionsPerAddress: perAddress,
            enumerateSuites: enumerate, confirmOutagesAfterSeconds: confirmAfter, vantage: vantage)
        options.samplePages = samplePages
        options.documents = documents
        return options
    }
}
