/// What "up" means, written once: the availability rule, the monitor's samples, the uptime figures, the
/// metrics and the alerts all use it (docs/uptime.md).
public enum AvailabilityPolicy {
    /// Consecutive failed samples that confirm an outage: one failed sample between good ones is a blip.
    public static let confirmations = 2

    /// Why an HTTP answer does not serve the portal, or `nil` when it does.
    public enum Problem: String, Sendable, Equatable {
        /// 5xx: the server or the application behind it is failing.
        case serverError = "server-error"
        /// 4xx on the home page: citizens are refused or sent to an error page.
        case clientError = "client-error"
        /// A 200 without a body: a blank page.
        case emptyPage = "empty-page"
    }

    /// Judges an answer of the home page: 2xx and 3xx serve the portal, except a 200 with an empty body.
    /// `bodyBytes` is `nil` when the body was not read (a redirect's, or one that was not kept).
    public static func problem(status: Int, bodyBytes: Int?) -> Problem? {
        if status >= 500 { return .serverError }
        if status >= 400 { return .clientError }
        if status == 200 && bodyBytes == 0 { return .emptyPage }
        return nil
    }

    /// Whether the portal served its home page.
    public static func serves(status: Int, bodyBytes: Int?) -> Bool {
        problem(status: status, bodyBytes: bodyBytes) == nil
    }

    /// Whether a failed HTTPS attempt means HTTPS is not offered at all (nothing listens, or TLS is broken),
    /// so that a plain-HTTP answer may stand for the portal.
    public static func httpsNotServed(_ failure: ProbeFailure?) -> Bool {
        guard let failure else { return false }
        return failure.kind == .connect || failure.kind == .tls
    }
}
